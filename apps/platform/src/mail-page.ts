// The mail page of `npm start` on the embedded default (no SMTP_HOST): the .eml files messaging
// writes under DATA_DIR/mail, listed newest first and shown one at a time (text and HTML), the way
// Mailpit shows them under docker-compose, on the port Mailpit uses (8025, MAIL_PAGE_PORT).
// It also answers the two calls of Mailpit's API a script needs, in Mailpit's shape:
// GET /api/v1/messages (newest first) and GET /api/v1/message/<ID>, so one command reads the
// emails under both.
//
// Safety: an email's HTML is untrusted. It is shown in an iframe with `sandbox` (no scripts, no
// forms, no same-origin) from `srcdoc`, and every page carries a Content-Security-Policy that
// allows no script and no request out (images only as data: URLs), and the page may not be framed; every
// header value and the text part are escaped.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';

export const DEFAULT_MAIL_PAGE_PORT = 8025;

export interface Address {
  Name: string;
  Address: string;
}

/** One email as Mailpit's API lists it (the fields a reader needs). */
export interface MessageSummary {
  ID: string;
  MessageID: string;
  From: Address | null;
  To: Address[];
  Subject: string;
  Created: string;
  Size: number;
  Snippet: string;
}

export interface Message extends MessageSummary {
  Date: string;
  Text: string;
  HTML: string;
}

export interface MailPage {
  url: string;
  close(): Promise<void>;
}

// The files' names are `<ISO time>-<id>.eml`: ids are what is left of a safe file name.
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const addresses = (field: AddressObject | AddressObject[] | undefined): Address[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value).map((a) => ({ Name: a.name ?? '', Address: a.address ?? '' }));

const shown = (list: Address[]): string => list.map((a) => (a.Name ? `${a.Name} <${a.Address}>` : a.Address)).join(', ');

/** Reads and parses the folder's emails; a file once parsed is not parsed again (emails are written once). */
class Mailbox {
  private readonly parsed = new Map<string, Message>();

  constructor(private readonly folder: string) {}

  async list(): Promise<Message[]> {
    let files: string[];
    try {
      files = (await fs.readdir(this.folder)).filter((f) => f.endsWith('.eml') && ID.test(f.slice(0, -4)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const messages = await Promise.all(files.map((file) => this.get(file.slice(0, -4))));
    // Newest first: by Date, then by file name (which starts with the time it was written).
    return messages
      .filter((m): m is Message => m !== undefined)
      .sort((a, b) => b.Created.localeCompare(a.Created) || b.ID.localeCompare(a.ID));
  }

  async get(id: string): Promise<Message | undefined> {
    if (!ID.test(id)) return undefined;
    const cached = this.parsed.get(id);
    if (cached) return cached;
    let raw: Buffer;
    try {
      raw = await fs.readFile(path.join(this.folder, `${id}.eml`));
    } catch {
      return undefined;
    }
    const mail: ParsedMail = await simpleParser(raw);
    const text = mail.text ?? '';
    const created = (mail.date ?? new Date(0)).toISOString();
    const message: Message = {
      ID: id,
      MessageID: (mail.messageId ?? '').replace(/^<|>$/g, ''),
      From: addresses(mail.from)[0] ?? null,
      To: addresses(mail.to),
      Subject: mail.subject ?? '',
      Created: created,
      Date: created,
      Size: raw.length,
      Snippet: text.replace(/\s+/g, ' ').trim().slice(0, 250),
      Text: text,
      HTML: typeof mail.html === 'string' ? mail.html : '',
    };
    this.parsed.set(id, message);
    return message;
  }

  async raw(id: string): Promise<Buffer | undefined> {
    if (!ID.test(id)) return undefined;
    return fs.readFile(path.join(this.folder, `${id}.eml`)).catch(() => undefined);
  }
}

const CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
header { background: #2c3e50; color: #fff; padding: 10px 16px; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { padding: 12px 16px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
tr.message:hover { background: #f3f6f9; }
td.subject a { color: #1a5fb4; font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; }
dt { color: #666; }
h2 { font-size: 15px; margin: 18px 0 6px; }
pre { white-space: pre-wrap; background: #f7f7f7; padding: 10px; border: 1px solid #ddd; }
iframe { width: 100%; height: 420px; border: 1px solid #ddd; }
.empty { color: #666; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head>
<body><header><a href="/">Platform mail</a> · the emails npm start has written, newest first</header><main>${body}</main></body></html>`;
}

function listPage(folder: string, messages: Message[]): string {
  if (messages.length === 0) return page('Platform mail', `<p class="empty">No emails yet in ${escape(folder)}.</p>`);
  const rows = messages
    .map(
      (m) =>
        `<tr class="message" data-id="${escape(m.ID)}"><td class="date">${escape(m.Created)}</td><td class="from">${escape(m.From ? shown([m.From]) : '')}</td>` +
        `<td class="to">${escape(shown(m.To))}</td><td class="subject"><a href="/view/${encodeURIComponent(m.ID)}">${escape(m.Subject || '(no subject)')}</a></td></tr>`,
    )
    .join('\n');
  return page(
    `Platform mail (${messages.length})`,
    `<p>${messages.length} email${messages.length === 1 ? '' : 's'} in ${escape(folder)}</p>
<table><thead><tr><th>Date</th><th>From</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

function messagePage(m: Message): string {
  const html = m.HTML
    ? `<iframe title="HTML part" sandbox="" referrerpolicy="no-referrer" srcdoc="${escape(m.HTML)}"></iframe>`
    : '<p class="empty">(no HTML part)</p>';
  return page(
    m.Subject || '(no subject)',
    `<h1 class="subject">${escape(m.Subject || '(no subject)')}</h1>
<dl><dt>From</dt><dd class="from">${escape(m.From ? shown([m.From]) : '')}</dd><dt>To</dt><dd class="to">${escape(shown(m.To))}</dd>
<dt>Date</dt><dd>${escape(m.Created)}</dd><dt>Message-ID</dt><dd>${escape(m.MessageID)}</dd>
<dt>Source</dt><dd><a href="/api/v1/message/${encodeURIComponent(m.ID)}/raw">${escape(m.ID)}.eml</a></dd></dl>
<h2>HTML</h2>${html}
<h2>Text</h2><pre class="text">${escape(m.Text)}</pre>`,
  );
}

function send(response: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, {
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  response.end(body);
}

async function answer(mailbox: Mailbox, folder: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain; charset=utf-8', 'only GET\n');
  const { pathname } = new URL(request.url ?? '/', 'http://mail-page');
  const json = (value: unknown) => send(response, 200, 'application/json; charset=utf-8', JSON.stringify(value));
  const notFound = () => send(response, 404, 'text/plain; charset=utf-8', 'no such email\n');
  let match: RegExpExecArray | null;
  if (pathname === '/') return send(response, 200, 'text/html; charset=utf-8', listPage(folder, await mailbox.list()));
  if (pathname === '/livez' || pathname === '/readyz') return send(response, 200, 'text/plain; charset=utf-8', 'ok\n');
  if (pathname === '/api/v1/messages') {
    const messages = (await mailbox.list()).map(({ ID, MessageID, From, To, Subject, Created, Size, Snippet }) => ({ ID, MessageID, From, To, Subject, Created, Size, Snippet }));
    return json({ total: messages.length, count: messages.length, start: 0, messages });
  }
  if ((match = /^\/view\/([^/]+)$/.exec(pathname))) {
    const message = await mailbox.get(decodeURIComponent(match[1]!));
    return message ? send(response, 200, 'text/html; charset=utf-8', messagePage(message)) : notFound();
  }
  if ((match = /^\/api\/v1\/message\/([^/]+)\/raw$/.exec(pathname))) {
    const raw = await mailbox.raw(decodeURIComponent(match[1]!));
    return raw ? send(response, 200, 'text/plain; charset=utf-8', raw) : notFound();
  }
  if ((match = /^\/api\/v1\/message\/([^/]+)$/.exec(pathname))) {
    const message = await mailbox.get(decodeURIComponent(match[1]!));
    return message ? json(message) : notFound();
  }
  return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
}

/**
 * Serves the page for the emails in `folder` on `port` (0: any free one). When the port is taken
 * (the default 8025 by a Mailpit, say), any free port instead, unless `strictPort`.
 */
export async function startMailPage(options: { folder: string; port: number; host?: string; strictPort?: boolean }): Promise<MailPage> {
  const mailbox = new Mailbox(options.folder);
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((request, response) => {
    answer(mailbox, options.folder, request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', `could not read the emails: ${(error as Error).message}\n`);
      else response.destroy();
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listen(options.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.strictPort || options.port === 0) throw error;
    await listen(0);
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
