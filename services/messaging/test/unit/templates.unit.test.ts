// The emails' words: every value escaped in HTML, amounts in their currency's format, and the
// order, project and amount in the subject and in both bodies.
import * as templates from '../../src/templates';

const order = (overrides: Partial<templates.OrderPaidData> = {}): templates.OrderPaidData => ({
  name: 'Ann',
  order: { id: 'a8d4c3c2-1111-4e6f-9a0b-000000000001', description: 'Seeds' },
  project: { id: 'a8d4c3c2-2222-4e6f-9a0b-000000000002', name: 'Garden' },
  transaction: { id: 'tx_1' },
  amount: 1500,
  currency: 'EUR',
  ...overrides,
});

describe('amounts', () => {
  it.each([
    [1500, 'EUR', '€15.00'],
    [1, 'EUR', '€0.01'],
    [1999, 'GBP', '£19.99'],
    [1500, 'JPY', 'JP¥1,500'],
    [12345, 'KWD', 'KWD 12.345'],
    [900719925474099, 'EUR', '€9,007,199,254,740.99'],
  ])('shows %p minor units of %s as %s', (minorUnits, currency, shown) => {
    expect(templates.formatAmount(minorUnits, currency).replace(/\u00a0/g, ' ')).toBe(shown);
  });
});

describe('escaping', () => {
  it('escapes the five characters that mean something in HTML', () => {
    expect(templates.escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes every value a template puts into HTML, in all four emails', () => {
    const evil = '<img src=x onerror="alert(1)">&';
    const emails = [
      templates.welcome({ name: evil, email: 'ann@example.com' }),
      templates.orderPaidConfirmation(order({ name: evil, order: { id: 'o', description: evil }, project: { id: 'p', name: evil } })),
      templates.refundNotice({ ...order({ name: evil, project: { id: 'p', name: evil } }), reason: evil }),
      templates.invitation({ name: evil, project: { id: 'p', name: evil }, invitedBy: evil }),
    ];
    for (const email of emails) {
      expect(email.html).not.toContain('<img');
      expect(email.html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;');
      expect(email.text).toContain(evil); // plain text is not HTML: shown as it is
    }
  });

  it('keeps a subject on one line whatever the values hold', () => {
    const email = templates.orderPaidConfirmation(order({ order: { id: 'o', description: 'Seeds\r\nBcc: someone@example.com' } }));
    expect(email.subject).toBe('Payment received: €15.00 for Seeds Bcc: someone@example.com (Garden)');
  });
});

describe('the order emails', () => {
  it('carry the order, the project and the amount in the subject and both bodies', () => {
    const data = order();
    const paid = templates.orderPaidConfirmation(data);
    const refunded = templates.refundNotice({ ...data, reason: 'Delivered late' });
    expect(paid.subject).toBe('Payment received: €15.00 for Seeds (Garden)');
    expect(refunded.subject).toBe('Refund of €15.00 for Seeds (Garden)');
    for (const body of [paid.text, paid.html, refunded.text, refunded.html]) {
      for (const fact of ['Seeds', data.order.id, 'Garden', data.project.id, '€15.00', 'tx_1']) expect(body).toContain(fact);
    }
    expect(refunded.text).toContain('Reason: Delivered late');
  });

  it('say who invited, or that a member did when the user service no longer knows who', () => {
    const project = { id: 'p', name: 'Garden' };
    expect(templates.invitation({ name: 'Bob', project, invitedBy: 'Ann' }).subject).toBe('Ann added you to the project Garden');
    expect(templates.invitation({ name: 'Bob', project, invitedBy: null }).subject).toBe('A member of the project added you to the project Garden');
  });
});
