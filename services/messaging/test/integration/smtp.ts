// A real SMTP server on loopback (the smtp-server package), keeping every email it receives, and
// able to go down (connections refused) and come back up on the same port.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type ParsedEmail, parseEmail } from '../support/mime';

export interface Received extends ParsedEmail {
  /** RCPT TO addresses: where the server was asked to deliver it. */
  recipients: string[];
}

export class TestSmtpServer {
  readonly received: Received[] = [];
  port = 0;
  private server?: SMTPServer;

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const recipients = session.envelope.rcptTo.map((r) => r.address);
          this.received.push({ ...parseEmail(Buffer.concat(chunks)), recipients });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Down: from now on connections to the port are refused. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The emails received so far that mention `text` anywhere (recipient, subject or body). */
  about(text: string): Received[] {
    return this.received.filter((email) => JSON.stringify(email).includes(text));
  }
}
