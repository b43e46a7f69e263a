import { exploreFacade, replies } from '@platform/http/testing';
import { web } from '../src/app';
import { aPaymentMethod, aProject, anOrder, aUser, NOW, O1, P1, P9, U1, U2 } from './fake-rpc';
import { tokenWith, webApp } from './helpers';

const awaitingAuthentication = replies.aTransaction({ state: 'processing', payment_intent_id: 'pi_1', client_secret: 'pi_1_secret_x', next_action: { type: 'use_stripe_sdk' } });

describe('every route, explored with requests generated from its documented schemas', () => {
  it('answers every generated request to every route with a documented status, never a 500', async () => {
    await exploreFacade(web, { app: webApp, tokenWith }, {
      otherRoles: ['admin', 'support'],
      // The path's ids are often these, so that a request meets the fixtures (an order of P1, not of P9).
      examples: { projectId: [P1, P9], orderId: [O1] },
      replies: {
        'user.authenticate': [aUser(), aUser({ role: 'admin' })],
        'user.registerUser': [aUser()],
        'user.getUser': [aUser()],
        'user.findUsers': [(email: string) => ({ items: [aUser({ id: U2, email })], total: 1 }), { items: [], total: 0 }],
        'project.createProject': [aProject()],
        'project.getProject': [aProject()],
        'project.listProjectsForUser': [[aProject()], []],
        'project.addMember': [{ project_id: P1, user_id: U2, role: 'member', added_by: U1, added_at: NOW }],
        'project.placeOrder': [anOrder()],
        'project.getOrder': [anOrder(), anOrder({ project_id: P9 })],
        'project.listOrders': [[anOrder()], []],
        'project.cancelOrder': [anOrder({ status: 'cancelled' })],
        'payment.listPaymentMethods': [[aPaymentMethod()], []],
        'payment.addPaymentMethod': [aPaymentMethod()],
        'payment.payOrder': [replies.aTransaction(), awaitingAuthentication],
        'payment.confirmPaymentIntent': [replies.aTransaction({ payment_intent_id: 'pi_1' }), replies.aTransaction({ order_id: P9 })],
        'payment.abandonPayment': [replies.aTransaction({ state: 'failed', failure_reason: 'abandoned' })],
      },
    });
  });
});
