// An order named under a project in the path must be the requester's order of that project: the
// project service answers NotFound to a non-member, and an order of another project is 404 here,
// before anything is charged, confirmed or cancelled.
import { httpErrors } from '@platform/http';
import type { services } from '../schemas';

export async function orderOfProject(rpc: ReturnType<typeof services>, projectId: string, orderId: string, requesterId: string): Promise<void> {
  const order = await rpc.project.getOrder(orderId, requesterId);
  if (order.project_id !== projectId) throw new httpErrors.NotFound(`order ${orderId} not found`);
}
