// Seed 004 §3.2's web JavaScript SDK in real headless Chromium (fake camera), on a real
// server and Redis. The pages come from another origin (the app's site) and include, as the
// document's pages do, jQuery, vtcUtil.js, base64.js and then the SDK files from
// /LiveVideoServer/js/, and use only the document's calls:
//   1. web IM: third-party users (one registered from the page: checkTime + register with a
//      secret computed in the page; one by the app's backend) log in with vtc3pman.login, then
//      VtcWebIm.login; setStatus in handleConnected; each sees the other's presence; messages
//      both ways; a message sent while the recipient is away arrives at its next login
//      (after handleConnected, marked delayed); a backend disconnect arrives as an <iq>.
//   2. an unknown third-party id: fail('IdNotFoud') (the document's spelling).
//   3. live: vtcman.login, vtcvideoweb.start, the fake camera through getDevList /
//      getColorSpaces / getResolutions, a playing preview, WHIP publishing to a stub
//      endpoint (the offer checked, a real answer applied; a broken answer leaves the
//      preview on), m_listVideoByUid before and after stopVideo + stop, videoPlay, logout.
// Screenshots: test-artifacts/websdk-*.png.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSignature } from '../../src/modules/appauth/service.js';
import { launchBrowser, screenshot } from '../browser.js';
import { call, createApp, listenLocal, startServer, until, type Local, type TestServer } from '../helpers.js';

const APP_TOKEN = 'websdk-app-token-0123456789';
let srv: TestServer;
let app: { appid: string; secret: string };
let site: Local; // the app's web site (another origin)
let whip: Local; // the media cloud's WHIP ingest endpoint (a third origin)
let browser: Browser;
const contexts: BrowserContext[] = [];

interface WhipRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}
const whipRequests: WhipRequest[] = [];
/** How the stub answers a POSTed offer: a real SDP answer from a receiving page, or a broken one. */
let whipMode: 'answer' | 'broken' = 'answer';
let answerer: Page;

const B = () => `${srv.url}/LiveVideoServer/js/`;
const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/** The document's includes: jQuery, vtcUtil.js, base64.js, then the SDK files. */
function head(sdk: string[]): string {
  return ['jquery-2.1.3.min.js', 'vtcUtil.js', 'base64.js', ...sdk]
    .map((f) => `<script src="${B()}${f}" type="text/javascript"></script>`)
    .join('\n');
}

function imPage(): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>WebIM</title>
${head(['vtc3p.min.js', 'webImLogin.min.js'])}
</head><body><h1>WebIM</h1><ol id="log"></ol>
<script>
var CFG = ${json({ appId: app.appid, appToken: APP_TOKEN })};
var vtc3p = new vtc3pman();
var webim = new VtcWebIm();
var events = [];
var ser = new XMLSerializer();
function text(doc, name) { var e = doc.getElementsByTagName(name)[0]; return e ? e.textContent : null; }
function record(type, doc, extra) {
  var e = { type: type };
  if (doc) {
    var root = doc.documentElement;
    e.isXml = doc instanceof XMLDocument;
    e.xml = ser.serializeToString(doc);
    e.from = root.getAttribute('from');
    e.stanzaType = root.getAttribute('type');
  }
  for (var k in extra || {}) e[k] = extra[k];
  events.push(e);
  var li = document.createElement('li');
  li.textContent = type + (doc ? ' ' + e.xml : '');
  document.getElementById('log').appendChild(li);
}
var handler = {
  handleConnected: function () { record('connected'); webim.setStatus('在线 <ok> & "ready"'); },
  handleDisconnect: function () { record('disconnect'); },
  handleConError: function (e) { record('conerror', null, { isError: e instanceof Error, message: e.message, code: e.code }); },
  handlePresence: function (doc) { record('presence', doc, { status: text(doc, 'status') }); },
  handleMessage: function (doc) {
    record('message', doc, { body: text(doc, 'body'), delayed: doc.getElementsByTagNameNS('urn:xmpp:delay', 'delay').length === 1 });
  },
  handleIQSet: function (doc) { record('iq', doc, { event: doc.getElementsByTagName('notice')[0].getAttribute('event'), code: text(doc, 'code') }); }
};
// §3.2.1.3: synchronise, then sign with the appToken (md5 of appId, timestamp, appToken).
function register(thirdPartyId, pass) {
  vtc3p.checkTime();
  var timestamp = new Date().getTime() + vtc3p.timediff;
  var secret = vtcUtil.md5("appId=" + CFG.appId + "&timestamp=" + timestamp + "&appToken=" + CFG.appToken);
  vtc3p.register(CFG.appId, timestamp, secret, thirdPartyId, pass, function (user) { window.registered = user; }, function (r) { window.registerFail = r; });
}
// §3.2.1.2 then §3.2.2.1 with what the login gave.
function loginIm(thirdPartyId, pass) {
  vtc3p.login(CFG.appId, thirdPartyId, pass, function (user) {
    window.user = user;
    webim.login(user.userId, user.password, handler);
  }, function (reason) { window.loginFail = reason; });
}
</script></body></html>`;
}

function livePage(): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>直播</title>
${head(['vtcVideo.min.js'])}
</head><body><h1>直播</h1>
<div id="preview" data-ingest="${whip.url}/whip/live" style="width: 640px; height: 480px; background: #000"></div>
<script>
var CFG = ${json({ appId: app.appid })};
var vtcman = new vtcman();
var vtcvideo = new vtcvideo(document.getElementById('preview'));
var vtcvideoweb = new vtcvideoweb();
var log = {};
function login(thirdId, pass) {
  vtcman.login(CFG.appId, thirdId, pass, function (user) { log.user = user; }, function (r) { log.loginFail = r; });
}
// §3.2.3.3: start, and in its success callback the camera with a device and resolution from vtcvideo.
function goLive(title) {
  vtcvideoweb.start(function (v) {
    log.started = v;
    var dev = vtcvideo.getDevList()[0];
    var colorSpaces = vtcvideo.getColorSpaces(dev);
    var resolutions = vtcvideo.getResolutions(dev, colorSpaces);
    log.camera = { dev: dev, colorSpaces: colorSpaces, resolutions: resolutions };
    vtcvideo.startVideo(dev, resolutions.indexOf('640x480') >= 0 ? '640x480' : resolutions[0], v.url);
  }, function (r) { log.startFail = r; }, title, '', 1, 'DT', 3);
}
// §3.2.3.4: stopVideo first, then stop.
function stopLive() {
  vtcvideo.stopVideo();
  vtcvideoweb.stop(function (r) { log.stopped = r; }, function (r) { log.stopFail = r; });
}
</script></body></html>`;
}

async function whipStub(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  // A media cloud on its own origin: CORS for the page, Location readable (RFC 9725 §4.8).
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', 'Location');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'access-control-allow-methods': 'POST, DELETE', 'access-control-allow-headers': 'content-type, authorization' }).end();
    return;
  }
  whipRequests.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body });
  if (req.method === 'DELETE') {
    res.writeHead(200).end();
    return;
  }
  const sdp =
    whipMode === 'broken'
      ? 'this is not an SDP answer\r\n'
      : await answerer.evaluate(async (offer: string) => {
          const pc = new RTCPeerConnection();
          await pc.setRemoteDescription({ type: 'offer', sdp: offer });
          await pc.setLocalDescription(await pc.createAnswer());
          return pc.localDescription!.sdp;
        }, body);
  res.writeHead(201, { 'content-type': 'application/sdp', location: `/whip/resource/${whipRequests.length}` }).end(sdp);
}

beforeAll(async () => {
  srv = await startServer({
    LIVE_HLS_URL_TEMPLATE: 'http://media.test/streams/{uid}/{videoID}/live.m3u8',
    LIVE_RTSP_URL_TEMPLATE: 'rtsp://media.test:554/{appid}/{videoID}',
  });
  app = await createApp(srv.url, { name: 'SDK 示例' });
  // The app's own appToken (what its pages, or better its backend, sign with).
  expect(
    (await call(srv.url, 'POST', `/v1/apps/${app.appid}/app-token`, { basic: [app.appid, app.secret], body: { appToken: APP_TOKEN } })).status,
  ).toBe(200);
  site = await listenLocal((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const page = path === '/im.html' ? imPage() : path === '/live.html' ? livePage() : '<!DOCTYPE html><title>blank</title>';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  whip = await listenLocal(whipStub);
  browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
}, 60000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await whip?.close();
  await site?.close();
  await srv?.close();
});

async function open(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 }, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page ${path}] ${err.message}`));
  await page.goto(`${site.url}${path}`);
  return page;
}

/** Backend: a third-party user added by the app's server (§3.1.5 / native route). */
async function backendUser(thirdPartyId: string, password: string): Promise<string> {
  const r = await call(srv.url, 'POST', `/v1/apps/${app.appid}/third-party/users`, {
    basic: [app.appid, app.secret],
    body: { thirdPartyId, password },
  });
  expect(r.status).toBe(201);
  return r.body.userId;
}

type Video = { videoID: string; liveFlag: number; title: string; save: number; calltype: string };
/** Backend: m_listVideoByUid.do signed with the appToken (§3.2.4.2). */
async function videosOf(uid: string, liveFlag: 0 | 1): Promise<Video[]> {
  const timestamp = String(Date.now());
  const q = new URLSearchParams({
    appId: app.appid,
    timestamp,
    secret: appSignature(app.appid, timestamp, APP_TOKEN),
    uid,
    liveFlag: String(liveFlag),
  });
  const r = (await (await fetch(`${srv.url}/LiveVideoServer/ajx/m_listVideoByUid.do?${q}`)).json()) as { result: string; videos: Video[] };
  expect(r.result).toBe('OK');
  return r.videos;
}

type Ev = {
  type: string;
  from?: string;
  stanzaType?: string | null;
  body?: string | null;
  status?: string | null;
  delayed?: boolean;
  xml?: string;
  isXml?: boolean;
  event?: string;
  code?: string | null;
};
/** A third-party user as the SDK's login and register callbacks give it. */
interface SdkUser {
  userId: string;
  password: string;
}
interface Camera {
  id: string;
  name: string;
}
/** What live.html's functions record (the callbacks' arguments). */
interface LiveLog {
  user?: SdkUser;
  loginFail?: string;
  started?: Record<string, unknown>;
  startFail?: string | null;
  camera?: { dev: Camera; colorSpaces: string[]; resolutions: string[] };
  stopped?: unknown;
  stopFail?: string;
  result?: unknown;
  errors: string[];
}

// The globals of the test pages (im.html, live.html): the SDK's objects, the page's own
// functions and what they record. Each page has its own part; tests read them in page.evaluate.
declare global {
  interface Window {
    // the document's includes
    jQuery: ((...args: unknown[]) => unknown) & { fn: { jquery: string } };
    vtcUtil: { md5(text: string): string; secret(appId: string, timestamp: number, appToken: string): string; session: { get(): { token: string } } };
    Base64: { encode(text: string): string; decode(base64: string): string };
    CFG: { appId: string; appToken?: string };
    // im.html
    events: Ev[];
    vtc3p: {
      timediff: number;
      login(appId: string, thirdPartyId: string, pass: string, succ: (user: SdkUser) => void, fail: (reason: string) => void): void;
    };
    webim: { appId: string; send(to: string, text: string): void; login(userId: string, password: string, handler: unknown): void };
    handler: unknown;
    register(thirdPartyId: string, pass: string): void;
    registered?: SdkUser;
    registerFail?: string;
    loginIm(thirdPartyId: string, pass: string): void;
    user?: SdkUser;
    // live.html
    vtcman: { logout(done: () => void): void };
    vtcvideo: {
      state: string;
      onerror: ((e: Error) => void) | null;
      getDevList(): Camera[];
      startVideo(dev: Camera | undefined, resolution: string, url: string | null): Promise<unknown>;
      stopVideo(): void;
      videoPlay(videoID: string, url: string, rtspURL: string, mode: number): void;
    };
    vtcvideoweb: { start(succ: (video: Record<string, unknown>) => void, fail: (reason: string) => void): void };
    log: LiveLog;
    login(thirdPartyId: string, pass: string): void;
    goLive(title: string): void;
    stopLive(): void;
  }
}
const eventsOf = (page: Page): Promise<Ev[]> => page.evaluate(() => window.events);
async function waitEvent(page: Page, want: Partial<Ev>): Promise<Ev> {
  const handle = await page.waitForFunction(
    (w: Record<string, unknown>) => window.events.find((e: Record<string, unknown>) => Object.keys(w).every((k) => e[k] === w[k])),
    want,
  );
  return (await handle.jsonValue()) as Ev;
}

describe('helpers the SDK depends on (vtcUtil.js, base64.js)', () => {
  it('md5 and base64 match Node on UTF-8 text, across md5 block boundaries', async () => {
    const page = await open('/im.html');
    const samples = [
      '',
      'a',
      'appId=11501&timestamp=1459235417475&appToken=BRPXSI9o7fy9cNt099vv',
      '中文 & <xml> "quotes" 😀',
      'x'.repeat(55),
      'x'.repeat(56),
      'x'.repeat(64),
      '无'.repeat(300),
    ];
    const got = await page.evaluate(
      (s: string[]) => s.map((x) => [window.vtcUtil.md5(x), window.Base64.encode(x), window.Base64.decode(window.Base64.encode(x))]),
      samples,
    );
    samples.forEach((s, i) => {
      expect(got[i]![0]).toBe(createHash('md5').update(s, 'utf8').digest('hex'));
      expect(got[i]![1]).toBe(Buffer.from(s, 'utf8').toString('base64'));
      expect(got[i]![2]).toBe(s);
    });
    // The signature pages compute equals the server's.
    const sig = await page.evaluate(() => window.vtcUtil.secret('11501', 1459235417475, 'tok-en'));
    expect(sig).toBe(appSignature('11501', 1459235417475, 'tok-en'));
    // jQuery (served by Switchboard under the 2.1.3 name) is there for the page.
    expect(await page.evaluate(() => typeof window.jQuery === 'function' && window.jQuery.fn.jquery)).toMatch(/^3\./);
  });
});

describe('§3.2.1 + §3.2.2 third-party login and web IM', () => {
  it('two users: presence both ways, messages both ways, a message kept while away', async () => {
    // alice registers from the page (checkTime + register signed in the page).
    const a = await open('/im.html');
    const timediff = await a.evaluate(() => {
      window.register('alice', 'pw-alice');
      return window.vtc3p.timediff;
    });
    expect(typeof timediff).toBe('number');
    const registered = (await (await a.waitForFunction(() => window.registered || window.registerFail)).jsonValue()) as {
      userId: string;
      password: string;
    };
    expect(registered).toEqual({ userId: expect.any(String), password: 'pw-alice' });
    const aliceId = registered.userId;
    // bob is added by the app's backend; the backend makes them contacts (the SDK has no documented call for it).
    const bobId = await backendUser('bob', 'pw-bob');
    expect(
      (await call(srv.url, 'POST', `/v1/apps/${app.appid}/webim/contacts`, { basic: [app.appid, app.secret], body: { uids: [aliceId, bobId] } }))
        .status,
    ).toBe(200);

    await a.evaluate(() => window.loginIm('alice', 'pw-alice'));
    await waitEvent(a, { type: 'connected' });
    expect(await a.evaluate(() => window.user)).toEqual({ userId: aliceId, password: 'pw-alice' });

    let b = await open('/im.html');
    await b.evaluate(() => window.loginIm('bob', 'pw-bob'));
    await waitEvent(b, { type: 'connected' });

    // Presence: alice hears bob's setStatus; bob, logging in later, gets alice's at login.
    const STATUS = '在线 <ok> & "ready"';
    const bobSeen = await waitEvent(a, { type: 'presence', from: bobId });
    const aliceSeen = await waitEvent(b, { type: 'presence', from: aliceId });
    for (const p of [bobSeen, aliceSeen]) {
      expect(p.isXml).toBe(true);
      expect(p.stanzaType).toBeNull();
      expect(p.status).toBe(STATUS);
      expect(p.xml).toContain('<status>在线 &lt;ok&gt; &amp; "ready"</status>');
      expect(p.xml).toMatch(/^<presence from="[^"]+" to="[^"]+" stamp="\d{4}-\d\d-\d\dT[^"]+Z"><status>/);
    }

    // Messages both ways.
    await a.evaluate((to: string) => window.webim.send(to, 'hello <b>bob</b> & 你好'), bobId);
    const toBob = await waitEvent(b, { type: 'message', from: aliceId });
    expect(toBob).toMatchObject({ isXml: true, stanzaType: 'chat', body: 'hello <b>bob</b> & 你好', delayed: false });
    expect(toBob.xml).toMatch(
      new RegExp(
        `^<message from="${aliceId}" to="${bobId}" id="[^"]+" type="chat" stamp="[^"]+"><body>hello &lt;b&gt;bob&lt;/b&gt; &amp; 你好</body></message>$`,
      ),
    );
    await b.evaluate((to: string) => window.webim.send(to, '收到, alice'), aliceId);
    expect(await waitEvent(a, { type: 'message', from: bobId })).toMatchObject({ body: '收到, alice', stanzaType: 'chat' });
    await screenshot(a, 'websdk-1-alice');
    await screenshot(b, 'websdk-2-bob');

    // bob closes his page: alice sees him go; her next message is kept for him.
    await b.context().close();
    const gone = await waitEvent(a, { type: 'presence', from: bobId, stanzaType: 'unavailable' });
    expect(gone.xml).toMatch(new RegExp(`^<presence from="${bobId}" to="${aliceId}" type="unavailable" stamp="[^"]+"/>$`));
    await a.evaluate((to: string) => window.webim.send(to, '你不在的时候发的'), bobId);

    // bob comes back: handleConnected first, then the kept message, marked delayed (XEP-0203).
    b = await open('/im.html');
    await b.evaluate(() => window.loginIm('bob', 'pw-bob'));
    const kept = await waitEvent(b, { type: 'message', from: aliceId });
    expect(kept).toMatchObject({ body: '你不在的时候发的', delayed: true, stanzaType: 'chat' });
    expect(kept.xml).toMatch(/<delay xmlns="urn:xmpp:delay" from="127\.0\.0\.1" stamp="[^"]+">Offline Storage<\/delay><\/message>$/);
    const bobEvents = await eventsOf(b);
    expect(bobEvents.findIndex((e) => e.type === 'connected')).toBe(0);
    expect(bobEvents.findIndex((e) => e.type === 'message')).toBeGreaterThan(0);
    await screenshot(b, 'websdk-3-bob-back-with-the-kept-message');

    // A send the server refuses comes back to the sender as a type="error" message.
    await a.evaluate(() => window.webim.send('no-such-user', 'anyone?'));
    const bounced = await waitEvent(a, { type: 'message', stanzaType: 'error' });
    expect(bounced.xml).toMatch(
      /^<message type="error" from="no-such-user" to="[^"]+" id="[^"]+" stamp="[^"]+"><body>anyone\?<\/body><error type="cancel" code="USER_NOT_FOUND"><text>[^<]+<\/text><\/error><\/message>$/,
    );

    // A server push that is neither message nor presence: an <iq type="set">, then the disconnect.
    expect(
      (
        await call(srv.url, 'POST', `/v1/apps/${app.appid}/users/${aliceId}/disconnect`, {
          basic: [app.appid, app.secret],
          body: { reason: '账号在别处登录', revoke: true },
        })
      ).status,
    ).toBe(200);
    const iq = await waitEvent(a, { type: 'iq' });
    expect(iq).toMatchObject({ event: 'session.revoked', code: 'TOKEN_REVOKED', stanzaType: 'set' });
    expect(iq.xml).toMatch(
      new RegExp(
        `^<iq type="set" id="push-\\d+" from="127\\.0\\.0\\.1" to="${aliceId}"><notice xmlns="urn:vtc365:notice" event="session.revoked"><code>TOKEN_REVOKED</code><message>账号在别处登录</message></notice></iq>$`,
      ),
    );
    await waitEvent(a, { type: 'disconnect' });
    // And bob sees alice go.
    await waitEvent(b, { type: 'presence', from: aliceId, stanzaType: 'unavailable' });

    // A wrong web IM password: handleConError with an Error.
    const c = await open('/im.html');
    await c.evaluate((uid: string) => {
      const w = window;
      w.webim.appId = w.CFG.appId; // no vtc3pman login on this page to take the app from
      w.webim.login(uid, 'wrong', w.handler);
    }, bobId);
    expect(await waitEvent(c, { type: 'conerror' })).toMatchObject({ isError: true, code: 'WRONG_PASSWORD' });
  }, 90000);

  it("an unknown third-party id fails with the document's word IdNotFoud; a wrong password with the server's word", async () => {
    await backendUser('carol', 'pw-carol');
    const page = await open('/im.html');
    const reasons = await page.evaluate(() =>
      Promise.all(
        (
          [
            ['nobody-here', 'x'],
            ['carol', 'not-her-password'],
          ] as Array<[string, string]>
        ).map(
          ([id, pass]) =>
            new Promise((resolve) =>
              window.vtc3p.login(
                window.CFG.appId,
                id,
                pass,
                () => resolve('succ'),
                (r: string) => resolve(r),
              ),
            ),
        ),
      ),
    );
    expect(reasons).toEqual(['IdNotFoud', 'WrongPassword']);
  });
});

describe('§3.2.3 live video with the fake camera', () => {
  it('start, preview, publish (WHIP), listed live, stop, listed as history, play, logout', async () => {
    const uid = await backendUser('streamer', 'pw-streamer');
    answerer = await open('/blank.html');
    const page = await open('/live.html');
    // The cameras are read when vtcvideo is made (asynchronously: wait for the list).
    await page.waitForFunction(() => window.vtcvideo.getDevList().length > 0);

    await page.evaluate(() => window.login('streamer', 'pw-streamer'));
    expect(await (await page.waitForFunction(() => window.log.user || window.log.loginFail)).jsonValue()).toEqual({
      userId: uid,
      password: 'pw-streamer',
    });

    await page.evaluate(() => window.goLive('SDK 直播'));
    const started = (await (await page.waitForFunction(() => window.log.started || window.log.startFail)).jsonValue()) as Record<string, unknown>;
    expect(started).toEqual({
      videoID: expect.stringMatching(/^\d+$/),
      host: '127.0.0.1',
      port: 5004,
      rtspURL: expect.stringMatching(/^rtsp:\/\/media\.test:554\//),
      url: expect.stringMatching(/^http:\/\/media\.test\/streams\/.+\/live\.m3u8$/),
    });
    const videoID = started.videoID as string;

    // The camera: the fake device, its colour spaces and resolutions.
    const camera = (await page.evaluate(() => window.log.camera))!; // set by goLive's success callback, awaited above
    expect(camera.dev.id).toEqual(expect.any(String));
    expect(camera.colorSpaces).toEqual(['auto']);
    expect(camera.resolutions).toContain('640x480');
    for (const r of camera.resolutions) expect(r).toMatch(/^\d+x\d+$/);

    // A playing preview in the div.
    await page.waitForFunction(() => {
      const v = document.querySelector('#preview video') as HTMLVideoElement | null;
      return !!v && v.videoWidth > 0 && !v.paused && v.readyState >= 2;
    });
    // With camera permission granted the list names the fake camera.
    await page.waitForFunction(() => window.vtcvideo.getDevList().some((d: { name: string }) => /fake/i.test(d.name)));

    // Publishing: the offer reached the WHIP endpoint, and its answer was applied.
    await until(() => whipRequests.some((r) => r.method === 'POST'), 10000, 'the WHIP offer');
    const offer = whipRequests.find((r) => r.method === 'POST')!;
    expect(offer.url).toBe('/whip/live');
    expect(offer.contentType).toBe('application/sdp');
    expect(offer.body).toMatch(/^v=0\r\n/);
    expect(offer.body).toMatch(/\r\nm=video \d+ /);
    expect(offer.body).toMatch(/\r\na=sendonly\r\n/);
    await page.waitForFunction(() => window.vtcvideo.state === 'publishing');
    await screenshot(page, 'websdk-4-live-preview');

    // The app's backend sees it live (§3.2.4.2).
    const live = await videosOf(uid, 1);
    expect(live.map((v) => v.videoID)).toEqual([videoID]);
    expect(live[0]).toMatchObject({ liveFlag: 1, title: 'SDK 直播', save: 1, calltype: 'DT' });

    // stopVideo, then stop: camera off, WHIP resource deleted, history.
    await page.evaluate(() => window.stopLive());
    expect(await (await page.waitForFunction(() => window.log.stopped || window.log.stopFail)).jsonValue()).toEqual({
      videoID,
      liveFlag: 0,
    });
    expect(
      await page.evaluate(() => ({
        state: window.vtcvideo.state,
        src: (document.querySelector('#preview video') as HTMLVideoElement).srcObject,
      })),
    ).toEqual({ state: 'idle', src: null });
    await until(() => whipRequests.some((r) => r.method === 'DELETE'), 10000, 'the WHIP DELETE');
    expect(whipRequests.find((r) => r.method === 'DELETE')!.url).toBe('/whip/resource/1');
    expect(await videosOf(uid, 1)).toEqual([]);
    const history = await videosOf(uid, 0);
    expect(history.map((v) => [v.videoID, v.liveFlag])).toEqual([[videoID, 0]]);

    // A broken WHIP answer: the SDK keeps the preview and says why (onerror), nothing thrown.
    whipMode = 'broken';
    const before = whipRequests.length;
    await page.evaluate(() => {
      const w = window;
      w.log.errors = [];
      w.vtcvideo.onerror = (e: Error) => w.log.errors.push(e.message);
      w.log.result = null;
      w.vtcvideo.startVideo(w.vtcvideo.getDevList()[0], '320x240', null).then((r: unknown) => (w.log.result = r));
    });
    const result = (await (await page.waitForFunction(() => window.log.result)).jsonValue()) as { published: boolean };
    expect(result.published).toBe(false);
    expect(whipRequests.length).toBe(before + 1);
    expect(await page.evaluate(() => window.log.errors.length)).toBe(1);
    await page.waitForFunction(() => {
      const v = document.querySelector('#preview video') as HTMLVideoElement;
      return window.vtcvideo.state === 'previewing' && v.videoWidth > 0 && !v.paused;
    });
    await page.evaluate(() => window.vtcvideo.stopVideo());

    // §3.2.4.1: watching puts the URL on the div's <video>.
    const played = await page.evaluate(
      (v: { videoID: string; url: string; rtspURL: string }) => {
        window.vtcvideo.videoPlay(v.videoID, v.url, v.rtspURL, 0);
        const el = document.querySelector('#preview video') as HTMLVideoElement;
        return { src: el.src, live: el.getAttribute('data-live'), id: el.getAttribute('data-video-id'), mode: el.getAttribute('data-mode') };
      },
      started as { videoID: string; url: string; rtspURL: string },
    );
    expect(played).toEqual({ src: started.url, live: '0', id: videoID, mode: 'play' });

    // §3.2.3.2: logout ends the session (the token is revoked): a new start fails (not logged in).
    const token = await page.evaluate(() => window.vtcUtil.session.get().token);
    expect((await call(srv.url, 'GET', '/v1/me', { token })).status).toBe(200);
    await page.evaluate(() => new Promise<void>((resolve) => window.vtcman.logout(resolve)));
    expect((await call(srv.url, 'GET', '/v1/me', { token })).status).toBe(401);
    await page.evaluate(() => {
      const w = window;
      w.log.startFail = null;
      w.vtcvideoweb.start(
        () => undefined,
        (r: string) => (w.log.startFail = r),
      );
    });
    expect(await (await page.waitForFunction(() => window.log.startFail)).jsonValue()).toBe('init');
  }, 90000);
});
