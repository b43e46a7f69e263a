// The mail dependency on its own: which way it sends, what it says at start, and that every
// failure comes out as its one expected exception, DeliveryFailed.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DeliveryFailed, Mail, type MailClient } from '../../src/dependencies/mail';
import { parseEmail } from '../support/mime';

const email = { id: '3f1c7a52-8a0e-4c55-9d1e-6b1f0c1d2e3f', to: 'ann@example.com', subject: 'Payment received: €15.00', text: 'Paid: €15.00', html: '<p>Paid: <b>€15.00</b></p>' };

/** A Mail provider set up with `config`, outside any container, and the lines it logged. */
async function mailWith(config: Record<string, unknown>): Promise<{ client: MailClient; logged: string[]; stop: () => Promise<void> }> {
  const logged: string[] = [];
  const logger = { info: (fields: object, message: string) => logged.push(`${message} ${JSON.stringify(fields)}`) };
  const provider = new Mail();
  provider.container = { config, logger, serviceName: 'messaging' } as never;
  await provider.setup();
  return { client: provider.getDependency(), logged, stop: () => provider.stop() };
}

/** A loopback port nothing listens on: connecting is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('without an SMTP host', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'messaging-mail-'));
  });

  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes each email as an .eml file under DATA_DIR/mail, and says so at start', async () => {
    const { client, logged, stop } = await mailWith({ DATA_DIR: dataDir });
    const folder = path.join(dataDir, 'mail');
    expect(logged[0]).toMatch(`no SMTP host: writing emails to ${folder}`);
    await expect(client.send(email)).resolves.toEqual({ messageId: `<${email.id}@platform.local>` });
    const files = fs.readdirSync(folder);
    expect(files).toEqual([expect.stringMatching(new RegExp(`^\\d{4}-.*-${email.id}\\.eml$`))]);
    const written = parseEmail(fs.readFileSync(path.join(folder, files[0]!)));
    expect(written).toMatchObject({ from: 'Platform <no-reply@platform.local>', to: 'ann@example.com', subject: email.subject, messageId: `<${email.id}@platform.local>` });
    expect(written.text.trim()).toBe(email.text);
    expect(written.html.trim()).toBe(email.html);
    await stop();
  });

  it('raises DeliveryFailed when the file cannot be written', async () => {
    fs.writeFileSync(path.join(dataDir, 'mail'), 'a file where the folder should be');
    const { client } = await mailWith({ DATA_DIR: dataDir });
    const error = (await client.send(email).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(DeliveryFailed);
    expect(error.message).toMatch(/could not write email/);
  });
});

describe('with an SMTP host', () => {
  it('says where it sends at start, never the password', async () => {
    const { logged } = await mailWith({ SMTP_HOST: 'mail.example.com', SMTP_PORT: '2525', SMTP_USER: 'platform', SMTP_PASSWORD: 's3cret' });
    expect(logged).toEqual([expect.stringMatching(/^sending email through SMTP mail\.example\.com:2525 /)]);
    expect(logged.join()).not.toContain('s3cret');
  });

  it('defaults the port to 587, or 465 when secure', async () => {
    expect((await mailWith({ SMTP_HOST: 'mail.example.com' })).logged[0]).toMatch('SMTP mail.example.com:587');
    expect((await mailWith({ SMTP_HOST: 'mail.example.com', SMTP_SECURE: 'true' })).logged[0]).toMatch('SMTP mail.example.com:465');
    await expect(mailWith({ SMTP_HOST: 'mail.example.com', SMTP_PORT: 'smtp' })).rejects.toThrow(/SMTP_PORT/);
  });

  it('raises DeliveryFailed, naming the server and the cause, when the server refuses the connection', async () => {
    const port = await closedPort();
    const { client } = await mailWith({ SMTP_HOST: '127.0.0.1', SMTP_PORT: port, MAIL_FROM: 'Shop <receipts@shop.example>' });
    const error = (await client.send(email).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(DeliveryFailed);
    expect(error.message).toMatch(new RegExp(`^SMTP 127\\.0\\.0\\.1:${port} did not take email ${email.id}: E[A-Z]+: .*ECONNREFUSED`));
  });
});
