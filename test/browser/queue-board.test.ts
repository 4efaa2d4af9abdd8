// bull-board at /admin/queues in real headless Chromium: without credentials the browser
// gets the Basic challenge (and, headless, no prompt); with the admin token as the Basic password (what a person
// types into the browser's prompt) the board loads, its own API calls pass the same check,
// and it lists the queues with a failed job's reason. Screenshot: test-artifacts/queue-board.png.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WorkerNode } from '../../workers/runtime.js';
import { launchBrowser, screenshot } from '../browser.js';
import { ADMIN_TOKEN, startServer, startTestWorkers, type TestServer } from '../helpers.js';

let srv: TestServer;
let workers: WorkerNode;
let browser: Browser;

beforeAll(async () => {
  srv = await startServer();
  workers = await startTestWorkers(srv.config);
  browser = await launchBrowser();
}, 60000);

afterAll(async () => {
  await browser?.close();
  await workers?.close();
  await srv?.close();
});

it('asks a browser for credentials, then shows the queues with the admin token as the Basic password', async () => {
  // Headless Chromium has no one to type into the prompt a Basic challenge opens: it gives up.
  const anonymous = await browser.newContext();
  await expect((await anonymous.newPage()).goto(`${srv.url}/admin/queues`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
  await anonymous.close();

  // A job whose payload the worker refuses lands in the failed set with its reason.
  const bad = await srv.app.core.queues.get('notify').add('notify', { appid: 'x' });
  await expect
    .poll(async () => (await srv.app.core.queues.get('notify').getJob(bad.id!))?.failedReason ?? '', { timeout: 5000 })
    .toMatch(/invalid notify\/notify payload/);

  const context = await browser.newContext({ httpCredentials: { username: 'ops', password: ADMIN_TOKEN }, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const apiStatuses: number[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/admin/queues/api/')) apiStatuses.push(r.status());
  });
  const res = await page.goto(`${srv.url}/admin/queues/queue/notify?status=failed`, { waitUntil: 'domcontentloaded' });
  expect(res?.status()).toBe(200);
  await page.getByText('invalid notify/notify payload').first().waitFor({ timeout: 15000 });
  for (const queue of ['rooms', 'dispatch', 'matchmaking']) await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 5000 });
  expect(apiStatuses.length).toBeGreaterThan(0);
  expect(apiStatuses.every((s) => s === 200)).toBe(true);
  await screenshot(page, 'queue-board');
  await context.close();
}, 60000);
