// Messaging: sensitive words (file-seeded per-app list, edits seen by every node), the
// message price, tip/system messages with the inbox in the snapshot, translation through
// local fake providers (LibreTranslate, Tencent TMT with its TC3 signature checked).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTencentTmt } from '../../src/providers/translation/tencent.js';
import { tc3Sign } from '../../src/providers/tencent/tc3.js';
import { call, connect, createApp, fakeHttp, loginUser, nextEvent, startServer, testConfig, type Fake, type TestServer, okData } from '../helpers.js';
import type { InboxMessageT as InboxItem } from '../../src/modules/messaging/schemas.js';

const DICT: Record<string, string> = { hello: '你好', world: '世界' };

let libre: Fake;
let srv: TestServer;
let node2: TestServer;
let app: { appid: string; secret: string };
let alice: string;
let bob: string;

beforeAll(async () => {
  // LibreTranslate's /translate body, as the provider sends it
  libre = await fakeHttp<{ q: string[]; target: string }>((b) =>
    b.q.includes('fail')
      ? { status: 500, json: { error: 'model crashed' } }
      : { json: { translatedText: b.q.map((t) => DICT[t] ?? `[${b.target}] ${t}`) } },
  );
  const config = testConfig({ TRANSLATION_PROVIDER: 'libretranslate', LIBRETRANSLATE_URL: libre.url });
  srv = await startServer({}, config);
  node2 = await startServer({}, { ...config }); // a second api node on the same Redis and prefixes
  app = await createApp(srv.url);
  alice = await loginUser(srv.url, app.appid, 'alice');
  bob = await loginUser(srv.url, app.appid, 'bob');
});
afterAll(async () => {
  await node2?.close();
  await srv?.close();
  await libre?.close();
});

const basic = (): [string, string] => [app.appid, app.secret];
const check = (url: string, content: string, token = alice) =>
  call(url, 'POST', '/v1/messaging/check', { token, body: { content, peer: 'bob', kind: 'RC:TxtMsg' } });

describe('sensitive words', () => {
  it('seeds the list from the shipped file and matches through case, width, spaces and punctuation', async () => {
    const list = await call(srv.url, 'GET', '/v1/messaging/words', { basic: basic() });
    expect(list.status).toBe(200);
    expect(list.body.words).toContain('代开发票');
    expect(list.body.words).toContain('freebitcoin');
    expect(list.body.version).toBe(1);
    expect((await check(srv.url, 'hello there')).body).toEqual({ allowed: true, price: 0 });
    for (const bad of ['可以代 开-发票吗', 'get FREE Bitcoin now', 'ｆｒｅｅ　ｂｉｔｃｏｉｎ']) {
      const r = await check(srv.url, bad);
      expect(r.status, bad).toBe(422);
      expect(r.body.error.code).toBe('SENSITIVE_WORD');
    }
  });

  it("edits by the app's backend reach every node's matcher (version in Redis)", async () => {
    expect((await check(node2.url, 'you are a Muppet')).status).toBe(200); // node 2 compiles version 1
    const add = await call(srv.url, 'POST', '/v1/messaging/words', { basic: basic(), body: { words: ['Muppet', 'ＭＵＰＰＥＴ', '...'] } });
    expect(add.body).toEqual({ version: 2, count: expect.any(Number), changed: 1 });
    expect((await check(node2.url, 'you are a m u p p e t')).status).toBe(422);
    const rm = await call(srv.url, 'POST', '/v1/messaging/words/remove', { basic: basic(), body: { words: ['muppet'] } });
    expect(rm.body.version).toBe(3);
    expect((await check(node2.url, 'you are a Muppet')).status).toBe(200);
    const noop = await call(srv.url, 'POST', '/v1/messaging/words/remove', { basic: basic(), body: { words: ['muppet'] } });
    expect(noop.body).toMatchObject({ version: 3, changed: 0 });
    const put = await call(srv.url, 'PUT', '/v1/messaging/words', { basic: basic(), body: { words: ['alpha', 'beta'] } });
    expect(put.body).toEqual({ version: 4, count: 2, changed: 2 });
    expect((await check(srv.url, 'free bitcoin')).status).toBe(200);
    expect((await check(node2.url, 'ALPHA')).status).toBe(422);
  });

  it('validates every input naming the field, and keeps users off the list', async () => {
    const r = await call(srv.url, 'POST', '/v1/messaging/words', { basic: basic(), body: { words: [] } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/words/);
    expect((await call(srv.url, 'POST', '/v1/messaging/check', { token: alice, body: {} })).body.error.message).toMatch(/content/);
    expect((await call(srv.url, 'GET', '/v1/messaging/words', { token: alice })).status).toBe(401);
  });

  it('refuses a message the balance cannot pay when messages are priced (price key im), without debiting', async () => {
    expect((await call(srv.url, 'PUT', '/v1/billing/prices/im', { basic: basic(), body: { unitPrice: 5 } })).status).toBe(200);
    const r = await check(srv.url, 'hi');
    expect(r.status).toBe(402);
    expect(r.body.error.code).toBe('INSUFFICIENT_BALANCE');
    await call(srv.url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid: 'alice', amount: 5, ref: 'm1' } });
    expect((await check(srv.url, 'hi')).body).toEqual({ allowed: true, price: 5 });
    expect((await check(srv.url, 'hi')).status).toBe(200); // nothing was debited
    await call(srv.url, 'DELETE', '/v1/billing/prices/im', { basic: basic() });
  });
});

describe('tip and system messages', () => {
  it('pushes to the online target, keeps the message for the offline one until it is acknowledged', async () => {
    const { socket: a } = await connect(srv.url, alice);
    try {
      const got = nextEvent(a, 'message.tip');
      const r = await call(srv.url, 'POST', '/v1/messaging/tip', {
        basic: basic(),
        body: { from: 'system', targets: ['alice', 'bob', 'bob'], msg: 'you matched!' },
      });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ id: expect.any(Number), targets: 2 });
      expect(await got).toEqual({ id: r.body.id, kind: 'tip', from: 'system', msg: 'you matched!', at: expect.any(Number) });
      const sys = await call(node2.url, 'POST', '/v1/messaging/system', {
        basic: basic(),
        body: { from: '100', targets: ['bob'], msg: 'maintenance at 3am' },
      });

      // bob was offline: both arrive in his snapshot, in order
      const { socket: b, snapshot } = await connect(node2.url, bob);
      try {
        expect(snapshot.inbox.map((m: InboxItem) => [m.kind, m.msg])).toEqual([
          ['tip', 'you matched!'],
          ['system', 'maintenance at 3am'],
        ]);
        const live = nextEvent(b, 'message.system');
        await call(srv.url, 'POST', '/v1/messaging/system', { basic: basic(), body: { from: '100', targets: ['bob'], msg: 'live one' } });
        expect((await live).msg).toBe('live one');
        const ack = await b.emitWithAck('message.ack', { upTo: sys.body.id });
        expect(ack).toEqual({ ok: true, data: { removed: 2, left: 1 } });
        const inbox = await b.emitWithAck('message.inbox', {});
        expect(okData(inbox).messages.map((m) => m.msg)).toEqual(['live one']);
        expect((await b.emitWithAck('message.ack', { upTo: 0 })).ok).toBe(false); // upTo: minimum 1
      } finally {
        b.close();
      }
      // alice keeps hers until she acknowledges it (REST this time)
      const mine = await call(srv.url, 'GET', '/v1/messaging/inbox', { token: alice });
      expect(mine.body.messages.map((m: InboxItem) => m.msg)).toEqual(['you matched!']);
      expect((await call(srv.url, 'POST', '/v1/messaging/inbox/ack', { token: alice, body: { upTo: r.body.id } })).body).toEqual({
        removed: 1,
        left: 0,
      });
    } finally {
      a.close();
    }
  });

  it('needs the app secret and valid fields', async () => {
    expect((await call(srv.url, 'POST', '/v1/messaging/tip', { token: alice, body: { from: 'a', targets: ['bob'], msg: 'x' } })).status).toBe(401);
    const r = await call(srv.url, 'POST', '/v1/messaging/tip', { basic: basic(), body: { from: 'a', targets: ['bob'] } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/msg/);
  });
});

describe('translation', () => {
  it('goes through the configured LibreTranslate-compatible server, over REST and the socket', async () => {
    const r = await call(srv.url, 'POST', '/v1/messaging/translate', { token: alice, body: { text: ['hello', 'world'], target: 'zh' } });
    expect(r.body).toEqual({ provider: 'libretranslate', translations: ['你好', '世界'] });
    expect(JSON.parse(libre.requests.at(-1)!.body)).toEqual({ q: ['hello', 'world'], source: 'auto', target: 'zh', format: 'text' });
    const { socket } = await connect(srv.url, alice);
    try {
      expect(await socket.emitWithAck('message.translate', { text: ['hello'], target: 'zh', source: 'en' })).toEqual({
        ok: true,
        data: { provider: 'libretranslate', translations: ['你好'] },
      });
    } finally {
      socket.close();
    }
  });

  it('a failing provider is TRANSLATION_FAILED (502); none configured is TRANSLATION_NOT_CONFIGURED (503)', async () => {
    const r = await call(srv.url, 'POST', '/v1/messaging/translate', { token: alice, body: { text: ['fail'], target: 'zh' } });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('TRANSLATION_FAILED');
    const bare = await startServer();
    try {
      const a = await createApp(bare.url);
      const t = await loginUser(bare.url, a.appid, 'u1');
      const n = await call(bare.url, 'POST', '/v1/messaging/translate', { token: t, body: { text: ['hello'], target: 'zh' } });
      expect(n.status).toBe(503);
      expect(n.body.error.code).toBe('TRANSLATION_NOT_CONFIGURED');
    } finally {
      await bare.close();
    }
  });

  it('Tencent TMT: TextTranslateBatch signed with TC3-HMAC-SHA256 (checked by the fake), errors mapped', async () => {
    // TextTranslateBatch's body, as the provider sends it
    const fake = await fakeHttp<{ SourceTextList: string[]; Target: string }>((b, req, raw) => {
      const ts = Number(req.headers['x-tc-timestamp']);
      const expected = tc3Sign({
        secretId: 'AKIDtest',
        secretKey: 'tmt-key',
        service: 'tmt',
        host: req.headers.host!,
        timestamp: ts,
        payload: raw,
        headers: { 'content-type': String(req.headers['content-type']) },
      });
      if (req.headers.authorization !== expected.authorization)
        return { json: { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad sign' }, RequestId: 'r' } } };
      if (b.SourceTextList.includes('quota'))
        return { json: { Response: { Error: { Code: 'FailedOperation.NoFreeAmount', Message: 'no quota' }, RequestId: 'r' } } };
      return {
        json: { Response: { TargetTextList: b.SourceTextList.map((t) => DICT[t] ?? t), Source: 'en', Target: b.Target, RequestId: 'r' } },
      };
    });
    try {
      const tmt = createTencentTmt({
        secretId: 'AKIDtest',
        secretKey: 'tmt-key',
        region: 'ap-shanghai',
        endpoint: fake.url,
        projectId: 0,
        timeoutMs: 2000,
      });
      expect(await tmt.translate(['hello', 'world'], 'zh')).toEqual(['你好', '世界']);
      const h = fake.requests[0]!.headers;
      expect(h['x-tc-action']).toBe('TextTranslateBatch');
      expect(h['x-tc-version']).toBe('2018-03-21');
      expect(h['x-tc-region']).toBe('ap-shanghai');
      expect(h.authorization).toMatch(
        /^TC3-HMAC-SHA256 Credential=AKIDtest\/\d{4}-\d{2}-\d{2}\/tmt\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
      );
      expect(JSON.parse(fake.requests[0]!.body)).toEqual({ Source: 'auto', Target: 'zh', ProjectId: 0, SourceTextList: ['hello', 'world'] });
      await expect(tmt.translate(['quota'], 'zh')).rejects.toMatchObject({ code: 'TRANSLATION_FAILED', message: /NoFreeAmount/ });
      const wrongKey = createTencentTmt({
        secretId: 'AKIDtest',
        secretKey: 'other',
        region: 'ap-shanghai',
        endpoint: fake.url,
        projectId: 0,
        timeoutMs: 2000,
      });
      await expect(wrongKey.translate(['hello'], 'zh')).rejects.toMatchObject({ code: 'TRANSLATION_FAILED', message: /SignatureFailure/ });
      const down = createTencentTmt({
        secretId: 'a',
        secretKey: 'b',
        region: 'ap-shanghai',
        endpoint: 'http://127.0.0.1:1',
        projectId: 0,
        timeoutMs: 500,
      });
      await expect(down.translate(['hello'], 'zh')).rejects.toMatchObject({ code: 'TRANSLATION_FAILED' });
    } finally {
      await fake.close();
    }
  });
});
