// Failover: kill -9 the master that holds an app's slot while its calls are being metered,
// offers are out, webhooks are queued and sockets are connected; then, once a replica has
// taken over: every payer's ledger adds up to their balance, no unit is billed twice or
// skipped, no acknowledged write or webhook event is lost, reconnected sockets get a full
// snapshot, and the requests made during the election failed fast with 503 REDIS_UNAVAILABLE
// (never hung, never answered 500).
//
// A private 3-master 3-replica cluster (node timeout 2 s): the shared one of the cluster pass
// is used by other files at the same time and must not lose a node. The app is picked on the
// master that also holds the socket adapter's stream, so the kill takes the pushes' path down
// too (and, by chance, some queues: the figures name them).
//
// The figures printed at the end ([failover] …: time from the kill to the first acknowledged
// write, requests refused meanwhile, latencies) are those docs/redis-cluster.md § Failover quotes.
// FAILOVER_LOG_LEVEL=warn shows what the api and the workers log meanwhile.
import type { Socket } from 'socket.io-client';
import { connectClient, type AckResult, type ClientEventName, type ClientRequest, type ClientResponse } from '../../src/client/index.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startThrowawayCluster, type ThrowawayCluster } from '../../scripts/setup.mjs';
import type { Config } from '../../src/config.js';
import type { DomainEvent } from '../../src/infra/events.js';
import { createLogger } from '../../src/infra/logger.js';
import { queuePrefix } from '../../src/infra/queues.js';
import { QUEUES } from '../../src/modules/index.js';
import { startWorkers, type WorkerNode } from '../../workers/runtime.js';
import {
  call,
  collect,
  connect,
  createApp,
  listenLocal,
  loginUser,
  okData,
  onCluster,
  sleep,
  startServer,
  until,
  type Local,
  type TestServer,
  type TestSnapshot,
} from '../helpers.js';

// A slow shared machine: starting a cluster, an election and the drain of the webhooks take a while.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 180_000 });

const LOG_LEVEL = (process.env.FAILOVER_LOG_LEVEL ?? 'silent') as Config['LOG_LEVEL'];
const UNIT_PRICE = 10;
const TOPUP = 1_000_000;
const CALLS = 4;
const SETTINGS: Partial<Config> = {
  LOG_LEVEL,
  // Billing as in test/integration/billing.test.ts: a tick every 200 ms, claimed every 20 ms, 1 s units.
  CHARGE_TICK_SECONDS: 0.2,
  CHARGE_SWEEP_INTERVAL_MS: 20,
  CHARGE_TICK_LEASE_MS: 1000,
  CHARGE_LOW_UNITS: 2,
  CHARGE_RECONCILE_TOLERANCE_SECONDS: 2,
  // Dispatch: two offers in round 1, no widening, and the request stays valid well past the election.
  DISPATCH_FIRST_OFFERS: 2,
  DISPATCH_WIDEN_BY: 0,
  DISPATCH_ROUND_MS: 60_000,
  DISPATCH_MAX_WAIT_MS: 180_000,
  // Agents whose socket drops (or whose heartbeat cannot be written meanwhile) stay online.
  PRESENCE_TIMEOUT_MS: 300_000,
  PRESENCE_GRACE_MS: 120_000,
  PRESENCE_SWEEP_INTERVAL_MS: 200,
  // Webhooks to a local receiver: a long retry window (nothing dead-letters during the
  // election), short backoff, and a frequent recovery sweep.
  WEBHOOK_ALLOW_PRIVATE_URLS: true,
  WEBHOOK_RETRY_BASE_MS: 100,
  WEBHOOK_RETRY_MAX_DELAY_MS: 1000,
  WEBHOOK_RETRY_WINDOW_MS: 600_000,
  WEBHOOK_TIMEOUT_MS: 2000,
  WEBHOOK_SWEEP_INTERVAL_MS: 500,
};

/** One HTTP request made while the cluster fails over. */
interface Probe {
  kind: 'balance' | 'topup';
  ref?: string;
  start: number;
  end: number;
  /** 0: no answer within its own timeout, or the connection failed. */
  status: number;
  code?: string;
  retryAfter?: string | null;
  error?: string;
}

interface Entry {
  id: number;
  key: string;
  uid: string;
  kind: string;
  amount: number;
  balance: number;
}

let cluster: ThrowawayCluster;
let srv: TestServer;
let workers: WorkerNode;
let receiver: Local;
let app: { appid: string; secret: string };
const open: Socket[] = [];
/** Webhook attempts the receiver got, and those it answered 2xx, by event id. */
const attempts = new Map<string, number>();
const delivered = new Map<string, number>();
/** Every event of the app handed to the webhooks fan-out (api or worker), and whether the fan-out succeeded. */
const produced = new Map<string, { name: string; ok: boolean; error?: string }>();

const basic = (): [string, string] => [app.appid, app.secret];

describe.runIf(onCluster())('failover of the master holding an app', () => {
  beforeAll(async () => {
    cluster = await startThrowawayCluster({ nodeTimeoutMs: 2000 });
    // The receiver refuses the first attempt of every third event: retries are pending at any time.
    receiver = await listenLocal((_req, res, raw) => {
      let id = '';
      try {
        id = (JSON.parse(raw) as { id: string }).id;
      } catch {
        // not a webhook body
      }
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      const refuse = n === 1 && id.charCodeAt(id.length - 1) % 3 === 0;
      setTimeout(() => {
        if (!refuse) delivered.set(id, (delivered.get(id) ?? 0) + 1);
        res.statusCode = refuse ? 503 : 200;
        res.end(refuse ? 'later' : 'ok');
      }, 10);
    });
    // testConfig puts the overrides after the pass's Redis: the api and workers use the private cluster.
    srv = await startServer({ REDIS_CLUSTER_NODES: cluster.seeds, ...SETTINGS });
    expect(srv.config.REDIS_CLUSTER_NODES).toBe(cluster.seeds);
    workers = await startWorkers(srv.config, { log: createLogger(LOG_LEVEL, 'worker') });
    // Count every event the fan-out was asked for, whichever node published it.
    for (const services of [srv.app.services, workers.services]) {
      const fanout = services.webhooks.fanout;
      services.webhooks.fanout = async (e: DomainEvent) => {
        try {
          await fanout(e);
          if (e.appid === app?.appid) produced.set(e.id, { name: e.name, ok: true });
        } catch (err) {
          if (e.appid === app?.appid && !produced.get(e.id)?.ok) produced.set(e.id, { name: e.name, ok: false, error: (err as Error).message });
          throw err;
        }
      };
    }
    // An app on the master of the socket adapter's stream (every push between nodes goes through it).
    const stream = await cluster.masterOf(`${srv.config.KEY_PREFIX}:sio:stream`);
    for (let i = 0; i < 40; i++) {
      app = await createApp(srv.url);
      if ((await cluster.masterOf(srv.app.core.keys.app(app.appid))) === stream) break;
    }
    expect(await cluster.masterOf(srv.app.core.keys.app(app.appid))).toBe(stream);
    expect(
      (await call(srv.url, 'PUT', '/v1/billing/prices/default', { basic: basic(), body: { unitPrice: UNIT_PRICE, unitSeconds: 1 } })).status,
    ).toBe(200);
    const ep = await call(srv.url, 'POST', `/v1/apps/${app.appid}/webhooks`, {
      basic: basic(),
      body: { url: `${receiver.url}/hook`, events: ['*'] },
    });
    expect(ep.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await workers?.close().catch(() => undefined);
    await srv?.close().catch(() => undefined);
    await receiver?.close();
    await cluster?.stop();
  }, 120_000);

  it('kill -9 of the app’s master: 503s meanwhile, then nothing lost or doubled, sockets resynchronised', async () => {
    const url = srv.url;

    // ── 1. The app at work ───────────────────────────────────────────────────
    const payers = Array.from({ length: CALLS }, (_, i) => `payer${i + 1}`);
    const payees = Array.from({ length: CALLS }, (_, i) => `payee${i + 1}`);
    const prober = 'prober'; // receives the top-ups fired during the election
    const tokens = new Map<string, string>();
    for (const uid of [...payers, ...payees, prober, 'caller', 'agent1', 'agent2', 'agent3']) tokens.set(uid, await loginUser(url, app.appid, uid));
    for (const uid of [...payers, prober]) {
      const r = await call(url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid, amount: TOPUP, ref: `init-${uid}` } });
      expect(r.status).toBe(200);
    }

    // Sockets: payer1, the caller and agent1 lose their connection at the kill and must come
    // back by themselves; the others stay connected.
    interface Reconnecting {
      socket: Socket;
      snapshots: Array<{ at: number; snap: TestSnapshot }>;
      refused: string[];
    }
    const reconnecting = new Map<string, Reconnecting>();
    const sockets = new Map<string, Socket>();
    async function openSocket(uid: string, reconnect: boolean): Promise<Socket> {
      if (!reconnect) {
        const { socket } = await connect(url, tokens.get(uid));
        open.push(socket);
        sockets.set(uid, socket);
        return socket;
      }
      // Switchboard's own client (src/client): it tries a handshake refused with REDIS_UNAVAILABLE
      // (the 503 of the socket API) again by itself, which Socket.IO alone never does.
      const client = connectClient(url, {
        token: tokens.get(uid)!,
        socket: { forceNew: true, reconnection: true, reconnectionDelay: 200, reconnectionDelayMax: 1000, randomizationFactor: 0.2 },
      });
      const { socket } = client;
      const st: Reconnecting = { socket, snapshots: [], refused: [] };
      socket.on('connect_error', (err: Error & { data?: { code?: string } }) => void st.refused.push(err.data?.code ?? err.message));
      socket.on('session.snapshot', (snap: TestSnapshot) => st.snapshots.push({ at: Date.now(), snap }));
      await client.ready;
      open.push(socket);
      sockets.set(uid, socket);
      reconnecting.set(uid, st);
      return socket;
    }
    for (const uid of payers) await openSocket(uid, uid === 'payer1');
    for (const uid of payees) await openSocket(uid, false);
    const ticksOf = new Map(payees.map((uid, i) => [`call${i + 1}`, collect<{ seq: number }>(sockets.get(uid)!, 'charge.tick')]));
    const lastSeq = (id: string) => Math.max(0, ...ticksOf.get(id)!.map((t) => t.seq));

    // Agents online with the skill; the caller's request is offered to two of them.
    for (const uid of ['agent1', 'agent2', 'agent3']) {
      const s = await openSocket(uid, uid === 'agent1');
      expect((await s.emitWithAck('presence.set', { state: 'online', skills: ['FO>EN'] })).ok).toBe(true);
      await sleep(5); // distinct idle times: agent1 and agent2 rank first
    }
    const offers = new Map(['agent1', 'agent2', 'agent3'].map((uid) => [uid, collect<{ requestId: string }>(sockets.get(uid)!, 'dispatch.offer')]));
    const callerSocket = await openSocket('caller', true);
    const req = await callerSocket.emitWithAck('dispatch.request', { skill: 'FO>EN', data: { topic: 'failover' } });
    expect(req.ok).toBe(true);
    const requestId: string = req.data.requestId;
    await until(() => offers.get('agent1')!.length + offers.get('agent2')!.length === 2, 15_000, 'the offers of round 1');
    expect(offers.get('agent3')).toEqual([]);

    // Metered calls, and webhook deliveries in flight.
    for (let i = 0; i < CALLS; i++) {
      const r = await call(url, 'POST', '/v1/billing/calls', {
        basic: basic(),
        body: { callId: `call${i + 1}`, payer: payers[i], payee: payees[i] },
      });
      expect(r.status).toBe(200);
    }
    await until(() => [...ticksOf.keys()].every((id) => lastSeq(id) >= 5), 20_000, 'five ticks of every call');
    const pending = () => [...produced].filter(([id, p]) => p.ok && !delivered.has(id)).length;
    await until(() => delivered.size >= 10, 20_000, 'the first webhook deliveries');

    // ── 2. Kill the master of the app's slot ─────────────────────────────────
    const appKey = srv.app.core.keys.app(app.appid);
    const port = await cluster.masterOf(appKey);
    const alsoThere = ['the socket adapter stream'];
    for (const q of Object.keys(QUEUES))
      if ((await cluster.masterOf(`${queuePrefix(srv.config, q)}:${q}:meta`)) === port) alsoThere.push(`queue ${q}`);
    await until(() => pending() > 0, 20_000, 'webhook deliveries pending');
    const pendingAtKill = pending();
    const killAt = Date.now();
    await cluster.kill(port);
    // The reconnecting sockets lose their transport: a network blip at the worst moment.
    for (const { socket } of reconnecting.values()) socket.io.engine.close();

    // ── 3. Cheap requests all through the election ───────────────────────────
    const probes: Probe[] = [];
    let stop = false;
    let seq = 0;
    const lanes = Array.from({ length: 4 }, async (_, lane) => {
      for (let i = 0; !stop; i++) {
        probes.push(await probe((i + lane) % 2 === 0 ? { kind: 'topup', ref: `probe-${++seq}` } : { kind: 'balance' }));
        await sleep(25);
      }
    });
    // Right after the kill the other nodes still report the cluster ok (they notice a dead
    // master after the node timeout): the election is over once another node serves the slot.
    await until(async () => (await cluster.masterOf(appKey).catch(() => port)) !== port, 90_000, 'a replica to take over the slot');
    await cluster.waitHealthy(90_000);
    const healthyAt = Date.now();
    // A few more requests once the nodes agree again: the clients catch up with the new map.
    await until(() => probes.some((p) => p.kind === 'topup' && p.status === 200 && p.start > healthyAt), 30_000, 'a top-up after the election');
    stop = true;
    await Promise.all(lanes);
    // The sockets that lost their connection come back by themselves (checked in 5f).
    for (const [uid, st] of reconnecting) await until(() => st.snapshots.length >= 2, 30_000, `a new session.snapshot for ${uid}`);

    // ── 4. The calls tick on; then they end ──────────────────────────────────
    const seqAtHealthy = new Map([...ticksOf.keys()].map((id) => [id, lastSeq(id)]));
    await until(() => [...ticksOf.keys()].every((id) => lastSeq(id) >= seqAtHealthy.get(id)! + 8), 30_000, 'ticks of every call after the failover');
    const bills = new Map<string, { units: number; amount: number; elapsedMs: number; payer: string; state: string }>();
    for (let i = 0; i < CALLS; i++) {
      const id = `call${i + 1}`;
      const r = await retry503(() => call(url, 'POST', `/v1/billing/calls/${id}/end`, { basic: basic(), body: {} }));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      bills.set(id, r.body);
    }

    // ── 5. What must hold ────────────────────────────────────────────────────
    // 5a. No request hung; every failure was a clear 503 REDIS_UNAVAILABLE with Retry-After.
    const failed = probes.filter((p) => p.status !== 200);
    expect(
      probes.filter((p) => p.status === 0),
      'requests without an answer within 8 s',
    ).toEqual([]);
    for (const p of failed)
      expect(p, 'a request failed otherwise than 503 REDIS_UNAVAILABLE').toMatchObject({ status: 503, code: 'REDIS_UNAVAILABLE', retryAfter: '1' });
    const ok = probes.filter((p) => p.status === 200);
    const acked = ok.filter((p) => p.kind === 'topup');
    expect(acked.length).toBeGreaterThan(0);
    // A refused top-up is safe to send again: applied once, whether or not the refused one was.
    for (const p of failed.filter((f) => f.kind === 'topup')) {
      const again = await retry503(() => call(url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid: prober, amount: 1, ref: p.ref } }));
      expect(again.status).toBe(200);
    }

    // 5b. Every payer's ledger adds up to their balance (their top-up is an entry too); keys are unique.
    const allKeys: string[] = [];
    for (const uid of [...payers, prober]) {
      const entries = await ledger(`/v1/billing/users/${uid}/ledger`);
      const balance = (await retry503(() => call(url, 'GET', `/v1/billing/users/${uid}/balance`, { basic: basic() }))).body.balance as number;
      expect(
        entries.reduce((sum, e) => sum + e.amount, 0),
        `Σ ledger of ${uid}`,
      ).toBe(balance);
      expect(entries.every((e) => e.uid === uid)).toBe(true);
      allKeys.push(...entries.map((e) => e.key));
      // A payer's money went to their one call, unit by unit.
      if (uid !== prober) expect(balance).toBe(TOPUP - [...bills.values()].find((b) => b.payer === uid)!.amount);
    }
    expect(new Set(allKeys).size, 'ledger keys unique').toBe(allKeys.length);

    // 5c. Each call's units 1..n exactly once: no unit billed twice, none skipped.
    for (const [id, bill] of bills) {
      expect(bill.state).toBe('ended');
      expect(bill.units).toBe(Math.max(1, Math.ceil(bill.elapsedMs / 1000)));
      expect(bill.amount).toBe(bill.units * UNIT_PRICE);
      const entries = await ledger(`/v1/billing/calls/${id}/ledger`);
      expect(entries.map((e) => e.key).sort(), `units of ${id}`).toEqual(
        Array.from({ length: bill.units }, (_, i) => `call:${id}:unit:${i + 1}`).sort(),
      );
      expect(entries.every((e) => e.amount === -UNIT_PRICE && e.kind === 'charge')).toBe(true);
      // The ticks pushed to the payee: never one tick twice (some may be missing: pushed while the stream's master was down).
      const seqs = ticksOf.get(id)!.map((t) => t.seq);
      expect(new Set(seqs).size, `tick seqs of ${id}`).toBe(seqs.length);
    }

    // 5d. Every acknowledged top-up is in the ledger: 0 acknowledged entries lost.
    const proberEntries = await ledger(`/v1/billing/users/${prober}/ledger`);
    const proberKeys = new Set(proberEntries.map((e) => e.key));
    const lost = acked.filter((p) => !proberKeys.has(`topup:${p.ref}`));
    expect(
      lost.map((p) => p.ref),
      'acknowledged top-ups missing from the ledger',
    ).toEqual([]);
    expect(proberEntries.filter((e) => e.key.startsWith('topup:probe-')).length).toBe(probes.filter((p) => p.kind === 'topup').length);

    // 5e. The dispatch request is still waiting with its offers out, and first accept still wins.
    const reqNow = await retry503(() => call(url, 'GET', `/v1/dispatch/requests/${requestId}`, { token: tokens.get('caller')! }));
    expect(reqNow.body).toMatchObject({ requestId, state: 'waiting' });
    const accepted = new Promise<unknown>((resolve) => callerSocket.once('dispatch.accepted', resolve));
    const answers = await Promise.all(['agent1', 'agent2'].map((uid) => ackRetry(sockets.get(uid)!, 'dispatch.accept', { requestId })));
    const winners = answers.filter((r) => r.ok);
    expect(winners, JSON.stringify(answers)).toHaveLength(1);
    const loser = answers.find((r) => !r.ok);
    expect(loser && !loser.ok && loser.error.code).toBe('ALREADY_TAKEN');
    const winner = okData(winners[0]!).agent;
    expect(await Promise.race([accepted, sleep(15_000).then(() => 'no dispatch.accepted')])).toEqual({ requestId, agent: winner });
    expect((await call(url, 'GET', `/v1/dispatch/requests/${requestId}`, { token: tokens.get('caller')! })).body).toMatchObject({
      state: 'accepted',
      agent: winner,
    });

    // 5f. The sockets that lost their connection came back and got a full snapshot again.
    for (const [uid, st] of reconnecting)
      expect(st.snapshots[1]!.snap).toMatchObject({ user: { id: uid }, billing: expect.any(Object), dispatch: expect.any(Object) });
    const resync = (uid: string) => reconnecting.get(uid)!.snapshots[1]!.snap;
    expect(resync('payer1').billing.calls.map((c: { callId: string }) => c.callId)).toEqual(['call1']);
    expect(resync('caller').dispatch.requests.map((r: { requestId: string }) => r.requestId)).toEqual([requestId]);
    expect(resync('agent1').dispatch.offers.map((o: { requestId: string }) => o.requestId)).toEqual([requestId]);

    // 5g. Webhooks: every event whose fan-out succeeded is delivered at least once (deduplicated by event id).
    const fannedOut = () => [...produced].filter(([, p]) => p.ok).map(([id]) => id);
    await until(() => fannedOut().every((id) => delivered.has(id)), 120_000, 'every fanned-out event delivered').catch((err: Error) => {
      throw new Error(`${err.message}: ${fannedOut().filter((id) => !delivered.has(id)).length} of ${fannedOut().length} missing`);
    });
    const drainedAt = Date.now();

    // ── 6. The figures ───────────────────────────────────────────────────────
    const firstWrite = acked.filter((p) => p.start >= killAt).sort((x, y) => x.end - y.end)[0]!;
    const lat = ok.map((p) => p.end - p.start).sort((x, y) => x - y);
    const failLat = failed.map((p) => p.end - p.start).sort((x, y) => x - y);
    const refusedAtPublish = [...produced.values()].filter((p) => !p.ok);
    const figures = {
      killedMaster: port,
      alsoOnIt: alsoThere,
      msKillToPromoted: healthyAt - killAt,
      msKillToFirstWrite: firstWrite.end - killAt,
      requests: probes.length,
      failed: failed.length,
      failedAll503: failed.every((p) => p.status === 503 && p.code === 'REDIS_UNAVAILABLE'),
      failedMs: { p50: pct(failLat, 0.5), max: failLat[failLat.length - 1] ?? 0 },
      okMs: { p50: pct(lat, 0.5), p99: pct(lat, 0.99), max: lat[lat.length - 1] ?? 0 },
      ackedTopups: acked.length,
      lostAckedTopups: lost.length,
      unitsBilled: [...bills.values()].map((b) => b.units),
      webhookEvents: produced.size,
      webhookPendingAtKill: pendingAtKill,
      msKillToWebhooksDrained: drainedAt - killAt,
      webhookEventsRefusedAtPublish: refusedAtPublish.map((p) => `${p.name}: ${p.error}`),
      webhookAttempts: [...attempts.values()].reduce((a, b) => a + b, 0),
      webhookDeliveredTwice: [...delivered.values()].filter((n) => n > 1).length,
      socketResyncMs: Object.fromEntries([...reconnecting].map(([uid, st]) => [uid, st.snapshots[1]!.at - killAt])),
      socketRefusals: Object.fromEntries([...reconnecting].map(([uid, st]) => [uid, st.refused])),
    };
    console.log(`[failover] ${JSON.stringify(figures)}`);
  });
});

/** One request with its own 8 s timeout: status, error code, Retry-After, timing. */
async function probe(p: { kind: 'topup'; ref: string } | { kind: 'balance' }): Promise<Probe> {
  const headers: Record<string, string> = { authorization: `Basic ${Buffer.from(basic().join(':')).toString('base64')}` };
  const init: RequestInit =
    p.kind === 'topup'
      ? {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ uid: 'prober', amount: 1, ref: p.ref }),
        }
      : { method: 'GET', headers };
  const path = p.kind === 'topup' ? '/v1/billing/topups' : '/v1/billing/users/prober/balance';
  const start = Date.now();
  try {
    const res = await fetch(srv.url + path, { ...init, signal: AbortSignal.timeout(8000) });
    const text = await res.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    return { ...p, start, end: Date.now(), status: res.status, ...(code ? { code } : {}), retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    return { ...p, start, end: Date.now(), status: 0, error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** Retries a request answered 503 (the cluster still settling), a few times. */
async function retry503<T extends { status: number }>(fn: () => Promise<T>, tries = 20): Promise<T> {
  for (let i = 1; ; i++) {
    const r = await fn();
    if (r.status !== 503 || i >= tries) return r;
    await sleep(500);
  }
}

/** A socket request retried while it is refused with REDIS_UNAVAILABLE (or the socket is between connections). */
async function ackRetry<E extends ClientEventName>(socket: Socket, event: E, payload: ClientRequest<E>): Promise<AckResult<ClientResponse<E>>> {
  for (let i = 1; ; i++) {
    const r: AckResult<ClientResponse<E>> = await socket
      .timeout(8000)
      .emitWithAck(event, payload)
      .catch((err: Error) => ({ ok: false, error: { code: 'NO_ANSWER', message: err.message } }));
    if (r.ok || !['REDIS_UNAVAILABLE', 'NO_ANSWER'].includes(r.error?.code) || i >= 20) return r;
    await sleep(500);
  }
}

/** Every entry of a ledger (user or call), page by page. */
async function ledger(path: string): Promise<Entry[]> {
  const all: Entry[] = [];
  let before: number | undefined;
  for (;;) {
    const r = await retry503(() => call(srv.url, 'GET', `${path}?limit=500${before !== undefined ? `&before=${before}` : ''}`, { basic: basic() }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    all.push(...(r.body.entries as Entry[]));
    if (r.body.next === undefined) return all;
    before = r.body.next;
  }
}

const pct = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0);
