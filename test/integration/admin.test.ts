// Administration: bull-board behind the admin token, app secrets (list without values,
// rotate with and without grace, end a grace early), the user list with paging and filters,
// and force-disconnect of a user whose socket is on another api node.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../src/modules/index.js';
import { secretId } from '../../src/modules/accounts/service.js';
import { ADMIN_TOKEN, call, connect, createApp, nextEvent, startServer, testConfig, until, type HttpError, type TestServer } from '../helpers.js';

let srv: TestServer;
let node2: TestServer;
let app: { appid: string; secret: string };
const open: Socket[] = [];

beforeAll(async () => {
  const config = testConfig();
  srv = await startServer({}, config);
  node2 = await startServer({}, { ...config }); // a second api node on the same Redis and prefixes
  app = await createApp(srv.url);
});
afterAll(async () => {
  for (const s of open) s.close();
  await node2?.close();
  await srv?.close();
});

const basicHeader = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('bull-board at /admin/queues', () => {
  it('refuses without the admin token (with a Basic challenge for browsers)', async () => {
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer not-the-admin-token-000' },
      { authorization: basicHeader('admin', 'wrong-password') },
      { authorization: basicHeader(app.appid, app.secret) },
    ];
    for (const headers of refused) {
      const res = await fetch(`${srv.url}/admin/queues`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="Switchboard queues"/);
      expect(((await res.json()) as HttpError).error.code).toBe('ADMIN_AUTH_FAILED');
    }
    // The board's JSON API and its static files are guarded too.
    expect((await fetch(`${srv.url}/admin/queues/api/queues`)).status).toBe(401);
    expect((await fetch(`${srv.url}/admin/queues/static/favicon-32x32.png`)).status).toBe(401);
  });

  it('serves the page and every queue of the catalogue with Bearer or Basic (any user, the admin token as password)', async () => {
    const page = await fetch(`${srv.url}/admin/queues`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('Switchboard queues');
    expect(html).toContain('<base href="/admin/queues/"');

    const api = await fetch(`${srv.url}/admin/queues/api/queues`, { headers: { authorization: basicHeader('ops', ADMIN_TOKEN) } });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(Object.keys(QUEUES).sort());
    expect(body.queues.find((q) => q.name === 'notify')!.counts).toMatchObject({ failed: expect.any(Number), waiting: expect.any(Number) });
  });

  it('is not mounted without ADMIN_TOKEN', async () => {
    const bare = await startServer({ ADMIN_TOKEN: undefined });
    try {
      expect(bare.config.ADMIN_TOKEN).toBeUndefined();
      const res = await fetch(`${bare.url}/admin/queues`, { headers: { authorization: basicHeader('x', ADMIN_TOKEN) } });
      expect(res.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe('app secrets', () => {
  it('lists working secrets by id, never their values, to the app and the admin; refuses other callers', async () => {
    const other = await createApp(srv.url);
    const mine = await call(srv.url, 'GET', `/v1/apps/${app.appid}/secrets`, { basic: [app.appid, app.secret] });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      appid: app.appid,
      secrets: [{ id: secretId(app.secret), state: 'current', createdAt: expect.any(Number), expiresAt: null }],
    });
    expect(JSON.stringify(mine.body)).not.toContain(app.secret);
    expect((await call(srv.url, 'GET', `/v1/apps/${app.appid}/secrets`, { basic: [other.appid, other.secret] })).body.error.code).toBe(
      'CROSS_TENANT',
    );

    const all = await call(srv.url, 'GET', '/v1/admin/secrets', { token: ADMIN_TOKEN });
    expect(all.status).toBe(200);
    const ids = new Map(
      (all.body.apps as Array<{ appid: string; secrets: Array<{ id: string }> }>).map((a) => [a.appid, a.secrets.map((s) => s.id)]),
    );
    expect(ids.get(other.appid)).toEqual([secretId(other.secret)]);
    expect(JSON.stringify(all.body)).not.toContain(other.secret);
    expect((await call(srv.url, 'GET', '/v1/admin/secrets', { basic: [app.appid, app.secret] })).body.error.code).toBe('ADMIN_AUTH_FAILED');
  });

  it('rotation without grace refuses the old secret at once', async () => {
    const a = await createApp(srv.url);
    const r = await call(srv.url, 'POST', `/v1/apps/${a.appid}/secret`, { token: ADMIN_TOKEN, body: {} });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      appid: a.appid,
      secret: expect.any(String),
      id: secretId(r.body.secret),
      createdAt: expect.any(Number),
      previous: null,
    });
    expect((await call(srv.url, 'GET', `/v1/apps/${a.appid}`, { basic: [a.appid, a.secret] })).body.error.code).toBe('APP_AUTH_FAILED');
    expect((await call(srv.url, 'GET', `/v1/apps/${a.appid}`, { basic: [a.appid, r.body.secret] })).status).toBe(200);
  });

  it('rotation with grace keeps the old secret until it expires, listed as previous; deleting it ends the grace now', async () => {
    const a = await createApp(srv.url);
    const r = await call(srv.url, 'POST', `/v1/apps/${a.appid}/secret`, { basic: [a.appid, a.secret], body: { graceSeconds: 1 } });
    expect(r.body.previous).toEqual({ id: secretId(a.secret), expiresAt: expect.any(Number) });
    const list = await call(srv.url, 'GET', `/v1/apps/${a.appid}/secrets`, { token: ADMIN_TOKEN });
    expect(list.body.secrets).toEqual([
      { id: secretId(r.body.secret), state: 'current', createdAt: r.body.createdAt, expiresAt: null },
      { id: secretId(a.secret), state: 'previous', createdAt: expect.any(Number), expiresAt: r.body.previous.expiresAt },
    ]);
    expect((await call(srv.url, 'GET', `/v1/apps/${a.appid}`, { basic: [a.appid, a.secret] })).status).toBe(200);
    // The grace runs out: the old secret is refused and no longer listed.
    await until(
      async () => (await call(srv.url, 'GET', `/v1/apps/${a.appid}`, { basic: [a.appid, a.secret] })).status === 401,
      5000,
      'the grace to end',
    );
    expect(
      (await call(srv.url, 'GET', `/v1/apps/${a.appid}/secrets`, { token: ADMIN_TOKEN })).body.secrets.map((s: { state: string }) => s.state),
    ).toEqual(['current']);

    // A long grace ended early by deleting the previous secret.
    const r2 = await call(srv.url, 'POST', `/v1/apps/${a.appid}/secret`, { token: ADMIN_TOKEN, body: { graceSeconds: 3600 } });
    expect((await call(srv.url, 'GET', `/v1/apps/${a.appid}`, { basic: [a.appid, r.body.secret] })).status).toBe(200);
    expect((await call(srv.url, 'DELETE', `/v1/apps/${a.appid}/secrets/${secretId(r2.body.secret)}`, { token: ADMIN_TOKEN })).body.error.code).toBe(
      'SECRET_IS_CURRENT',
    );
    expect((await call(srv.url, 'DELETE', `/v1/apps/${a.appid}/secrets/nope`, { token: ADMIN_TOKEN })).body.error.code).toBe('SECRET_NOT_FOUND');
    expect((await call(srv.url, 'DELETE', `/v1/apps/${a.appid}/secrets/${secretId(r.body.secret)}`, { token: ADMIN_TOKEN })).status).toBe(204);
    expect((await call(srv.url, 'GET', `/v1/apps/${a.appid}`, { basic: [a.appid, r.body.secret] })).body.error.code).toBe('APP_AUTH_FAILED');
    expect((await call(srv.url, 'GET', `/v1/apps/${a.appid}`, { basic: [a.appid, r2.body.secret] })).status).toBe(200);
  });
});

describe('users of an app', () => {
  it('pages in creation order and filters by role and id prefix, for the admin and the app', async () => {
    const a = await createApp(srv.url);
    const ids = ['t1', 's1', 's2', 't2', 's3', 'x1', 's4'];
    for (const id of ids) {
      const role = id.startsWith('t') ? 'teacher' : 'student';
      expect((await call(srv.url, 'POST', `/v1/apps/${a.appid}/tokens`, { basic: [a.appid, a.secret], body: { uid: id, role } })).status).toBe(200);
    }
    const page = (q: string) => call(srv.url, 'GET', `/v1/apps/${a.appid}/users${q}`, { token: ADMIN_TOKEN });

    const seen: string[] = [];
    let next: number | null = 0;
    while (next !== null) {
      const r = await page(`?offset=${next}&limit=3`);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(7);
      seen.push(...r.body.users.map((u: { id: string }) => u.id));
      next = r.body.next;
    }
    expect(seen).toEqual(ids);

    const teachers = await page('?role=teacher');
    expect(teachers.body.users.map((u: { id: string }) => u.id)).toEqual(['t1', 't2']);
    expect(teachers.body.next).toBeNull();
    // A filtered page stops at `limit` matches and says where to go on.
    const s1 = await page('?prefix=s&limit=2');
    expect(s1.body.users.map((u: { id: string }) => u.id)).toEqual(['s1', 's2']);
    const s2 = await page(`?prefix=s&limit=2&offset=${s1.body.next}`);
    expect(s2.body.users.map((u: { id: string }) => u.id)).toEqual(['s3', 's4']);
    expect(s2.body.next).toBeNull();
    expect((await page('?role=teacher&prefix=s')).body.users).toEqual([]);

    expect((await call(srv.url, 'GET', `/v1/apps/${a.appid}/users?role=teacher`, { basic: [a.appid, a.secret] })).body.users).toHaveLength(2);
    const bad = await page('?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/limit/);
    expect((await page('?role=Not%20A%20Role')).body.error.message).toMatch(/role/);
  });
});

describe('OpenAPI', () => {
  it('documents the admin routes with their schemas and keeps the board out', async () => {
    const doc = (await call(srv.url, 'GET', '/docs/json')).body;
    for (const path of [
      '/metrics',
      '/v1/admin/secrets',
      '/v1/apps/{appid}/secrets',
      '/v1/apps/{appid}/secrets/{id}',
      '/v1/apps/{appid}/users/{uid}/disconnect',
    ])
      expect(doc.paths, path).toHaveProperty([path]);
    const disconnect = doc.paths['/v1/apps/{appid}/users/{uid}/disconnect'].post;
    expect(Object.keys(disconnect.requestBody.content['application/json'].schema.properties)).toEqual(['reason', 'revoke']);
    expect(doc.paths['/v1/apps/{appid}/users'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['offset', 'limit', 'role', 'prefix']),
    );
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/admin/queues'))).toEqual([]);
  });
});

describe('force-disconnect', () => {
  async function session(uid: string) {
    const r = await call(srv.url, 'POST', `/v1/apps/${app.appid}/tokens`, { basic: [app.appid, app.secret], body: { uid } });
    expect(r.status).toBe(200);
    return r.body.token as string;
  }

  it("closes the user's socket on another node with the reason; the token still opens a new one", async () => {
    const token = await session('kick-me');
    const { socket } = await connect(node2.url, token); // on node 2; the call goes to node 1
    open.push(socket);
    const revoked = nextEvent(socket, 'session.revoked');
    const closed = nextEvent<string>(socket, 'disconnect');
    const r = await call(srv.url, 'POST', `/v1/apps/${app.appid}/users/kick-me/disconnect`, { token: ADMIN_TOKEN, body: { reason: 'maintenance' } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ sockets: 1, revoked: 0 });
    expect(await revoked).toEqual({ code: 'SESSION_CLOSED', message: 'maintenance' });
    expect(await closed).toBe('io server disconnect');
    const again = await connect(node2.url, token);
    open.push(again.socket);
    expect(again.socket.connected).toBe(true);
  });

  it('with revoke, also revokes every token of the user: reconnecting is refused', async () => {
    const t1 = await session('ban-me');
    const t2 = await session('ban-me');
    const a = await connect(node2.url, t1);
    const b = await connect(srv.url, t2);
    open.push(a.socket, b.socket);
    const events = [nextEvent(a.socket, 'session.revoked'), nextEvent(b.socket, 'session.revoked')];
    const r = await call(srv.url, 'POST', `/v1/apps/${app.appid}/users/ban-me/disconnect`, {
      basic: [app.appid, app.secret],
      body: { revoke: true },
    });
    expect(r.body).toEqual({ sockets: 2, revoked: 2 });
    for (const e of await Promise.all(events)) expect(e).toEqual({ code: 'TOKEN_REVOKED', message: 'disconnected by the administrator' });
    await expect(connect(node2.url, t1)).rejects.toMatchObject({ data: { code: 'TOKEN_REVOKED' } });
  });

  it('validates the body, refuses unknown users and other apps', async () => {
    const bad = await call(srv.url, 'POST', `/v1/apps/${app.appid}/users/kick-me/disconnect`, { token: ADMIN_TOKEN, body: { reason: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/reason/);
    expect(
      (await call(srv.url, 'POST', `/v1/apps/${app.appid}/users/kick-me/disconnect`, { token: ADMIN_TOKEN, body: { revoke: 'yes', extra: 1 } }))
        .status,
    ).toBe(400);
    expect((await call(srv.url, 'POST', `/v1/apps/${app.appid}/users/nobody/disconnect`, { token: ADMIN_TOKEN, body: {} })).body.error.code).toBe(
      'USER_NOT_FOUND',
    );
    const other = await createApp(srv.url);
    expect(
      (await call(srv.url, 'POST', `/v1/apps/${app.appid}/users/kick-me/disconnect`, { basic: [other.appid, other.secret], body: {} })).body.error
        .code,
    ).toBe('CROSS_TENANT');
  });
});
