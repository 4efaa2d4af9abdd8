// The dashboard page in real headless Chromium: sign in with the app's credentials, then a
// course is started and a student enters it; both appear on the open page, pushed over the
// /dashboard namespace (the page never polls). No timing threshold here: how long each took
// is printed (the figure for "within a second" comes from `npm run bench -- dashboard`).
// The admin also gets the deployment's charts (uPlot): they gain points while load runs.
// Screenshots: test-artifacts/dashboard-*.png.
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerNode } from '../../workers/runtime.js';
import { launchBrowser, screenshot } from '../browser.js';
import { ADMIN_TOKEN, call, connect, createApp, issueToken, loginUser, startServer, startTestWorkers, type TestServer } from '../helpers.js';

/** The dashboard page's test hook (assets/dashboard/dashboard.js): each chart's uPlot, its data [x, ...series] and series. */
interface ChartsHook {
  dashboardCharts: { plot(id: string): { data: Array<Array<number | null>>; series: Array<{ label: string }> } | null };
}

let srv: TestServer;
let workers: WorkerNode;
let browser: Browser;
let app: { appid: string; secret: string };
let other: { appid: string; secret: string };

beforeAll(async () => {
  srv = await startServer({ DASHBOARD_QUEUES_INTERVAL_MS: 500, DASHBOARD_SAMPLE_MS: 250 });
  workers = await startTestWorkers(srv.config);
  app = await createApp(srv.url);
  other = await createApp(srv.url);
  browser = await launchBrowser();
}, 60000);

afterAll(async () => {
  await browser?.close();
  await workers?.close();
  await srv?.close();
});

async function openDashboard(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err));
  await page.goto(`${srv.url}/dashboard`);
  return page;
}

describe('dashboard page', () => {
  it('refuses wrong credentials with the server’s code', async () => {
    const page = await openDashboard();
    await page.fill('input[name=appid]', app.appid);
    await page.fill('input[name=secret]', 'wrong-secret');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#login-error')).toContain('APP_AUTH_FAILED');
    expect(await page.isVisible('#board')).toBe(false);
    await page.context().close();
  });

  it('shows a course started and a member joining live, without polling', async () => {
    const page = await openDashboard();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.fill('input[name=appid]', app.appid);
    await page.fill('input[name=secret]', app.secret);
    await page.click('button[type=submit]');
    await page.waitForSelector('#status.on');
    expect(await page.textContent('#who')).toContain(app.appid);
    expect(await page.isHidden('#charts')).toBe(true); // the deployment's charts are the admin's
    await page.waitForSelector('#rooms tbody tr.empty');

    const teacher = await loginUser(srv.url, app.appid, 'br-teacher', { role: 'teacher', name: 'Teacher' });
    const student = await loginUser(srv.url, app.appid, 'br-student', { role: 'student' });
    const course = (await call(srv.url, 'POST', '/v1/courses', { token: teacher, body: { title: 'physics' } })).body;
    const roomId = String(course.roomnum);
    const afterLogin = requests.length;

    // The course goes live: its row appears with state live.
    const t0 = performance.now();
    expect((await call(srv.url, 'POST', `/v1/courses/${roomId}/start`, { token: teacher })).status).toBe(200);
    const row = `#rooms tr[data-room="${roomId}"]`;
    await page.waitForSelector(`${row} .state-live`);
    const startedMs = performance.now() - t0;
    expect(await page.textContent(`${row} td:nth-child(3)`)).toBe('classroom');
    expect(await page.textContent(`${row} td:nth-child(5)`)).toBe('br-teacher');

    // A student enters: the member appears in the row and the count moves to 1.
    const t1 = performance.now();
    expect((await call(srv.url, 'POST', `/v1/courses/${roomId}/enter`, { token: student })).status).toBe(200);
    await page.waitForSelector(`${row} .chip[data-uid="br-student"]`);
    const joinedMs = performance.now() - t1;
    await expect.poll(() => page.textContent(`${row} td.members`)).toBe('1');
    console.log(
      `dashboard page: course start → row on the page ${startedMs.toFixed(0)} ms; member join → on the page ${joinedMs.toFixed(0)} ms (request sent → DOM, one machine)`,
    );

    // Nothing was fetched after the sign-in: the updates came over the socket.
    expect(requests.slice(afterLogin).filter((u) => !u.startsWith('ws'))).toEqual([]);
    // Another app's rooms never show up.
    const hostB = await loginUser(srv.url, other.appid, 'br-b-host');
    const roomB = (await call(srv.url, 'POST', '/v1/rooms', { token: hostB, body: {} })).body.roomId;
    await call(srv.url, 'POST', `/v1/rooms/${roomB}/join`, { token: hostB });
    await page.waitForSelector('#queues tbody tr[data-key="notify"]');
    expect(await page.$$(`#rooms tr[data-appid="${other.appid}"]`)).toEqual([]);
    console.log('screenshot:', await screenshot(page, 'dashboard-live'));

    // The student leaves: gone from the row.
    await call(srv.url, 'POST', `/v1/courses/${roomId}/leave`, { token: student });
    await page.waitForSelector(`${row} .chip[data-uid="br-student"]`, { state: 'detached' });
    await page.context().close();
  });

  it('shows a metered call with its running charge and elapsed time', async () => {
    const page = await openDashboard();
    await page.fill('input[name=appid]', app.appid);
    await page.fill('input[name=secret]', app.secret);
    await page.click('button[type=submit]');
    await page.waitForSelector('#status.on');
    const basic: [string, string] = [app.appid, app.secret];
    await loginUser(srv.url, app.appid, 'br-payer');
    await loginUser(srv.url, app.appid, 'br-payee');
    await call(srv.url, 'PUT', '/v1/billing/prices/default', { basic, body: { unitPrice: 250, unitSeconds: 60 } });
    await call(srv.url, 'POST', '/v1/billing/topups', { basic, body: { uid: 'br-payer', amount: 10_000, ref: 'br-1' } });
    const created = await call(srv.url, 'POST', '/v1/billing/calls', { basic, body: { callId: 'br-call', payer: 'br-payer', payee: 'br-payee' } });
    expect(created.body, JSON.stringify(created.body)).toMatchObject({ state: 'active' });
    const cells = await page
      .waitForSelector('#calls tr[data-call="br-call"]')
      .then(() => page.$$eval('#calls tr[data-call="br-call"] td', (tds) => tds.map((td) => td.textContent)));
    expect(cells.slice(1, 3)).toEqual(['br-call', 'br-payer → br-payee']);
    // A call a few seconds old: seconds, not the time since 1970.
    expect(cells.at(-1)).toMatch(/^\d{1,2}s$/);
    await call(srv.url, 'POST', '/v1/billing/calls/br-call/end', { basic, body: {} });
    await page.context().close();
  });

  it('the admin sees every app; after a dropped connection the page re-renders from the new snapshot', async () => {
    const page = await openDashboard();
    await page.check('input[name=mode][value=admin]');
    await page.fill('input[name=adminToken]', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('#status.on');
    // Rooms of both apps, with the app column shown.
    await page.waitForSelector(`#rooms tr[data-appid="${app.appid}"]`);
    await page.waitForSelector(`#rooms tr[data-appid="${other.appid}"]`);
    expect(await page.isVisible(`#rooms tr[data-appid="${other.appid}"] td.app-col`)).toBe(true);
    // Narrowed to one app.
    await page.selectOption('#app-filter', other.appid);
    await page.waitForSelector(`#rooms tr[data-appid="${app.appid}"]`, { state: 'detached' });
    console.log('screenshot:', await screenshot(page, 'dashboard-admin'));

    // The connection drops (a node restart, a network change); the page reconnects by itself and
    // renders the fresh snapshot, including a room opened meanwhile.
    for (const s of srv.app.io.of('/dashboard').sockets.values()) s.conn.close();
    const host = await loginUser(srv.url, other.appid, 'br-b-host2');
    const roomId = (await call(srv.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId;
    await page.waitForSelector(`#rooms tr[data-appid="${other.appid}"][data-room="${roomId}"]`);
    await page.waitForSelector('#status.on');
    expect(await page.inputValue('#app-filter')).toBe(other.appid);
    await page.context().close();
  });

  it('charts the deployment for the admin: the charts gain points while sockets, events and jobs run', async () => {
    const page = await openDashboard();
    await page.check('input[name=mode][value=admin]');
    await page.fill('input[name=adminToken]', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('#status.on');
    await page.waitForSelector('#charts .chart[data-chart="sockets"] .uplot');
    // uPlot's own data, read through the page's hook: [x, ...series], x in seconds.
    // (each page.evaluate function runs in the page: the hook's type is named inside it)
    const data = (id: string) => page.evaluate((chart) => (globalThis as unknown as ChartsHook).dashboardCharts.plot(chart)?.data ?? [[]], id);
    const labels = (id: string) =>
      page.evaluate((chart) => ((globalThis as unknown as ChartsHook).dashboardCharts.plot(chart)?.series ?? []).slice(1).map((s) => s.label), id);
    const last = async (id: string, series = 1) => (await data(id))[series]?.at(-1) ?? null;
    await expect.poll(async () => (await data('sockets'))[0]!.length, { timeout: 10000 }).toBeGreaterThan(0);
    const before = (await data('sockets'))[0]!.length;
    expect(await page.$$eval('#charts .chart', (cards) => cards.length)).toBe(12);

    // Load: 20 sockets connect and ping, 30 notify jobs go through the worker.
    const sockets: Socket[] = [];
    for (let i = 0; i < 20; i++) sockets.push((await connect(srv.url, await issueToken(srv.url, app, `chart-${i}`))).socket);
    for (let round = 0; round < 3; round++) await Promise.all(sockets.map((s) => s.emitWithAck('session.ping', {})));
    for (let i = 0; i < 30; i++)
      await srv.app.core.queues.add('notify', 'notify', { appid: app.appid, to: { user: `chart-${i % 20}` }, event: 'chart.load', data: { i } });

    await expect.poll(() => last('sockets'), { timeout: 15000 }).toBe(20);
    await expect.poll(async () => Math.max(...(await data('events'))[1]!.map((v) => v ?? 0)), { timeout: 15000 }).toBeGreaterThan(0);
    await expect.poll(() => labels('completed'), { timeout: 15000 }).toContain('notify');
    const during = (await data('sockets'))[0]!.length;
    expect(during).toBeGreaterThan(before);
    expect(Number(await page.getAttribute('#charts .chart[data-chart="sockets"]', 'data-points'))).toBeGreaterThanOrEqual(during);
    console.log(`dashboard charts: ${before} points at sign-in, ${during} after the load; screenshot:`, await screenshot(page, 'dashboard-charts'));

    // The sockets leave: the line comes back down, and the chart keeps gaining points.
    for (const s of sockets) s.close();
    await expect.poll(() => last('sockets'), { timeout: 15000 }).toBe(0);
    expect((await data('sockets'))[0]!.length).toBeGreaterThan(during);
    expect(Math.max(...(await data('churn'))[2]!.map((v) => v ?? 0))).toBeGreaterThan(0); // sockets out
    console.log('screenshot:', await screenshot(page, 'dashboard-charts-after'));
    await page.context().close();
  });
});
