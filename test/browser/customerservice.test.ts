// The two widgets of seed 004 §4.2 in real headless Chromium: a site pastes both snippets;
// a customer clicks 在线咨询 and asks; two seats, logged in through 登录坐席, both see the
// consultation; the first reply wins and reaches the customer; the second seat is told who
// took the customer and its own reply is refused. Screenshots: test-artifacts/cs-*.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerNode } from '../../workers/runtime.js';
import { launchBrowser, screenshot } from '../browser.js';
import { call, createApp, listenLocal, startServer, startTestWorkers, type Local, type TestServer } from '../helpers.js';

let srv: TestServer;
let workers: WorkerNode;
let browser: Browser;
let host: Local;
let hostUrl: string;
let app: { appid: string; secret: string };

beforeAll(async () => {
  srv = await startServer({ PRESENCE_GRACE_MS: 1000, PRESENCE_SWEEP_INTERVAL_MS: 200 });
  workers = await startTestWorkers(srv.config);
  app = await createApp(srv.url, { name: '示例网站' });
  const basic: [string, string] = [app.appid, app.secret];
  expect((await call(srv.url, 'PUT', `/v1/apps/${app.appid}/customerservice/robot`, { basic, body: { nickname: '小微客服' } })).status).toBe(200);
  for (const nickname of ['客服小王', '客服小李']) {
    expect(
      (await call(srv.url, 'POST', `/v1/apps/${app.appid}/customerservice/seats`, { basic, body: { nickname, password: 'seat-pass-1' } })).status,
    ).toBe(201);
  }
  // The customer's site, on another origin, with both snippets pasted inside <script></script> as §4.2 says.
  const consult = await (await fetch(`${srv.url}/LiveVideoServer/js/consult.js?appId=${app.appid}`)).text();
  const seat = await (await fetch(`${srv.url}/LiveVideoServer/js/seat.js`)).text();
  const page = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>示例网站</title></head>
<body style="font-family: sans-serif; margin: 40px"><h1>示例网站首页</h1><p>这是一个粘贴了客服代码的第三方网页。</p>
<script>
${consult}
${seat}
</script></body></html>`;
  host = await listenLocal((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
  hostUrl = `${host.url}/`;
  browser = await launchBrowser();
}, 60000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await workers?.close();
  await srv?.close();
});

/** Opens the host site in a fresh browser profile and clicks one of the pasted buttons; resolves with the popup. */
async function openFromSnippet(buttonId: string): Promise<{ site: Page; popup: Page }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 }, locale: 'zh-CN' });
  const site = await context.newPage();
  await site.goto(hostUrl);
  const [popup] = await Promise.all([site.waitForEvent('popup'), site.click(`[id="${buttonId}"]`)]);
  await popup.waitForLoadState();
  return { site, popup };
}

async function seatLogin(nickname: string): Promise<Page> {
  const { popup } = await openFromSnippet('com.vtc365.SeatLogin');
  expect(popup.url()).toBe(`${srv.url}/LiveVideoServer/chat4tp.do`);
  await popup.fill('#appId', app.appid);
  await popup.fill('#nickname', nickname);
  await popup.fill('#password', 'seat-pass-1');
  await popup.click('#login-btn');
  await popup.getByText('已上线，等待客户咨询').waitFor();
  await popup.getByText(nickname, { exact: false }).first().waitFor();
  return popup;
}

describe('customer-service widgets in Chromium', () => {
  it('a customer asks, two seats see it, the first reply wins, the second seat is told', async () => {
    // The host page shows both floating buttons, with the icon served by Switchboard.
    const { site } = await openFromSnippet('com.vtc365.OnlineConsultation').then(async (r) => {
      await r.popup.close();
      return r;
    });
    await expect(site.locator('[id="com.vtc365.OnlineConsultation"]').textContent()).resolves.toContain('在线咨询');
    await expect(site.locator('[id="com.vtc365.SeatLogin"]').textContent()).resolves.toContain('登录坐席');
    const iconLoaded = await site
      .locator('[id="com.vtc365.OnlineConsultation"] img')
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 28);
    expect(iconLoaded).toBe(true);
    await screenshot(site, 'cs-1-host-page-with-both-snippets');

    const wang = await seatLogin('客服小王');
    const li = await seatLogin('客服小李');

    const { popup: customer } = await openFromSnippet('com.vtc365.OnlineConsultation');
    expect(customer.url()).toBe(`${srv.url}/LiveVideoServer/chat4help.jsp?appId=${app.appid}`);
    await customer.getByText('在线咨询 · 小微客服').waitFor();
    await customer.locator('#send:not([disabled])').waitFor();
    await customer.fill('#text', '你好，请问怎么开通直播？');
    await customer.click('#send');
    await customer.getByText('已收到您的咨询，正在为您接通客服…').waitFor();

    // Both seats see the consultation, waiting, with the customer's message.
    for (const seat of [wang, li]) {
      const item = seat.locator('#customers li[data-state="waiting"]');
      await item.waitFor();
      await item.click();
      await seat.locator('#messages').getByText('你好，请问怎么开通直播？').waitFor();
    }
    await screenshot(customer, 'cs-2-customer-asked');
    await screenshot(wang, 'cs-3-seat-wang-sees-the-consultation');
    await screenshot(li, 'cs-4-seat-li-sees-the-consultation');

    // 客服小王 replies first and takes the customer over.
    await wang.fill('#reply-text', '您好，我是客服小王，请问您的账号是？');
    await wang.click('#reply-send');
    await wang.getByText(/您已接管客户/).waitFor();
    await wang.locator('#customers li[data-state="mine"]').waitFor();
    await customer.locator('.msg[data-from="seat"]').getByText('您好，我是客服小王，请问您的账号是？').waitFor();
    await customer.getByText('客服「客服小王」正在为您服务').waitFor();

    // 客服小李 is told who took it; its own late reply is refused with that reason.
    await li.locator('#customers li[data-state="taken"]').waitFor();
    await li
      .getByText(/已被坐席「客服小王」接管/)
      .first()
      .waitFor();
    await screenshot(li, 'cs-5-seat-li-told-taken-over');
    await li.fill('#reply-text', '您好，我是客服小李');
    await li.click('#reply-send');
    await li
      .locator('#notice.error')
      .getByText(/回复失败: 客户 .* 已被坐席「客服小王」接管/)
      .waitFor();
    await screenshot(li, 'cs-6-seat-li-reply-refused');
    expect(await customer.locator('.msg[data-from="seat"]').count()).toBe(1);

    // One-to-one from now on: the customer's next message reaches 小王 only.
    await customer.fill('#text', '账号是 demo123');
    await customer.click('#send');
    await wang.locator('#messages').getByText('账号是 demo123').waitFor();
    await screenshot(customer, 'cs-7-customer-talking-with-wang');
    await screenshot(wang, 'cs-8-seat-wang-one-to-one');
    await li.locator('#customers li[data-state="taken"]').click();
    expect(await li.locator('#messages').getByText('账号是 demo123').count()).toBe(0);

    // 客服小王 signs out (退出): the customer returns to the pool and 客服小李 takes over with the history.
    await wang.click('#logout');
    await wang.locator('#login').waitFor();
    await customer.getByText('客服「客服小王」已离线，正在为您转接其他客服…').waitFor();
    const back = li.locator('#customers li[data-state="waiting"]');
    await back.waitFor();
    await back.click();
    await li.locator('#messages').getByText('账号是 demo123').waitFor();
    await li
      .locator('#messages')
      .getByText(/坐席「客服小王」已离线/)
      .waitFor();
    await li.fill('#reply-text', '您好，我是客服小李，由我继续为您服务');
    await li.click('#reply-send');
    await customer.getByText('客服「客服小李」正在为您服务').waitFor();
    await customer.locator('.msg[data-from="seat"]').getByText('由我继续为您服务', { exact: false }).waitFor();
    await screenshot(li, 'cs-9-seat-li-took-over-after-wang-left');
    await screenshot(customer, 'cs-10-customer-back-with-li');
  }, 90000);
});
