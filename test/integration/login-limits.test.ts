// Issue 16: brute force on every credential door is refused after the limit — per account and
// per client address, counted in Redis so it holds across api nodes (two nodes here, the
// attempts alternating between them) — with 429 LOGIN_THROTTLED and Retry-After on the native
// API and each seed dialect's own refusal; the right password is refused too while limited.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createApp, startServer, testConfig, type TestServer } from '../helpers.js';

const SDKAPPID = 1400000000 + Math.floor(Math.random() * 90_000_000);
let a: TestServer;
let b: TestServer;
let app: { appid: string; secret: string };

beforeAll(async () => {
  const config = testConfig({ LOGIN_LIMIT_PER_ACCOUNT: 3, LOGIN_LIMIT_PER_ADDRESS: 1000, LOGIN_LIMIT_WINDOW_SECONDS: 600 });
  a = await startServer({}, config);
  b = await startServer({}, { ...config, PORT: 0 });
  app = await createApp(a.url, { tencent: { sdkAppId: SDKAPPID, key: 'usersig-key-0123456789' } });
  const basic: [string, string] = [app.appid, app.secret];
  for (const id of ['alice', 'carol'])
    expect((await call(a.url, 'POST', '/v1/auth/register', { body: { appid: app.appid, id, password: `pw-${id}` } })).status).toBe(201);
  expect(
    (await call(a.url, 'POST', `/v1/apps/${app.appid}/third-party/users`, { basic, body: { thirdPartyId: 'tp-bob', password: 'pw-bob' } })).status,
  ).toBe(201);
  expect(
    (await call(a.url, 'POST', `/v1/apps/${app.appid}/third-party/users`, { basic, body: { thirdPartyId: 'tp-eve', password: 'pw-eve' } })).status,
  ).toBe(201);
  expect((await call(a.url, 'PUT', `/v1/apps/${app.appid}/customerservice/robot`, { basic, body: { nickname: 'robot' } })).status).toBe(200);
  expect(
    (await call(a.url, 'POST', `/v1/apps/${app.appid}/customerservice/seats`, { basic, body: { nickname: 'seat-1', password: 'seat-pass-1' } }))
      .status,
  ).toBe(201);
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
});

/** Three wrong attempts alternating between the nodes, then the right one: refused while limited. */
async function bruteForce<T>(attempt: (node: TestServer, right: boolean) => Promise<T>): Promise<{ wrong: T[]; right: T }> {
  const wrong: T[] = [];
  for (let i = 0; i < 3; i++) wrong.push(await attempt(i % 2 ? b : a, false));
  return { wrong, right: await attempt(b, true) };
}

describe('per account, across two api nodes', () => {
  it('native login: 3 × 401, then 429 LOGIN_THROTTLED with Retry-After, the right password too; another account is untouched', async () => {
    const r = await bruteForce((node, right) =>
      call(node.url, 'POST', '/v1/auth/login', { body: { appid: app.appid, id: 'alice', password: right ? 'pw-alice' : 'guess' } }),
    );
    expect(r.wrong.map((x) => [x.status, x.body.error.code])).toEqual(Array(3).fill([401, 'WRONG_PASSWORD']));
    expect(r.right.status).toBe(429);
    expect(r.right.body.error.code).toBe('LOGIN_THROTTLED');
    expect(Number(r.right.headers.get('retry-after'))).toBeGreaterThan(500); // the rest of the 600 s window
    expect((await call(a.url, 'POST', '/v1/auth/login', { body: { appid: app.appid, id: 'carol', password: 'pw-carol' } })).status).toBe(200);
    // An app may set its own number (the admin; nodes apply it within 5 s): dave's app gives 5.
    const own = await createApp(a.url);
    expect((await call(a.url, 'POST', '/v1/auth/register', { body: { appid: own.appid, id: 'dave', password: 'pw-dave' } })).status).toBe(201);
    expect((await call(a.url, 'PUT', `/v1/apps/${own.appid}/login-limit`, { token: a.config.ADMIN_TOKEN!, body: { perAccount: 5 } })).body).toEqual({
      perAccount: 5,
    });
    for (let i = 0; i < 4; i++)
      expect(
        (await call(i % 2 ? a.url : b.url, 'POST', '/v1/auth/login', { body: { appid: own.appid, id: 'dave', password: 'guess' } })).status,
      ).toBe(401); // one under dave's 5
    expect((await call(a.url, 'POST', '/v1/auth/login', { body: { appid: own.appid, id: 'dave', password: 'pw-dave' } })).status).toBe(200);
    expect(
      (await call(a.url, 'PUT', `/v1/apps/${own.appid}/login-limit`, { basic: [own.appid, own.secret], body: { perAccount: 1000 } })).status,
    ).toBe(401); // the admin's only
  });

  it('an unknown account counts too (no free user enumeration)', async () => {
    const r = await bruteForce((node) => call(node.url, 'POST', '/v1/auth/login', { body: { appid: app.appid, id: 'nobody', password: 'guess' } }));
    expect(r.wrong.map((x) => x.status)).toEqual([404, 404, 404]);
    expect(r.right.body.error.code).toBe('LOGIN_THROTTLED');
  });

  it('third-party login (native and seed 004 thirdPartyLogin.do, the same account)', async () => {
    const native = await bruteForce((node, right) =>
      call(node.url, 'POST', '/v1/third-party/login', { body: { appid: app.appid, thirdPartyId: 'tp-bob', password: right ? 'pw-bob' : 'guess' } }),
    );
    expect(native.wrong.every((x) => x.status === 401)).toBe(true);
    expect([native.right.status, native.right.body.error.code]).toEqual([429, 'LOGIN_THROTTLED']);
    const seed = await bruteForce(async (node, right) =>
      (
        await fetch(
          `${node.url}/LiveVideoServer/ajx/thirdPartyLogin.do?appId=${app.appid}&thirdPartyId=tp-eve&password=${right ? 'pw-eve' : 'guess'}`,
        )
      ).text(),
    );
    expect(seed.wrong.every((x) => !x.includes('<result>OK</result>'))).toBe(true);
    expect(seed.right).toMatch(/<result>Busy<\/result>.*<code>LOGIN_THROTTLED<\/code>/s);
  });

  it('seat login', async () => {
    const r = await bruteForce((node, right) =>
      call(node.url, 'POST', '/v1/customerservice/seats/login', {
        body: { appid: app.appid, nickname: 'seat-1', password: right ? 'seat-pass-1' : 'guess' },
      }),
    );
    expect(r.wrong.every((x) => x.status === 401 || x.status === 404)).toBe(true);
    expect([r.right.status, r.right.body.error.code]).toEqual([429, 'LOGIN_THROTTLED']);
  });

  it('seed 000 user_login.php and seed 002 account/login answer in their own shapes', async () => {
    const cc = await bruteForce(
      async (node, right) =>
        (await call(node.url, 'GET', `/user/user_login.php?appid=${app.appid}&loginid=carol&password=${right ? 'pw-carol' : 'guess'}`)).body,
    );
    expect(cc.right.status).not.toBe(1);
    expect(JSON.stringify(cc.right)).toMatch(/LOGIN_THROTTLED|too many failed attempts/);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const php = async (node: TestServer, body: Record<string, unknown>) =>
      (await call(node.url, 'POST', '/index.php?svc=account&cmd=login', { body: { timeStamp: Date.now() % 2 ** 32, appid: SDKAPPID, ...body } }))
        .body;
    expect((await php(a, {})).errorCode).not.toBe(0);
    expect(
      (
        await call(a.url, 'POST', '/index.php?svc=account&cmd=regist', {
          body: { timeStamp: Date.now() % 2 ** 32, appid: SDKAPPID, id: 'teacher9', pwd: b64('pw-t9'), role: 1 },
        })
      ).body.errorCode,
    ).toBe(0);
    const cls = await bruteForce((node, right) => php(node, { id: 'teacher9', pwd: b64(right ? 'pw-t9' : 'guess') }));
    expect(cls.wrong.every((x) => x.errorCode !== 0)).toBe(true);
    expect(cls.right.errorCode).not.toBe(0);
    expect(cls.right.errorInfo).toMatch(/too many failed attempts/);
  });

  it('app secrets: wrong secrets for an app, then even the right one is refused', async () => {
    const other = await createApp(a.url);
    const r = await bruteForce((node, right) =>
      call(node.url, 'GET', `/v1/apps/${other.appid}`, {
        basic: [other.appid, right ? other.secret : `wrong-${createHash('md5').update(String(Math.random())).digest('hex')}`],
      }),
    );
    expect(r.wrong.every((x) => x.status === 401)).toBe(true);
    expect([r.right.status, r.right.body.error.code]).toEqual([429, 'LOGIN_THROTTLED']);
  });
});

describe('per client address, with backoff', () => {
  let c: TestServer;
  beforeAll(async () => {
    c = await startServer({ LOGIN_LIMIT_PER_ACCOUNT: 1000, LOGIN_LIMIT_PER_ADDRESS: 4, LOGIN_LIMIT_WINDOW_SECONDS: 60 });
  });
  afterAll(() => c?.close());

  it('past the limit every attempt from the address is refused, whatever the account, and each refused attempt doubles the wait', async () => {
    const own = await createApp(c.url);
    expect((await call(c.url, 'POST', '/v1/auth/register', { body: { appid: own.appid, id: 'zed', password: 'pw-zed' } })).status).toBe(201);
    for (let i = 0; i < 4; i++)
      expect((await call(c.url, 'POST', '/v1/auth/login', { body: { appid: own.appid, id: `u${i}`, password: 'guess' } })).status).toBe(404);
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(c.url, 'POST', '/v1/auth/login', { body: { appid: own.appid, id: 'zed', password: 'pw-zed' } });
      expect([r.status, r.body.error.code]).toEqual([429, 'LOGIN_THROTTLED']);
      waits.push(Number(r.headers.get('retry-after')));
    }
    expect(waits[1]).toBeGreaterThan(waits[0]! + 30); // 60 s, then 120 s, then 240 s
    expect(waits[2]).toBeGreaterThan(waits[1]! + 60);
  });
});
