// The mail dependency: nodemailer behind a client in the service's language, `send(email)`, whose
// one expected exception is DeliveryFailed, whatever nodemailer raised. With SMTP_HOST it sends
// over SMTP; without, it writes each email as an .eml file under <DATA_DIR or ./data>/mail/, for
// running the platform where there is no mail server.
//
// Config: SMTP_HOST, SMTP_PORT (default 587, or 465 when secure), SMTP_SECURE (TLS from the first
// byte; otherwise STARTTLS when the server offers it), SMTP_USER / SMTP_PASSWORD (optional),
// MAIL_FROM (default `"Platform" <no-reply@platform.local>`).
import fs from 'node:fs/promises';
import path from 'node:path';
import { DependencyProvider } from '@platform/shimeji';
import { inSpan } from '@platform/shimeji/tracing';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';

/** The mail server refused the email or could not be reached (or the file could not be written): it did not leave. */
export class DeliveryFailed extends Error {}

export interface OutgoingEmail {
  /** The record's id; the email's Message-ID is `<id@sender's domain>`, to find it in the server's log. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Sent {
  messageId: string;
}

export const DEFAULT_FROM = '"Platform" <no-reply@platform.local>';

// A worker waits this long at most for the server: a dead server fails the attempt, never hangs it.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

function describe(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return [code, message ?? String(error)].filter(Boolean).join(': ');
}

export class MailClient {
  readonly DeliveryFailed = DeliveryFailed;

  constructor(
    private readonly transporter: Transporter,
    private readonly from: string,
    /** Where emails go, for error messages: `SMTP host:port` or the folder. */
    private readonly destination: string,
    /** Set when emails are written as files rather than sent. */
    private readonly folder?: string,
  ) {}

  async send(email: OutgoingEmail): Promise<Sent> {
    const domain = /@([^>\s]+)/.exec(this.from)?.[1] ?? 'platform.local';
    const messageId = `<${email.id}@${domain}>`;
    const message: SendMailOptions = { from: this.from, to: email.to, subject: email.subject, text: email.text, html: email.html, messageId };
    let info: { message?: unknown };
    try {
      info = await inSpan('smtp send', { 'peer.service': 'smtp', 'shimeji.mail.destination': this.destination }, () => this.transporter.sendMail(message));
    } catch (error) {
      throw new DeliveryFailed(`${this.destination} did not take email ${email.id}: ${describe(error)}`);
    }
    if (this.folder) await this.write(email.id, info.message as Buffer);
    return { messageId };
  }

  private async write(id: string, content: Buffer): Promise<void> {
    const file = path.join(this.folder!, `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.eml`);
    try {
      await fs.mkdir(this.folder!, { recursive: true });
      await fs.writeFile(file, content);
    } catch (error) {
      throw new DeliveryFailed(`could not write email ${id} to ${file}: ${describe(error)}`);
    }
  }

  close(): void {
    this.transporter.close();
  }
}

const isTrue = (value: unknown): boolean => value === true || String(value).toLowerCase() === 'true' || value === '1' || value === 1;

/** `mail = inject(new Mail())`, then `await this.mail.send({ id, to, subject, text, html })`. */
export class Mail extends DependencyProvider<MailClient> {
  private client!: MailClient;

  override async setup(): Promise<void> {
    const { config, logger } = this.container;
    const from = String(config.MAIL_FROM ?? DEFAULT_FROM);
    const host = config.SMTP_HOST ? String(config.SMTP_HOST) : undefined;
    if (!host) {
      const folder = path.resolve(String(config.DATA_DIR ?? './data'), 'mail');
      this.client = new MailClient(nodemailer.createTransport({ streamTransport: true, buffer: true }), from, folder, folder);
      logger.info({ folder }, `no SMTP host: writing emails to ${folder}`);
      return;
    }
    const secure = isTrue(config.SMTP_SECURE);
    const port = Number(config.SMTP_PORT ?? (secure ? 465 : 587));
    if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`SMTP_PORT must be a port number, got ${JSON.stringify(config.SMTP_PORT)}`);
    const user = config.SMTP_USER ? String(config.SMTP_USER) : undefined;
    const auth = user ? { user, pass: String(config.SMTP_PASSWORD ?? '') } : undefined;
    const transporter = nodemailer.createTransport({ host, port, secure, ...(auth ? { auth } : {}), ...TIMEOUTS });
    this.client = new MailClient(transporter, from, `SMTP ${host}:${port}`);
    logger.info({ smtp: `${host}:${port}`, secure, user }, `sending email through SMTP ${host}:${port}`);
  }

  override async stop(): Promise<void> {
    this.client?.close();
  }

  override async kill(): Promise<void> {
    this.client?.close();
  }

  getDependency(): MailClient {
    return this.client;
  }
}
