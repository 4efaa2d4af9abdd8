import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeUserSig, verifyUserSig } from '../../src/providers/tencent/usersig.js';
import { call, createApp, loginUser, startServer, type TestServer } from '../helpers.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => srv?.close());

it('POST /v1/rtc/usersig signs with the app’s own SdkAppID and key, plus a PrivateMapKey on request', async () => {
  const app = await createApp(srv.url, { tencent: { sdkAppId: 1400000099, key: 'app-key-1' } });
  const token = await loginUser(srv.url, app.appid, 'caller');
  const r = await call(srv.url, 'POST', '/v1/rtc/usersig', { token, body: { roomId: 1234, privilege: 42, expire: 600 } });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ sdkAppId: 1400000099, identifier: 'caller', expire: 600 });
  expect(verifyUserSig(r.body.userSig, { sdkAppId: 1400000099, key: 'app-key-1', identifier: 'caller' }).ok).toBe(true);
  const pmk = verifyUserSig(r.body.privateMapKey, { sdkAppId: 1400000099, key: 'app-key-1', identifier: 'caller' });
  expect(pmk.ok).toBe(true);
  const buf = Buffer.from(decodeUserSig(r.body.privateMapKey).userbuf!, 'base64');
  expect(buf.readUInt32BE(3 + 'caller'.length + 4)).toBe(1234); // room id
  expect(buf.readUInt32BE(3 + 'caller'.length + 12)).toBe(42); // privilege

  const plain = await call(srv.url, 'POST', '/v1/rtc/usersig', { token, body: {} });
  expect(plain.body.privateMapKey).toBeUndefined();
  expect(plain.body.expire).toBe(srv.config.USERSIG_EXPIRE_SECONDS);
});

it('refuses without a user token, with bad input, and for an app without Tencent settings', async () => {
  const app = await createApp(srv.url);
  const token = await loginUser(srv.url, app.appid, 'nokey');
  expect((await call(srv.url, 'POST', '/v1/rtc/usersig', { body: {} })).body.error.code).toBe('AUTH_REQUIRED');
  const bad = await call(srv.url, 'POST', '/v1/rtc/usersig', { token, body: { privilege: 999 } });
  expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  const none = await call(srv.url, 'POST', '/v1/rtc/usersig', { token, body: {} });
  expect([none.status, none.body.error.code]).toEqual([409, 'TENCENT_NOT_CONFIGURED']);
});
