// The mail page of `npm start` (no SMTP_HOST), in a real headless Chromium: a customer registers,
// the welcome email is listed (newest first) and opens, with its text and its HTML, rendered in a
// sandbox; an email with hostile HTML and headers runs no script and shows its markup as text. A
// screenshot of each page is saved under tmp/mail-page/ and checked to be a picture, not a blank.
// Chromium is Debian's (`apt-get install chromium`; .ci/run installs it), driven by playwright-core
// (which downloads no browser); CHROMIUM_PATH names another binary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type RunningPlatform, spawnPlatform } from './spawn-platform';

const root = path.resolve(__dirname, '..', '..', '..');
const screenshots = path.join(root, 'tmp', 'mail-page');
const browserPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => file && fs.existsSync(file));
if (!browserPath) {
  console.warn('SKIPPED: the mail page test needs Chromium, and there is none (apt-get install chromium, as .ci/run does, or set CHROMIUM_PATH)');
}
const withBrowser = browserPath ? describe : describe.skip;

/** The screenshot is a PNG of the page's size with more than a few colours: something was drawn. */
async function expectPicture(browser: Browser, file: string): Promise<void> {
  const png = fs.readFileSync(file);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.readUInt32BE(16)).toBe(1024); // IHDR width
  expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(600); // IHDR height
  expect(png.length).toBeGreaterThan(10_000);
  // Decoded by Chromium itself on a page of its own: how many colours, and how much is not white.
  const page = await browser.newPage();
  try {
    // (A script's text: this project's types have no DOM.)
    const { colours, inked } = (await page.evaluate(`(async () => {
      const image = new Image();
      image.src = ${JSON.stringify(`data:image/png;base64,${png.toString('base64')}`)};
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, image.width, image.height);
      const seen = new Set();
      let notWhite = 0;
      for (let i = 0; i < data.length; i += 4) {
        seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        if (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240) notWhite++;
      }
      return { colours: seen.size, inked: notWhite / (data.length / 4) };
    })()`)) as { colours: number; inked: number };
    expect(colours).toBeGreaterThan(20);
    expect(inked).toBeGreaterThan(0.02);
  } finally {
    await page.close();
  }
}

async function waitForMessages(url: string, count: number): Promise<{ ID: string; Subject: string }[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const list = (await (await fetch(`${url}/api/v1/messages`)).json()) as { messages: { ID: string; Subject: string }[] };
    if (list.messages.length >= count) return list.messages;
    if (Date.now() > deadline) throw new Error(`the mail page listed ${list.messages.length} emails, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

withBrowser('the mail page of npm start, in Chromium', () => {
  let dir: string;
  let platform: RunningPlatform;
  let mailUrl: string;
  let webUrl: string;
  let browser: Browser;
  let page: Page;
  const scriptsRun: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mail-page-'));
    fs.rmSync(screenshots, { recursive: true, force: true });
    fs.mkdirSync(screenshots, { recursive: true });
    platform = spawnPlatform({ DATA_DIR: path.join(dir, 'data'), STRIPE_EMULATOR_PORT: '0', PASSWORD_SCRYPT_COST: '1024' });
    const banner = await platform.waitFor(/platform ready/);
    mailUrl = /^\s+mail page\s+(http:\/\/\S+) lists the emails/m.exec(banner)![1]!;
    webUrl = /^\s+web\s+(http:\/\/\S+) for/m.exec(banner)![1]!;
    browser = await chromium.launch({ executablePath: browserPath!, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1024, height: 600 } });
    // A script that ran anywhere (the page, or an email's HTML) would say so here.
    page.on('console', (message) => scriptsRun.push(message.text()));
    page.on('dialog', (dialog) => {
      scriptsRun.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (platform && platform.child.exitCode === null) {
      platform.child.kill('SIGTERM');
      await platform.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says where it is in the banner, and shows an empty mailbox before any email', async () => {
    expect(platform.output()).toMatch(/^ {2}mail page {4}http:\/\/127\.0\.0\.1:\d+ lists the emails sent, newest first/m);
    await page.goto(mailUrl);
    expect(await page.textContent('main')).toContain('No emails yet');
  });

  it('lists the welcome email of a new customer, and opens it with its text and HTML', async () => {
    const registered = await fetch(`${webUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ann@example.com', name: 'Ann', password: 'correct horse battery' }),
    });
    expect(registered.status).toBe(201);
    const [welcome] = await waitForMessages(mailUrl, 1);
    expect(welcome!.Subject).toBe('Welcome to the platform, Ann');

    await page.goto(mailUrl);
    const row = page.locator('tr.message').first();
    expect(await row.locator('td.subject').textContent()).toBe('Welcome to the platform, Ann');
    expect(await row.locator('td.to').textContent()).toBe('ann@example.com');
    expect(await row.locator('td.from').textContent()).toContain('no-reply@platform.local');
    await page.screenshot({ path: path.join(screenshots, 'list.png'), fullPage: false });
    await expectPicture(browser, path.join(screenshots, 'list.png'));

    await row.locator('td.subject a').click();
    await page.waitForURL(/\/view\//);
    expect(await page.textContent('h1.subject')).toBe('Welcome to the platform, Ann');
    expect(await page.textContent('pre.text')).toContain('Ann');
    // The HTML part, rendered inside the sandboxed frame.
    const frame = page.frameLocator('iframe[sandbox]');
    expect(await frame.locator('body').textContent()).toContain('Ann');
    expect(await page.getAttribute('iframe', 'sandbox')).toBe('');
    await page.screenshot({ path: path.join(screenshots, 'welcome.png'), fullPage: false });
    await expectPicture(browser, path.join(screenshots, 'welcome.png'));
  });

  it('runs no script of an email and shows its headers as text', async () => {
    const hostile = [
      'From: "<img src=x onerror=alert(1)>" <evil@example.com>',
      'To: ann@example.com',
      'Subject: <script>console.log("subject script ran")</script>Hello',
      'Date: Thu, 01 Jan 2037 00:00:00 +0000',
      'Message-ID: <hostile@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      '</pre><script>console.log("text script ran")</script>',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p id="shown">hostile html</p><script>console.log("html script ran"); alert(2)</script><img src="x" onerror="console.log(\'onerror ran\')"><img src="http://127.0.0.1:1/pixel.png">',
      '--b--',
      '',
    ].join('\r\n');
    fs.writeFileSync(path.join(dir, 'data', 'mail', '2037-01-01T00-00-00-000Z-hostile.eml'), hostile);

    await page.goto(mailUrl);
    // Newest first: dated 2037, it heads the list, its subject as text.
    const first = page.locator('tr.message').first();
    expect(await first.locator('td.subject').textContent()).toBe('<script>console.log("subject script ran")</script>Hello');
    expect(await first.locator('td.from').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('tr.message').nth(1).locator('td.subject').textContent()).toBe('Welcome to the platform, Ann');

    await first.locator('td.subject a').click();
    await page.waitForURL(/\/view\//);
    expect(await page.textContent('pre.text')).toContain('</pre><script>');
    expect(await page.frameLocator('iframe[sandbox]').locator('#shown').textContent()).toBe('hostile html');
    await page.waitForTimeout(500);
    expect(scriptsRun.filter((text) => /ran|dialog/.test(text))).toEqual([]);
    expect(await page.locator('script').count()).toBe(0);
  });

  it('answers Mailpit’s API calls, and refuses paths outside its folder', async () => {
    const list = await waitForMessages(mailUrl, 2);
    const welcome = list.find((m) => m.Subject.startsWith('Welcome'))!;
    const message = (await (await fetch(`${mailUrl}/api/v1/message/${welcome.ID}`)).json()) as { Text: string; HTML: string; To: { Address: string }[] };
    expect(message.To).toEqual([{ Name: '', Address: 'ann@example.com' }]);
    expect(message.HTML).toContain('Ann');
    const page = await fetch(`${mailUrl}/view/${welcome.ID}`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    for (const sneaky of ['/view/..%2F..%2Fetc%2Fpasswd', '/api/v1/message/..%2Fkeys%2Fusers.key/raw']) {
      expect((await fetch(`${mailUrl}${sneaky}`)).status).toBe(404);
    }
  });
});
