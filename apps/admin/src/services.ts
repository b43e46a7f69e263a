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

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface UserApi {
  authenticate(email: string, password: string): User;
  getUser(userId: string): User;
  findUsers(query: string | undefined, page: number, pageSize: number): Page<User>;
  suspendUser(userId: string, reason: string, actorId: string): User;
  reactivateUser(userId: string, reason: string, actorId: string): User;
  changeRole(userId: string, role: string, actorId: string): User;
}

export interface Order {
  id: string;
  project_id: string;
  [field: string]: unknown;
}

export interface ProjectApi {
  listProjects(page: number, pageSize: number): Page<unknown>;
  getOrdersById(orderIds: string[]): Order[];
  listOrdersForProject(projectId: string): Order[];
}

export interface PaymentApi {
  payOrder(orderId: string, paymentMethodId: string, paidBy: string): unknown;
  refundPayment(orderId: string, reason: string, actorId: string): unknown;
}

export function services(rpc: RequestRpc) {
  return {
    user: remote<UserApi>(rpc, 'user'),
    project: remote<ProjectApi>(rpc, 'project'),
    payment: remote<PaymentApi>(rpc, 'payment'),
  };
}
