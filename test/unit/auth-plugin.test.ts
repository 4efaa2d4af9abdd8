// The auth hook on a bare Fastify (no Redis): which routes it guards, where it runs, what it
// leaves on the request. The credentials themselves are checked in the integration tests.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/infra/errors.js';
import { security } from '../../src/infra/http.js';
import { assertOwnApp, registerAuth, type Auth } from '../../src/modules/accounts/auth-plugin.js';
import type { AppRecord, UserSession } from '../../src/modules/accounts/service.js';

const session = { appid: 'a1', uid: 'u1' } as UserSession;
const record = { appid: 'a1' } as AppRecord;
const calls: string[] = [];
const auth: Auth = {
  async user(req) {
    calls.push('user');
    if (req.headers.authorization !== 'Bearer ok') throw new AppError('AUTH_REQUIRED', 'a user token is required');
    return session;
  },
  async app() {
    calls.push('app');
    return record;
  },
  admin() {
    calls.push('admin');
  },
  async appOrAdmin() {
    calls.push('appOrAdmin');
    return { kind: 'app', app: record };
  },
  async appOrUser() {
    calls.push('appOrUser');
    return { kind: 'user', session };
  },
};

async function build() {
  const app = Fastify();
  registerAuth(app, auth);
  app.setErrorHandler((err: Error & { status?: number; statusCode?: number; code?: string }, _req, reply) =>
    reply.code(err.status ?? err.statusCode ?? 500).send({ code: err.code }),
  );
  app.get('/open', async (req) => ({ caller: req.caller ?? null }));
  app.get('/user', { schema: { security: security.user } }, async (req) => ({ uid: req.session.uid, kind: req.caller.kind }));
  app.post(
    '/app/:appid',
    {
      schema: {
        security: security.appOrAdmin,
        body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
      },
      preHandler: async () => void calls.push('own preHandler'),
    },
    async (req) => {
      assertOwnApp(req, (req.params as { appid: string }).appid);
      return { appid: req.appRecord.appid };
    },
  );
  app.get('/metrics', { schema: { security: [{ metricsToken: [] }] } }, async (req) => ({ caller: req.caller ?? null }));
  return app;
}

describe('auth hook by route security', () => {
  it('authenticates as declared, after the route’s own preHandlers, and leaves other routes alone', async () => {
    const app = await build();
    calls.length = 0;
    expect((await app.inject({ method: 'GET', url: '/open' })).json()).toEqual({ caller: null });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).json()).toEqual({ caller: null });
    expect(calls).toEqual([]);

    expect((await app.inject({ method: 'GET', url: '/user', headers: { authorization: 'Bearer ok' } })).json()).toEqual({ uid: 'u1', kind: 'user' });
    const refused = await app.inject({ method: 'GET', url: '/user' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({ code: 'AUTH_REQUIRED' });

    calls.length = 0;
    const ok = await app.inject({ method: 'POST', url: '/app/a1', payload: { n: 1 } });
    expect(ok.json()).toEqual({ appid: 'a1' });
    expect(calls).toEqual(['own preHandler', 'appOrAdmin']);
    await app.close();
  });

  it('validates before authenticating; the :appid check stays the handler’s (CROSS_TENANT)', async () => {
    const app = await build();
    calls.length = 0;
    expect((await app.inject({ method: 'POST', url: '/app/a1', payload: {} })).statusCode).toBe(400);
    expect(calls).toEqual([]);
    const other = await app.inject({ method: 'POST', url: '/app/a2', payload: { n: 1 } });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toEqual({ code: 'CROSS_TENANT' });
    await app.close();
  });

  it('authenticates a HEAD route once', async () => {
    const app = await build();
    calls.length = 0;
    expect((await app.inject({ method: 'HEAD', url: '/user', headers: { authorization: 'Bearer ok' } })).statusCode).toBe(200);
    expect(calls).toEqual(['user']);
    await app.close();
  });
});
