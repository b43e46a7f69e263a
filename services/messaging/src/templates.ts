// The emails' words: one function per kind turns what an event says into a subject, a plain text
// body and an HTML body. Every value interpolated into HTML is escaped (the `html` tag does it);
// amounts arrive in minor units and are shown in their currency's format.
const LOCALE = 'en-GB';
const SIGNATURE = 'The Platform team';

export interface Email {
  subject: string;
  text: string;
  html: string;
}

export interface WelcomeData {
  name: string;
  email: string;
}

export interface OrderPaidData {
  name: string;
  order: { id: string; description: string };
  project: { id: string; name: string };
  transaction: { id: string | number };
  amount: number;
  currency: string;
}

export interface RefundData extends OrderPaidData {
  reason: string;
}

export interface InvitationData {
  name: string;
  project: { id: string; name: string };
  /** Who added them; null when the user service no longer knows them. */
  invitedBy: string | null;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** HTML built by the `html` tag: interpolated into more HTML as it is, not escaped twice. */
class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** A template tag that escapes every value it interpolates, except HTML it built itself. */
function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  const part = (value: unknown): string =>
    value instanceof SafeHtml ? value.value : Array.isArray(value) ? value.map(part).join('') : escapeHtml(value);
  return new SafeHtml(strings.reduce((out, text, i) => out + text + (i < values.length ? part(values[i]) : ''), ''));
}

/**
 * `1500, 'EUR'` → `€15.00`; `1500, 'JPY'` → `¥1,500`. Minor units are the currency's usual
 * fraction digits; the decimal is built as a string, so no amount loses a cent to a float.
 */
export function formatAmount(minorUnits: number, currency: string): string {
  const format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const sign = minorUnits < 0 ? '-' : '';
  const units = String(Math.abs(minorUnits)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`;
  return format.format(`${sign}${decimal}` as Intl.StringNumericLiteral);
}

/** A subject is one line, whatever the values in it hold. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

function page(title: string, greeting: string, paragraphs: SafeHtml[], facts: [string, string][] = []): SafeHtml {
  const rows = facts.map(([label, value]) => html`<tr><th align="left">${label}</th><td>${value}</td></tr>`);
  const table = facts.length > 0 ? html`<table cellpadding="4">${rows}</table>` : '';
  const body = paragraphs.map((p) => html`<p>${p}</p>\n`);
  return html`<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body>
<p>${greeting}</p>
${body}${table}
<p>${SIGNATURE}</p>
</body></html>
`;
}

function text(greeting: string, paragraphs: string[], facts: [string, string][] = []): string {
  const lines = facts.map(([label, value]) => `${label}: ${value}`);
  return [greeting, '', ...paragraphs.flatMap((p) => [p, '']), ...(lines.length > 0 ? [...lines, ''] : []), SIGNATURE, ''].join('\n');
}

export function welcome(data: WelcomeData): Email {
  const subject = oneLine(`Welcome to the platform, ${data.name}`);
  const greeting = `Hello ${data.name},`;
  return {
    subject,
    text: text(greeting, [`Your account ${data.email} is ready. Create a project, invite your team and place your first order.`]),
    html: page(subject, greeting, [
      html`Your account <strong>${data.email}</strong> is ready. Create a project, invite your team and place your first order.`,
    ]).value,
  };
}

function orderFacts(data: OrderPaidData, amountLabel: string): [string, string][] {
  return [
    ['Order', `${data.order.description} (${data.order.id})`],
    ['Project', `${data.project.name} (${data.project.id})`],
    [amountLabel, formatAmount(data.amount, data.currency)],
    ['Transaction', String(data.transaction.id)],
  ];
}

export function orderPaidConfirmation(data: OrderPaidData): Email {
  const amount = formatAmount(data.amount, data.currency);
  const subject = oneLine(`Payment received: ${amount} for ${data.order.description} (${data.project.name})`);
  const greeting = `Hello ${data.name},`;
  const facts = orderFacts(data, 'Amount paid');
  return {
    subject,
    text: text(greeting, [`Thank you: we received your payment of ${amount} for the order "${data.order.description}" in the project ${data.project.name}.`], facts),
    html: page(subject, greeting, [html`Thank you: we received your payment of <strong>${amount}</strong> for the order “${data.order.description}” in the project <strong>${data.project.name}</strong>.`], facts).value,
  };
}

export function refundNotice(data: RefundData): Email {
  const amount = formatAmount(data.amount, data.currency);
  const subject = oneLine(`Refund of ${amount} for ${data.order.description} (${data.project.name})`);
  const greeting = `Hello ${data.name},`;
  const facts: [string, string][] = [...orderFacts(data, 'Amount refunded'), ['Reason', data.reason]];
  return {
    subject,
    text: text(greeting, [`We refunded ${amount} for the order "${data.order.description}" in the project ${data.project.name}. It reaches your account in a few days.`], facts),
    html: page(subject, greeting, [html`We refunded <strong>${amount}</strong> for the order “${data.order.description}” in the project <strong>${data.project.name}</strong>. It reaches your account in a few days.`], facts).value,
  };
}

export function invitation(data: InvitationData): Email {
  const who = data.invitedBy ?? 'A member of the project';
  const subject = oneLine(`${who} added you to the project ${data.project.name}`);
  const greeting = `Hello ${data.name},`;
  return {
    subject,
    text: text(greeting, [`${who} added you to the project ${data.project.name}: sign in to see its orders and place your own.`], [['Project', `${data.project.name} (${data.project.id})`]]),
    html: page(subject, greeting, [html`${who} added you to the project <strong>${data.project.name}</strong>: sign in to see its orders and place your own.`], [['Project', `${data.project.name} (${data.project.id})`]]).value,
  };
}
