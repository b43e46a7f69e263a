import { exploreFacade } from '@platform/http/testing';
import { support } from '../src/app';
import { aMessage, anOrder, aProject, aStaffMember, aTransaction, aUser, O1, S1, U1 } from './fake-rpc';
import { supportApp, tokenWith } from './helpers';

describe('every route, explored with requests generated from its documented schemas', () => {
  it('answers every generated request to every route with a documented status, never a 500', async () => {
    await exploreFacade(support, { app: supportApp, tokenWith }, {
      otherRoles: ['customer'],
      // The ids and the email are often these, so that a request meets the fixtures.
      examples: { userId: [U1], orderId: [O1], email: ['ann@example.com'] },
      replies: {
        'user.authenticate': [aStaffMember(), aUser()],
        'user.getUser': [aUser(), aStaffMember()],
        'user.findUsers': [(email: string) => ({ items: [aUser({ email })], total: 1 }), { items: [], total: 0 }],
        'project.listProjectsForUser': [[aProject()], []],
        'project.getOrdersByProjectId': [(projectIds: string[]) => projectIds.map((id) => anOrder({ project_id: id })), []],
        'payment.getTransactionsByOrderId': [(orderIds: string[]) => orderIds.map((id) => aTransaction({ order_id: id })), []],
        'messaging.listMessagesForUser': [[aMessage()], []],
        'messaging.resendOrderReceipt': [aMessage({ id: 'm2', resent_of: 'm1', requested_by: S1 })],
      },
    });
  });
});
