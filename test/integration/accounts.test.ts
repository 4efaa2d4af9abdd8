import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, call, createApp, useStack } from '../helpers.js';
import { scanKeys } from '../../src/infra/redis.js';

const stack = useStack({}, { workers: false, app: { name: 'Acme' } });

describe('apps', () => {
  it('only the admin creates apps', async () => {
    expect((await call(stack.url, 'POST', '/v1/apps', { body: {} })).body.error.code).toBe('ADMIN_AUTH_FAILED');
    expect((await call(stack.url, 'POST', '/v1/apps', { token: 'wrong-token-xxxxxxxxxxxx', body: {} })).status).toBe(401);
    const r = await call(stack.url, 'POST', '/v1/apps', {
      token: ADMIN_TOKEN,
      body: { appid: 'fixed-id', name: 'Fixed', tencent: { sdkAppId: 1400000000, key: 'k' } },
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ appid: 'fixed-id', secret: expect.any(String) });
    const dup = await call(stack.url, 'POST', '/v1/apps', { token: ADMIN_TOKEN, body: { appid: 'fixed-id' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('APP_EXISTS');
  });

  it('validates the body and names the field', async () => {
    const r = await call(stack.url, 'POST', '/v1/apps', { token: ADMIN_TOKEN, body: { appid: 'NO SPACES', tencent: { sdkAppId: 'x' } } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.message).toMatch(/appid|sdkAppId/);
  });

  it('reads an app with its secret or the admin token, never the secret itself', async () => {
    const mine = await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}`, { basic: [stack.app.appid, stack.app.secret] });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ appid: stack.app.appid, name: 'Acme', selfRegister: true, tencent: null });
    expect(JSON.stringify(mine.body)).not.toContain(stack.app.secret);
    expect((await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}`, { token: ADMIN_TOKEN })).status).toBe(200);
    expect((await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}`, { basic: [stack.app.appid, 'wrong'] })).body.error.code).toBe(
      'APP_AUTH_FAILED',
    );
  });

  it('rotates the secret; the old one stops working unless a grace period is asked', async () => {
    const other = await createApp(stack.url);
    const rotated = await call(stack.url, 'POST', `/v1/apps/${other.appid}/secret`, { basic: [other.appid, other.secret], body: {} });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(other.secret);
    expect((await call(stack.url, 'GET', `/v1/apps/${other.appid}`, { basic: [other.appid, other.secret] })).status).toBe(401);
    expect((await call(stack.url, 'GET', `/v1/apps/${other.appid}`, { basic: [other.appid, rotated.body.secret] })).status).toBe(200);

    const graced = await call(stack.url, 'POST', `/v1/apps/${other.appid}/secret`, { token: ADMIN_TOKEN, body: { graceSeconds: 60 } });
    expect((await call(stack.url, 'GET', `/v1/apps/${other.appid}`, { basic: [other.appid, rotated.body.secret] })).status).toBe(200);
    expect((await call(stack.url, 'GET', `/v1/apps/${other.appid}`, { basic: [other.appid, graced.body.secret] })).status).toBe(200);
  });

  it('updates Tencent settings without echoing keys', async () => {
    const r = await call(stack.url, 'PATCH', `/v1/apps/${stack.app.appid}`, {
      basic: [stack.app.appid, stack.app.secret],
      body: { tencent: { sdkAppId: 1400000001, key: 'secret-key', callbackKey: 'cb' } },
    });
    expect(r.status).toBe(200);
    expect(r.body.tencent).toEqual({ sdkAppId: 1400000001, hasCallbackKey: true });
    expect(JSON.stringify(r.body)).not.toContain('secret-key');
  });
});

describe('users', () => {
  it('register → login → me → logout, with a distinct code for each failure', async () => {
    const reg = await call(stack.url, 'POST', '/v1/auth/register', {
      body: { appid: stack.app.appid, id: 'alice', password: 's3cret', role: 'teacher', name: 'Alice', profile: { lang: 'en' } },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({ id: 'alice', role: 'teacher', name: 'Alice', profile: { lang: 'en' } });
    expect(JSON.stringify(reg.body)).not.toContain('s3cret');

    const dup = await call(stack.url, 'POST', '/v1/auth/register', { body: { appid: stack.app.appid, id: 'alice', password: 'x' } });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'USER_EXISTS']);

    const unknown = await call(stack.url, 'POST', '/v1/auth/login', { body: { appid: stack.app.appid, id: 'bob', password: 'x' } });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'USER_NOT_FOUND']);
    const wrong = await call(stack.url, 'POST', '/v1/auth/login', { body: { appid: stack.app.appid, id: 'alice', password: 'nope' } });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'WRONG_PASSWORD']);
    const noApp = await call(stack.url, 'POST', '/v1/auth/login', { body: { appid: 'nosuchapp', id: 'alice', password: 's3cret' } });
    expect(noApp.body.error.code).toBe('APP_NOT_FOUND');

    const login = await call(stack.url, 'POST', '/v1/auth/login', { body: { appid: stack.app.appid, id: 'alice', password: 's3cret' } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ token: expect.stringMatching(new RegExp(`^${stack.app.appid}\\.`)), user: { id: 'alice' } });
    expect(login.body.expiresAt).toBeGreaterThan(Date.now());
    const token = login.body.token as string;

    const me = await call(stack.url, 'GET', '/v1/me', { token });
    expect(me.body).toMatchObject({ appid: stack.app.appid, user: { id: 'alice', role: 'teacher' } });

    expect((await call(stack.url, 'GET', '/v1/me')).body.error.code).toBe('AUTH_REQUIRED');
    expect((await call(stack.url, 'GET', '/v1/me', { token: `${stack.app.appid}.forged` })).body.error.code).toBe('TOKEN_INVALID');
    expect((await call(stack.url, 'GET', '/v1/me', { token: 'garbage' })).body.error.code).toBe('TOKEN_INVALID');

    expect((await call(stack.url, 'POST', '/v1/auth/logout', { token })).body).toEqual({ revoked: true });
    const after = await call(stack.url, 'GET', '/v1/me', { token });
    expect([after.status, after.body.error.code]).toEqual([401, 'TOKEN_REVOKED']);
    expect((await call(stack.url, 'POST', '/v1/auth/logout', { token })).body.error.code).toBe('TOKEN_REVOKED');
  });

  it('an expired token is told apart from an unknown one', async () => {
    const issued = await stack.srv.app.services.accounts.issueToken(stack.app.appid, { uid: 'shortlived', ttlSeconds: 60 });
    // Age the session in Redis rather than waiting a minute.
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(issued.token).digest('base64url');
    await stack.srv.app.core.redis.hset(stack.srv.app.core.keys.session(stack.app.appid, hash), 'exp', String(Date.now() - 1));
    const r = await call(stack.url, 'GET', '/v1/me', { token: issued.token });
    expect([r.status, r.body.error.code]).toEqual([401, 'TOKEN_EXPIRED']);
  });

  it('never stores the password or the token in clear', async () => {
    await call(stack.url, 'POST', '/v1/auth/register', { body: { appid: stack.app.appid, id: 'carol', password: 'plain-text-pw' } });
    const login = await call(stack.url, 'POST', '/v1/auth/login', { body: { appid: stack.app.appid, id: 'carol', password: 'plain-text-pw' } });
    const { redis, keys } = stack.srv.app.core;
    const user = await redis.hgetall(keys.user(stack.app.appid, 'carol'));
    expect(user.pwd).toMatch(/^scrypt\$/);
    expect(JSON.stringify(user)).not.toContain('plain-text-pw');
    const sessionKeys = await scanKeys(redis, `${stack.srv.config.KEY_PREFIX}:{${stack.app.appid}}:sess:*`);
    expect(sessionKeys.length).toBeGreaterThan(0);
    expect(sessionKeys.join()).not.toContain(login.body.token.split('.')[1]);
  });

  it('refuses self-registration when the app closes it, but its backend can still issue sessions', async () => {
    const closed = await createApp(stack.url, { selfRegister: false });
    const r = await call(stack.url, 'POST', '/v1/auth/register', { body: { appid: closed.appid, id: 'x', password: 'y' } });
    expect(r.body.error.code).toBe('REGISTRATION_CLOSED');
    const issued = await call(stack.url, 'POST', `/v1/apps/${closed.appid}/tokens`, {
      basic: [closed.appid, closed.secret],
      body: { uid: 'ext-42', role: 'agent' },
    });
    expect(issued.status).toBe(200);
    const me = await call(stack.url, 'GET', '/v1/me', { token: issued.body.token });
    expect(me.body.user).toMatchObject({ id: 'ext-42', role: 'agent' });
  });
});

describe('tenancy', () => {
  it("an app's credentials reach nothing of another app", async () => {
    const a = await createApp(stack.url);
    const b = await createApp(stack.url);
    await call(stack.url, 'POST', '/v1/auth/register', { body: { appid: b.appid, id: 'bee', password: 'pw' } });
    const r1 = await call(stack.url, 'GET', `/v1/apps/${b.appid}/users/bee`, { basic: [a.appid, a.secret] });
    expect([r1.status, r1.body.error.code]).toEqual([403, 'CROSS_TENANT']);
    const r2 = await call(stack.url, 'POST', `/v1/apps/${b.appid}/tokens`, { basic: [a.appid, a.secret], body: { uid: 'bee' } });
    expect(r2.body.error.code).toBe('CROSS_TENANT');
    const r3 = await call(stack.url, 'POST', '/v1/notify', {
      basic: [a.appid, a.secret],
      body: { appid: b.appid, to: { user: 'bee' }, event: 'x.y' },
    });
    expect(r3.body.error.code).toBe('CROSS_TENANT');
    // Same user id in two apps: two different users.
    await call(stack.url, 'POST', '/v1/auth/register', { body: { appid: a.appid, id: 'bee', password: 'other' } });
    const login = await call(stack.url, 'POST', '/v1/auth/login', { body: { appid: a.appid, id: 'bee', password: 'pw' } });
    expect(login.body.error.code).toBe('WRONG_PASSWORD');
    const listA = await call(stack.url, 'GET', `/v1/apps/${a.appid}/users`, { basic: [a.appid, a.secret] });
    expect(listA.body.users.map((u: { id: string }) => u.id)).toEqual(['bee']);
  });
});

describe('operations', () => {
  it('answers health, readiness, OpenAPI and 404 in the error envelope', async () => {
    expect((await call(stack.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await call(stack.url, 'GET', '/readyz')).body).toMatchObject({ status: 'ready', redis: 'PONG' });
    const doc = await call(stack.url, 'GET', '/docs/json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/apps', '/v1/auth/login', '/v1/me', '/v1/rtc/usersig', '/v1/notify']));
    const nf = await call(stack.url, 'GET', '/nope');
    expect(nf.body).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /nope' } });
    const badJson = await call(stack.url, 'POST', '/v1/auth/login', { body: '{not json' });
    expect([badJson.status, badJson.body.error.code]).toEqual([400, 'BAD_JSON']);
    const rid = await call(stack.url, 'GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(rid.headers.get('x-request-id')).toBe('abc-123');
  });
});

describe('SdkAppID index', () => {
  it('finds an app by its Tencent SdkAppID, follows updates, and refuses a second owner', async () => {
    const a = await createApp(stack.url, { tencent: { sdkAppId: 1400123456, key: 'k1' } });
    expect((await stack.srv.app.services.accounts.getAppBySdkAppId(1400123456)).appid).toBe(a.appid);
    const clash = await call(stack.url, 'POST', '/v1/apps', { token: ADMIN_TOKEN, body: { tencent: { sdkAppId: 1400123456, key: 'k2' } } });
    expect(clash.body.error.code).toBe('APP_EXISTS');
    await call(stack.url, 'PATCH', `/v1/apps/${a.appid}`, { basic: [a.appid, a.secret], body: { tencent: { sdkAppId: 1400654321, key: 'k1' } } });
    expect((await stack.srv.app.services.accounts.getAppBySdkAppId(1400654321)).appid).toBe(a.appid);
    await expect(stack.srv.app.services.accounts.getAppBySdkAppId(1400123456)).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
  });
});
