import { exploreFacade } from '@platform/http/testing';
import { admin } from '../src/app';
import { aProject, anOrder, aTransaction, aUser, O1, P1, U2 } from './fake-rpc';
import { adminApp, tokenWith } from './helpers';

const page = <T>(items: T[]) => ({ items, total: items.length, page: 1, page_size: 20 });

describe('every route, explored with requests generated from its documented schemas', () => {
  it('answers every generated request to every route with a documented status, never a 500', async () => {
    await exploreFacade(admin, { app: adminApp, tokenWith }, {
      otherRoles: ['customer', 'support'],
      // The path's ids are often these, so that a request meets the fixtures (an order of P1).
      examples: { projectId: [P1], orderId: [O1], userId: [U2], paid_by: [U2] },
      replies: {
        'user.authenticate': [aUser(), aUser({ role: 'customer' })],
        'user.findUsers': [page([aUser({ id: U2, role: 'customer' })]), page([])],
        'user.suspendUser': [aUser({ id: U2, status: 'suspended' })],
        'user.reactivateUser': [aUser({ id: U2 })],
        'user.changeRole': [aUser({ id: U2, role: 'support' })],
        'project.listProjects': [page([aProject()]), page([])],
        'project.getOrdersById': [(ids: string[]) => ids.map((id) => anOrder({ id })), []],
        'project.listOrdersForProject': [[anOrder()], []],
        'project.cancelAnyOrder': [anOrder({ status: 'cancelled' }), anOrder({ status: 'cancelling' })],
        'payment.payOrder': [aTransaction()],
        'payment.refundPayment': [aTransaction({ state: 'refunded' })],
      },
    });
  });
});
