// Issue 16: the api fails fast while Redis is unreachable (killed, or stopped so that its TCP
// connection stays open), answers a Redis at maxmemory with 503 REDIS_OUT_OF_MEMORY, tells
// the truth on /readyz, and resumes by itself. A private redis-server with AOF (the
// project's redis.conf) is killed -9 and restarted on the same data, like production.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPrivateRedis } from '../../scripts/setup.mjs';
import { call, connect, createApp, loginUser, startServer, type TestServer } from '../helpers.js';

let dir: string;
let port: number;
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let srv: TestServer;
let admin: Redis;
let app: { appid: string; secret: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sw-outage-'));
  port = await freePort();
  redis = await startPrivateRedis({ dataDir: dir, port });
  srv = await startServer({ REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: 1000, LOG_LEVEL: 'error' });
  admin = new Redis(redis.url, { maxRetriesPerRequest: null, lazyConnect: false });
  admin.on('error', () => undefined);
  app = await createApp(srv.url);
}, 60_000);

afterAll(async () => {
  await srv?.close();
  admin?.disconnect();
  if (redis?.child.exitCode === null) redis.child.kill('SIGCONT');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const basic = () => ({ basic: [app.appid, app.secret] as [string, string] });
const topup = (uid: string, ref: string, amount: number) => call(srv.url, 'POST', '/v1/billing/topups', { ...basic(), body: { uid, amount, ref } });
const balanceOf = async (uid: string) => (await call(srv.url, 'GET', `/v1/billing/users/${uid}/balance`, basic())).body.balance as number;
/** Sends requests one after another until `stop` and records how each ended and when. */
async function hammer(send: () => Promise<{ status: number; body: { error?: { code: string } } | null; headers: Headers }>, stop: { done: boolean }) {
  const seen: Array<{ status: number; code?: string; retryAfter: string | null; at: number }> = [];
  while (!stop.done) {
    const r = await send().catch(() => null); // the server closing after a failed test
    if (!r) break;
    seen.push({ status: r.status, code: r.body?.error?.code, retryAfter: r.headers.get('retry-after'), at: Date.now() });
  }
  return seen;
}
async function whenBack<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await fn();
    if (ok(v) || i > 200) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Redis killed -9 under requests, then restarted on its AOF', () => {
  it('every request answers at once while Redis is down (503 REDIS_UNAVAILABLE, Retry-After), nothing is half-written, all resumes', async () => {
    await loginUser(srv.url, app.appid, 'payer');
    expect((await topup('payer', 'before', 500)).status).toBe(200);
    const { socket } = await connect(srv.url, await loginUser(srv.url, app.appid, 'talker'));

    const stop = { done: false };
    let n = 0;
    // A writer: distinct top-ups, each acknowledged (200) or refused (503); the balance must
    // end as the sum of the acknowledged ones once the same refs are replayed.
    const writes = hammer(() => topup('payer', `w${n++}`, 1), stop);
    await new Promise((r) => setTimeout(r, 300));
    redis.child.kill('SIGKILL');
    await new Promise((r) => redis.child.once('exit', r));
    const downAt = Date.now();

    // While Redis is down (kept down 6 s): HTTP and socket requests answer, and answer 503.
    const during: Array<{ status: number; code?: string; retryAfter: string | null; answeredAt: number }> = [];
    for (let i = 0; i < 5; i++) {
      const r = await call(srv.url, 'POST', '/v1/auth/login', { body: { appid: app.appid, id: 'payer', password: 'pw-payer' } });
      during.push({ status: r.status, code: r.body?.error?.code, retryAfter: r.headers.get('retry-after'), answeredAt: Date.now() });
    }
    const ack: unknown = await socket
      .timeout(5000)
      .emitWithAck('billing.balance', {})
      .catch((e: Error) => ({ timeout: e.message }));
    const readyz = await call(srv.url, 'GET', '/readyz');
    await new Promise((r) => setTimeout(r, Math.max(0, downAt + 6000 - Date.now())));
    const restartAt = Date.now();
    redis = await startPrivateRedis({ dataDir: dir, port });

    for (const d of during) expect(d).toMatchObject({ status: 503, code: 'REDIS_UNAVAILABLE', retryAfter: '1' });
    expect(Math.max(...during.map((d) => d.answeredAt))).toBeLessThan(restartAt); // none waited for Redis to come back
    expect(ack).toMatchObject({ ok: false, error: { code: 'REDIS_UNAVAILABLE' } });
    expect(readyz.status).toBe(503);

    // It resumes by itself: the same requests succeed again without any restart of the api.
    const back = await whenBack(
      () => call(srv.url, 'POST', '/v1/auth/login', { body: { appid: app.appid, id: 'payer', password: 'pw-payer' } }),
      (r) => r.status === 200,
    );
    expect(back.status).toBe(200);
    stop.done = true;
    const seen = await writes;
    expect(seen.every((s) => s.status === 200 || (s.status === 503 && s.code === 'REDIS_UNAVAILABLE'))).toBe(true);
    expect(seen.filter((s) => s.status === 503 && s.at >= downAt && s.at < restartAt).length).toBeGreaterThan(0);
    // Nothing half-written, nothing lost: replaying every ref (a ledger entry is once per ref)
    // credits exactly the refused ones; the balance is then 500 + one per ref.
    for (let i = 0; i < n; i++) expect((await topup('payer', `w${i}`, 1)).status).toBe(200);
    expect(await balanceOf('payer')).toBe(500 + n);
    expect((await call(srv.url, 'GET', '/readyz')).status).toBe(200);
    socket.close();
  }, 60_000);
});

describe('Redis stopped (SIGSTOP): the connection stays open, Redis answers nothing', () => {
  it('requests answer 503 after REDIS_COMMAND_TIMEOUT_MS, before Redis resumes; then succeed', async () => {
    await whenBack(
      () => call(srv.url, 'GET', '/readyz'),
      (r) => r.status === 200,
    );
    redis.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    const r = await call(srv.url, 'POST', '/v1/auth/login', { body: { appid: app.appid, id: 'payer', password: 'pw-payer' } });
    const answeredAt = Date.now();
    await new Promise((res) => setTimeout(res, Math.max(0, stoppedAt + 5000 - Date.now())));
    redis.child.kill('SIGCONT');
    expect(r).toMatchObject({ status: 503, body: { error: { code: 'REDIS_UNAVAILABLE' } } });
    expect(answeredAt).toBeLessThan(stoppedAt + 5000); // answered while Redis was still stopped
    const back = await whenBack(
      () => call(srv.url, 'POST', '/v1/auth/login', { body: { appid: app.appid, id: 'payer', password: 'pw-payer' } }),
      (x) => x.status === 200,
    );
    expect(back.status).toBe(200);
  }, 30_000);
});

describe('Redis at maxmemory (noeviction) and eviction-policy drift', () => {
  it('writes answer 503 REDIS_OUT_OF_MEMORY (never 500), nothing is evicted, balances stay exact, /readyz says why; all resumes when memory is raised', async () => {
    await whenBack(
      () => call(srv.url, 'GET', '/readyz'),
      (r) => r.status === 200,
    );
    await loginUser(srv.url, app.appid, 'saver');
    expect((await topup('saver', 'oom-before', 7)).status).toBe(200);
    const balance = await balanceOf('saver');
    const keysBefore = await admin.dbsize();
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1]);
    await admin.config('SET', 'maxmemory', String(used + 256 * 1024));
    // Fill past the limit with a filler of our own: Redis refuses a write once used memory is
    // above maxmemory, so big values first, then smaller ones until even those are refused.
    let f = 0;
    for (const size of [64 * 1024, 1024, 64]) {
      while (
        await admin.set(`filler:${f++}`, 'x'.repeat(size)).then(
          () => true,
          () => false,
        )
      );
    }
    try {
      const refused = [
        await topup('saver', 'oom-1', 5),
        await call(srv.url, 'POST', '/v1/auth/register', { body: { appid: app.appid, id: 'newcomer', password: 'pw-newcomer' } }),
        await call(srv.url, 'POST', `/v1/apps/${app.appid}/tokens`, { ...basic(), body: { uid: 'saver' } }),
      ];
      for (const r of refused) {
        expect(r.status).toBe(503);
        expect(r.body.error.code).toBe('REDIS_OUT_OF_MEMORY');
        expect(r.headers.get('retry-after')).toBe('5');
      }
      const readyz = await call(srv.url, 'GET', '/readyz');
      expect(readyz.status).toBe(503);
      expect(readyz.body.reasons.join(' ')).toMatch(/out of memory/);
      expect(await balanceOf('saver')).toBe(balance); // reads still work; nothing was credited
      const metrics = await call(srv.url, 'GET', '/metrics', { token: srv.config.ADMIN_TOKEN! });
      expect(String(metrics.body)).toMatch(/switchboard_errors_total\{[^}]*code="REDIS_OUT_OF_MEMORY"[^}]*\} [1-9]/);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    expect(await admin.dbsize()).toBeGreaterThanOrEqual(keysBefore); // noeviction: nothing was dropped
    expect((await topup('saver', 'oom-1', 5)).status).toBe(200);
    expect(await balanceOf('saver')).toBe(balance + 5);
    const fillers = await admin.keys('filler:*');
    if (fillers.length) await admin.del(...fillers);
  }, 60_000);

  it('/readyz is 503 naming the policy when maxmemory-policy drifts from noeviction, 200 once it is back', async () => {
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    try {
      const r = await call(srv.url, 'GET', '/readyz');
      expect(r.status).toBe(503);
      expect(r.body.reasons.join(' ')).toMatch(/maxmemory-policy is "allkeys-lru", not noeviction/);
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
    }
    expect((await call(srv.url, 'GET', '/readyz')).body).toMatchObject({ status: 'ready', redis: 'PONG' });
  });
});
