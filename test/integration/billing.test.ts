import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createBillingStore } from '../../src/modules/billing/store.js';
import type { CallViewT } from '../../src/modules/billing/schemas.js';
import {
  call,
  connect,
  createApp,
  loginUser,
  nextEvent,
  sleep,
  startServer,
  startTestWorkers,
  type TestServer,
  collect,
  until,
  type TestSnapshot,
  useStack,
} from '../helpers.js';
import { isCluster, readyOf, type RedisClient } from '../../src/infra/redis.js';

/** Another connection like `redis` (Redis and Cluster each have their own duplicate()). */
const duplicateOf = (redis: RedisClient): RedisClient => (isCluster(redis) ? redis.duplicate() : redis.duplicate());

// Small periods: a tick every 200 ms, claimed every 20 ms; prices use 1 s units.
const FAST: Partial<Config> = {
  CHARGE_TICK_SECONDS: 0.2,
  CHARGE_SWEEP_INTERVAL_MS: 20,
  CHARGE_TICK_LEASE_MS: 1000,
  CHARGE_LOW_UNITS: 2,
  CHARGE_RECONCILE_TOLERANCE_SECONDS: 2,
};

const stack = useStack(FAST);
const ended: Array<{ appid: string; call: CallViewT }> = [];

beforeAll(async () => {
  const { srv, workers, app } = stack;
  // Hooks run on the node that ended the call (api for REST ends, worker for balance ends): both have them, as with services.ts.
  for (const services of [srv.app.services, workers.services]) services.billing.onEnded(async (appid, c) => void ended.push({ appid, call: c }));
  await call(srv.url, 'PUT', '/v1/billing/prices/default', { basic: [app.appid, app.secret], body: { unitPrice: 100, unitSeconds: 1 } });
});

const basic = (): [string, string] => [stack.app.appid, stack.app.secret];

async function user(id: string, balance = 0): Promise<{ token: string; socket: Socket; snapshot: TestSnapshot }> {
  const token = await loginUser(stack.url, stack.app.appid, id);
  if (balance > 0)
    expect(
      (await call(stack.url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid: id, amount: balance, ref: `init-${id}` } })).status,
    ).toBe(200);
  const { socket, snapshot } = await connect(stack.url, token);
  stack.track(socket);
  return { token, socket, snapshot };
}

async function ledgerOfCall(callId: string, base = stack.srv) {
  const r = await call(base.url, 'GET', `/v1/billing/calls/${callId}/ledger?limit=500`, { basic: basic() });
  expect(r.status).toBe(200);
  return r.body.entries as Array<{ key: string; unit: number; amount: number; balance: number }>;
}

/** Each unit 1..n exactly once, in order, no other entries. */
function expectUnitsOnce(entries: Array<{ key: string; unit: number }>, callId: string, n: number) {
  const keys = entries.map((e) => e.key).sort();
  expect(keys).toEqual(Array.from({ length: n }, (_, i) => `call:${callId}:unit:${i + 1}`).sort());
}

describe('ledger', () => {
  it('applies 50 concurrent replays of one top-up or debit once, and returns the original entry', async () => {
    await user('l-a');
    const topups = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(stack.url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid: 'l-a', amount: 1000, ref: 'pay-1' } }),
      ),
    );
    expect(topups.every((r) => r.status === 200)).toBe(true);
    expect(topups.filter((r) => !r.body.replayed)).toHaveLength(1);
    const ids = new Set(topups.map((r) => r.body.entry.id));
    expect(ids.size).toBe(1);
    expect(topups[0]!.body.entry).toMatchObject({ key: 'topup:pay-1', uid: 'l-a', kind: 'topup', amount: 1000, balance: 1000 });

    const debits = await Promise.all(
      Array.from({ length: 50 }, () => stack.workers.services.billing.adjust(stack.app.appid, { uid: 'l-a', amount: -10, ref: 'fix-1' })),
    );
    expect(debits.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(debits.map((r) => r.entry.id)).size).toBe(1);
    expect(await stack.workers.services.billing.balance(stack.app.appid, 'l-a')).toBe(990);

    const ledger = await call(stack.url, 'GET', '/v1/billing/users/l-a/ledger', { basic: basic() });
    expect(ledger.body.entries.map((e: { key: string; amount: number; balance: number }) => [e.key, e.amount, e.balance])).toEqual([
      ['adjust:fix-1', -10, 990],
      ['topup:pay-1', 1000, 1000],
    ]);

    // The same ref for another amount is a conflict, not a replay.
    const conflict = await call(stack.url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid: 'l-a', amount: 5, ref: 'pay-1' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('never lets a balance go negative under concurrent debits', async () => {
    await user('l-b', 100);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => stack.workers.services.billing.adjust(stack.app.appid, { uid: 'l-b', amount: -30, ref: `d-${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.every((r) => r.reason.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    expect(await stack.workers.services.billing.balance(stack.app.appid, 'l-b')).toBe(10);
    const over = await call(stack.url, 'POST', '/v1/billing/adjustments', { basic: basic(), body: { uid: 'l-b', amount: -11, ref: 'too-much' } });
    expect(over.status).toBe(402);
    expect(over.body.error.code).toBe('INSUFFICIENT_BALANCE');
  });

  it('names the bad field, refuses floats, unknown users and other callers', async () => {
    const u = await user('l-c');
    const float = await call(stack.url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid: 'l-c', amount: 1.5, ref: 'x' } });
    expect(float.status).toBe(400);
    expect(float.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('amount') });
    const noRef = await call(stack.url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid: 'l-c', amount: 1 } });
    expect(noRef.body.error.message).toContain('ref');
    expect(
      (await call(stack.url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid: 'nobody', amount: 1, ref: 'y' } })).body.error.code,
    ).toBe('USER_NOT_FOUND');
    // A user tops up nobody, reads only their own balance.
    expect((await call(stack.url, 'POST', '/v1/billing/topups', { token: u.token, body: { uid: 'l-c', amount: 1, ref: 'z' } })).status).toBe(401);
    expect((await call(stack.url, 'GET', '/v1/billing/users/l-a/balance', { token: u.token })).body.error.code).toBe('FORBIDDEN');
    expect((await call(stack.url, 'GET', '/v1/billing/balance', { token: u.token })).body).toEqual({ uid: 'l-c', balance: 0 });
    const bad = await u.socket.emitWithAck('billing.call', { callId: 'a b' });
    expect(bad.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^invalid billing.call payload: callId/) });
  });
});

describe('prices', () => {
  it('prices a language pair in both directions unless directional, else the default', async () => {
    const other = await createApp(stack.url);
    const b: [string, string] = [other.appid, other.secret];
    await call(stack.url, 'PUT', '/v1/billing/prices/CN-EN', { basic: b, body: { unitPrice: 300 } });
    await call(stack.url, 'PUT', '/v1/billing/prices/JP-EN', { basic: b, body: { unitPrice: 500, unitSeconds: 30, directional: true } });
    const svc = stack.workers.services.billing;
    expect(await svc.resolvePrice(other.appid, 'EN-CN')).toEqual({ priceKey: 'CN-EN', unitPrice: 300, unitSeconds: 60, directional: false });
    await expect(svc.resolvePrice(other.appid, 'EN-JP')).rejects.toMatchObject({ code: 'PRICE_NOT_FOUND' });
    await call(stack.url, 'PUT', '/v1/billing/prices/default', { basic: b, body: { unitPrice: 50 } });
    expect((await svc.resolvePrice(other.appid, 'EN-JP')).priceKey).toBe('default');
    expect((await svc.resolvePrice(other.appid, 'JP-EN')).unitSeconds).toBe(30);
    const list = await call(stack.url, 'GET', '/v1/billing/prices', { basic: b });
    expect(list.body.prices.map((p: { priceKey: string }) => p.priceKey)).toEqual(['CN-EN', 'JP-EN', 'default']);
    const bad = await call(stack.url, 'PUT', '/v1/billing/prices/CN-EN', { basic: b, body: { unitPrice: -1 } });
    expect(bad.body.error.message).toContain('unitPrice');
  });
});

describe('metered calls', () => {
  it('debits unit 1 at once, ticks both sides with units, amount and balance, reconciles and confirms', async () => {
    const payer = await user('m-payer', 10_000);
    const payee = await user('m-payee');
    const started = nextEvent(payee.socket, 'charge.started');
    const payerTicks = collect(payer.socket, 'charge.tick');
    const payeeTicks = collect(payee.socket, 'charge.tick');
    const begin = await call(stack.url, 'POST', '/v1/billing/calls', {
      basic: basic(),
      body: { callId: 'c1', payer: 'm-payer', payee: 'm-payee', priceKey: 'CN-EN' },
    });
    expect(begin.status).toBe(200);
    expect(begin.body).toMatchObject({ callId: 'c1', state: 'active', units: 1, amount: 100, unitPrice: 100, unitSeconds: 1, priceKey: 'default' });
    expect(await started).toMatchObject({ callId: 'c1', units: 1 });
    expect(await stack.workers.services.billing.balance(stack.app.appid, 'm-payer')).toBe(9900);
    // Beginning again is idempotent.
    expect(
      (await call(stack.url, 'POST', '/v1/billing/calls', { basic: basic(), body: { callId: 'c1', payer: 'm-payer', payee: 'm-payee' } })).body.units,
    ).toBe(1);
    expect(
      (await call(stack.url, 'POST', '/v1/billing/calls', { basic: basic(), body: { callId: 'c1', payer: 'm-payee', payee: 'm-payer' } })).body.error
        .code,
    ).toBe('CALL_EXISTS');

    // The snapshot of a (re)connecting payer carries the balance and the active call.
    const again = await connect(stack.url, payer.token);
    stack.track(again.socket);
    expect(again.snapshot.billing).toMatchObject({ balance: expect.any(Number), calls: [{ callId: 'c1', state: 'active' }] });
    expect((await payee.socket.emitWithAck('billing.balance', {})).data).toMatchObject({ balance: 0, calls: [{ callId: 'c1', payer: 'm-payer' }] });

    await until(() => payerTicks.some((t) => t.units >= 3), 5000, 'unit 3');
    await sleep(250);
    for (const t of payerTicks) {
      expect(t.units).toBe(Math.floor(t.elapsedMs / 1000) + 1);
      expect(t.amount).toBe(t.units * 100);
      expect(t.balance).toBe(10_000 - t.amount);
      expect(t).toMatchObject({ callId: 'c1', payer: 'm-payer', payee: 'm-payee', unitPrice: 100, unitSeconds: 1 });
      expect(t.due).toBeGreaterThan(begin.body.startedAt);
    }
    // Ticks come every 200 ms, numbered, to both sides.
    expect(payerTicks.map((t) => t.seq)).toEqual(payerTicks.map((_, i) => i + 1));
    await until(() => payeeTicks.length >= payerTicks.length, 1000, 'payee ticks');
    expect(payeeTicks.slice(0, payerTicks.length).map((t) => t.seq)).toEqual(payerTicks.map((t) => t.seq));
    const gaps = payerTicks.slice(1).map((t, i) => t.due - payerTicks[i]!.due);
    expect(gaps.every((g) => g > 0 && g <= 200)).toBe(true);

    // charge/update: a measure close to the server's is not a difference; a far one is kept.
    const rep = await call(stack.url, 'POST', '/v1/billing/calls/c1/report', { token: payee.token, body: { reportedSeconds: 2 } });
    expect(rep.status).toBe(200);
    expect(rep.body.reportedSeconds).toBe(2);
    expect(rep.body.diffSeconds).toBeUndefined();
    expect((await call(stack.url, 'POST', '/v1/billing/calls/c1/report', { token: payer.token, body: { reportedSeconds: 2 } })).body.error.code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await call(stack.url, 'POST', '/v1/billing/calls/c1/report', { token: payee.token, body: { reportedSeconds: 'x' } })).body.error.message,
    ).toContain('reportedSeconds');

    // confirm before the end is refused.
    expect((await payer.socket.emitWithAck('billing.confirm', { callId: 'c1' })).error.code).toBe('CALL_ACTIVE');

    // charge/end with a final measure 60 s off: ended, every started unit paid, difference stored.
    const endedEv = nextEvent(payer.socket, 'charge.ended');
    const end = await call(stack.url, 'POST', '/v1/billing/calls/c1/end', { token: payee.token, body: { reportedSeconds: 63 } });
    expect(end.status).toBe(200);
    const bill = end.body;
    expect(bill).toMatchObject({ state: 'ended', reason: 'payee', reportedSeconds: 63 });
    expect(bill.units).toBe(Math.max(1, Math.ceil(bill.elapsedMs / 1000)));
    expect(bill.amount).toBe(bill.units * 100);
    expect(bill.diffSeconds).toBe(63 - Math.round(bill.elapsedMs / 1000));
    expect(await endedEv).toMatchObject({ callId: 'c1', reason: 'payee', units: bill.units, amount: bill.amount, balance: 10_000 - bill.amount });
    expect(await stack.workers.services.billing.balance(stack.app.appid, 'm-payer')).toBe(10_000 - bill.amount);
    expectUnitsOnce(await ledgerOfCall('c1'), 'c1', bill.units);
    await until(() => ended.some((e) => e.call.callId === 'c1'), 2000, 'hook');
    await sleep(400);
    expect(payerTicks.every((t) => t.due <= bill.endedAt)).toBe(true);

    const rec = await call(stack.url, 'GET', '/v1/billing/reconciliations', { basic: basic() });
    expect(rec.body.items).toContainEqual({
      callId: 'c1',
      phase: 'end',
      reportedSeconds: 63,
      serverSeconds: Math.round(bill.elapsedMs / 1000),
      diffSeconds: bill.diffSeconds,
      at: expect.any(Number),
    });
    expect((await call(stack.url, 'POST', '/v1/billing/calls/c1/report', { basic: basic(), body: { reportedSeconds: 3 } })).body.error.code).toBe(
      'CALL_ENDED',
    );
    // Ending again changes nothing.
    expect((await call(stack.url, 'POST', '/v1/billing/calls/c1/end', { basic: basic(), body: {} })).body).toMatchObject({
      state: 'ended',
      reason: 'payee',
      units: bill.units,
    });

    // charge/confirm: only the payer, idempotent.
    expect((await call(stack.url, 'POST', '/v1/billing/calls/c1/confirm', { token: payee.token })).body.error.code).toBe('FORBIDDEN');
    const confirmed = await payer.socket.emitWithAck('billing.confirm', { callId: 'c1' });
    expect(confirmed.data).toMatchObject({ callId: 'c1', state: 'confirmed', confirmedAt: expect.any(Number), units: bill.units });
    expect((await call(stack.url, 'POST', '/v1/billing/calls/c1/confirm', { token: payer.token })).body.state).toBe('confirmed');
    expect((await payer.socket.emitWithAck('billing.balance', {})).data).toEqual({ balance: 10_000 - bill.amount, calls: [] });
    const mine = await payer.socket.emitWithAck('billing.ledger', { limit: 2 });
    expect(mine.data.entries).toHaveLength(2);
    expect(mine.data.next).toEqual(expect.any(Number));
    const stranger = await user('m-stranger');
    expect((await call(stack.url, 'GET', '/v1/billing/calls/c1', { token: stranger.token })).body.error.code).toBe('FORBIDDEN');
    expect((await call(stack.url, 'GET', '/v1/billing/calls/c1', { token: payer.token })).body.state).toBe('confirmed');
  });

  it('warns when the balance runs low and ends the call when it is exhausted, calling the hooks', async () => {
    const payer = await user('x-payer', 350);
    const payee = await user('x-payee');
    const low = nextEvent(payer.socket, 'charge.low', 5000);
    const lowPayee = nextEvent(payee.socket, 'charge.low', 5000);
    const endP = nextEvent(payer.socket, 'charge.ended', 8000);
    const endQ = nextEvent(payee.socket, 'charge.ended', 8000);
    const begin = await stack.workers.services.billing.begin(stack.app.appid, { callId: 'x1', payer: 'x-payer', payee: 'x-payee' });
    expect(begin.units).toBe(1);
    // 250 left pays 2 units: not low yet; after unit 2 (150 left) it is.
    expect(await low).toEqual({ callId: 'x1', payer: 'x-payer', balance: 150, unitPrice: 100, unitsLeft: 1 });
    expect((await lowPayee).balance).toBe(150);
    const e = await endP;
    expect(e).toEqual({ callId: 'x1', reason: 'balance', units: 3, amount: 300, elapsedMs: 3000, balance: 50 });
    expect(await endQ).toEqual(e);
    const c = await stack.workers.services.billing.getCall(stack.app.appid, 'x1');
    expect(c).toMatchObject({ state: 'ended', reason: 'balance', units: 3, amount: 300, elapsedMs: 3000, endedAt: begin.startedAt + 3000 });
    expect(await stack.workers.services.billing.balance(stack.app.appid, 'x-payer')).toBe(50);
    expectUnitsOnce(await ledgerOfCall('x1'), 'x1', 3);
    await until(() => ended.some((h) => h.call.callId === 'x1'), 2000, 'onEnded hook');
    expect(ended.filter((h) => h.call.callId === 'x1')).toEqual([
      { appid: stack.app.appid, call: expect.objectContaining({ callId: 'x1', reason: 'balance', payee: 'x-payee', state: 'ended' }) },
    ]);
  });

  it('runs the hooks of an end whose node died before running them (tick job, after 5 s)', async () => {
    await user('h-payer', 1000);
    await user('h-payee');
    await stack.workers.services.billing.begin(stack.app.appid, { callId: 'h1', payer: 'h-payer', payee: 'h-payee' });
    // A node ends the call in Redis and dies before its hooks run.
    const conn = duplicateOf(stack.workers.core.redis);
    await readyOf(conn); // a copy of the fail-fast service connection: no command before it is connected
    const store = createBillingStore(conn, stack.workers.core.keys);
    expect((await store.end(stack.app.appid, 'h1', 'h-payer', 'h-payee', Date.now(), 'conversation')).code).toBe(1);
    await until(() => ended.some((e) => e.call.callId === 'h1'), 9000, 'hooks run again by the tick job');
    expect(ended.filter((e) => e.call.callId === 'h1')).toEqual([
      { appid: stack.app.appid, call: expect.objectContaining({ state: 'ended', reason: 'conversation' }) },
    ]);
    await sleep(300);
    expect(ended.filter((e) => e.call.callId === 'h1')).toHaveLength(1); // acknowledged: not run again
    conn.disconnect();
  });

  it('refuses to begin a call whose first unit cannot be paid, and bad input naming the field', async () => {
    await user('p-poor', 99);
    await user('p-agent');
    const r = await call(stack.url, 'POST', '/v1/billing/calls', { basic: basic(), body: { callId: 'p1', payer: 'p-poor', payee: 'p-agent' } });
    expect(r.status).toBe(402);
    expect(r.body.error.code).toBe('INSUFFICIENT_BALANCE');
    expect((await call(stack.url, 'GET', '/v1/billing/calls/p1', { basic: basic() })).body.error.code).toBe('CALL_NOT_FOUND');
    expect(await stack.workers.services.billing.balance(stack.app.appid, 'p-poor')).toBe(99);
    const missing = await call(stack.url, 'POST', '/v1/billing/calls', { basic: basic(), body: { callId: 'p2', payee: 'p-agent' } });
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('payer') });
    const badId = await call(stack.url, 'POST', '/v1/billing/calls', { basic: basic(), body: { callId: 'a/b', payer: 'p-poor', payee: 'p-agent' } });
    expect(badId.body.error.message).toContain('callId');
    expect((await call(stack.url, 'POST', '/v1/billing/calls/none/end', { basic: basic(), body: {} })).body.error.code).toBe('CALL_NOT_FOUND');
  });
});

describe('worker restart mid-call', () => {
  let s2: TestServer;
  let a2: { appid: string; secret: string };
  beforeAll(async () => {
    s2 = await startServer({ ...FAST, CHARGE_TICK_LEASE_MS: 800 });
    a2 = await createApp(s2.url);
    await call(s2.url, 'PUT', '/v1/billing/prices/default', { basic: [a2.appid, a2.secret], body: { unitPrice: 10, unitSeconds: 1 } });
  });
  afterAll(async () => s2?.close());

  it('two workers sweeping at once never process the same tick', async () => {
    const b2: [string, string] = [a2.appid, a2.secret];
    for (const uid of ['d-payer', 'd-payee']) await loginUser(s2.url, a2.appid, uid);
    await call(s2.url, 'POST', '/v1/billing/topups', { basic: b2, body: { uid: 'd-payer', amount: 100_000, ref: 'd' } });
    const token = (await call(s2.url, 'POST', '/v1/auth/login', { body: { appid: a2.appid, id: 'd-payer', password: 'pw-d-payer' } })).body.token;
    const { socket } = await connect(s2.url, token);
    stack.track(socket);
    const ticks = collect(socket, 'charge.tick');
    const [w1, w2] = await Promise.all([startTestWorkers(s2.config), startTestWorkers(s2.config)]);
    try {
      await call(s2.url, 'POST', '/v1/billing/calls', { basic: b2, body: { callId: 'd1', payer: 'd-payer', payee: 'd-payee' } });
      // Both nodes also sweep by hand, as fast as they can, racing the scheduled job.
      const race = Array.from({ length: 40 }, (_, i) =>
        sleep(i * 50).then(() => Promise.all([w1.services.billing.tick(), w2.services.billing.tick()])),
      );
      await Promise.all(race);
      await until(() => ticks.some((t) => t.units >= 3), 5000, 'unit 3');
    } finally {
      await Promise.all([w1.close(), w2.close()]);
    }
    const bill = (await call(s2.url, 'POST', '/v1/billing/calls/d1/end', { basic: b2, body: {} })).body;
    expect(ticks.map((t) => t.seq)).toEqual(ticks.map((_, i) => i + 1));
    expect(new Set(ticks.map((t) => t.due)).size).toBe(ticks.length);
    expectUnitsOnce((await call(s2.url, 'GET', '/v1/billing/calls/d1/ledger?limit=500', { basic: b2 })).body.entries, 'd1', bill.units);
  });

  it('loses and doubles nothing: a closed worker, then one that died holding a claim after debiting', async () => {
    const b2: [string, string] = [a2.appid, a2.secret];
    for (const uid of ['w-payer', 'w-payee']) await loginUser(s2.url, a2.appid, uid);
    await call(s2.url, 'POST', '/v1/billing/topups', { basic: b2, body: { uid: 'w-payer', amount: 100_000, ref: 'w' } });
    const payerToken = (await call(s2.url, 'POST', '/v1/auth/login', { body: { appid: a2.appid, id: 'w-payer', password: 'pw-w-payer' } })).body
      .token;
    const { socket } = await connect(s2.url, payerToken);
    stack.track(socket);
    const ticks = collect(socket, 'charge.tick');

    let w = await startTestWorkers(s2.config);
    const begin = (await call(s2.url, 'POST', '/v1/billing/calls', { basic: b2, body: { callId: 'r1', payer: 'w-payer', payee: 'w-payee' } })).body;
    await until(() => ticks.some((t) => t.units >= 2), 5000, 'unit 2');

    // 1. The worker node closes (deploy): no ticks while none runs; the next one resumes.
    await w.close();
    const stoppedAt = ticks.length;
    await sleep(1200);
    expect(ticks.length).toBe(stoppedAt);
    w = await startTestWorkers(s2.config);
    await until(() => ticks.length >= stoppedAt + 3, 5000, 'ticks after restart');
    await w.close();

    // 2. A worker dies holding a claim, after debiting the next unit but before advancing the call.
    const conn = duplicateOf(w.core.redis);
    await readyOf(conn);
    const store = createBillingStore(conn, w.core.keys);
    const now = Date.now();
    await until(async () => (await store.claim(a2.appid, Date.now(), 10, Date.now() + 2500)).claimed.length === 1, 3000, 'a due tick to claim');
    const h = (await store.getCall(a2.appid, 'r1'))!;
    const unitsNow = Number(h.units);
    const dead = await store.ledger(a2.appid, {
      uid: 'w-payer',
      amount: -10,
      key: `call:r1:unit:${unitsNow + 1}`,
      kind: 'charge',
      now,
      callId: 'r1',
      unit: unitsNow + 1,
    });
    expect(dead.code).toBe(1);
    const before = ticks.length;
    w = await startTestWorkers(s2.config);
    await sleep(1000);
    expect(ticks.length).toBe(before); // the dead worker's lease still holds
    await until(() => ticks.length >= before + 5, 5000, 'ticks after the lease ran out');
    await w.close();

    const bill = (await call(s2.url, 'POST', '/v1/billing/calls/r1/end', { basic: b2, body: {} })).body;
    expect(bill.state).toBe('ended');
    const entries = (await call(s2.url, 'GET', `/v1/billing/calls/r1/ledger?limit=500`, { basic: b2 })).body.entries;
    expectUnitsOnce(entries, 'r1', bill.units);
    expect(bill.units).toBe(Math.ceil(bill.elapsedMs / 1000));
    expect(await store.balance(a2.appid, 'w-payer')).toBe(100_000 - bill.units * 10);
    // Each tick once: numbered without gaps or repeats, units consistent with elapsed time.
    expect(ticks.map((t) => t.seq)).toEqual(ticks.map((_, i) => i + 1));
    for (const t of ticks) expect(t.units).toBeGreaterThanOrEqual(Math.floor(t.elapsedMs / 1000) + 1);
    expect(begin.startedAt).toBeLessThan(ticks[0]!.due);
    conn.disconnect();
  });
});

describe('an idle tick loop', () => {
  it('sleeps until a call begun now could fall due, and still ticks a call begun while it sleeps', async () => {
    // A server of its own: its key space has no metered call, so no app is in the tick index.
    const s3 = await startServer(FAST);
    try {
      const a3 = await createApp(s3.url);
      const b3: [string, string] = [a3.appid, a3.secret];
      await call(s3.url, 'PUT', '/v1/billing/prices/default', { basic: b3, body: { unitPrice: 10, unitSeconds: 1 } });
      for (const uid of ['i-payer', 'i-payee']) await loginUser(s3.url, a3.appid, uid);
      await call(s3.url, 'POST', '/v1/billing/topups', { basic: b3, body: { uid: 'i-payer', amount: 100_000, ref: 'i' } });
      const billing = s3.app.services.billing;

      // A call begun now is first due after min(CHARGE_TICK_SECONDS, a unit) = 200 ms: the loop may sleep that long less one interval.
      expect(await billing.tick()).toEqual({ ticks: 0, ended: 0, quietMs: 200 - FAST.CHARGE_SWEEP_INTERVAL_MS! });
      const idle = await billing.tickFor(1000);
      // At most one sweep per 180 ms over the period and its overlap (sweeping every 20 ms: 60).
      expect(idle.sweeps).toBeLessThanOrEqual(Math.ceil(1200 / 180));

      const loop = billing.tickFor(1500);
      await sleep(50); // the loop has swept the empty index and sleeps
      const begun = await call(s3.url, 'POST', '/v1/billing/calls', { basic: b3, body: { callId: 'i1', payer: 'i-payer', payee: 'i-payee' } });
      expect(begun.status).toBe(200);
      const busy = await loop;
      expect(busy.ticks).toBeGreaterThan(0);
      expect((await billing.tick()).quietMs).toBeUndefined(); // the call is metered: the loop sweeps every interval
      await call(s3.url, 'POST', '/v1/billing/calls/i1/end', { basic: b3, body: {} });
    } finally {
      await s3.close();
    }
  });
});
