// APNs pushes (seed 004 §3.1.3): a local HTTP/2 TLS server stands in for APNs (the test
// certificate of test/fixtures/apns/ is trusted through APNS_CA_FILE, the app's settings
// point `host` at it), records every request, checks the provider token (ES256 JWT: kid =
// key id, iss = team id, signed by the app's key) and answers per device token. Real api
// node, real workers, real sockets, test Redis.
import { createHash, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, call, connect, createApp, loginUser, okData, sleep, until, useStack } from '../helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/apns/${name}`, import.meta.url));
const KEY_ID = 'KEYID12345';
const TEAM_ID = 'TEAMID6789';
const BUNDLE = 'com.example.vtc';

/** A 64-hex device token named for the test. */
const tok = (name: string) => createHash('sha256').update(name).digest('hex');

function es256Key(): { pem: string; pub: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), pub: publicKey };
}

interface ApnsRequest {
  token: string;
  path: string;
  headers: http2.IncomingHttpHeaders;
  /** The notification as APNs got it. */
  body: { aps: { alert: { title?: string; body: string } } } & Record<string, unknown>;
  jwt: { header: Record<string, unknown>; claims: { iss?: string; iat: number }; valid: boolean };
}
type Answer = { status: number; reason?: string };

/** The APNs stand-in: answers per token (a queue of answers, then 200), `before` runs before answering. */
async function fakeApns(publicKey: () => KeyObject) {
  const requests: ApnsRequest[] = [];
  const answers = new Map<string, Answer[]>();
  const before = new Map<string, () => Promise<void>>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const server = http2.createSecureServer({ key: readFileSync(fixture('tls-key.pem')), cert: readFileSync(fixture('tls-cert.pem')) });
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    let raw = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => (raw += d));
    stream.on('end', async () => {
      const path = String(headers[':path']);
      const token = path.replace(/^\/3\/device\//, '');
      const [h = '', p = '', s = ''] = String(headers.authorization ?? '')
        .replace(/^bearer /, '')
        .split('.');
      const valid = verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey(), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
      const jwt = {
        header: JSON.parse(Buffer.from(h, 'base64url').toString() || '{}'),
        claims: JSON.parse(Buffer.from(p, 'base64url').toString() || '{}'),
        valid,
      };
      requests.push({ token, path, headers, body: JSON.parse(raw), jwt });
      await before.get(token)?.();
      const a: Answer = !valid ? { status: 403, reason: 'InvalidProviderToken' } : (answers.get(token)?.shift() ?? { status: 200 });
      if (a.status === 200) {
        stream.respond({ ':status': 200, 'apns-id': '6a7b1b9e-7f35-4d5a-9c8e-3c2f4a1b0d11' });
        stream.end();
      } else {
        stream.respond({ ':status': a.status, 'content-type': 'application/json' });
        stream.end(JSON.stringify({ reason: a.reason, ...(a.status === 410 ? { timestamp: Date.now() } : {}) }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answers,
    before,
    to: (token: string) => requests.filter((r) => r.token === token),
    close: () => {
      for (const s of sessions) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let apns: Awaited<ReturnType<typeof fakeApns>>;
let key = es256Key();
const users: Record<string, { userId: string; token: string }> = {};

const basic = (): [string, string] => [stack.app.appid, stack.app.secret];
const jobId = (kind: string, id: string | number, uid: string, appid = stack.app.appid) => `apns|${appid}|${kind}|${id}|${uid}`;
const pushQueue = () => stack.srv.app.core.queues.get('push');
const jobState = async (id: string) => (await pushQueue().getJob(id))?.getState() ?? 'none';
async function settled(id: string): Promise<string> {
  await until(async () => ['completed', 'failed'].includes(await jobState(id)), 10000, `push job ${id} to settle`);
  return jobState(id);
}

async function thirdPartyUser(id: string) {
  const add = await call(stack.url, 'POST', `/v1/apps/${stack.app.appid}/third-party/users`, {
    basic: basic(),
    body: { thirdPartyId: id, password: `pw-${id}` },
  });
  expect(add.status, JSON.stringify(add.body)).toBe(201);
  const login = await call(stack.url, 'POST', '/v1/third-party/login', { body: { appid: stack.app.appid, thirdPartyId: id, password: `pw-${id}` } });
  users[id] = { userId: add.body.userId, token: login.body.token };
  return users[id]!;
}
const setDevice = (token: string, deviceId: string | null) => call(stack.url, 'PUT', '/v1/me/device', { token, body: { deviceId } });
const deviceOf = async (token: string) => (await call(stack.url, 'GET', '/v1/me/device', { token })).body.deviceId;
const imSend = (from: string, to: string, body: string) =>
  call(stack.url, 'POST', '/v1/webim/messages', { token: users[from]!.token, body: { to: users[to]!.userId, body } });

// The APNs stand-in starts before the stack and stops after it (hooks written before useStack).
beforeAll(async () => {
  apns = await fakeApns(() => key.pub);
});
afterAll(async () => {
  await apns?.close();
});

const stack = useStack({ APNS_CA_FILE: fixture('tls-cert.pem'), PUSH_BACKOFF_MS: 100, PUSH_ATTEMPTS: 3 });
beforeAll(async () => {
  const { srv, app } = stack;
  // The admin points the app at the stand-in (host is the admin's to set).
  const r = await call(srv.url, 'PUT', `/v1/apps/${app.appid}/push/apns`, {
    token: ADMIN_TOKEN,
    body: { keyId: KEY_ID, teamId: TEAM_ID, bundleId: BUNDLE, key: key.pem, environment: 'sandbox', host: apns.host },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  for (const id of ['alice', 'bob', 'carol']) await thirdPartyUser(id);
});

describe('APNs settings', () => {
  it('validates each field with a named error, never shows the key, and keeps key and host when omitted', async () => {
    const other = await createApp(stack.url);
    const ob: [string, string] = [other.appid, other.secret];
    const url = `/v1/apps/${other.appid}/push/apns`;
    const base = { keyId: KEY_ID, teamId: TEAM_ID, bundleId: BUNDLE, environment: 'production' };
    let r = await call(stack.url, 'GET', url, { basic: ob });
    expect([r.status, r.body.error.code]).toEqual([404, 'APNS_NOT_CONFIGURED']);
    r = await call(stack.url, 'PUT', url, { basic: ob, body: base });
    expect([r.status, r.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(r.body.error.message).toMatch(/^key: is required/);
    r = await call(stack.url, 'PUT', url, { basic: ob, body: { ...base, key: 'not a key' } });
    expect([r.status, r.body.error.code]).toEqual([422, 'APNS_KEY_INVALID']);
    expect(r.body.error.message).toMatch(/^key: not a PEM private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    r = await call(stack.url, 'PUT', url, { basic: ob, body: { ...base, key: rsa } });
    expect(r.body.error).toMatchObject({ code: 'APNS_KEY_INVALID', message: expect.stringMatching(/^key: a rsa key: .*EC P-256/) });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    r = await call(stack.url, 'PUT', url, { basic: ob, body: { ...base, key: p384 } });
    expect(r.body.error.message).toMatch(/^key: an EC key on secp384r1: .*P-256/);
    const pub = key.pub.export({ type: 'spki', format: 'pem' }).toString();
    r = await call(stack.url, 'PUT', url, { basic: ob, body: { ...base, key: pub } });
    expect(r.body.error.code).toBe('APNS_KEY_INVALID');
    r = await call(stack.url, 'PUT', url, { basic: ob, body: { ...base, keyId: 'short', key: key.pem } });
    expect([r.status, r.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(r.body.error.message).toMatch(/keyId/);
    r = await call(stack.url, 'PUT', url, { basic: ob, body: { ...base, environment: 'staging', key: key.pem } });
    expect(r.body.error.message).toMatch(/environment/);
    r = await call(stack.url, 'PUT', url, { basic: ob, body: { ...base, key: key.pem, host: 'evil.internal:8443' } });
    expect([r.status, r.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(r.body.error.message).toMatch(/^host: only the admin/);
    r = await call(stack.url, 'PUT', url, { token: ADMIN_TOKEN, body: { ...base, key: key.pem, host: 'proxy.example:99999' } });
    expect(r.body.error.message).toMatch(/^host: the port/);
    // Another app's secret is refused.
    r = await call(stack.url, 'PUT', url, { basic: basic(), body: { ...base, key: key.pem } });
    expect([r.status, r.body.error.code]).toEqual([403, 'CROSS_TENANT']);

    // A SEC1 ("EC PRIVATE KEY") key is taken too; the answer shows its fingerprint, not the key.
    const sec1 = (await import('node:crypto')).createPrivateKey(key.pem).export({ type: 'sec1', format: 'pem' }).toString();
    r = await call(stack.url, 'PUT', url, { token: ADMIN_TOKEN, body: { ...base, key: sec1, host: 'apns-proxy.example:2197' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({
      keyId: KEY_ID,
      teamId: TEAM_ID,
      bundleId: BUNDLE,
      environment: 'production',
      host: 'apns-proxy.example:2197',
      keyFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      updatedAt: expect.any(Number),
    });
    const fingerprint = r.body.keyFingerprint;
    // The app changes its bundle id without resending the key: key and the admin's host kept.
    r = await call(stack.url, 'PUT', url, { basic: ob, body: { ...base, bundleId: 'com.example.other' } });
    expect(r.body).toMatchObject({ bundleId: 'com.example.other', host: 'apns-proxy.example:2197', keyFingerprint: fingerprint });
    r = await call(stack.url, 'GET', url, { basic: ob });
    expect(JSON.stringify(r.body)).not.toMatch(/PRIVATE|"key"/);
    expect(r.body.keyFingerprint).toBe(fingerprint);
    // The admin clears the host; the app removes the settings.
    r = await call(stack.url, 'PUT', url, { token: ADMIN_TOKEN, body: { ...base, host: null } });
    expect(r.body.host).toBeNull();
    expect((await call(stack.url, 'DELETE', url, { basic: ob })).body).toEqual({ removed: true });
    expect((await call(stack.url, 'DELETE', url, { basic: ob })).body).toEqual({ removed: false });
    expect((await call(stack.url, 'GET', url, { basic: ob })).body.error.code).toBe('APNS_NOT_CONFIGURED');
  });
});

describe('web IM messages', () => {
  it('pushes a message to an offline iPhone user once: path, topic, headers, verified ES256 token, payload', async () => {
    const device = tok('bob');
    expect((await setDevice(users.bob!.token, device)).body).toEqual({ deviceId: device });
    const sent = await imSend('alice', 'bob', 'Hi Bob — 你好');
    expect(sent.body).toMatchObject({ delivered: false, queued: true });
    const id = sent.body.id as string;
    expect(await settled(jobId('im', id, users.bob!.userId))).toBe('completed');
    const [req, ...more] = apns.to(device);
    expect(more).toEqual([]);
    expect(req!.path).toBe(`/3/device/${device}`);
    expect(req!.headers).toMatchObject({
      ':method': 'POST',
      'apns-topic': BUNDLE,
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-collapse-id': `im.${id}`,
    });
    expect(Number(req!.headers['apns-expiration'])).toBe(Math.floor(sent.body.at / 1000) + 86400);
    expect(req!.jwt).toMatchObject({ valid: true, header: { alg: 'ES256', kid: KEY_ID }, claims: { iss: TEAM_ID, iat: expect.any(Number) } });
    expect(Math.abs(req!.jwt.claims.iat - Date.now() / 1000)).toBeLessThan(3600);
    expect(req!.body).toEqual({
      aps: { alert: { title: 'alice', body: 'Hi Bob — 你好' }, sound: 'default', 'thread-id': `im.${users.alice!.userId}` },
      type: 'im',
      from: users.alice!.userId,
      id,
    });
    // The same message enqueued again (a retried send) is not pushed twice: the job id is the message id.
    const again = await stack.srv.app.services.push.toOffline(
      stack.app.appid,
      [users.bob!.userId],
      { kind: 'im', id, from: users.alice!.userId, body: 'Hi Bob — 你好', at: sent.body.at },
      { knownOffline: true },
    );
    expect(again).toBe(1);
    await sleep(300);
    expect(apns.to(device)).toHaveLength(1);
    // The worker counted it.
    expect(await stack.workers.core.metrics.text()).toMatch(/switchboard_push_total\{[^}]*outcome="sent"[^}]*\} [1-9]/);
  });

  it('shortens a long body so the payload stays under 4 KB', async () => {
    const device = tok('bob');
    const long = '长'.repeat(8000);
    const sent = await imSend('alice', 'bob', long);
    expect(await settled(jobId('im', sent.body.id, users.bob!.userId))).toBe('completed');
    const req = apns.to(device).at(-1)!;
    const bytes = Buffer.byteLength(JSON.stringify(req.body));
    expect(bytes).toBeLessThanOrEqual(4096);
    expect(bytes).toBeGreaterThan(4000); // cut to fit, not far below
    expect(req.body.aps.alert.body).toMatch(/^长+…$/);
  });

  it('does not push to a user with a socket, to one without a device id, or in an app without APNs settings', async () => {
    // Bob online: delivered on his socket, no push job.
    const { socket } = await connect(stack.url, users.bob!.token);
    stack.track(socket);
    const online = await imSend('alice', 'bob', 'you are online');
    expect(online.body.delivered).toBe(true);
    expect(await jobState(jobId('im', online.body.id, users.bob!.userId))).toBe('none');
    socket.close();
    // Carol has no device id.
    const noDevice = await imSend('alice', 'carol', 'no iPhone');
    expect(noDevice.body.queued).toBe(true);
    expect(await jobState(jobId('im', noDevice.body.id, users.carol!.userId))).toBe('none');
    // An app without APNs settings: its users' device ids are never pushed to.
    const plain = await createApp(stack.url);
    for (const id of ['u1', 'u2'])
      await call(stack.url, 'POST', `/v1/apps/${plain.appid}/third-party/users`, {
        basic: [plain.appid, plain.secret],
        body: { thirdPartyId: id, password: 'pw-123' },
      });
    const t1 = (await call(stack.url, 'POST', '/v1/third-party/login', { body: { appid: plain.appid, thirdPartyId: 'u1', password: 'pw-123' } }))
      .body;
    const t2 = (await call(stack.url, 'POST', '/v1/third-party/login', { body: { appid: plain.appid, thirdPartyId: 'u2', password: 'pw-123' } }))
      .body;
    await setDevice(t2.token, tok('plain-u2'));
    const r = await call(stack.url, 'POST', '/v1/webim/messages', { token: t1.token, body: { to: t2.userId, body: 'hello' } });
    expect(r.body.queued).toBe(true);
    expect(await jobState(jobId('im', r.body.id, t2.userId, plain.appid))).toBe('none');
    await sleep(200);
    expect(apns.to(tok('plain-u2'))).toEqual([]);
  });
});

describe('APNs answers', () => {
  it('410 Unregistered clears the device id (and the job ends without retry)', async () => {
    const dave = await thirdPartyUser('dave');
    const device = tok('dave-gone');
    await setDevice(dave.token, device);
    apns.answers.set(device, [{ status: 410, reason: 'Unregistered' }]);
    const sent = await imSend('alice', 'dave', 'are you there?');
    expect(await settled(jobId('im', sent.body.id, dave.userId))).toBe('completed');
    expect(apns.to(device)).toHaveLength(1);
    expect(await deviceOf(dave.token)).toBeNull();
    expect((await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/third-party/users/dave`, { basic: basic() })).body.deviceId).toBeUndefined();
    // Nothing more to push to: the next message enqueues nothing.
    const next = await imSend('alice', 'dave', 'hello?');
    expect(await jobState(jobId('im', next.body.id, dave.userId))).toBe('none');
  });

  it('400 BadDeviceToken clears the device id too', async () => {
    const erin = await thirdPartyUser('erin');
    const device = tok('erin-bad');
    await setDevice(erin.token, device);
    apns.answers.set(device, [{ status: 400, reason: 'BadDeviceToken' }]);
    const sent = await imSend('alice', 'erin', 'ping');
    expect(await settled(jobId('im', sent.body.id, erin.userId))).toBe('completed');
    expect(await deviceOf(erin.token)).toBeNull();
  });

  it('keeps a device id stored between the send and the 410 (compare-and-delete)', async () => {
    const fred = await thirdPartyUser('fred');
    const old = tok('fred-old');
    const fresh = tok('fred-new');
    await setDevice(fred.token, old);
    apns.answers.set(old, [{ status: 410, reason: 'Unregistered' }]);
    // The phone reports its new token (updateDeviceid.do) while APNs is answering about the old one.
    apns.before.set(old, async () => {
      const r = await fetch(`${stack.url}/LiveVideoServer/ajx/updateDeviceid.do?user.deviceId=${fresh}`, {
        headers: { authorization: `Bearer ${fred.token}` },
      });
      expect(await r.json()).toEqual({ result: 'good', deviceId: fresh });
    });
    const sent = await imSend('alice', 'fred', 'race');
    expect(await settled(jobId('im', sent.body.id, fred.userId))).toBe('completed');
    expect(apns.to(old)).toHaveLength(1);
    expect(await deviceOf(fred.token)).toBe(fresh);
  });

  it('retries 500 with backoff and pushes once APNs takes it', async () => {
    const gina = await thirdPartyUser('gina');
    const device = tok('gina-flaky');
    await setDevice(gina.token, device);
    apns.answers.set(device, [
      { status: 500, reason: 'InternalServerError' },
      { status: 503, reason: 'ServiceUnavailable' },
    ]);
    const sent = await imSend('alice', 'gina', 'third time lucky');
    const id = jobId('im', sent.body.id, gina.userId);
    expect(await settled(id)).toBe('completed');
    expect(apns.to(device)).toHaveLength(3);
    expect((await pushQueue().getJob(id))!.returnvalue).toEqual({ sent: true });
    expect(await deviceOf(gina.token)).toBe(device);
  });

  it('fails a 403 InvalidProviderToken at once, with the reason, keeping the device id', async () => {
    const hal = await thirdPartyUser('hal');
    const device = tok('hal-auth');
    await setDevice(hal.token, device);
    apns.answers.set(device, [{ status: 403, reason: 'InvalidProviderToken' }]);
    const sent = await imSend('alice', 'hal', 'auth trouble');
    const id = jobId('im', sent.body.id, hal.userId);
    expect(await settled(id)).toBe('failed');
    const job = (await pushQueue().getJob(id))!;
    expect(job.failedReason).toMatch(/^APNS_AUTH_FAILED: APNs 403 InvalidProviderToken/);
    expect(job.attemptsMade).toBe(1);
    expect(apns.to(device)).toHaveLength(1);
    expect(await deviceOf(hal.token)).toBe(device);
  });
});

describe('other messages to offline users', () => {
  it('pushes a system message to a target without a socket, not to one with a socket', async () => {
    const ivy = await thirdPartyUser('ivy');
    const jon = await thirdPartyUser('jon');
    await setDevice(ivy.token, tok('ivy'));
    await setDevice(jon.token, tok('jon'));
    const { socket } = await connect(stack.url, jon.token);
    stack.track(socket);
    const r = await call(stack.url, 'POST', '/v1/messaging/system', {
      basic: basic(),
      body: { from: 'admin', targets: [ivy.userId, jon.userId], msg: '系统维护：今晚 3 点' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await settled(jobId('system', r.body.id, ivy.userId))).toBe('completed');
    expect(apns.to(tok('ivy'))[0]!.body).toEqual({
      aps: { alert: { title: 'admin', body: '系统维护：今晚 3 点' }, sound: 'default', 'thread-id': 'system.admin' },
      type: 'system',
      from: 'admin',
      id: String(r.body.id),
    });
    expect(await jobState(jobId('system', r.body.id, jon.userId))).toBe('none');
    // A tip message too.
    const tip = await call(stack.url, 'POST', '/v1/messaging/tip', {
      basic: basic(),
      body: { from: users.alice!.userId, targets: [ivy.userId], msg: 'alice liked your video' },
    });
    expect(await settled(jobId('tip', tip.body.id, ivy.userId))).toBe('completed');
    expect(apns.to(tok('ivy'))[1]!.body).toMatchObject({ aps: { alert: { title: 'alice', body: 'alice liked your video' } }, type: 'tip' });
    socket.close();
  });

  it("pushes a seat's reply to a customer whose socket is gone", async () => {
    expect(
      (await call(stack.url, 'PUT', `/v1/apps/${stack.app.appid}/customerservice/robot`, { basic: basic(), body: { nickname: '小微客服' } })).status,
    ).toBe(200);
    expect(
      (
        await call(stack.url, 'POST', `/v1/apps/${stack.app.appid}/customerservice/seats`, {
          basic: basic(),
          body: { nickname: '客服小王', password: 'seat-pass-1' },
        })
      ).status,
    ).toBe(201);
    const login = await call(stack.url, 'POST', '/v1/customerservice/seats/login', {
      body: { appid: stack.app.appid, nickname: '客服小王', password: 'seat-pass-1' },
    });
    const { socket: seat } = await connect(stack.url, login.body.token);
    stack.track(seat);
    expect((await seat.emitWithAck('cs.seat.online', {})).ok).toBe(true);

    // An iPhone user of the app consults, then leaves the app (its socket closes).
    const token = await loginUser(stack.url, stack.app.appid, 'kim', { name: 'Kim' });
    await setDevice(token, tok('kim'));
    const { socket: kim } = await connect(stack.url, token);
    stack.track(kim);
    const asked = await kim.emitWithAck('cs.send', { text: '你好，请问怎么开通直播？' });
    expect(asked.ok, JSON.stringify(asked)).toBe(true);
    // The customer's own message was not pushed to the customer (nor to the seat: it has a socket).
    expect(await jobState(jobId('cs', `kim.1`, 'kim'))).toBe('none');
    expect(await jobState(jobId('cs', `kim.1`, login.body.uid))).toBe('none');
    kim.close();
    await until(async () => (await stack.srv.app.core.emitter.userSocketCount(stack.app.appid, 'kim')) === 0, 5000, "kim's socket to close");

    const reply = await seat.emitWithAck('cs.reply', { customer: 'kim', text: '您好，我是小王' });
    expect(reply.ok, JSON.stringify(reply)).toBe(true);
    expect(okData(reply).message.seq).toBe(2);
    expect(await settled(jobId('cs', 'kim.2', 'kim'))).toBe('completed');
    expect(apns.to(tok('kim'))[0]!.body).toEqual({
      aps: { alert: { title: '客服小王', body: '您好，我是小王' }, sound: 'default', 'thread-id': `cs.${login.body.uid}` },
      type: 'cs',
      from: login.body.uid,
      id: 'kim.2',
    });
  });
});

describe('device id lifecycle and settings changes', () => {
  it('logout.do clears the device id: nothing is pushed after', async () => {
    await thirdPartyUser('lea');
    const login = await fetch(`${stack.url}/LiveVideoServer/ajx/thirdPartyLogin.do?appId=${stack.app.appid}&thirdPartyId=lea&password=pw-lea`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const upd = await fetch(`${stack.url}/LiveVideoServer/ajx/updateDeviceid.do?user.deviceId=${tok('lea')}`, { headers: { cookie } });
    expect(((await upd.json()) as { result: string }).result).toBe('good');
    expect(await deviceOf(users.lea!.token)).toBe(tok('lea'));
    expect((await fetch(`${stack.url}/LiveVideoServer/logout.do`, { headers: { cookie }, redirect: 'manual' })).status).toBe(302);
    expect(await deviceOf(users.lea!.token)).toBeNull();
    const sent = await imSend('alice', 'lea', 'after logout');
    expect(sent.body.queued).toBe(true);
    expect(await jobState(jobId('im', sent.body.id, users.lea!.userId))).toBe('none');
  });

  it('a new key reaches the worker (its cached connection is rebuilt); removed settings stop pushes', async () => {
    const device = tok('bob');
    key = es256Key(); // the stand-in now accepts only tokens signed by the new key
    const r = await call(stack.url, 'PUT', `/v1/apps/${stack.app.appid}/push/apns`, {
      basic: basic(),
      body: { keyId: 'NEWKEY0001', teamId: TEAM_ID, bundleId: BUNDLE, key: key.pem, environment: 'sandbox' },
    });
    expect(r.body.host).toBe(apns.host);
    const sent = await imSend('alice', 'bob', 'signed with the new key');
    expect(await settled(jobId('im', sent.body.id, users.bob!.userId))).toBe('completed');
    expect(apns.to(device).at(-1)!.jwt).toMatchObject({ valid: true, header: { kid: 'NEWKEY0001' } });

    expect((await call(stack.url, 'DELETE', `/v1/apps/${stack.app.appid}/push/apns`, { basic: basic() })).body).toEqual({ removed: true });
    const after = await imSend('alice', 'bob', 'no settings');
    expect(await jobState(jobId('im', after.body.id, users.bob!.userId))).toBe('none');
  });
});
