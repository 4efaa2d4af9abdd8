// Conformance of seed 004 (VTC video cloud), part 1: every documented request of §3.1
// (third-party users) and §3.2.4.2–3 (video queries) replayed on the wire under the seed's
// base path /LiveVideoServer/, GET and POST (form), with the documented `result` words and
// XML answers, plus the clock-skew (±1 min), replay and Busy (1 call/s per appId, across
// two api nodes) results, logout and the public halls. appId 11501 is the seed's example.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { appSignature } from '../../src/modules/appauth/service.js';
import type { DomainEvent } from '../../src/infra/events.js';
import { ADMIN_TOKEN, call, connect, createApp, nextEvent, startServer, testConfig, type TestServer } from '../helpers.js';

const APPID = '11501';
const B = '/LiveVideoServer/';
let srv: TestServer;
let app: { appid: string; secret: string };
const sockets: Socket[] = [];
const xml = new XMLParser({ parseTagValue: false });
const events: DomainEvent[] = [];

beforeAll(async () => {
  srv = await startServer({
    VTC_APPID: APPID,
    LIVE_HLS_URL_TEMPLATE: 'http://media.test/streams/{uid}/{videoID}/live.m3u8',
    LIVE_RTSP_URL_TEMPLATE: 'rtsp://media.test:554/{appid}/{videoID}',
  });
  app = await createApp(srv.url, { appid: APPID });
  srv.app.core.events.onPublish((e) => void events.push(e));
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await srv?.close();
});

/** The seed's auth parameters, signed with `token` (the app secret unless an appToken is set). */
function signed(token: string, at = Date.now(), appId = APPID) {
  return { appId, timestamp: String(at), secret: appSignature(appId, at, token) };
}

async function get(path: string, q: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${srv.url}${B}${path}?${new URLSearchParams(q)}`, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${srv.url}${B}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
const json = (r: { text: string }) => JSON.parse(r.text);
function parseXml(r: { status: number; headers: Headers; text: string }) {
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^application\/xml/);
  expect(r.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><response>')).toBe(true);
  return xml.parse(r.text).response as Record<string, string>;
}

/** thirdPartyManage.do on the main server; its one-call-per-second slot is cleared first (the Busy section tests the slot). */
async function manage(form: Record<string, string>, via: 'get' | 'post' = 'post') {
  await srv.app.core.redis.del(srv.app.core.keys.scoped(APPID, 'vtc', 'slot', 'thirdPartyManage'));
  return parseXml(via === 'get' ? await get('ajx/thirdPartyManage.do', form) : await post('ajx/thirdPartyManage.do', form));
}

describe('§3.1 authentication: md5("appId=…&timestamp=…&appToken=…"), ±1 minute, no replay', () => {
  it('accepts the app secret as appToken until the app sets its own, then only the own one', async () => {
    const r1 = json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: 'tok-1', password: 'p' }));
    expect(r1.result).toBe('OK');
    const set = await call(srv.url, 'POST', `/v1/apps/${APPID}/app-token`, {
      basic: [APPID, app.secret],
      body: { appToken: 'BRPXSI9o7fy9cNt099vv-own' },
    });
    expect(set.body).toEqual({ appid: APPID, appToken: 'BRPXSI9o7fy9cNt099vv-own' });
    expect((await call(srv.url, 'GET', `/v1/apps/${APPID}/app-token`, { token: ADMIN_TOKEN })).body).toEqual({
      appid: APPID,
      source: 'own',
      appToken: 'BRPXSI9o7fy9cNt099vv-own',
    });
    const old = json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: 'tok-2', password: 'p' }));
    expect(old).toMatchObject({ result: 'NotAuthenticate', code: 'APP_SIGNATURE_INVALID' });
    const own = json(await post('ajx/thirdPartyRegister.do', { ...signed('BRPXSI9o7fy9cNt099vv-own'), thirdPartyId: 'tok-2', password: 'p' }));
    expect(own.result).toBe('OK');
    // Back to the app secret for the rest of the suite.
    expect((await call(srv.url, 'DELETE', `/v1/apps/${APPID}/app-token`, { basic: [APPID, app.secret] })).body).toEqual({ source: 'secret' });
    expect((await call(srv.url, 'GET', `/v1/apps/${APPID}/app-token`, { basic: [APPID, app.secret] })).body).toEqual({
      appid: APPID,
      source: 'secret',
    });
  });

  it('takes timestamps up to one minute either side of server time, refuses beyond', async () => {
    const now = Date.now();
    expect(json(await get('ajx/thirdPartyRegister.do', { ...signed(app.secret, now - 55_000), thirdPartyId: 'skew-a', password: 'p' })).result).toBe(
      'OK',
    );
    expect(json(await get('ajx/thirdPartyRegister.do', { ...signed(app.secret, now + 55_000), thirdPartyId: 'skew-b', password: 'p' })).result).toBe(
      'OK',
    );
    expect(
      json(await get('ajx/thirdPartyRegister.do', { ...signed(app.secret, now - 61_000), thirdPartyId: 'skew-c', password: 'p' })),
    ).toMatchObject({ result: 'NotAuthenticate', code: 'APP_TIMESTAMP_SKEW' });
    expect(
      json(await get('ajx/thirdPartyRegister.do', { ...signed(app.secret, now + 61_000), thirdPartyId: 'skew-c', password: 'p' })),
    ).toMatchObject({ result: 'NotAuthenticate', code: 'APP_TIMESTAMP_SKEW' });
    const m = await manage({ action: 'add', ...signed(app.secret, now - 120_000), thirdPartyId: 'skew-d', password: 'p' });
    expect(m).toMatchObject({ result: 'NotAuthenticate', code: 'APP_TIMESTAMP_SKEW' });
  });

  it('refuses a replayed secret, a wrong one, an unknown appId and missing parameters', async () => {
    const auth = signed(app.secret);
    expect(json(await post('ajx/thirdPartyRegister.do', { ...auth, thirdPartyId: 'replay-1', password: 'p' })).result).toBe('OK');
    expect(json(await post('ajx/thirdPartyRegister.do', { ...auth, thirdPartyId: 'replay-2', password: 'p' }))).toMatchObject({
      result: 'NotAuthenticate',
      code: 'APP_SIGNATURE_REPLAYED',
    });
    const m = await manage({ action: 'add', ...auth, thirdPartyId: 'replay-3', password: 'p' });
    expect(m).toMatchObject({ result: 'NotAuthenticate', code: 'APP_SIGNATURE_REPLAYED' });
    const wrong = { ...signed(app.secret), secret: appSignature(APPID, Date.now(), 'not-the-token') };
    expect(json(await post('ajx/thirdPartyRegister.do', { ...wrong, thirdPartyId: 'x', password: 'p' }))).toMatchObject({
      result: 'NotAuthenticate',
      code: 'APP_SIGNATURE_INVALID',
    });
    expect(
      json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret, Date.now(), '99999'), thirdPartyId: 'x', password: 'p' })),
    ).toMatchObject({ result: 'NotAuthenticate', code: 'APP_AUTH_FAILED' });
    expect(json(await post('ajx/thirdPartyRegister.do', { appId: APPID, thirdPartyId: 'x', password: 'p' }))).toMatchObject({
      result: 'NotAuthenticate',
      code: 'APP_AUTH_FAILED',
    });
    // A used secret is remembered exactly while its timestamp is inside the window (then it would be refused as skewed anyway).
    const older = signed(app.secret, Date.now() - 50_000);
    expect(json(await post('ajx/thirdPartyRegister.do', { ...older, thirdPartyId: 'replay-ttl', password: 'p' })).result).toBe('OK');
    const ttl = await srv.app.core.redis.pttl(srv.app.core.keys.scoped(APPID, 'vtc', 'seen', older.secret));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(11_000);
    // The uppercase hex of the same md5 is the same secret.
    const at = Date.now();
    expect(
      json(
        await post('ajx/thirdPartyRegister.do', {
          appId: APPID,
          timestamp: String(at),
          secret: appSignature(APPID, at, app.secret).toUpperCase(),
          thirdPartyId: 'upper',
          password: 'p',
        }),
      ).result,
    ).toBe('OK');
  });
});

describe('§3.1.1 thirdPartyRegister.do (JSON)', () => {
  it('registers (GET and POST): OK with the platform user id and the password for web IM', async () => {
    const r = await get('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: 'reg-get', password: 'md5-of-pw' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const body = json(r);
    expect(body).toMatchObject({ result: 'OK', thirdPartyId: 'reg-get', password: 'md5-of-pw' });
    expect(body.userId).toMatch(/^8\d{5}$/);
    // The platform user logs in natively with that id and password (the web IM login).
    expect((await call(srv.url, 'POST', '/v1/auth/login', { body: { appid: APPID, id: body.userId, password: 'md5-of-pw' } })).status).toBe(200);
    const p = json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: 'reg-post', password: 'x' }));
    expect(p.result).toBe('OK');
    expect(Number(p.userId)).toBeGreaterThan(Number(body.userId));
  });

  it('answers another word with the reason: an id taken, a missing field', async () => {
    expect(json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: 'reg-get', password: 'x' }))).toMatchObject({
      result: 'IdExists',
      code: 'THIRDPARTY_ID_EXISTS',
    });
    const r = json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: 'no-pw' }));
    expect(r).toMatchObject({ result: 'Invalid', code: 'VALIDATION_FAILED' });
    expect(r.reason).toMatch(/password/);
  });

  it('answers Exceed at the app quota (thirdPartyManage add too)', async () => {
    const quota = await call(srv.url, 'GET', `/v1/apps/${APPID}/third-party/quota`, { basic: [APPID, app.secret] });
    const users = quota.body.users as number;
    expect(
      (await call(srv.url, 'PUT', `/v1/apps/${APPID}/third-party/quota`, { token: ADMIN_TOKEN, body: { quota: users + 1 } })).body,
    ).toMatchObject({ quota: users + 1, own: true, users });
    expect(json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: 'last-one', password: 'x' })).result).toBe('OK');
    expect(json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: 'one-too-many', password: 'x' }))).toMatchObject({
      result: 'Exceed',
      code: 'USER_QUOTA_EXCEEDED',
    });
    expect(await manage({ action: 'add', ...signed(app.secret), thirdPartyId: 'one-too-many', password: 'x' })).toMatchObject({ result: 'Exceed' });
    expect((await call(srv.url, 'PUT', `/v1/apps/${APPID}/third-party/quota`, { token: ADMIN_TOKEN, body: { quota: null } })).body.own).toBe(false);
    expect(json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: 'one-too-many', password: 'x' })).result).toBe('OK');
  });
});

describe('§3.1.2 thirdPartyLogin.do (XML), §3.1.3 updateDeviceid.do, §3.1.4 logout.do', () => {
  let userId = '';
  beforeAll(async () => {
    userId = json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: 'iphone-user', password: 'pw1' })).userId;
  });

  it('logs in: XML OK with userId and password (and the session cookie and token)', async () => {
    const r = await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'iphone-user', password: 'pw1' });
    const x = parseXml(r);
    expect(x).toMatchObject({ result: 'OK', userId, password: 'pw1', thirdPartyId: 'iphone-user' });
    expect(x.token).toMatch(new RegExp(`^${APPID}\\.`));
    expect(r.headers.get('set-cookie')).toMatch(/^JSESSIONID=11501\.[^;]+; Path=\/LiveVideoServer; HttpOnly/);
    const p = parseXml(await post('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'iphone-user', password: 'pw1' }));
    expect(p.result).toBe('OK');
  });

  it('answers IdNotFound for an unknown third-party id, another word for a wrong password or app', async () => {
    expect(parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'nobody', password: 'pw1' }))).toMatchObject({
      result: 'IdNotFound',
      code: 'THIRDPARTY_ID_NOT_FOUND',
    });
    expect(parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'iphone-user', password: 'nope' }))).toMatchObject({
      result: 'WrongPassword',
      code: 'WRONG_PASSWORD',
    });
    expect(parseXml(await get('ajx/thirdPartyLogin.do', { appId: '424242', thirdPartyId: 'iphone-user', password: 'pw1' })).result).toBe(
      'NotAuthenticate',
    );
  });

  it('updates the device id with the session (good), clears it without user.deviceId, answers init when not logged in', async () => {
    const login = await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'iphone-user', password: 'pw1' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(json(await post('ajx/updateDeviceid.do', { 'user.deviceId': 'apns-0123abcd' }, { cookie }))).toEqual({
      result: 'good',
      deviceId: 'apns-0123abcd',
    });
    const seen = await call(srv.url, 'GET', `/v1/apps/${APPID}/third-party/users/iphone-user`, { basic: [APPID, app.secret] });
    expect(seen.body).toEqual({ thirdPartyId: 'iphone-user', userId, deviceId: 'apns-0123abcd' });
    expect(json(await get('ajx/updateDeviceid.do', {}, { cookie }))).toEqual({ result: 'good', deviceId: null });
    expect(
      (await call(srv.url, 'GET', `/v1/apps/${APPID}/third-party/users/iphone-user`, { basic: [APPID, app.secret] })).body.deviceId,
    ).toBeUndefined();
    expect(json(await get('ajx/updateDeviceid.do', { 'user.deviceId': 'apns-x' })).result).toBe('init');
    expect(json(await get('ajx/updateDeviceid.do', { 'user.deviceId': 'apns-x' }, { cookie: 'JSESSIONID=11501.forged' })).result).toBe('init');
  });

  it('logs out: redirect to index.jsp, the session and its sockets closed, the device id cleared', async () => {
    const login = await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'iphone-user', password: 'pw1' });
    const token = parseXml(login).token as string;
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(json(await post('ajx/updateDeviceid.do', { 'user.deviceId': 'apns-before-logout' }, { cookie })).result).toBe('good');
    // A web IM socket of this session, and one of another session of the same user.
    const other = parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'iphone-user', password: 'pw1' })).token as string;
    const [{ socket: mine }, { socket: theirs }] = await Promise.all([connect(srv.url, token), connect(srv.url, other)]);
    sockets.push(mine, theirs);
    const revoked = nextEvent(mine, 'session.revoked');
    const closed = nextEvent(mine, 'disconnect');

    const r = await get('logout.do', {}, { cookie });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe(`/LiveVideoServer/index.jsp?appId=${APPID}`);
    expect(r.headers.get('set-cookie')).toMatch(/^JSESSIONID=; .*Max-Age=0/);
    expect(await revoked).toMatchObject({ code: 'TOKEN_REVOKED' });
    await closed;
    expect(theirs.connected).toBe(true);
    expect(json(await get('ajx/updateDeviceid.do', { 'user.deviceId': 'x' }, { cookie })).result).toBe('init');
    expect((await call(srv.url, 'GET', '/v1/me', { token })).body.error.code).toBe('TOKEN_REVOKED');
    expect(
      (await call(srv.url, 'GET', `/v1/apps/${APPID}/third-party/users/iphone-user`, { basic: [APPID, app.secret] })).body.deviceId,
    ).toBeUndefined();
    // Without a session it still lands on the index page.
    const anon = await get('logout.do', {});
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toBe('/LiveVideoServer/index.jsp');
    const page = await fetch(`${srv.url}${r.headers.get('location')}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('视频大厅');
  });
});

describe('§3.1.5 thirdPartyManage.do (XML)', () => {
  it('opt: the server time, without authentication', async () => {
    const before = Date.now();
    const x = await manage({ action: 'opt' }, 'get');
    expect(x.result).toBe('OK');
    expect(Number(x.sysTimeStamp)).toBeGreaterThanOrEqual(before);
    expect(Number(x.sysTimeStamp)).toBeLessThanOrEqual(Date.now());
  });

  it('add, mod password, mod newId, del — OK with sysTimeStamp', async () => {
    const add = await manage({ action: 'add', ...signed(app.secret), thirdPartyId: 'm-1', password: 'a' });
    expect(add).toMatchObject({ result: 'OK', thirdPartyId: 'm-1' });
    expect(Number(add.sysTimeStamp)).toBeGreaterThan(0);
    expect(parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'm-1', password: 'a' })).result).toBe('OK');

    expect(await manage({ action: 'mod', ...signed(app.secret), thirdPartyId: 'm-1', password: 'b' }, 'get')).toMatchObject({
      result: 'OK',
      userId: add.userId,
    });
    expect(parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'm-1', password: 'a' })).result).toBe('WrongPassword');
    expect(parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'm-1', password: 'b' })).result).toBe('OK');

    expect(await manage({ action: 'mod', ...signed(app.secret), thirdPartyId: 'm-1', newId: 'm-1-renamed' })).toMatchObject({
      result: 'OK',
      thirdPartyId: 'm-1-renamed',
      userId: add.userId,
    });
    expect(parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'm-1', password: 'b' })).result).toBe('IdNotFound');
    expect(parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'm-1-renamed', password: 'b' })).userId).toBe(add.userId);

    expect(await manage({ action: 'del', ...signed(app.secret), thirdPartyId: 'm-1-renamed' })).toMatchObject({ result: 'OK', userId: add.userId });
    // Each change is a business event (dashboards, webhooks), in order.
    expect(events.filter((e) => e.data.userId === add.userId).map((e) => [e.name, e.data.change ?? null])).toEqual([
      ['thirdparty.user.added', null],
      ['thirdparty.user.changed', 'password'],
      ['thirdparty.user.changed', 'id'],
      ['thirdparty.user.deleted', null],
    ]);
    expect(parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'm-1-renamed', password: 'b' })).result).toBe('IdNotFound');
    expect((await call(srv.url, 'POST', '/v1/auth/login', { body: { appid: APPID, id: add.userId, password: 'b' } })).body.error.code).toBe(
      'USER_NOT_FOUND',
    );
  });

  it('NotFound for mod and del of an unknown id; Error for both or neither of password/newId, a taken newId, a taken add, an unknown action', async () => {
    expect(await manage({ action: 'mod', ...signed(app.secret), thirdPartyId: 'ghost', password: 'x' })).toMatchObject({ result: 'NotFound' });
    expect(await manage({ action: 'mod', ...signed(app.secret), thirdPartyId: 'ghost', newId: 'g2' })).toMatchObject({ result: 'NotFound' });
    expect(await manage({ action: 'del', ...signed(app.secret), thirdPartyId: 'ghost' })).toMatchObject({ result: 'NotFound' });
    await manage({ action: 'add', ...signed(app.secret), thirdPartyId: 'm-2', password: 'a' });
    await manage({ action: 'add', ...signed(app.secret), thirdPartyId: 'm-3', password: 'a' });
    const both = await manage({ action: 'mod', ...signed(app.secret), thirdPartyId: 'm-2', password: 'x', newId: 'y' });
    expect(both).toMatchObject({ result: 'Error', code: 'VALIDATION_FAILED' });
    expect(both.reason).toMatch(/exactly one/);
    expect(await manage({ action: 'mod', ...signed(app.secret), thirdPartyId: 'm-2' })).toMatchObject({ result: 'Error', code: 'VALIDATION_FAILED' });
    expect(await manage({ action: 'mod', ...signed(app.secret), thirdPartyId: 'm-2', newId: 'm-3' })).toMatchObject({
      result: 'Error',
      code: 'THIRDPARTY_ID_EXISTS',
    });
    expect(await manage({ action: 'add', ...signed(app.secret), thirdPartyId: 'm-2', password: 'a' })).toMatchObject({
      result: 'Error',
      code: 'THIRDPARTY_ID_EXISTS',
    });
    expect(await manage({ action: 'purge', ...signed(app.secret) })).toMatchObject({ result: 'Error' });
    const x = await manage({ action: 'add', ...signed('wrong-token'), thirdPartyId: 'm-4', password: 'a' });
    expect(x.result).toBe('NotAuthenticate');
    expect(Number(x.sysTimeStamp)).toBeGreaterThan(0);
  });
});

describe('§3.1.5 Busy: one call per second per appId, across api nodes', () => {
  it('refuses a second call within the interval on another node (and a replay there); opt is not limited; other apps are not affected', async () => {
    // Two api nodes on one Redis (same prefixes); a long interval so "within" needs no timing.
    const cfg = testConfig({ VTC_MANAGE_INTERVAL_MS: 600_000 });
    const a = await startServer({}, cfg);
    const b = await startServer({}, cfg);
    try {
      const one = await createApp(a.url, { appid: '20001' });
      const two = await createApp(a.url, { appid: '20002' });
      const form = (appId: string, secret: string, id: string) =>
        new URLSearchParams({ action: 'add', ...signed(secret, Date.now(), appId), thirdPartyId: id, password: 'p' }).toString();
      const send = async (url: string, body: string) =>
        xml.parse(
          await (
            await fetch(`${url}${B}ajx/thirdPartyManage.do`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body,
            })
          ).text(),
        ).response;
      const first = form('20001', one.secret, 'busy-1');
      expect((await send(a.url, first)).result).toBe('OK');
      // The same signed request replayed on the other node: refused as a replay (before the slot).
      expect(await send(b.url, first)).toMatchObject({ result: 'NotAuthenticate', code: 'APP_SIGNATURE_REPLAYED' });
      const busy = await send(b.url, form('20001', one.secret, 'busy-2'));
      expect(busy).toMatchObject({ result: 'Busy', code: 'RATE_LIMITED' });
      expect(Number(busy.sysTimeStamp)).toBeGreaterThan(0);
      expect((await send(a.url, form('20001', one.secret, 'busy-3'))).result).toBe('Busy');
      expect((await send(b.url, new URLSearchParams({ action: 'opt' }).toString())).result).toBe('OK');
      expect((await send(b.url, new URLSearchParams({ action: 'opt' }).toString())).result).toBe('OK');
      expect((await send(b.url, form('20002', two.secret, 'busy-1'))).result).toBe('OK');
      // A failed authentication does not take the slot of the app.
      expect((await send(a.url, form('20002', 'forged', 'busy-2'))).result).toBe('NotAuthenticate');
      // Only busy-1 exists in app 20001.
      expect((await call(a.url, 'GET', '/v1/apps/20001/third-party/users/busy-2', { basic: ['20001', one.secret] })).status).toBe(404);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('§3.2.4 video queries and the public halls', () => {
  const videos: Record<string, string> = {};
  let author = '';
  let viewer = '';
  let authorToken = '';
  let groupId = '';
  let groupToken = '';

  beforeAll(async () => {
    const reg = async (id: string) =>
      json(await post('ajx/thirdPartyRegister.do', { ...signed(app.secret), thirdPartyId: id, password: 'pw' })).userId as string;
    author = await reg('streamer');
    viewer = await reg('mate');
    authorToken = parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'streamer', password: 'pw' })).token as string;
    const mateToken = parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'mate', password: 'pw' })).token as string;
    const g = await call(srv.url, 'POST', `/v1/apps/${APPID}/live-groups`, {
      basic: [APPID, app.secret],
      body: { name: 'crew', members: [author, viewer] },
    });
    expect(g.status).toBe(201);
    groupId = g.body.groupId;
    groupToken = g.body.token;
    const start = async (token: string, body: Record<string, unknown>) => {
      const r = await call(srv.url, 'POST', '/v1/live/videos', { token, body });
      expect(r.status).toBe(201);
      return r.body.videoID as string;
    };
    videos.savedPublic = await start(authorToken, { title: 'saved public', save: 1 });
    videos.unsaved = await start(authorToken, { title: 'unsaved', save: 0 });
    videos.livePublic = await start(authorToken, { title: 'live public' });
    videos.livePrivate = await start(authorToken, { title: 'live private', shareModel: 2 });
    videos.mateInGroup = await start(mateToken, { title: 'mate circle', shareModel: 3, groupId, save: 1 });
    videos.mateAlone = await start(mateToken, { title: 'mate alone' }); // started as §3.2.3.3 shows: no group named
    videos.matePrivate = await start(mateToken, { title: 'mate private', shareModel: 2 });
    await reg('outsider');
    const outsiderToken = parseXml(await get('ajx/thirdPartyLogin.do', { appId: APPID, thirdPartyId: 'outsider', password: 'pw' })).token as string;
    videos.outsider = await start(outsiderToken, { title: 'outsider public' });
    for (const v of [videos.savedPublic, videos.unsaved])
      expect((await call(srv.url, 'POST', `/v1/live/videos/${v}/stop`, { token: authorToken })).status).toBe(200);
    expect((await call(srv.url, 'POST', `/v1/live/videos/${videos.mateInGroup}/stop`, { token: mateToken })).status).toBe(200);
    await call(srv.url, 'POST', '/v1/pictures', { token: authorToken, body: { url: 'https://img.test/a.jpg', title: 'public pic <b>' } });
    await call(srv.url, 'POST', '/v1/pictures', { token: authorToken, body: { url: 'https://img.test/b.jpg', title: 'private pic', shareModel: 2 } });
  });

  const titles = (r: { videos: Array<{ title: string }> }) => r.videos.map((v) => v.title).sort();

  it("m_listVideoByUid.do: the user's live (1) or history (0) videos, with app authentication", async () => {
    const live = json(await get('ajx/m_listVideoByUid.do', { uid: author, liveFlag: '1', ...signed(app.secret) }));
    expect(live.result).toBe('OK');
    expect(titles(live)).toEqual(['live private', 'live public']);
    const v = live.videos.find((x: { title: string }) => x.title === 'live public');
    expect(v).toMatchObject({
      author,
      liveFlag: 1,
      description: '作者有点懒,没有提供该视频的描述信息',
      url: `http://media.test/streams/${author}/${v.videoID}/live.m3u8`,
      rtspURL: `rtsp://media.test:554/${APPID}/${v.videoID}`,
      content: 3,
      shareModel: 1,
    });
    const hist = json(await post('ajx/m_listVideoByUid.do', { uid: author, liveFlag: '0', ...signed(app.secret) }));
    expect(titles(hist)).toEqual(['saved public']); // a stopped unsaved stream has no file
    expect(json(await get('ajx/m_listVideoByUid.do', { uid: author, liveFlag: '1', ...signed('forged') })).result).toBe('NotAuthenticate');
    // Polling (轮询): the same signed URL again and again inside the window lists each time;
    // listVideoConditional.do likewise. A secret a state-changing request used stays refused.
    const poll = { uid: author, liveFlag: '1', ...signed(app.secret) };
    for (let i = 0; i < 3; i++) expect(json(await get('ajx/m_listVideoByUid.do', poll)).result, `poll ${i}`).toBe('OK');
    const cond = { appId: APPID, timestamp: poll.timestamp, secret: poll.secret, 'video.liveFlag': '1' };
    for (let i = 0; i < 2; i++) expect(json(await get('ajx/listVideoConditional.do', cond)).result, `conditional ${i}`).toBe('OK');
    const used = signed(app.secret);
    expect(json(await post('ajx/thirdPartyRegister.do', { ...used, thirdPartyId: 'poll-used', password: 'p' })).result).toBe('OK');
    expect(json(await get('ajx/m_listVideoByUid.do', { uid: author, liveFlag: '1', ...used }))).toMatchObject({
      result: 'NotAuthenticate',
      code: 'APP_SIGNATURE_REPLAYED',
    });
    expect(json(await get('ajx/m_listVideoByUid.do', { uid: author, liveFlag: '7', ...signed(app.secret) })).result).toBe('Invalid');
  });

  it("listVideoConditional.do: 1. video.groupId + group token → videos started in the group and its members' videos but private ones", async () => {
    const r = json(await get('ajx/listVideoConditional.do', { 'video.groupId': groupId, secret: groupToken }));
    expect(r.result).toBe('OK');
    expect(titles(r)).toEqual(['live public', 'mate alone', 'mate circle', 'saved public']);
    expect(titles(json(await get('ajx/listVideoConditional.do', { 'video.groupId': groupId, secret: groupToken, 'video.liveFlag': '1' })))).toEqual([
      'live public',
      'mate alone',
    ]);
    const page2 = json(await get('ajx/listVideoConditional.do', { 'video.groupId': groupId, secret: groupToken, pageSize: '3', pageNumber: '2' }));
    expect([page2.total, page2.videos.length]).toEqual([4, 1]);
    // Membership is read at query time: a member who leaves takes their own videos along;
    // a video started in the group stays the group's.
    const basic: [string, string] = [APPID, app.secret];
    expect((await call(srv.url, 'POST', `/v1/apps/${APPID}/live-groups/${groupId}/members`, { basic, body: { remove: [viewer] } })).status).toBe(200);
    expect(titles(json(await get('ajx/listVideoConditional.do', { 'video.groupId': groupId, secret: groupToken })))).toEqual([
      'live public',
      'mate circle',
      'saved public',
    ]);
    expect((await call(srv.url, 'POST', `/v1/apps/${APPID}/live-groups/${groupId}/members`, { basic, body: { add: [viewer] } })).status).toBe(200);
    expect(json(await get('ajx/listVideoConditional.do', { 'video.groupId': groupId, secret: 'BRPXSI9o7fy9cNt099vv' })).result).toBe(
      'NotAuthenticate',
    );
    expect(json(await get('ajx/listVideoConditional.do', { 'video.groupId': '999', secret: groupToken })).result).toBe('NotAuthenticate');
  });

  it('listVideoConditional.do: 2. appId + timestamp + secret → every listed video of the app', async () => {
    const r = json(await get('ajx/listVideoConditional.do', signed(app.secret)));
    expect(titles(r)).toEqual(['live private', 'live public', 'mate alone', 'mate circle', 'mate private', 'outsider public', 'saved public']);
    expect(json(await get('ajx/listVideoConditional.do', signed('forged'))).result).toBe('NotAuthenticate');
  });

  it("listVideoConditional.do: 3. video.author → the user's and their live groups' videos (public only without the app signature)", async () => {
    const signedAuthor = json(await get('ajx/listVideoConditional.do', { 'video.author': author, ...signed(app.secret) }));
    expect(titles(signedAuthor)).toEqual(['live private', 'live public', 'mate alone', 'mate circle', 'saved public']);
    const open = json(await get('ajx/listVideoConditional.do', { 'video.author': author }));
    expect(titles(open)).toEqual(['live public', 'mate alone', 'saved public']);
  });

  it('listVideoConditional.do: 4. video.liveFlag and 5. pageNumber/pageSize', async () => {
    expect(titles(json(await get('ajx/listVideoConditional.do', { 'video.author': author, 'video.liveFlag': '1', ...signed(app.secret) })))).toEqual([
      'live private',
      'live public',
      'mate alone',
    ]);
    expect(titles(json(await get('ajx/listVideoConditional.do', { 'video.author': author, 'video.liveFlag': '0', ...signed(app.secret) })))).toEqual([
      'mate circle',
      'saved public',
    ]);
    const pages = [];
    for (const n of ['1', '2', '3'])
      pages.push(json(await get('ajx/listVideoConditional.do', { 'video.author': author, pageSize: '1', pageNumber: n, ...signed(app.secret) })));
    expect(pages.map((p) => p.total)).toEqual([5, 5, 5]);
    expect(pages.map((p) => p.videos.length)).toEqual([1, 1, 1]);
    // Newest first, no repeats.
    expect(new Set(pages.map((p) => p.videos[0].videoID)).size).toBe(3);
    expect(Number(pages[0].videos[0].videoID)).toBeGreaterThan(Number(pages[1].videos[0].videoID));
    expect(json(await get('ajx/listVideoConditional.do', { 'video.author': author, pageSize: '0' })).result).toBe('Invalid');
    expect(json(await get('ajx/listVideoConditional.do', {})).result).toBe('Invalid');
  });

  it('public pages without login: the video hall and the picture hall (escaped)', async () => {
    const hall = await get('index.jsp', { appId: APPID });
    expect(hall.status).toBe(200);
    expect(hall.headers.get('content-type')).toMatch(/^text\/html/);
    expect(hall.text).toContain('live public');
    expect(hall.text).toContain('saved public');
    expect(hall.text).not.toContain('live private');
    expect(hall.text).not.toContain('mate circle');
    expect(hall.text).not.toContain('unsaved');
    const video = await get('video.jsp', { appId: APPID, videoID: videos.livePublic as string });
    expect(video.text).toContain(`http://media.test/streams/${author}/${videos.livePublic}/live.m3u8`);
    expect((await get('video.jsp', { appId: APPID, videoID: videos.livePrivate as string })).status).toBe(404);
    const pics = await get('pictureHall.jsp', {});
    expect(pics.status).toBe(200);
    expect(pics.text).toContain('https://img.test/a.jpg');
    expect(pics.text).toContain('public pic &lt;b&gt;');
    expect(pics.text).not.toContain('private pic');
    const apiPics = await call(srv.url, 'GET', `/v1/public/${APPID}/pictures`);
    expect(apiPics.body.pictures.map((p: { url: string }) => p.url)).toEqual(['https://img.test/a.jpg']);
    expect((await call(srv.url, 'GET', `/v1/public/${APPID}/pictures/${apiPics.body.pictures[0].pictureId}`)).body.title).toBe('public pic <b>');
    expect((await get('index.jsp', { appId: '77777' })).status).toBe(404);
  });
});
