// Dashboard latency (issue 8: "a course started and a member joining appear on the open
// page within a second"): the /dashboard page open in real headless Chromium, signed in
// with the app's credentials; a teacher starts a course, then BENCH_JOINS students enter
// it one by one (POST /v1/courses/:n/enter, BENCH_GAP_MS apart). For each join:
//   request sent → the room.member.joined event at a dashboard socket (socket.io-client here)
//   request sent → the member rendered on the page (a MutationObserver in the page notes
//                  Date.now() when the member's chip appears; same machine, same clock)
//   publish (the event's `at`, server clock) → rendered on the page
// One api process on a throwaway Redis, default socket adapter (joins need no worker).
//   BENCH_JOINS (default 20)  BENCH_GAP_MS (default 200)
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { io as ioc } from 'socket.io-client';
import { createBenchApp, ensureChromium, freePort, json, sleep, startRedis, startServerProc } from './lib/harness.js';
import { fmt, printTable, summary } from './lib/stats.js';

const JOINS = Number(process.env.BENCH_JOINS ?? 20);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 200);
const ADMIN = 'bench-admin-token-0123456789';

const redis = await startRedis();
const env = {
  REDIS_URL: redis.url,
  ADMIN_TOKEN: ADMIN,
  KEY_PREFIX: 'bdash',
  QUEUE_PREFIX: 'bqdash',
  LOG_LEVEL: 'warn',
  PORT: String(await freePort()),
};
const server = await startServerProc('switchboard', env);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? ensureChromium(),
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
});
try {
  const { appid, secret, token } = await createBenchApp(server.url, ADMIN);
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  // The page, signed in, with an observer noting when each member's chip appears.
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/dashboard`);
  await page.fill('input[name=appid]', appid);
  await page.fill('input[name=secret]', secret);
  await page.click('button[type=submit]');
  await page.waitForSelector('#status.on');
  // Page code as strings: this script compiles without the DOM library.
  await page.evaluate(`
    window.__seen = {};
    new MutationObserver(() => {
      for (const chip of document.querySelectorAll('#rooms .chip[data-uid]')) window.__seen[chip.dataset.uid] ??= Date.now();
    }).observe(document.getElementById('rooms'), { childList: true, subtree: true });
  `);
  // A dashboard socket beside the page: when the event itself arrives.
  const socket = ioc(`${server.url}/dashboard`, { transports: ['websocket'], auth: { appid, secret } });
  await new Promise((r) => socket.once('dashboard.snapshot', r));
  const arrived = new Map<string, { at: number; publishedAt: number }>();
  socket.on('room.member.joined', (e: { uid: string; at: number }) => arrived.set(e.uid, { at: Date.now(), publishedAt: e.at }));

  const teacher = await token('teacher', { role: 'teacher' });
  const students = await Promise.all(Array.from({ length: JOINS }, (_, i) => token(`s${i + 1}`, { role: 'student' })));
  const course = await json<{ roomnum: number }>(`${server.url}/v1/courses`, {
    method: 'POST',
    headers: bearer(teacher),
    body: JSON.stringify({ title: 'bench' }),
  });
  const t0 = Date.now();
  await json(`${server.url}/v1/courses/${course.roomnum}/start`, { method: 'POST', headers: bearer(teacher), body: '{}' });
  await page.waitForSelector(`#rooms tr[data-room="${course.roomnum}"] .state-live`);
  const startMs = Date.now() - t0; // includes Playwright's own wait

  const toSocket: number[] = [];
  const toPage: number[] = [];
  const publishToPage: number[] = [];
  for (let i = 0; i < JOINS; i++) {
    const uid = `s${i + 1}`;
    const sent = Date.now();
    await json(`${server.url}/v1/courses/${course.roomnum}/enter`, { method: 'POST', headers: bearer(students[i]!), body: '{}' });
    await page.waitForFunction(`window.__seen[${JSON.stringify(uid)}] !== undefined`);
    const rendered = (await page.evaluate(`window.__seen[${JSON.stringify(uid)}]`)) as number;
    const got = arrived.get(uid);
    if (got) {
      toSocket.push(got.at - sent);
      publishToPage.push(rendered - got.publishedAt);
    }
    toPage.push(rendered - sent);
    await sleep(GAP_MS);
  }
  socket.close();
  await page.screenshot({ path: join(process.cwd(), '.bench', 'dashboard.png'), fullPage: true }).catch(() => undefined);

  console.log(
    `- dashboard: the /dashboard page in headless Chromium (${browser.version()}), signed in with the app secret; ${JOINS} students enter a live course ${GAP_MS} ms apart over HTTP; one api process, default socket adapter; node ${process.version}`,
  );
  console.log(`- course start → its row live on the page: ${startMs} ms (includes Playwright's wait)`);
  const row = (path: string, v: number[]) => {
    const s = summary(v);
    return { path, joins: s.n, 'p50 ms': fmt(s.p50), 'p99 ms': fmt(s.p99), 'max ms': fmt(s.max) };
  };
  printTable('**member join → dashboard**', [
    row('join request sent → room.member.joined at a dashboard socket', toSocket),
    row('join request sent → member rendered on the page', toPage),
    row('event published (server) → member rendered on the page', publishToPage),
  ]);
  const p99 = summary(toPage).p99;
  console.log(`- goal: a join appears on the page within a second — ${p99 <= 1000 ? 'met' : 'NOT met'} (p99 ${fmt(p99)} ms)`);
} finally {
  await browser.close();
  await server.stop();
  await redis.stop();
}
