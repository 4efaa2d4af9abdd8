// Seed 003 conformance, messaging part: the seed's im/before/check, translate/action and
// /api/server/im/send/{tip,system} requests replayed as documented — POST, `param` as the
// JSON body, answers {code, data, err, time} — with the documented codes 100002 (sensitive
// word), 1003 (balance), 200004 (nothing configured) and 200003 (the provider failed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connect, createApp, fakeHttp, issueToken, nextEvent, startServer, type Fake, type TestServer, type JsonBody } from '../helpers.js';

let srv: TestServer;
let bare: TestServer;
let libre: Fake;
let app: { appid: string; secret: string };
let u12: string; // the seed's peer_uid 12
let u7: string;

beforeAll(async () => {
  const dict: Record<string, string> = { hello: '你好', world: '世界' };
  libre = await fakeHttp<{ q: string[] }>((b) =>
    b.q.includes('boom') ? { status: 503, json: { error: 'overloaded' } } : { json: { translatedText: b.q.map((t) => dict[t] ?? t) } },
  );
  srv = await startServer({ TRANSLATION_PROVIDER: 'libretranslate', LIBRETRANSLATE_URL: libre.url });
  bare = await startServer();
  app = await createApp(srv.url);
  u7 = await issueToken(srv.url, app, '7');
  u12 = await issueToken(srv.url, app, '12');
});
afterAll(async () => {
  await bare?.close();
  await srv?.close();
  await libre?.close();
});

/** The seed's request: POST path with `param` as the body; asserts the envelope. */
async function seed(path: string, auth: { token?: string; basic?: [string, string] }, param: unknown, url = srv.url) {
  const r = await call(url, 'POST', path, { ...auth, body: param });
  expect(r.status).toBe(200);
  expect(Object.keys(r.body).sort()).toEqual(['code', 'data', 'err', 'time']);
  expect(Math.abs(r.body.time - Date.now() / 1000)).toBeLessThan(5);
  return r.body as { code: number; data: JsonBody; err: string | null; time: number };
}

describe('im/before/check', () => {
  const param = { rc_msg: 'RC:TxtMsg', peer_uid: 12, content: '文本内容，用于校验是否包含敏感词。' };

  it('answers the documented success', async () => {
    expect(await seed('/api/v1/im/before/check', { token: u7 }, param)).toEqual({ code: 0, data: null, err: null, time: expect.any(Number) });
  });

  it('100002 when the content contains a sensitive word (normalised)', async () => {
    const r = await seed('/api/v1/im/before/check', { token: u7 }, { ...param, content: '可以 代开·发票' });
    expect(r.code).toBe(100002);
    expect(r.data).toBeNull();
    expect(r.err).toBeTruthy();
    await call(srv.url, 'POST', '/v1/messaging/words', { basic: [app.appid, app.secret], body: { words: ['包含敏感词'] } });
    expect((await seed('/api/v1/im/before/check', { token: u7 }, param)).code).toBe(100002); // the seed's own example, once its word is listed
    await call(srv.url, 'POST', '/v1/messaging/words/remove', { basic: [app.appid, app.secret], body: { words: ['包含敏感词'] } });
  });

  it('1003 when messages are priced and the balance cannot pay', async () => {
    await call(srv.url, 'PUT', '/v1/billing/prices/im', { basic: [app.appid, app.secret], body: { unitPrice: 1 } });
    expect((await seed('/api/v1/im/before/check', { token: u7 }, param)).code).toBe(1003);
    await call(srv.url, 'POST', '/v1/billing/topups', { basic: [app.appid, app.secret], body: { uid: '7', amount: 1, ref: 'd1' } });
    expect((await seed('/api/v1/im/before/check', { token: u7 }, param)).code).toBe(0);
    await call(srv.url, 'DELETE', '/v1/billing/prices/im', { basic: [app.appid, app.secret] });
  });

  it('non-zero codes for a missing token, the app secret, bad JSON and a missing field (named)', async () => {
    expect((await seed('/api/v1/im/before/check', {}, param)).code).toBe(1002);
    expect((await seed('/api/v1/im/before/check', { token: 'nope' }, param)).code).toBe(1002);
    expect((await seed('/api/v1/im/before/check', { basic: [app.appid, app.secret] }, param)).code).toBe(1002);
    expect((await seed('/api/v1/im/before/check', { token: u7 }, '{"rc_msg": ')).code).toBe(1001);
    const r = await seed('/api/v1/im/before/check', { token: u7 }, { content: 'x', peer_uid: 12 });
    expect(r.code).toBe(1001);
    expect(r.err).toMatch(/rc_msg: is required/);
    expect((await seed('/api/v1/im/before/check', { token: u7 }, { ...param, peer_uid: { id: 12 } })).err).toMatch(/peer_uid/);
  });
});

describe('translate/action', () => {
  it('answers the documented translations in order', async () => {
    expect(await seed('/api/v1/translate/action', { token: u7 }, { text: ['hello', 'world'], short: 'zh' })).toEqual({
      code: 0,
      data: ['你好', '世界'],
      err: null,
      time: expect.any(Number),
    });
  });
  it('200003 when the provider fails, 200004 when none is configured, 1001 without short', async () => {
    expect((await seed('/api/v1/translate/action', { token: u7 }, { text: ['boom'], short: 'zh' })).code).toBe(200003);
    const other = await createApp(bare.url);
    const t = await issueToken(bare.url, other, '1');
    expect((await seed('/api/v1/translate/action', { token: t }, { text: ['hello'], short: 'zh' }, bare.url)).code).toBe(200004);
    expect((await seed('/api/v1/translate/action', { token: u7 }, { text: ['hello'] })).err).toMatch(/short: is required/);
  });
});

describe('/api/server/im/send/tip and /send/system', () => {
  it("accepts the seed's example (no targets) with the app secret only", async () => {
    const param = { from: 100, targets: [], msg: 'this is a test msg.' };
    for (const kind of ['tip', 'system']) {
      const r = await seed(`/api/server/im/send/${kind}`, { basic: [app.appid, app.secret] }, param);
      expect(r).toEqual({ code: 0, data: { id: expect.any(Number), targets: 0 }, err: null, time: expect.any(Number) });
      expect((await seed(`/api/server/im/send/${kind}`, { token: u7 }, param)).code).toBe(1002);
      expect((await seed(`/api/server/im/send/${kind}`, { basic: [app.appid, 'wrong'] }, param)).code).toBe(1002);
      expect((await seed(`/api/server/im/send/${kind}`, {}, param)).code).toBe(1002);
    }
  });

  it('delivers message.tip / message.system to an online target, and in the snapshot to an offline one', async () => {
    const { socket } = await connect(srv.url, u12);
    try {
      const tip = nextEvent(socket, 'message.tip');
      expect(
        (await seed('/api/server/im/send/tip', { basic: [app.appid, app.secret] }, { from: 100, targets: [12, 7], msg: 'grey bar' })).data.targets,
      ).toBe(2);
      expect(await tip).toMatchObject({ kind: 'tip', from: '100', msg: 'grey bar' });
      const sys = nextEvent(socket, 'message.system');
      await seed('/api/server/im/send/system', { basic: [app.appid, app.secret] }, { from: '100', targets: ['12'], msg: 'system notice' });
      expect(await sys).toMatchObject({ kind: 'system', from: '100', msg: 'system notice' });
    } finally {
      socket.close();
    }
    const { socket: s7, snapshot } = await connect(srv.url, u7);
    s7.close();
    expect(snapshot.inbox).toEqual([{ id: expect.any(Number), kind: 'tip', from: '100', msg: 'grey bar', at: expect.any(Number) }]);
  });

  it('validates targets and msg, naming the field', async () => {
    const r = await seed('/api/server/im/send/tip', { basic: [app.appid, app.secret] }, { from: 100, targets: [12] });
    expect(r.code).toBe(1001);
    expect(r.err).toMatch(/msg: is required/);
    expect((await seed('/api/server/im/send/tip', { basic: [app.appid, app.secret] }, { from: 100, targets: 12, msg: 'x' })).err).toMatch(/targets/);
  });
});
