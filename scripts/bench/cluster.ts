// Redis Cluster beside a single Redis: scaled-down versions of the `connections`,
// `dispatch`, `billing` and `notify` workloads, spread over BENCH_APPS apps, run on one api
// and one worker process, first on one redis-server, then on a local cluster (3 masters +
// 3 replicas, cluster-node-timeout 2 s): throughput and p50/p99 per workload, and the
// cluster/single ratio. On the cluster, the share of commands (INFO commandstats) and of CPU
// (INFO cpu) of each master over the workloads (goal: busiest ≤ 1.5× the mean), where the
// queues and the streams adapter's stream live. Then failover: top-ups over HTTP at
// BENCH_FAILOVER_RATE/s to one app (and a few to a control app on another master), the
// master of that app's slot SIGKILLed: kill → first successful write, the failed requests
// by status, p99 of the successful ones, and whether every acknowledged (200) top-up is in
// the ledger afterwards (goals: writes back ≤ 10 s, 0 lost).
// Server processes (every redis-server, api, worker) share CPU 0, this load generator CPU 1
// (taskset; BENCH_PIN=0: no pinning).
//   BENCH_BACKENDS (single,cluster)  BENCH_WORKLOADS (connections,dispatch,billing,notify; empty: none)  BENCH_FAILOVER (1)
//   BENCH_SERVER_ENV (NAME=value,… for the api and worker, e.g. REDIS_DURABLE_REPLICAS=0)
//   BENCH_APPS (20)  BENCH_MASTERS (3)  BENCH_REPLICAS (1)  BENCH_NODE_TIMEOUT_MS (2000)
//   connections: BENCH_CONNECTIONS (2000)  BENCH_CONN_SECONDS (12)
//   dispatch:    BENCH_AGENTS (400)  BENCH_DISPATCH_RATE (100)  BENCH_DISPATCH_SECONDS (10)  BENCH_HOLD_MS (500)  BENCH_BURST (1000)
//   billing:     BENCH_CALLS (1000)  BENCH_CONNECTED (200)  BENCH_BILLING_SECONDS (12)  CHARGE_TICK_SECONDS (2)
//   notify:      BENCH_NOTIFY_RATE (500)  BENCH_NOTIFY_SECONDS (10)  BENCH_USERS (200)
//   failover:    BENCH_FAILOVER_RATE (50)  BENCH_FAILOVER_CONTROL_RATE (10)  BENCH_FAILOVER_BEFORE_S (3)
//                BENCH_FAILOVER_AFTER_S (15)  BENCH_FAILOVER_TIMEOUT_MS (5000: per request)
import { loadavg } from 'node:os';
import { Queue } from 'bullmq';
import { loadConfig, type Config } from '../../src/config.js';
import { queuePrefix } from '../../src/infra/queues.js';
import { QUEUES } from '../../src/modules/index.js';
import { createRedis, redisTarget, type RedisClient } from '../../src/infra/redis.js';
import { pingEvery, rawConnect, type RawClient } from './lib/rawclient.js';
import { sampleDelta, startBackend, type Backend, type BackendKind, type NodeDelta } from './lib/backend.js';
import {
  createBenchApp,
  freePort,
  json,
  keySlot,
  paced,
  pin,
  pool,
  sleep,
  startServerProc,
  startWorkerProc,
  type ServerProc,
  type WorkerProc,
} from './lib/harness.js';
import { busiestOverMean, cpuSeconds, fmt, printTable, summary, wallNow } from './lib/stats.js';

const env = process.env;
const num = (name: string, def: number) => Number(env[name] ?? def);
const BACKENDS = (env.BENCH_BACKENDS ?? 'single,cluster').split(',') as BackendKind[];
const WORKLOADS = (env.BENCH_WORKLOADS ?? 'connections,dispatch,billing,notify').split(',').filter(Boolean);
/** Extra settings of the api and worker processes, e.g. REDIS_DURABLE_REPLICAS=0 (comma-separated NAME=value). */
const SERVER_ENV: Record<string, string> = Object.fromEntries(
  (env.BENCH_SERVER_ENV ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);
const FAILOVER = env.BENCH_FAILOVER !== '0';
const PIN = env.BENCH_PIN !== '0';
const APPS = num('BENCH_APPS', 20);
const MASTERS = num('BENCH_MASTERS', 3);
const REPLICAS = num('BENCH_REPLICAS', 1);
const NODE_TIMEOUT_MS = num('BENCH_NODE_TIMEOUT_MS', 2000);
const CONNECTIONS = num('BENCH_CONNECTIONS', 2000);
const CONN_SECONDS = num('BENCH_CONN_SECONDS', 12);
const PING_PERIOD_MS = 3000;
const AGENTS = num('BENCH_AGENTS', 400);
const DISPATCH_RATE = num('BENCH_DISPATCH_RATE', 100);
const DISPATCH_SECONDS = num('BENCH_DISPATCH_SECONDS', 10);
const HOLD_MS = num('BENCH_HOLD_MS', 500);
const BURST = num('BENCH_BURST', 1000);
const CALLERS = 5 * APPS; // a multiple of APPS: request s goes to caller s % CALLERS, of app s % APPS
const CALLS = num('BENCH_CALLS', 1000);
const CONNECTED = Math.min(num('BENCH_CONNECTED', 200), CALLS);
const BILLING_SECONDS = num('BENCH_BILLING_SECONDS', 12);
const TICK_S = num('CHARGE_TICK_SECONDS', 2);
const NOTIFY_RATE = num('BENCH_NOTIFY_RATE', 500);
const NOTIFY_SECONDS = num('BENCH_NOTIFY_SECONDS', 10);
const USERS = num('BENCH_USERS', 200);
const FO_RATE = num('BENCH_FAILOVER_RATE', 50);
const FO_CONTROL_RATE = num('BENCH_FAILOVER_CONTROL_RATE', 10);
const FO_BEFORE_S = num('BENCH_FAILOVER_BEFORE_S', 3);
const FO_AFTER_S = num('BENCH_FAILOVER_AFTER_S', 15);
const FO_TIMEOUT_MS = num('BENCH_FAILOVER_TIMEOUT_MS', 5000);
const ADMIN = 'bench-admin-token-0123456789';
const KEY_PREFIX = 'bcl';
const QUEUE_PREFIX = 'bclq';
const SERVER_CPU = 0;
const BENCH_CPU = 1;
const PAIRS = ['CN<>EN', 'CN<>JA', 'CN<>KO', 'CN<>FR', 'CN<>DE', 'EN<>JA', 'EN<>KO', 'EN<>FR', 'EN<>DE', 'EN<>ES'];
const SKILLS = PAIRS.flatMap((p) => {
  const [a, b] = p.split('<>');
  return [`${a}>${b}`, `${b}>${a}`];
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const progress = (msg: string) => process.stderr.write(`[cluster bench] ${msg}\n`);
const times = (v: number) => (Number.isFinite(v) ? `${fmt(v, 2)}×` : 'n/a');

type BenchApp = Awaited<ReturnType<typeof createBenchApp>>;

/** What one backend's workloads run against. */
interface Ctx {
  backend: Backend;
  config: Config;
  env: Record<string, string>;
  api: ServerProc;
  worker: WorkerProc;
  apps: BenchApp[];
  /** A command connection of this process (a Cluster client on the cluster). */
  redis: RedisClient;
}

/** One line of the comparison: a rate and a latency distribution. */
interface Figure {
  workload: string;
  measure: string;
  rate: number;
  p50: number;
  p99: number;
  n: number;
  errors: number;
}

/** One workload on one backend: its figures, and what the servers spent on it. */
interface WorkloadRun {
  workload: string;
  figures: Figure[];
  wallS: number;
  apiCpu: number;
  workerCpu: number;
  nodes: NodeDelta[];
}

const figure = (workload: string, measure: string, rate: number, latencies: number[], errors = 0): Figure => {
  const s = summary(latencies);
  return { workload, measure, rate, p50: s.p50, p99: s.p99, n: s.n, errors };
};

// ── warnings and errors the server processes log ─────────────────────────────

/** Counts the api's and worker's log lines at warn level and above, by message (first error text kept). */
function logCounter() {
  const counts = new Map<string, { n: number; example: string }>();
  let phase = 'set-up';
  return {
    setPhase: (p: string) => void (phase = p),
    onOutput: (proc: string) => (line: string) => {
      let level: number;
      let msg = line;
      let detail = '';
      try {
        const o = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string; type?: string } };
        level = o.level ?? 0;
        msg = o.msg ?? '';
        detail = o.err?.message ?? '';
      } catch {
        level = 50; // not a log line: stack traces, crashes
      }
      if (level < 40) return;
      const key = `${phase} | ${proc} | ${level >= 50 ? 'error' : 'warn'} | ${msg.slice(0, 100)}`;
      const c = counts.get(key) ?? { n: 0, example: detail.slice(0, 140) };
      c.n++;
      counts.set(key, c);
    },
    print(title: string) {
      if (counts.size === 0) return void process.stdout.write(`\n${title}: none\n`);
      printTable(
        title,
        [...counts].map(([k, c]) => {
          const [ph, proc, level, msg] = k.split(' | ');
          return { phase: ph!, process: proc!, level: level!, message: msg!, lines: c.n, 'first error text': c.example || '–' };
        }),
      );
    },
  };
}

// ── workloads ────────────────────────────────────────────────────────────────

/** connections: CONNECTIONS authenticated sockets over the apps, connected 200 at a time, each sending session.ping every 3 s. */
async function connectionsWorkload(ctx: Ctx): Promise<Figure[]> {
  const tokens = await pool(range(CONNECTIONS), 32, (i) => ctx.apps[i % APPS]!.token(`u${i}`));
  const connectLat: number[] = [];
  const t0 = performance.now();
  const clients: RawClient[] = await pool(tokens, 200, async (token) => {
    const s = performance.now();
    const c = await rawConnect(ctx.api.url, { token });
    connectLat.push(performance.now() - s);
    return c;
  });
  const connectS = (performance.now() - t0) / 1000;
  const pings = pingEvery(clients, PING_PERIOD_MS);
  await sleep(PING_PERIOD_MS); // the first period warms up and is not counted
  pings.measure(true);
  const m0 = performance.now();
  await sleep(CONN_SECONDS * 1000);
  pings.measure(false);
  const measuredS = (performance.now() - m0) / 1000;
  const { latencies, errors } = await pings.stop();
  for (const c of clients) c.close();
  await sleep(1000); // the api's disconnect work
  return [
    figure('connections', `connect + auth, ${CONNECTIONS} sockets, 200 in flight (connects/s)`, clients.length / connectS, connectLat),
    figure('connections', `session.ping ack, every ${PING_PERIOD_MS / 1000} s per socket (acks/s)`, latencies.length / measuredS, latencies, errors),
  ];
}

/** dispatch: AGENTS online agents over the apps and pairs; socket requests at DISPATCH_RATE/s; then a burst released from a paused queue. */
async function dispatchWorkload(ctx: Ctx): Promise<Figure[]> {
  const sentAt = new Map<number, number>();
  const firstAt = new Map<number, number>();
  const seen = (seq: number | undefined) => {
    if (seq !== undefined && !firstAt.has(seq)) firstAt.set(seq, performance.now());
  };
  let holdMs = HOLD_MS;
  // Agent i: app i % APPS, pair ⌊i / APPS⌋ % 10 (every app gets every pair).
  const agentTokens = await pool(range(AGENTS), 32, (i) => ctx.apps[i % APPS]!.token(`a${i}`));
  const agents = await pool(agentTokens, 50, (token) => rawConnect(ctx.api.url, { token }));
  await pool(agents, 50, async (a, i) => {
    const r = await a.emitWithAck('presence.set', { state: 'online', skills: [PAIRS[Math.floor(i / APPS) % PAIRS.length]!] });
    if (!r.ok) throw new Error(`presence.set: ${JSON.stringify(r)}`);
  });
  for (const a of agents) {
    a.on('dispatch.offer', (o) => {
      seen((o.data as { seq?: number } | undefined)?.seq); // the request's data, as the callers below send it
      void a.emitWithAck('dispatch.accept', { requestId: o.requestId }).then((r) => {
        if (!r.ok) return;
        const end = () => void a.emitWithAck('conversation.end', { conversationId: o.requestId });
        if (holdMs > 0) setTimeout(end, holdMs);
        else end();
      });
    });
  }
  const callerTokens = await pool(range(CALLERS), 16, (i) => ctx.apps[i % APPS]!.token(`c${i}`));
  const callers = await pool(callerTokens, 50, (token) => rawConnect(ctx.api.url, { token }));
  // dispatch.queued names the request only, and request ids count per app: key them by caller's app.
  const seqOf = new Map<string, number>();
  const reqKey = (caller: number, requestId: string) => `${caller % APPS}:${requestId}`;
  callers.forEach((c, k) => c.on('dispatch.queued', (d) => seen(seqOf.get(reqKey(k, d.requestId)))));
  await sleep(500);

  // Request s: caller s % CALLERS (app s % APPS), skill ⌊s / APPS⌋ % 20.
  const skillOf = (s: number) => SKILLS[Math.floor(s / APPS) % SKILLS.length]!;
  const total = DISPATCH_RATE * DISPATCH_SECONDS;
  let refused = 0;
  await paced(DISPATCH_RATE, total, (from, to) => {
    for (let s = from; s < to; s++) {
      sentAt.set(s, performance.now());
      void callers[s % CALLERS]!.emitWithAck('dispatch.request', { skill: skillOf(s), data: { seq: s } }).then((r) => {
        if (r.ok) seqOf.set(reqKey(s % CALLERS, r.data.requestId), s);
        else refused++;
      });
    }
  });
  const t0 = performance.now();
  const deadline = Date.now() + 10_000;
  while (firstAt.size < total && Date.now() < deadline) await sleep(50);
  const lat = [...firstAt].filter(([s]) => s < total).map(([s, t]) => t - sentAt.get(s)!);
  const rateS = DISPATCH_SECONDS + (performance.now() - t0) / 1000;
  await sleep(HOLD_MS + 500);

  // Saturation: BURST requests created over HTTP while the dispatch queue is paused, then released.
  holdMs = 0;
  firstAt.clear();
  const queue = new Queue('dispatch', { connection: ctx.redis as never, prefix: queuePrefix(ctx.config, 'dispatch') });
  await queue.pause();
  const createLat: number[] = [];
  let createErrors = 0;
  const c0 = performance.now();
  await pool(
    range(BURST).map((i) => total + i),
    64,
    async (s) => {
      const t = performance.now();
      try {
        const r = await json<{ requestId: string }>(`${ctx.api.url}/v1/dispatch/requests`, {
          method: 'POST',
          headers: { authorization: `Bearer ${callerTokens[s % CALLERS]}` },
          body: JSON.stringify({ skill: skillOf(s), data: { seq: s } }),
        });
        seqOf.set(reqKey(s % CALLERS, r.requestId), s);
        createLat.push(performance.now() - t);
      } catch {
        createErrors++;
      }
    },
  );
  const createS = (performance.now() - c0) / 1000;
  const d0 = performance.now();
  await queue.resume();
  // Until every request was offered or queued, or nothing more arrived for 5 s.
  let lastSize = -1;
  let lastChange = Date.now();
  while (firstAt.size < BURST - createErrors && Date.now() - lastChange < 5000) {
    if (firstAt.size !== lastSize) [lastSize, lastChange] = [firstAt.size, Date.now()];
    await sleep(10);
  }
  const dispatched = firstAt.size;
  const dSeconds = (Math.max(d0, ...firstAt.values()) - d0) / 1000;
  const releaseLat = [...firstAt.values()].map((t) => t - d0);
  await queue.close();
  for (const c of [...agents, ...callers]) c.close();
  await sleep(1000);
  return [
    figure(
      'dispatch',
      `socket request → first offer or queued, ${DISPATCH_RATE}/s (requests/s)`,
      lat.length / rateS,
      lat,
      total - lat.length + refused,
    ),
    figure(
      'dispatch',
      `HTTP create, ${BURST} requests, 64 in flight, queue paused (requests/s)`,
      createLat.length / createS,
      createLat,
      createErrors,
    ),
    figure(
      'dispatch',
      `burst released → first offer or queued (dispatched/s; latency from release)`,
      dispatched / dSeconds,
      releaseLat,
      BURST - createErrors - dispatched,
    ),
  ];
}

/** billing: CALLS metered calls over the apps (payer top-up first), CONNECTED of them with both sides on sockets: top-up rate and tick lateness. */
async function billingWorkload(ctx: Ctx): Promise<Figure[]> {
  const appOf = (i: number) => ctx.apps[i % APPS]!;
  const post = (app: BenchApp, path: string, body: unknown, method = 'POST') =>
    json(`${ctx.api.url}${path}`, { method, headers: { authorization: app.basic }, body: JSON.stringify(body) });
  await pool(ctx.apps, 8, (app) => post(app, '/v1/billing/prices/default', { unitPrice: 1, unitSeconds: 60 }, 'PUT'));
  // Every payer and payee needs an account (a token creates it); the connected ones use theirs.
  const tokens = await pool(range(CALLS), 32, async (i) => [await appOf(i).token(`p${i}`), await appOf(i).token(`b${i}`)] as const);
  const topupLat: number[] = [];
  let topupErrors = 0;
  const t0 = performance.now();
  await pool(range(CALLS), 32, async (i) => {
    const t = performance.now();
    try {
      await post(appOf(i), '/v1/billing/topups', { uid: `p${i}`, amount: 1_000_000, ref: `bench-${i}` });
      topupLat.push(performance.now() - t);
    } catch {
      topupErrors++;
    }
  });
  const topupS = (performance.now() - t0) / 1000;

  const lateness: number[] = [];
  let measuring = false;
  const onTick = (d: unknown) => {
    if (measuring) lateness.push(wallNow() - (d as { due: number }).due);
  };
  const clients = await pool(range(CONNECTED * 2), 200, async (k) => {
    const c = await rawConnect(ctx.api.url, { token: tokens[k >> 1]![k & 1]! });
    c.on('charge.tick', onTick);
    return c;
  });
  // The calls begin evenly over one tick period.
  const b0 = performance.now();
  let beginErrors = 0;
  await pool(range(CALLS), 64, async (i) => {
    const wait = (i / CALLS) * TICK_S * 1000 - (performance.now() - b0);
    if (wait > 0) await sleep(wait);
    try {
      await post(appOf(i), '/v1/billing/calls', { callId: `c${i}`, payer: `p${i}`, payee: `b${i}`, priceKey: 'CN-EN' });
    } catch {
      beginErrors++;
    }
  });
  await sleep(TICK_S * 1000 + 1000); // one period of warm-up
  // Ticks the server made: Σ of the calls' tick sequence numbers, read per app (one slot each).
  const seqs = async () => {
    const perApp = await Promise.all(
      ctx.apps.map(async (app, a) => {
        const p = ctx.redis.pipeline();
        for (let i = a; i < CALLS; i += APPS) p.hget(`${KEY_PREFIX}:{${app.appid}}:billing:c:c${i}`, 'seq');
        return ((await p.exec()) ?? []).reduce((x, [, v]) => x + Number(v ?? 0), 0);
      }),
    );
    return perApp.reduce((x, y) => x + y, 0);
  };
  const seq0 = await seqs();
  const w0 = performance.now();
  measuring = true;
  await sleep(BILLING_SECONDS * 1000);
  measuring = false;
  const wallS = (performance.now() - w0) / 1000;
  const ticks = (await seqs()) - seq0;
  for (const c of clients) c.close();
  await pool(range(CALLS), 64, (i) => post(appOf(i), `/v1/billing/calls/c${i}/end`, { reason: 'app' }).catch(() => undefined));
  await sleep(500);
  const tickFig = figure('billing', `charge.tick lateness, ${CALLS} calls, tick ${TICK_S} s (server ticks/s)`, ticks / wallS, lateness, beginErrors);
  return [figure('billing', `ledger top-up over HTTP, 32 in flight (top-ups/s)`, topupLat.length / topupS, topupLat, topupErrors), tickFig];
}

/** notify: a plain BullMQ producer (the cluster's queue prefix) at NOTIFY_RATE/s to USERS users over the apps; enqueue → socket event. */
async function notifyWorkload(ctx: Ctx): Promise<Figure[]> {
  const tokens = await pool(range(USERS), 16, (i) => ctx.apps[i % APPS]!.token(`n${i}`));
  const clients = await pool(tokens, 50, (token) => rawConnect(ctx.api.url, { token }));
  const latencies: number[] = [];
  for (const c of clients) c.onEvent('bench.tick', (d) => latencies.push(performance.now() - (d as { sent: number }).sent));
  const queue = new Queue('notify', { connection: ctx.redis as never, prefix: queuePrefix(ctx.config, 'notify') });
  await sleep(200);
  const total = NOTIFY_RATE * NOTIFY_SECONDS;
  const start = performance.now();
  let enqueueErrors = 0;
  await paced(
    NOTIFY_RATE,
    total,
    (from, to) =>
      queue
        .addBulk(
          range(to - from).map((k) => {
            const i = from + k;
            return {
              name: 'notify',
              data: {
                appid: ctx.apps[(i % USERS) % APPS]!.appid,
                to: { user: `n${i % USERS}` },
                event: 'bench.tick',
                data: { sent: performance.now() },
              },
            };
          }),
        )
        .catch(() => void (enqueueErrors += to - from)),
    10,
  );
  const deadline = Date.now() + 10_000;
  while (latencies.length < total - enqueueErrors && Date.now() < deadline) await sleep(50);
  const wallS = (performance.now() - start) / 1000;
  await queue.close();
  for (const c of clients) c.close();
  await sleep(500);
  return [
    figure(
      'notify',
      `notify job enqueued → socket event, ${NOTIFY_RATE}/s to ${USERS} users (events/s)`,
      latencies.length / wallS,
      latencies,
      total - latencies.length,
    ),
  ];
}

const WORKLOAD_FNS: Record<string, (ctx: Ctx) => Promise<Figure[]>> = {
  connections: connectionsWorkload,
  dispatch: dispatchWorkload,
  billing: billingWorkload,
  notify: notifyWorkload,
};

// ── where things live on the cluster ─────────────────────────────────────────

interface Placement {
  masters: Array<{ port: number; slots: number; replicas: number[] }>;
  appsOf: Map<number, string[]>;
  queuesOf: Map<number, string[]>;
  streamMaster: number;
  globalOf: Map<number, string[]>;
}

async function placement(ctx: Ctx): Promise<Placement> {
  const cluster = ctx.backend.cluster!;
  const ranges = await cluster.slots();
  const masters = [...new Set(ranges.map((r) => r.master))]
    .sort((a, b) => a - b)
    .map((port) => ({
      port,
      slots: ranges.filter((r) => r.master === port).reduce((n, r) => n + r.end - r.start + 1, 0),
      replicas: ranges.find((r) => r.master === port)!.replicas,
    }));
  const masterOfSlot = (slot: number) => ranges.find((r) => r.start <= slot && slot <= r.end)!.master;
  const group = (items: Array<[string, string]>) => {
    const m = new Map<number, string[]>(masters.map((x) => [x.port, []]));
    for (const [name, key] of items) m.get(masterOfSlot(keySlot(key)))!.push(name);
    return m;
  };
  return {
    masters,
    appsOf: group(ctx.apps.map((a) => [a.appid, `${KEY_PREFIX}:{${a.appid}}:app`])),
    queuesOf: group(Object.keys(QUEUES).map((q) => [q, `${queuePrefix(ctx.config, q)}:${q}:wait`])),
    streamMaster: masterOfSlot(keySlot(`${KEY_PREFIX}:sio:stream`)),
    globalOf: group([
      ['apps', `${KEY_PREFIX}:apps`],
      ['g:billing:apps', `${KEY_PREFIX}:g:billing:apps`],
      ['g:rooms:apps', `${KEY_PREFIX}:g:rooms:apps`],
      ['g:presence:apps', `${KEY_PREFIX}:g:presence:apps`],
      ['g:webhooks:apps', `${KEY_PREFIX}:g:webhooks:apps`],
    ]),
  };
}

// ── failover ─────────────────────────────────────────────────────────────────

interface Attempt {
  app: 'target' | 'control';
  ref: string;
  uid: string;
  /** ms relative to the kill (negative: before). */
  sent: number;
  done: number;
  status: string;
}

interface FailoverResult {
  victim: number;
  promoted: number | null;
  /** Replicas the new master of the target's slot has (ledger writes WAIT for REDIS_DURABLE_REPLICAS of them). */
  promotedReplicas: number;
  targetApp: string;
  controlApp: string | null;
  controlMaster: number | null;
  /** ms after the kill: the slot map (as a live node sees it) no longer names the victim / waitHealthy then resolved. */
  promotedAt: number;
  healthyAt: number;
  attempts: Attempt[];
  lost: Record<'target' | 'control', number>;
  appliedUnacked: Record<'target' | 'control', number>;
  missingEntries: string[];
  /** Why a ledger could not be read back through the api afterwards (then lost is unknown). */
  unreadable: Record<'target' | 'control', string | null>;
}

async function failover(ctx: Ctx, place: Placement): Promise<FailoverResult> {
  const cluster = ctx.backend.cluster!;
  const target = ctx.apps[0]!;
  const victim = await cluster.masterOf(`${KEY_PREFIX}:{${target.appid}}:app`);
  const control = ctx.apps.find((a) => [...place.appsOf].some(([port, ids]) => port !== victim && ids.includes(a.appid))) ?? null;
  const controlMaster = control ? await cluster.masterOf(`${KEY_PREFIX}:{${control.appid}}:app`) : null;
  const uids = range(10).map((i) => `f${i}`);
  for (const app of [target, control]) if (app) await pool(uids, 10, (uid) => app.token(uid));
  const replicas = place.masters.find((m) => m.port === victim)?.replicas ?? [];

  const attempts: Attempt[] = [];
  let killAt = Infinity; // performance.now() of the SIGKILL
  const t0 = performance.now();
  const rel = (t: number) => (Number.isFinite(killAt) ? t - killAt : t - t0 - FO_BEFORE_S * 1000);
  const topup = async (which: 'target' | 'control', app: BenchApp, i: number) => {
    const uid = uids[i % uids.length]!;
    const ref = `fo-${which}-${i}`;
    const sent = performance.now();
    let status: string;
    try {
      const res = await fetch(`${ctx.api.url}/v1/billing/topups`, {
        method: 'POST',
        headers: { authorization: app.basic, 'content-type': 'application/json' },
        body: JSON.stringify({ uid, amount: 1, ref }),
        signal: AbortSignal.timeout(FO_TIMEOUT_MS),
      });
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
      status = res.ok ? '200' : `${res.status} ${body.error?.code ?? ''}`.trim();
    } catch (err) {
      status = (err as Error).name === 'TimeoutError' ? `timeout (${FO_TIMEOUT_MS / 1000} s)` : `network: ${(err as Error).message}`;
    }
    attempts.push({ app: which, ref, uid, sent: rel(sent), done: rel(performance.now()), status });
  };
  const inFlight: Array<Promise<void>> = [];
  const totalS = FO_BEFORE_S + FO_AFTER_S;
  const senders = [
    paced(FO_RATE, FO_RATE * totalS, (from, to) => {
      for (let i = from; i < to; i++) inFlight.push(topup('target', target, i));
    }),
    control && FO_CONTROL_RATE > 0
      ? paced(FO_CONTROL_RATE, FO_CONTROL_RATE * totalS, (from, to) => {
          for (let i = from; i < to; i++) inFlight.push(topup('control', control, i));
        })
      : Promise.resolve(0),
  ];
  await sleep(FO_BEFORE_S * 1000);
  killAt = performance.now();
  await cluster.kill(victim);
  progress(`failover: SIGKILLed master ${victim} (app ${target.appid}'s slot) at ${FO_BEFORE_S} s`);
  // cluster.waitHealthy alone resolves at once after a kill: until cluster-node-timeout the
  // survivors still agree on the old slot map. First wait for the victim's slots to move.
  let promotedAt = NaN;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(50)) {
    const ranges = await cluster.slots().catch(() => []);
    if (ranges.length > 0 && !ranges.some((r) => r.master === victim)) {
      promotedAt = performance.now() - killAt;
      break;
    }
  }
  await cluster.waitHealthy(60_000);
  const healthyAt = performance.now() - killAt;
  const promoted = await cluster.masterOf(`${KEY_PREFIX}:{${target.appid}}:app`).catch(() => null);
  const promotedReplicas = (await cluster.slots().catch(() => [])).find((r) => r.master === promoted)?.replicas.length ?? NaN;
  if (promoted !== null && !replicas.includes(promoted)) progress(`failover: the slot went to ${promoted}, not to a replica of ${victim}`);
  await Promise.all(senders);
  await Promise.all(inFlight);

  // Every acknowledged top-up must be in its user's ledger (read through the api).
  const found = { target: new Set<string>(), control: new Set<string>() };
  const unreadable: Record<'target' | 'control', string | null> = { target: null, control: null };
  for (const [which, app] of [
    ['target', target],
    ['control', control],
  ] as const) {
    if (!app) continue;
    try {
      for (const uid of uids) {
        let before: number | undefined;
        do {
          const page = await json<{ entries: Array<{ key: string }>; next?: number }>(
            `${ctx.api.url}/v1/billing/users/${uid}/ledger?limit=500${before ? `&before=${before}` : ''}`,
            { headers: { authorization: app.basic }, signal: AbortSignal.timeout(10_000) },
          );
          for (const e of page.entries) if (e.key.startsWith('topup:')) found[which].add(e.key.slice('topup:'.length));
          before = page.next;
        } while (before !== undefined);
      }
    } catch (err) {
      unreadable[which] = (err as Error).message.slice(0, 160);
    }
  }
  const lost = { target: 0, control: 0 };
  const appliedUnacked = { target: 0, control: 0 };
  const missingEntries: string[] = [];
  for (const a of attempts) {
    const has = found[a.app].has(a.ref);
    if (a.status === '200' && !has) {
      lost[a.app]++;
      missingEntries.push(`${a.ref} (sent ${fmt(a.sent, 0)} ms, answered ${fmt(a.done, 0)} ms)`);
    }
    if (a.status !== '200' && has) appliedUnacked[a.app]++;
  }
  return {
    victim,
    promoted,
    promotedReplicas,
    targetApp: target.appid,
    controlApp: control?.appid ?? null,
    controlMaster,
    promotedAt,
    healthyAt,
    attempts,
    lost,
    appliedUnacked,
    missingEntries,
    unreadable,
  };
}

function printFailover(r: FailoverResult): void {
  const rows = (['target', 'control'] as const).flatMap((which) => {
    const as = r.attempts.filter((a) => a.app === which);
    if (as.length === 0) return [];
    const after = as.filter((a) => a.sent >= 0);
    const before = as.filter((a) => a.sent < 0);
    const okAfter = after.filter((a) => a.status === '200');
    const failed = as.filter((a) => a.status !== '200');
    const byStatus = new Map<string, number>();
    for (const a of failed) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const firstOk = Math.min(...as.filter((a) => a.status === '200' && a.done >= 0).map((a) => a.done));
    const firstOkSentAfter = Math.min(...okAfter.map((a) => a.done));
    const lastFailSent = Math.max(...failed.map((a) => a.sent));
    const sAfter = summary(okAfter.map((a) => a.done - a.sent));
    const sBefore = summary(before.filter((a) => a.status === '200').map((a) => a.done - a.sent));
    return [
      {
        app: `${which} ${which === 'target' ? r.targetApp : r.controlApp} (master ${which === 'target' ? r.victim : r.controlMaster})`,
        'top-ups sent': as.length,
        'answered 200': as.length - failed.length,
        'failed, by status': [...byStatus].map(([s, n]) => `${n}× ${s}`).join('; ') || '0',
        'kill → first 200 ms (sent after the kill)': fmt(firstOkSentAfter, 0),
        'kill → first 200 answer ms (any)': fmt(firstOk, 0),
        'last failed request sent at ms': failed.length ? fmt(lastFailSent, 0) : '–',
        'p50 / p99 of 200s sent after the kill ms': `${fmt(sAfter.p50, 1)} / ${fmt(sAfter.p99, 1)}`,
        'p99 before the kill ms': fmt(sBefore.p99, 1),
        'lost acknowledged entries': r.unreadable[which] ? 'unknown' : r.lost[which],
        'applied though not acknowledged': r.unreadable[which] ? 'unknown' : r.appliedUnacked[which],
      },
    ];
  });
  printTable(
    `Failover: top-ups over HTTP (${FO_RATE}/s to the target app, ${FO_CONTROL_RATE}/s to a control app on another master, ${FO_TIMEOUT_MS / 1000} s timeout each); master ${r.victim} SIGKILLed ${FO_BEFORE_S} s in, cluster-node-timeout ${NODE_TIMEOUT_MS} ms; times relative to the kill`,
    rows,
  );
  process.stdout.write(
    `\nthe slot map named ${r.promoted ?? 'no'} master instead of ${r.victim} ${fmt(r.promotedAt, 0)} ms after the kill; every live node healthy and agreeing (waitHealthy) ${fmt(r.healthyAt, 0)} ms after the kill; ` +
      `the new master has ${r.promotedReplicas} replica(s), ledger writes wait for ${SERVER_ENV.REDIS_DURABLE_REPLICAS ?? 1} (REDIS_DURABLE_REPLICAS)\n`,
  );
  for (const which of ['target', 'control'] as const)
    if (r.unreadable[which]) process.stdout.write(`the ${which} app's ledger could not be read back through the api: ${r.unreadable[which]}\n`);
  if (r.missingEntries.length)
    process.stdout.write(
      `acknowledged top-ups missing from the ledger: ${r.missingEntries.slice(0, 20).join(', ')}${r.missingEntries.length > 20 ? ' …' : ''}\n`,
    );
  // One-second windows of the top-ups, by send time.
  const target = r.attempts.filter((a) => a.app === 'target');
  const control = r.attempts.filter((a) => a.app === 'control');
  const timeline = [];
  for (let w = -FO_BEFORE_S; w < FO_AFTER_S; w++) {
    const inWin = (a: Attempt) => a.sent >= w * 1000 && a.sent < (w + 1) * 1000;
    const win = target.filter(inWin);
    const ok = win.filter((a) => a.status === '200');
    const s = summary(ok.map((a) => a.done - a.sent));
    const cWin = control.filter(inWin);
    const cOk = cWin.filter((a) => a.status === '200');
    timeline.push({
      'sent in s': `${w >= 0 ? '+' : ''}${w}…${w + 1}`,
      sent: win.length,
      'answered 200': ok.length,
      failed: win.length - ok.length,
      'p50 ms': fmt(s.p50, 1),
      'p99 ms': fmt(s.p99, 1),
      'max ms': fmt(s.max, 0),
      'control 200 / sent': `${cOk.length} / ${cWin.length}`,
      'control max ms': fmt(summary(cOk.map((a) => a.done - a.sent)).max, 0),
    });
  }
  printTable("Failover timeline: target app top-ups (and the control app's) by the second they were sent in (0 = the kill)", timeline);
  const firstOk = Math.min(...target.filter((a) => a.status === '200' && a.sent >= 0).map((a) => a.done));
  const lost = r.lost.target + r.lost.control;
  const verified = !r.unreadable.target && !r.unreadable.control;
  process.stdout.write(
    `\ngoal: writes back ≤ 10 s after the kill — ${firstOk <= 10_000 ? 'met' : 'MISSED'} (first 200 of a top-up sent after the kill: ${fmt(firstOk, 0)} ms)\n` +
      `goal: 0 lost acknowledged ledger entries — ${!verified ? 'not verified (a ledger could not be read)' : lost === 0 ? 'met' : 'MISSED'} (${lost} lost of ${r.attempts.filter((a) => a.status === '200').length} acknowledged)\n`,
  );
}

// ── one backend ──────────────────────────────────────────────────────────────

interface BackendRun {
  kind: BackendKind;
  label: string;
  runs: WorkloadRun[];
  total: NodeDelta[];
  place?: Placement;
  failover?: FailoverResult;
}

async function runBackend(kind: BackendKind, logs: ReturnType<typeof logCounter>): Promise<BackendRun> {
  progress(
    `${kind}: starting the Redis${kind === 'cluster' ? ` Cluster (${MASTERS} masters + ${MASTERS * REPLICAS} replicas, cluster-node-timeout ${NODE_TIMEOUT_MS} ms)` : ''}…`,
  );
  logs.setPhase(`${kind} set-up`);
  const backend = await startBackend(kind, { masters: MASTERS, replicasPerMaster: REPLICAS, nodeTimeoutMs: NODE_TIMEOUT_MS });
  let api: ServerProc | undefined;
  let worker: WorkerProc | undefined;
  let redis: RedisClient | undefined;
  try {
    if (PIN) for (const pid of backend.pids()) pin(pid, SERVER_CPU);
    const procEnv: Record<string, string> = {
      ...backend.env,
      ADMIN_TOKEN: ADMIN,
      KEY_PREFIX,
      QUEUE_PREFIX,
      LOG_LEVEL: 'warn',
      PORT: String(await freePort()),
      SOCKET_RATE_PER_SECOND: '20',
      PRESENCE_TIMEOUT_MS: '3600000',
      DISPATCH_MAX_WAIT_MS: '600000',
      DISPATCH_ROUND_MS: '10000',
      WORKER_CONCURRENCY: '50',
      CHARGE_TICK_SECONDS: String(TICK_S),
      ...SERVER_ENV,
    };
    const config = loadConfig(procEnv);
    api = await startServerProc('switchboard', procEnv, { onOutput: logs.onOutput('api') });
    worker = await startWorkerProc(procEnv, { onOutput: logs.onOutput('worker') });
    if (PIN) {
      pin(api.pid, SERVER_CPU);
      pin(worker.pid, SERVER_CPU);
    }
    redis = createRedis(redisTarget(config), 'bench');
    const apps = await pool(range(APPS), 4, () => createBenchApp(api!.url, ADMIN));
    const ctx: Ctx = { backend, config, env: procEnv, api, worker, apps, redis };
    const place = kind === 'cluster' ? await placement(ctx) : undefined;

    const runs: WorkloadRun[] = [];
    const first = await backend.sample();
    let before = first;
    for (const w of WORKLOADS) {
      const fn = WORKLOAD_FNS[w];
      if (!fn) throw new Error(`unknown workload ${w}; choose from ${Object.keys(WORKLOAD_FNS).join(', ')}`);
      progress(`${kind}: ${w}…`);
      logs.setPhase(`${kind} ${w}`);
      const cpu0 = [cpuSeconds(api.pid), cpuSeconds(worker.pid)];
      const t0 = performance.now();
      const figures = await fn(ctx);
      const wallS = (performance.now() - t0) / 1000;
      const after = await backend.sample();
      runs.push({
        workload: w,
        figures,
        wallS,
        apiCpu: cpuSeconds(api.pid) - cpu0[0]!,
        workerCpu: cpuSeconds(worker.pid) - cpu0[1]!,
        nodes: sampleDelta(before, after),
      });
      before = after;
    }
    const total = sampleDelta(first, before);
    let fo: FailoverResult | undefined;
    if (kind === 'cluster' && FAILOVER && place) {
      progress('cluster: failover…');
      logs.setPhase('cluster failover');
      fo = await failover(ctx, place);
    }
    return { kind, label: backend.label, runs, total, ...(place ? { place } : {}), ...(fo ? { failover: fo } : {}) };
  } finally {
    redis?.disconnect();
    await worker?.stop();
    await api?.kill();
    await backend.stop();
  }
}

// ── tables ───────────────────────────────────────────────────────────────────

function printComparison(results: BackendRun[]): void {
  const single = results.find((r) => r.kind === 'single');
  const cluster = results.find((r) => r.kind === 'cluster');
  const base = single ?? cluster!;
  const rows = base.runs.flatMap((run) =>
    run.figures.map((f, i) => {
      const s = single?.runs.find((r) => r.workload === run.workload)?.figures[i];
      const c = cluster?.runs.find((r) => r.workload === run.workload)?.figures[i];
      return {
        workload: f.workload,
        measure: f.measure,
        'single /s': s ? fmt(s.rate, 0) : 'n/a',
        'single p50 ms': s ? fmt(s.p50, 2) : 'n/a',
        'single p99 ms': s ? fmt(s.p99, 2) : 'n/a',
        'cluster /s': c ? fmt(c.rate, 0) : 'n/a',
        'cluster p50 ms': c ? fmt(c.p50, 2) : 'n/a',
        'cluster p99 ms': c ? fmt(c.p99, 2) : 'n/a',
        'cluster/single rate': s && c ? times(c.rate / s.rate) : 'n/a',
        'cluster/single p99': s && c ? times(c.p99 / s.p99) : 'n/a',
        'errors single / cluster': `${s?.errors ?? '–'} / ${c?.errors ?? '–'}`,
      };
    }),
  );
  printTable(`Workloads over ${APPS} apps: single redis-server vs ${cluster?.label ?? 'cluster'} (one api + one worker process each)`, rows);

  const cpuRows = results.flatMap((r) =>
    r.runs.map((run) => {
      const redisCpu = run.nodes.reduce((a, n) => a + n.cpu, 0);
      const replicaCpu = run.nodes.filter((n) => n.role === 'replica').reduce((a, n) => a + n.cpu, 0);
      const masterCommands = run.nodes.filter((n) => n.role === 'master').reduce((a, n) => a + n.commands, 0);
      return {
        workload: run.workload,
        backend: r.label,
        'wall s': fmt(run.wallS, 1),
        'api CPU s': fmt(run.apiCpu, 2),
        'worker CPU s': fmt(run.workerCpu, 2),
        'redis CPU s (all nodes)': fmt(redisCpu, 2),
        'of which replicas': r.kind === 'cluster' ? fmt(replicaCpu, 2) : '–',
        'commands (masters)': masterCommands,
        'commands/s': fmt(masterCommands / run.wallS, 0),
      };
    }),
  );
  printTable(
    'What the servers spent per workload (set-up of the workload included: tokens, sockets, top-ups; Redis CPU and commands from INFO, INFO itself left out)',
    cpuRows,
  );
}

function printShares(r: BackendRun): void {
  const place = r.place!;
  const masterPorts = place.masters.map((m) => m.port);
  printTable(
    `Where things live (${r.label}; KEY_PREFIX ${KEY_PREFIX}, QUEUE_PREFIX ${QUEUE_PREFIX}, queue prefix {${QUEUE_PREFIX}:<queue>})`,
    place.masters.map((m) => ({
      master: m.port,
      replicas: m.replicas.join(',') || '–',
      slots: m.slots,
      [`apps (of ${APPS})`]: place.appsOf.get(m.port)!.length,
      queues: place.queuesOf.get(m.port)!.join(', ') || '–',
      [`adapter stream ${KEY_PREFIX}:sio:stream`]: place.streamMaster === m.port ? 'here' : '',
      'global keys': place.globalOf.get(m.port)!.join(', ') || '–',
    })),
  );

  const shareRows = (label: string, nodes: NodeDelta[]) => {
    const masters = masterPorts.map(
      (port) => nodes.find((n) => n.port === port) ?? { port, commands: 0, cpu: 0, byCommand: new Map<string, number>() },
    );
    const cmdTotal = masters.reduce((a, n) => a + n.commands, 0);
    const cpuTotal = masters.reduce((a, n) => a + n.cpu, 0);
    const row: Record<string, string | number> = { workload: label };
    for (const n of masters) row[`${n.port} commands / CPU %`] = `${fmt((n.commands / cmdTotal) * 100, 0)} / ${fmt((n.cpu / cpuTotal) * 100, 0)}`;
    row['busiest/mean commands'] = times(busiestOverMean(masters.map((n) => n.commands)));
    row['busiest/mean CPU'] = times(busiestOverMean(masters.map((n) => n.cpu)));
    return row;
  };
  printTable(`Share of each master (INFO commandstats calls, used_cpu_sys+user) with ${APPS} apps active — goal: busiest ≤ 1.5× the mean`, [
    ...r.runs.map((run) => shareRows(run.workload, run.nodes)),
    shareRows('all four', r.total),
  ]);
  printTable(
    'Busiest commands of each master over all four workloads (calls)',
    masterPorts.map((port) => {
      const n = r.total.find((x) => x.port === port);
      const top = n ? [...n.byCommand].sort((a, b) => b[1] - a[1]).slice(0, 6) : [];
      return { master: port, commands: n?.commands ?? 0, 'CPU s': fmt(n?.cpu ?? NaN, 2), top: top.map(([c, k]) => `${c} ${k}`).join(', ') };
    }),
  );
  const all = shareRows('all', r.total);
  const worst = Math.max(
    busiestOverMean(masterPorts.map((p) => r.total.find((n) => n.port === p)?.commands ?? 0)),
    busiestOverMean(masterPorts.map((p) => r.total.find((n) => n.port === p)?.cpu ?? 0)),
  );
  process.stdout.write(
    `\ngoal: busiest master ≤ 1.5× the mean (commands and CPU, all four workloads) — ${worst <= 1.5 ? 'met' : 'MISSED'} (commands ${all['busiest/mean commands']}, CPU ${all['busiest/mean CPU']})\n`,
  );
}

// ── main ─────────────────────────────────────────────────────────────────────

if (PIN) pin(process.pid, BENCH_CPU);
process.stdout.write(
  `cluster: ${WORKLOADS.join(', ')} over ${APPS} apps on ${BACKENDS.map((b) => (b === 'single' ? 'one redis-server' : `a Redis Cluster of ${MASTERS} masters + ${MASTERS * REPLICAS} replicas (cluster-node-timeout ${NODE_TIMEOUT_MS} ms)`)).join(' and on ')}; one api + one worker process each; node ${process.version}\n` +
    `sizes: ${CONNECTIONS} sockets pinging every ${PING_PERIOD_MS / 1000} s for ${CONN_SECONDS} s; ${AGENTS} agents, ${DISPATCH_RATE} requests/s for ${DISPATCH_SECONDS} s, burst ${BURST}; ` +
    `${CALLS} metered calls (${CONNECTED} connected both sides), tick ${TICK_S} s, ${BILLING_SECONDS} s measured; notify ${NOTIFY_RATE}/s for ${NOTIFY_SECONDS} s to ${USERS} users\n` +
    (Object.keys(SERVER_ENV).length
      ? `api and worker settings from BENCH_SERVER_ENV: ${Object.entries(SERVER_ENV)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}\n`
      : '') +
    `pinning: ${PIN ? `every redis-server, the api and the worker → CPU ${SERVER_CPU}; this load generator → CPU ${BENCH_CPU} (taskset -a)` : 'none (BENCH_PIN=0)'}; load average at start ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}\n`,
);
const logs = logCounter();
const results: BackendRun[] = [];
for (const kind of BACKENDS) results.push(await runBackend(kind, logs));
if (WORKLOADS.length) printComparison(results);
const clusterRun = results.find((r) => r.kind === 'cluster');
if (clusterRun?.place && WORKLOADS.length) printShares(clusterRun);
if (clusterRun?.failover) printFailover(clusterRun.failover);
logs.print('Warnings and errors logged by the api and worker processes (by phase and message)');
process.stdout.write(
  `\nload average at the end ${loadavg()
    .map((l) => fmt(l, 2))
    .join(' ')} (above ~2: something else shared this 2-core machine)\n`,
);
// The streams adapter's blocking reader may keep a connection open after close(): leave explicitly.
process.exit(0);
