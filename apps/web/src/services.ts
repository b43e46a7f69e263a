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
  registerUser(email: string, name: string, password: string): User;
  authenticate(email: string, password: string): User;
  getUser(userId: string): User;
  findUsers(query: string, page: number, pageSize: number): { items: User[]; total: number };
}

export interface Order {
  id: string;
  project_id: string;
  [field: string]: unknown;
}

export interface ProjectApi {
  createProject(ownerId: string, name: string, description?: string): unknown;
  getProject(projectId: string, requesterId: string): unknown;
  listProjectsForUser(userId: string): unknown[];
  addMember(projectId: string, userId: string, addedBy: string): unknown;
  placeOrder(projectId: string, requesterId: string, description: string, amount: number, currency: string): Order;
  getOrder(orderId: string, requesterId: string): Order;
  listOrders(projectId: string, requesterId: string): Order[];
}

export interface PaymentApi {
  listPaymentMethods(userId: string): unknown[];
  addPaymentMethod(userId: string, token: string): unknown;
  payOrder(orderId: string, paymentMethodId: string, paidBy: string): unknown;
}

export function services(rpc: RequestRpc) {
  return {
    user: remote<UserApi>(rpc, 'user'),
    project: remote<ProjectApi>(rpc, 'project'),
    payment: remote<PaymentApi>(rpc, 'payment'),
  };
}
