// The parts of the services this facade consumes, as it reads them (tolerant reader).
import { remote, type RequestRpc } from '@platform/http';

export interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  created_at: string;
}

export interface UserApi {
  authenticate(email: string, password: string): User;
  getUser(userId: string): User;
  findUsers(query: string, page: number, pageSize: number): { items: User[]; total: number };
}

export interface Project {
  id: string;
  [field: string]: unknown;
}

export interface Order {
  id: string;
  project_id: string;
  [field: string]: unknown;
}

export interface ProjectApi {
  listProjectsForUser(userId: string): Project[];
  /** Support and admin only: no requester check. The orders of all those projects, newest first (up to 500 ids). */
  listOrdersForProjects(projectIds: string[]): Order[];
}

export interface Transaction {
  order_id: string;
  state: string;
  [field: string]: unknown;
}

export interface PaymentApi {
  /** The transactions of those orders that have one (up to 500 ids): an order left out has no payment yet. */
  getTransactionsByOrderIds(orderIds: string[]): Transaction[];
}

export interface MessagingApi {
  listMessagesForUser(userId: string): unknown[];
  resendOrderReceipt(orderId: string, requestedBy: string): unknown;
}

export function services(rpc: RequestRpc) {
  return {
    user: remote<UserApi>(rpc, 'user'),
    project: remote<ProjectApi>(rpc, 'project'),
    payment: remote<PaymentApi>(rpc, 'payment'),
    messaging: remote<MessagingApi>(rpc, 'messaging'),
  };
}
