// Room joins, Switchboard beside a bare Socket.IO 4.8 server and a Colyseus 0.18 server
// doing the same workload, same run, same machine. Server side pinned to CPU 0 (Switchboard:
// api + worker + its throwaway redis-server; bare and Colyseus: their one process), this
// process and all its clients to CPU 1 (taskset -a: every thread). Each server starts
// fresh for each workload and stops after it; tokens and rooms are made before the timing.
//   1. one-room: BENCH_ONE_ROOM clients connect and join ONE room, BENCH_JOIN_CONCURRENCY
//      in flight. Per client: start of connect → join ack. joins/s = clients / wall time of
//      the ramp; p50/p99/max; server CPU ms per join over the ramp, per process and total.
//   2. rooms-of-50: BENCH_ROOMS50_CLIENTS clients into rooms of 50, same figures.
//   2b. leave: the members of 2, once joined (not timed), leave their room (acked) and
//      disconnect, BENCH_JOIN_CONCURRENCY in flight: leaves/s, leave p50/p99 (sent → ack),
//      server CPU per leave + disconnect over the leaves and 300 ms after the last (the
//      disconnects' work). Bare: socket.leave + room.member 'left' to the room + ack; Colyseus:
//      a consented room.leave (its players map loses the player: a patch to the room).
//      In 1, 2 and 2b, Switchboard's api also counts its socket writes to Redis (as in 5), and
//      the Redis commands of all its processes are counted (INFO commandstats), per op.
//   3. heartbeats: BENCH_HEARTBEAT_MEMBERS members in rooms of 50, each heartbeating every
//      3 s (acked, spread over the period, from its join on); two windows of BENCH_SECONDS:
//      server CPU % per window (sum and split), ack p50/p99; then heap per member after a
//      forced GC (heapUsed − heapUsed before any client connected, ÷ members) and RSS.
//   4. push: one room of BENCH_PUSH_MEMBERS; a push to the room 10 times a second for
//      BENCH_SECONDS over HTTP, carrying its send time (this process' clock); delivery
//      latency = arrival at each member − send time; delivered vs expected.
//   5. round-trips (Switchboard only): BENCH_ROUND_TRIPS connect+joins one after another
//      into an existing room: the api's socket writes to Redis (= round trips: ioredis
//      writes each command, or each pipeline / MULTI, at once — two sent together count
//      two) and Redis commands (INFO commandstats, all processes) per connect+join, the
//      idle system's rate (measured just before) subtracted; the commands sent, per op.
// Members heartbeat only in workload 3; elsewhere Switchboard runs with a 10-minute
// ROOM_MEMBER_TIMEOUT_MS, so that no member times out meanwhile.
// What each does: Switchboard as in production (room.join / room.heartbeat socket events,
// POST /v1/notify to the room). Bare: server.ts `bare` (join + room.member to the room +
// ack; heartbeat ack; POST /notify → io.to(room).emit). Colyseus: peers/colyseus-server.ts
// (a room whose schema state maps the players; a `heartbeat` request answered; POST /notify
// → room.broadcast), clients are @colyseus/sdk (joinById: HTTP seat reservation + WebSocket).
//   BENCH_JOIN_WORKLOADS (default one-room,rooms-of-50,leave,heartbeats,push,round-trips)
//   BENCH_JOIN_SERVERS (default switchboard,bare,colyseus)  BENCH_JOIN_CONCURRENCY (100)
//   BENCH_ONE_ROOM (1000)  BENCH_ROOMS50_CLIENTS (2000)  BENCH_HEARTBEAT_MEMBERS (5000)
//   BENCH_PUSH_MEMBERS (1000)  BENCH_SECONDS (20)  BENCH_ROUND_TRIPS (50)
//   BENCH_JOIN_ROUNDS (1): the two join workloads and leave run that many rounds, the servers
//     one after another in each (in reverse order every other round, so a drift of the
//     machine's speed weighs on both alike); each round's table, then the medians, and every ratio and goal is
//     the median of the rounds' ratios (each ratio from one round: the two ramps minutes apart
//     at most). On a shared machine one ramp's speed moves by a third from run to run.
//   BENCH_HEARTBEAT_ROUNDS (1): the heartbeats workload in rounds, as BENCH_JOIN_ROUNDS (its
//     server CPU moves by a quarter between runs): each round's table, then the medians; its
//     ratios and goals are the medians of the rounds' ratios.
//   BENCH_CPU_PROF=<dir>: each server process writes a V8 CPU profile there when it ends.
//   BENCH_JOIN_TAIL=1: each join ramp also prints its p50/p99 per tenth of the ramp (in the
//     order the joins were answered): where in the ramp the slow joins are.
//   BENCH_JOIN_WARMUP=<n> (0): in the join workloads, n clients connect, join rooms of 50 of
//     their own and disconnect before the timed ramp, on every server alike (a server whose
//     code is compiled and whose heap has grown, as one that has been up a while).
//   BENCH_API_NODE_FLAGS="<flags>": more Node flags for Switchboard's api (--trace-gc …).
//   BENCH_MONITOR=<file>: the round-trips workload writes what Redis MONITOR saw during its
//     timed connect+joins to <file> (every command, from which connection: to see what a join
//     sends), and Redis' SLOWLOG of them, every command with its duration, to <file>.slowlog.
//   BENCH_API_ALONE=1: Switchboard's redis-server and worker run on the load generator's core,
//     the api alone on core 0 (for a profile of the api's own work: with Redis on its core, a
//     write to Redis is where the kernel runs Redis, and the api's profile is charged for it).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client as ColyseusClient } from '@colyseus/sdk';
import { skipColyseusStateDecoding } from './lib/colyseus.js';
import { Redis } from 'ioredis';
import { rawConnect } from './lib/rawclient.js';
import {
  createBenchApp,
  freePort,
  json,
  paced,
  pin,
  pool,
  sleep,
  startRedis,
  startServerProc,
  startWorkerProc,
  type ServerProc,
} from './lib/harness.js';
import { commandMicros, commandStats, coreSeconds, errorStats, cpuMeter, fmt, median, printTable, summary, wallNow } from './lib/stats.js';

type Kind = 'switchboard' | 'bare' | 'colyseus';
const WORKLOADS = (process.env.BENCH_JOIN_WORKLOADS ?? 'one-room,rooms-of-50,leave,heartbeats,push,round-trips').split(',');
const SERVERS = (process.env.BENCH_JOIN_SERVERS ?? 'switchboard,bare,colyseus').split(',') as Kind[];
const CONCURRENCY = Number(process.env.BENCH_JOIN_CONCURRENCY ?? 100);
const ONE_ROOM = Number(process.env.BENCH_ONE_ROOM ?? 1000);
const ROOMS50 = Number(process.env.BENCH_ROOMS50_CLIENTS ?? 2000);
const HB_MEMBERS = Number(process.env.BENCH_HEARTBEAT_MEMBERS ?? 5000);
const PUSH_MEMBERS = Number(process.env.BENCH_PUSH_MEMBERS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const K = Number(process.env.BENCH_ROUND_TRIPS ?? 50);
const ROUNDS = Math.max(1, Number(process.env.BENCH_JOIN_ROUNDS ?? 1));
const WARMUP = Number(process.env.BENCH_JOIN_WARMUP ?? 0);
const HB_ROUNDS = Math.max(1, Number(process.env.BENCH_HEARTBEAT_ROUNDS ?? 1));
const ROOM_SIZE = 50;
const PERIOD_MS = 3000;
const PUSH_RATE = 10;
const SERVER_CPU = 0;
const BENCH_CPU = 1;
const SIDE_CPU = process.env.BENCH_API_ALONE === '1' ? BENCH_CPU : SERVER_CPU;
const ADMIN = 'bench-admin-token-0123456789';
/**
 * Switchboard removes a member silent (no heartbeat) for ROOM_MEMBER_TIMEOUT_MS (10 s): the
 * join, push and round-trip workloads do not heartbeat, so there it is 10 minutes (a ramp
 * outlasting 10 s would otherwise see its first members time out, and announced, meanwhile).
 */
const NO_TIMEOUT = { ROOM_MEMBER_TIMEOUT_MS: '600000' };
const NAMES: Record<Kind, string> = { switchboard: 'Switchboard', bare: 'bare Socket.IO', colyseus: 'Colyseus' };

const DECODE = process.env.BENCH_COLYSEUS_DECODE === '1';
// By default the SDK clients skip decoding state patches (lib/colyseus.ts says why);
// BENCH_COLYSEUS_DECODE=1 keeps the SDK's schema decoding.
if (!DECODE) skipColyseusStateDecoding();

const began = performance.now();
const progress = (msg: string) => process.stderr.write(`[join ${fmt((performance.now() - began) / 1000, 0)} s] ${msg}\n`);
const version = (pkg: string) =>
  (JSON.parse(readFileSync(join(process.cwd(), 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

// ── the servers ──

interface Member {
  heartbeat(): Promise<void>;
  onPush(fn: (data: { sent: number }) => void): void;
  /** Leaves the room (acked; Colyseus: a consented leave, answered by the server's close) and disconnects. */
  leave(): Promise<void>;
  close(): void;
}

interface Target {
  kind: Kind;
  /** Server-side processes, by name (CPU). */
  procs: Record<string, number>;
  /** The process whose heap is measured (Switchboard: the api). */
  server: ServerProc;
  redisUrl?: string;
  /** Switchboard started with BENCH_COUNT_REDIS=1: its api counts its socket writes to Redis. */
  countsRedisWrites?: boolean;
  tokens(n: number): Promise<string[]>;
  rooms(n: number): Promise<string[]>;
  /** Connects and joins; resolves at the join ack (Colyseus: joinById resolved). */
  join(token: string, roomId: string): Promise<Member>;
  push(roomId: string, data: { sent: number }): Promise<void>;
  /** Kills the server processes (SIGKILL: no graceful close; the worker and redis-server: SIGTERM). */
  stop(): Promise<void>;
}

/** Switchboard and bare: a raw Socket.IO client, `room.join` acked. */
async function socketJoin(url: string, token: string, roomId: string): Promise<Member> {
  const c = await rawConnect(url, { token });
  const ack = await withTimeout(c.emitWithAck('room.join', { roomId }), 30_000, 'room.join');
  if (!ack.ok) {
    c.close();
    throw new Error(`room.join: ${JSON.stringify(ack.error)}`);
  }
  return {
    async heartbeat() {
      const hb = await c.emitWithAck('room.heartbeat', { roomId });
      if (!hb.ok) throw new Error(`room.heartbeat: ${JSON.stringify(hb.error)}`);
    },
    onPush: (fn) => c.onEvent('bench.push', fn as (d: unknown) => void),
    async leave() {
      try {
        const r = await withTimeout(c.emitWithAck('room.leave', { roomId }), 30_000, 'room.leave');
        if (!r.ok) throw new Error(`room.leave: ${JSON.stringify(r.error)}`);
      } finally {
        c.close();
      }
    },
    close: () => c.close(),
  };
}

/** Bare and Colyseus: the bench makes the tokens and posts them (token → uid) before the timing. */
async function postTokens(url: string, n: number): Promise<string[]> {
  const tokens = range(n).map((i) => `${i}.${randomBytes(16).toString('hex')}`);
  for (let i = 0; i < n; i += 5000)
    await json(`${url}/tokens`, {
      method: 'POST',
      body: JSON.stringify(Object.fromEntries(tokens.slice(i, i + 5000).map((t, j) => [t, `m${i + j}`]))),
    });
  return tokens;
}

/** Server-side processes running now: killed if this process ends before it stopped them. */
const live = new Set<number>();
process.on('exit', () =>
  live.forEach((pid) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }),
);

async function startTarget(kind: Kind, extraEnv: Record<string, string> = {}): Promise<Target> {
  const t = await startServers(kind, extraEnv);
  Object.values(t.procs).forEach((pid) => live.add(pid));
  return { ...t, stop: () => t.stop().finally(() => Object.values(t.procs).forEach((pid) => live.delete(pid))) };
}

async function startServers(kind: Kind, extraEnv: Record<string, string>): Promise<Target> {
  const port = String(await freePort());
  if (kind === 'switchboard') {
    const redis = await startRedis();
    pin(redis.pid, SIDE_CPU);
    const env = { REDIS_URL: redis.url, ADMIN_TOKEN: ADMIN, KEY_PREFIX: 'bjoin', QUEUE_PREFIX: 'bqjoin', LOG_LEVEL: 'warn', PORT: port, ...extraEnv };
    const api = await startServerProc('switchboard', env);
    pin(api.pid, SERVER_CPU);
    const worker = await startWorkerProc(env);
    pin(worker.pid, SIDE_CPU);
    const { basic, token: issue } = await createBenchApp(api.url, ADMIN);
    const host = await issue('host');
    return {
      kind,
      procs: { api: api.pid, worker: worker.pid, redis: redis.pid },
      server: api,
      redisUrl: redis.url,
      countsRedisWrites: extraEnv.BENCH_COUNT_REDIS === '1',
      tokens: (n) => pool(range(n), 32, (i) => issue(`m${i}`)),
      rooms: (n) =>
        pool(
          range(n),
          16,
          async () =>
            (await json<{ roomId: string }>(`${api.url}/v1/rooms`, { method: 'POST', headers: { authorization: `Bearer ${host}` }, body: '{}' }))
              .roomId,
        ),
      join: (token, roomId) => socketJoin(api.url, token, roomId),
      push: async (roomId, data) =>
        void (await json(`${api.url}/v1/notify`, {
          method: 'POST',
          headers: { authorization: basic },
          body: JSON.stringify({ to: { room: roomId }, event: 'bench.push', data }),
        })),
      stop: async () => {
        await api.kill();
        await worker.stop();
        await redis.stop();
      },
    };
  }
  const server = await startServerProc(kind, { PORT: port, BENCH_BARE_AUTH: '1' });
  pin(server.pid, SERVER_CPU);
  const push = async (roomId: string, data: { sent: number }) =>
    void (await json(`${server.url}/notify`, { method: 'POST', body: JSON.stringify({ room: roomId, event: 'bench.push', data }) }));
  if (kind === 'bare') {
    return {
      kind,
      procs: { server: server.pid },
      server,
      tokens: (n) => postTokens(server.url, n),
      rooms: async (n) => range(n).map((i) => `r${i}`),
      join: (token, roomId) => socketJoin(server.url, token, roomId),
      push,
      stop: () => server.kill(),
    };
  }
  return {
    kind,
    procs: { server: server.pid },
    server,
    tokens: (n) => postTokens(server.url, n),
    rooms: async (n) => (await json<{ roomIds: string[] }>(`${server.url}/rooms`, { method: 'POST', body: JSON.stringify({ n }) })).roomIds,
    async join(token, roomId) {
      const client = new ColyseusClient(server.url);
      client.auth.token = token;
      const room = await withTimeout(client.joinById(roomId), 30_000, 'joinById');
      room.reconnection.enabled = false; // a closed bench client stays closed
      return {
        heartbeat: async () => void (await room.request('heartbeat', { roomId })),
        onPush: (fn) => void room.onMessage('bench.push', fn),
        leave: async () => void (await withTimeout(room.leave(true), 30_000, 'leave')),
        close: () => void room.leave(false),
      };
    },
    push,
    stop: () => server.kill(),
  };
}

/** Starts `kind`, runs `fn`, kills the servers and closes the members `fn` leaves in `members`. */
async function withTarget<T>(kind: Kind, fn: (t: Target, members: Member[]) => Promise<T>, extraEnv: Record<string, string> = {}): Promise<T> {
  const t = await startTarget(kind, extraEnv);
  const members: Member[] = [];
  try {
    return await fn(t, members);
  } finally {
    await t.stop();
    for (const m of members) m.close();
  }
}

// ── CPU over a window ──

interface Cpu {
  wallS: number;
  /** CPU seconds of each server process. */
  server: Record<string, number>;
  /** This process (the load generator), % of its core. */
  benchPct: number;
  /** Processes not ours (another checkout's build or tests…) on the server core and on ours, % of each. */
  othersPct: [number, number];
}
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
const serverPct = (c: Cpu) => (sum(c.server) / c.wallS) * 100;
const othersCol = (c: Cpu) => `${fmt(c.othersPct[0], 0)} / ${fmt(c.othersPct[1], 0)}`;
const OTHERS = `others' CPU % core ${SERVER_CPU} / ${BENCH_CPU}`;
/** The load generator's core was (nearly) full: that server's rate is a lower bound, its latencies upper bounds. */
const saturated = (c: Cpu) => c.benchPct + c.othersPct[1] >= 90;
function noteSaturated(results: Array<{ kind: Kind; cpu: Cpu }>): void {
  const full = results.filter((r) => saturated(r.cpu)).map((r) => NAMES[r.kind]);
  if (full.length)
    process.stdout.write(
      `load generator's core ≥ 90 % busy (bench + others) for: ${full.join(', ')} — there the clients, not the server, may set the pace: rates are lower bounds, latencies upper bounds\n`,
    );
}

/** Starts measuring CPU: the server processes, this one and everything else on both cores; call the result to stop. */
function cpuWindow(t: Target): () => Cpu {
  const meter = cpuMeter({ ...t.procs, bench: process.pid });
  const p0 = meter.read();
  const c0 = coreSeconds();
  const w0 = performance.now();
  return () => {
    const wallS = (performance.now() - w0) / 1000;
    const { bench, ...server } = meter.used(p0, meter.read());
    const cores = coreSeconds().map((c, i) => c - c0[i]!);
    const others = (core: number, ours: number) => Math.max(0, ((cores[core] ?? NaN) - ours) / wallS) * 100;
    return { wallS, server, benchPct: (bench / wallS) * 100, othersPct: [others(SERVER_CPU, sum(server)), others(BENCH_CPU, bench)] };
  };
}

/**
 * Collects the server's garbage (a full GC in its process: `stats`), then waits until the
 * server processes are quiet (< 15 % CPU, all together, over 0.5 s; at most 30 s): earlier
 * work done. Without the GC, the set-up's garbage (Switchboard: 2,000 tokens issued over
 * HTTP, tens of MB promoted to the old generation) was collected during the first second of
 * the timed ramp, by a mark-compact whose concurrent marking and sweeping share the server's
 * core: the joins of that second took twice as long (BENCH_JOIN_TAIL=1 shows it).
 */
async function settle(t: Target): Promise<void> {
  await t.server.stats();
  const until = performance.now() + 30_000;
  for (;;) {
    const stop = cpuWindow(t);
    await sleep(500);
    if (serverPct(stop()) < 15 || performance.now() > until) return;
  }
}

/**
 * BENCH_JOIN_WARMUP clients connect, join rooms of their own and disconnect before the timed
 * ramp (every server alike): the ramp then measures a server whose code is compiled and
 * whose heap has grown, as in a server that has been up for a while.
 */
async function warmUp(t: Target): Promise<void> {
  const { tokens, roomIds } = await prepare(t, WARMUP, Math.ceil(WARMUP / ROOM_SIZE));
  const members: Member[] = [];
  await timedOps(tokens, async (token, i) => {
    members.push(await t.join(token, roomIds[i % roomIds.length]!));
  });
  for (const m of members) m.close();
  progress(`  warm-up: ${WARMUP} clients joined and left`); // settle() then waits for their disconnects' work
}

/** Tokens for `clients` members and `rooms` rooms (not timed). */
async function prepare(t: Target, clients: number, rooms: number): Promise<{ tokens: string[]; roomIds: string[] }> {
  const [tokens, roomIds] = await Promise.all([t.tokens(clients), t.rooms(rooms)]);
  progress(`  ${clients} tokens, ${rooms} rooms made`);
  return { tokens, roomIds };
}

// ── joining: the ramp ──

interface Ramp {
  kind: Kind;
  /** What each client did: connect + join (a ramp), or leave + disconnect. */
  op: 'join' | 'leave';
  /** Which round of the workload (BENCH_JOIN_ROUNDS), from 0. */
  round: number;
  clients: number;
  rooms: number;
  wallS: number;
  latencies: number[];
  errors: string[];
  cpu: Cpu; // over the ramp (leaves: and 300 ms after)
  /** Switchboard: the api's socket writes to Redis (its command connections and the adapter's reads) and Redis commands (all processes), per op. */
  redis?: {
    writesPerOp: number;
    streamReadsPerOp: number;
    commandsPerOp: number;
    top: Array<[string, number]>;
    /** Redis' own time per op, µs, by command (a script's includes the commands inside it). */
    micros: Array<[string, number]>;
    /** Error replies Redis sent during the ops, by error prefix (INFO errorstats; NOSCRIPT: a script sent before it was loaded). */
    errorReplies: Array<[string, number]>;
  };
}

/** Redis commands by name so far (INFO commandstats) and the api's socket writes to Redis (BENCH_COUNT_REDIS=1). */
async function redisCounts(t: Target, probe: Redis) {
  const info = await probe.info('commandstats');
  return {
    commands: commandStats(info),
    micros: commandMicros(info),
    errors: errorStats(await probe.info('errorstats')),
    writes: await t.server.redisWrites(),
  };
}

/** Joins clients[i] into rooms[i % rooms.length], CONCURRENCY in flight; `joined` hears each member as it joins. */
async function ramp(
  t: Target,
  tokens: string[],
  rooms: string[],
  members: Member[],
  joined: (m: Member, i: number) => void = () => undefined,
): Promise<Ramp> {
  const perOp = await countRedis(t);
  const stop = cpuWindow(t);
  const { latencies, errors } = await timedOps(tokens, async (token, i) => {
    const m = await t.join(token, rooms[i % rooms.length]!);
    members.push(m);
    joined(m, i);
  });
  const cpu = stop();
  progress(`  ${latencies.length} joined in ${fmt(cpu.wallS, 1)} s`);
  if (process.env.BENCH_JOIN_TAIL) {
    const tenth = Math.ceil(latencies.length / 10);
    const parts = Array.from({ length: 10 }, (_, k) => summary(latencies.slice(k * tenth, (k + 1) * tenth)));
    progress(`  p50/p99 by tenth of the ramp: ${parts.map((s) => `${fmt(s.p50, 0)}/${fmt(s.p99, 0)}`).join(' ')}`);
  }
  const result: Ramp = { kind: t.kind, op: 'join', round: 0, clients: tokens.length, rooms: rooms.length, wallS: cpu.wallS, latencies, errors, cpu };
  if (perOp) {
    await sleep(300); // what the last joins started after their acks
    result.redis = await perOp(latencies.length);
  }
  return result;
}

/** Runs `op` on every item, CONCURRENCY in flight: each op's latency (start → resolved) or error, and the wall time of all. */
async function timedOps<T>(items: T[], op: (item: T, i: number) => Promise<void>): Promise<{ latencies: number[]; errors: string[]; wallS: number }> {
  const latencies: number[] = [];
  const errors: string[] = [];
  const started = performance.now();
  await pool(items, CONCURRENCY, async (item, i) => {
    const start = performance.now();
    try {
      await op(item, i);
      latencies.push(performance.now() - start);
    } catch (err) {
      errors.push((err as Error).message);
    }
  });
  return { latencies, errors, wallS: (performance.now() - started) / 1000 };
}

/**
 * Switchboard started with BENCH_COUNT_REDIS=1: reads Redis' counts now and returns what reads
 * them again, per op (n ops), and closes its probe. Undefined for a server without them.
 */
async function countRedis(t: Target): Promise<((n: number) => Promise<NonNullable<Ramp['redis']>>) | undefined> {
  if (!t.redisUrl || !t.countsRedisWrites) return undefined;
  const probe = new Redis(t.redisUrl);
  const before = await redisCounts(t, probe);
  return async (n) => {
    const after = await redisCounts(t, probe);
    probe.disconnect();
    /** What each command added between the two reads, per op, biggest first (info: this probe). */
    const perOp = (now: Map<string, number>, then: Map<string, number>) =>
      [...now]
        .filter(([name]) => name !== 'info')
        .map(([name, v]): [string, number] => [name, (v - (then.get(name) ?? 0)) / n])
        .sort((a, b) => b[1] - a[1]);
    const calls = perOp(after.commands, before.commands);
    return {
      writesPerOp: (after.writes.commands - before.writes.commands) / n,
      streamReadsPerOp: (after.writes.streamReads - before.writes.streamReads) / n,
      commandsPerOp: calls.reduce((a, [, c]) => a + c, 0),
      top: calls.slice(0, 8),
      micros: perOp(after.micros, before.micros).slice(0, 8),
      errorReplies: [...after.errors].map(([name, v]): [string, number] => [name, v - (before.errors.get(name) ?? 0)]).filter(([, d]) => d > 0),
    };
  };
}

/**
 * Every member leaves its room (acked) and disconnects, CONCURRENCY in flight. Latency: leave
 * sent → its ack (Colyseus: the consented leave's close). The rate is over the leaves; the CPU
 * window runs 300 ms past the last ack, so that it holds the work each disconnect starts.
 */
async function leaveAll(t: Target, members: Member[], rooms: number): Promise<Ramp> {
  const perOp = await countRedis(t);
  const stop = cpuWindow(t);
  const { latencies, errors, wallS } = await timedOps(members.splice(0), (m) => m.leave());
  await sleep(300);
  const cpu = stop();
  progress(`  ${latencies.length} left in ${fmt(wallS, 1)} s`);
  const result: Ramp = { kind: t.kind, op: 'leave', round: 0, clients: latencies.length + errors.length, rooms, wallS, latencies, errors, cpu };
  if (perOp) result.redis = await perOp(latencies.length);
  return result;
}

const opsPerS = (r: Ramp) => (r.clients - r.errors.length) / r.wallS;
const msPerOp = (r: Ramp, proc: string) => ((r.cpu.server[proc] ?? NaN) * 1000) / (r.clients - r.errors.length);
const totalMsPerOp = (r: Ramp) => (sum(r.cpu.server) * 1000) / (r.clients - r.errors.length);
const p99 = (r: { latencies: number[] }) => summary(r.latencies).p99;

/** Connect + join (`op` join: the ramp is the result) or, after the ramp, leave + disconnect (`op` leave). */
async function joinWorkload(kind: Kind, clients: number, roomCount: number, round: number, op: Ramp['op']): Promise<Ramp> {
  return withTarget(
    kind,
    async (t, members) => {
      const { tokens, roomIds } = await prepare(t, clients, roomCount);
      if (WARMUP > 0) await warmUp(t);
      await settle(t);
      const joined = await ramp(t, tokens, roomIds, members);
      if (op === 'join') return { ...joined, round };
      await settle(t);
      return { ...(await leaveAll(t, members, roomIds.length)), round };
    },
    { BENCH_COUNT_REDIS: '1', ...NO_TIMEOUT },
  );
}

/**
 * Runs a workload `count` times on every server, the servers one after another in each round
 * and in reverse order every other round (a drift of the machine's speed weighs on all alike);
 * each round is printed as it ends.
 */
async function inRounds<R extends { kind: Kind }>(
  name: string,
  count: number,
  run: (k: Kind, round: number) => Promise<R>,
  printRound: (results: R[], round: number) => void,
): Promise<R[]> {
  const all: R[] = [];
  for (let round = 0; round < count; round++) {
    const order = round % 2 === 0 ? SERVERS : [...SERVERS].reverse();
    const results: R[] = [];
    for (const k of order) {
      progress(`${name}: ${NAMES[k]}${count > 1 ? ` (round ${round + 1} of ${count})` : ''}`);
      results.push(await run(k, round));
    }
    results.sort((a, b) => SERVERS.indexOf(a.kind) - SERVERS.indexOf(b.kind));
    printRound(results, round);
    all.push(...results);
  }
  return all;
}

/** A title with its round, when there are several. */
const ofRound = (title: string, round: number, count: number) => (count > 1 ? `${title} — round ${round + 1} of ${count}` : title);

/** A join (or leave) workload over ROUNDS rounds, each round's table printed as it ends, then the medians. */
async function joinRounds(name: string, title: string, clients: number, roomCount: number, op: Ramp['op'] = 'join'): Promise<Ramp[]> {
  const all = await inRounds(
    name,
    ROUNDS,
    (k, round) => joinWorkload(k, clients, roomCount, round, op),
    (results, round) => printOps(ofRound(title, round, ROUNDS), results),
  );
  if (ROUNDS > 1) printMedians(title, ROUNDS, all, opFigures(op));
  return all;
}

// ── figures: tables with a ratio row ──

type Row = Record<string, string | number>;
const times = (r: number) => (Number.isFinite(r) ? `${fmt(r, 2)}×` : 'n/a');
/** Ratio rows Switchboard / bare and Switchboard / Colyseus over the `ratioOf` columns (others left blank). */
function withRatios<R extends { kind: Kind }>(results: R[], toRow: (r: R) => Row, ratioOf: Record<string, (r: R) => number>): Row[] {
  const rows = results.map(toRow);
  const sb = results.find((r) => r.kind === 'switchboard');
  for (const other of results.filter((r) => r.kind !== 'switchboard')) {
    if (!sb) break;
    const cols = Object.keys(rows[0]!);
    rows.push(
      Object.fromEntries(
        cols.map((c, i) => [c, i === 0 ? `Switchboard / ${NAMES[other.kind]}` : ratioOf[c] ? times(ratioOf[c](sb) / ratioOf[c](other)) : '']),
      ),
    );
  }
  return rows;
}

/** Joins or leaves, one table: every result of it has the same op. */
function printOps(title: string, results: Ramp[]): void {
  const op = results[0]?.op ?? 'join';
  const ratioOf: Record<string, (r: Ramp) => number> = {
    [`${op}s/s`]: opsPerS,
    'p50 ms': (r) => summary(r.latencies).p50,
    'p99 ms': (r) => summary(r.latencies).p99,
    [`total CPU ms/${op}`]: totalMsPerOp,
  };
  printTable(
    title,
    withRatios(
      results,
      (r) => {
        const s = summary(r.latencies);
        const sb = r.kind === 'switchboard';
        return {
          server: NAMES[r.kind],
          clients: r.clients,
          rooms: r.rooms,
          [op === 'join' ? 'ramp s' : 'leaving s']: fmt(r.wallS, 2),
          [`${op}s/s`]: fmt(opsPerS(r), 0),
          'p50 ms': fmt(s.p50, 1),
          'p99 ms': fmt(s.p99, 1),
          'max ms': fmt(s.max, 1),
          errors: r.errors.length,
          [`api/server CPU ms/${op}`]: fmt(msPerOp(r, sb ? 'api' : 'server'), 3),
          [`worker ms/${op}`]: sb ? fmt(msPerOp(r, 'worker'), 3) : '-',
          [`redis ms/${op}`]: sb ? fmt(msPerOp(r, 'redis'), 3) : '-',
          [`total CPU ms/${op}`]: fmt(totalMsPerOp(r), 3),
          [`api Redis writes/${op}`]: r.redis ? `${fmt(r.redis.writesPerOp, 2)} + ${fmt(r.redis.streamReadsPerOp, 2)} reads` : '-',
          [`Redis cmds/${op}`]: r.redis ? fmt(r.redis.commandsPerOp, 1) : '-',
          'bench CPU %': fmt(r.cpu.benchPct, 0),
          [OTHERS]: othersCol(r.cpu),
        };
      },
      ratioOf,
    ),
  );
  noteSaturated(results);
  for (const r of results)
    if (r.redis) {
      process.stdout.write(`Switchboard's Redis commands per ${op}: ${r.redis.top.map(([name, c]) => `${name} ${fmt(c, 2)}`).join(', ')}\n`);
      process.stdout.write(
        `Switchboard's Redis time per ${op}, µs (commandstats; a script's includes the commands it ran): ${r.redis.micros.map(([name, us]) => `${name} ${fmt(us, 1)}`).join(', ')}\n`,
      );
      const errorReplies = r.redis.errorReplies.map(([name, n]) => `${name} ${n}`).join(', ') || 'none';
      process.stdout.write(`Switchboard's Redis error replies during the ${op}s (errorstats): ${errorReplies}\n`);
    }
  for (const r of results) if (r.errors.length) process.stdout.write(`${NAMES[r.kind]}: ${r.errors.length} ${op}s failed, first: ${r.errors[0]}\n`);
}

const ofKind = <R extends { kind: Kind }>(rs: R[], k: Kind) => rs.filter((r) => r.kind === k);
const spread = (values: number[], digits: number) =>
  values.length > 1 ? ` (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})` : '';

/** A figure of the medians table: its label, how to read it from one result, its decimals. */
type Figure<R> = [string, (r: R) => number, number];
const opFigures = (op: Ramp['op']): Array<Figure<Ramp>> => [
  [`${op}s/s`, opsPerS, 0],
  ['p50 ms', (r) => summary(r.latencies).p50, 1],
  ['p99 ms', p99, 1],
  [`api/server CPU ms/${op}`, (r) => msPerOp(r, r.kind === 'switchboard' ? 'api' : 'server'), 3],
  [`total CPU ms/${op}`, totalMsPerOp, 3],
];

/** Medians over the rounds: each server's figures, and each ratio as the median of the rounds' ratios. */
function printMedians<R extends { kind: Kind; round?: number }>(title: string, count: number, all: R[], figures: Array<Figure<R>>): void {
  const rows: Row[] = SERVERS.filter((k) => all.some((r) => r.kind === k)).map((k) => {
    const mine = ofKind(all, k);
    return {
      server: NAMES[k],
      rounds: mine.length,
      ...Object.fromEntries(
        figures.map(([label, f, digits]) => {
          const values = mine.map(f);
          return [label, `${fmt(median(values), digits)}${spread(values, digits)}`];
        }),
      ),
    };
  });
  for (const other of SERVERS.filter((k) => k !== 'switchboard' && all.some((r) => r.kind === k))) {
    if (!all.some((r) => r.kind === 'switchboard')) break;
    rows.push({
      server: `Switchboard / ${NAMES[other]}`,
      rounds: '',
      ...Object.fromEntries(
        figures.map(([label, f]) => {
          const rs = roundRatios(all, other, f);
          return [label, rs.length ? `${fmt(median(rs), 2)}×${spread(rs, 2)}` : ''];
        }),
      ),
    });
  }
  printTable(`${title} — medians of ${count} rounds (min–max); a ratio row: the median of the rounds' ratios`, rows);
}

/** Switchboard's figure ÷ `other`'s, in each round where both ran. */
function roundRatios<R extends { kind: Kind; round?: number }>(rs: R[], other: Kind, f: (r: R) => number): number[] {
  const ratios: number[] = [];
  for (const sb of rs.filter((r) => r.kind === 'switchboard')) {
    const o = rs.find((r) => r.kind === other && r.round === sb.round);
    if (o) ratios.push(f(sb) / f(o));
  }
  return ratios;
}

// ── heartbeats ──

interface Heartbeats {
  kind: Kind;
  /** Which round (BENCH_HEARTBEAT_ROUNDS), from 0. */
  round: number;
  members: number;
  acks: number;
  latencies: number[];
  errors: number;
  windows: Cpu[];
  heapPerMember: number;
  rssPerMember: number;
}

const hbCpu = (h: Heartbeats) => h.windows.reduce((a, w) => a + serverPct(w), 0) / h.windows.length;

async function heartbeatWorkload(kind: Kind, round: number): Promise<Heartbeats> {
  return withTarget(kind, async (t, members) => {
    const { tokens, roomIds: rooms } = await prepare(t, HB_MEMBERS, Math.ceil(HB_MEMBERS / ROOM_SIZE));
    await settle(t);
    const before = await t.server.stats();
    const latencies: number[] = [];
    let errors = 0;
    let running = true;
    let measuring = false;
    const loops: Array<Promise<void>> = [];
    // Each member heartbeats from its join on (Switchboard times out a member silent for 10 s).
    const r = await ramp(t, tokens, rooms, members, (m) =>
      loops.push(
        (async () => {
          await sleep(Math.random() * PERIOD_MS);
          while (running) {
            const sent = performance.now();
            try {
              await m.heartbeat();
              if (measuring) latencies.push(performance.now() - sent);
            } catch {
              if (measuring) errors++;
            }
            await sleep(PERIOD_MS);
          }
        })(),
      ),
    );
    await sleep(PERIOD_MS + 1000); // one period of warm-up after the last join
    const windows: Cpu[] = [];
    measuring = true;
    for (let w = 0; w < 2; w++) {
      const stop = cpuWindow(t);
      await sleep(SECONDS * 1000);
      windows.push(stop());
    }
    measuring = false;
    running = false;
    await Promise.race([Promise.all(loops), sleep(PERIOD_MS + 2000)]);
    const after = await t.server.stats();
    const n = members.length;
    return {
      kind,
      round,
      members: n,
      acks: latencies.length,
      latencies,
      errors: errors + r.errors.length,
      windows,
      heapPerMember: (after.heapUsed - before.heapUsed) / n,
      rssPerMember: (after.rss - before.rss) / n,
    };
  });
}

const HB_TITLE = `Heartbeats: members in rooms of ${ROOM_SIZE}, room.heartbeat (Colyseus: request 'heartbeat') every ${PERIOD_MS / 1000} s, two windows of ${SECONDS} s`;
const HEARTBEAT_FIGURES: Array<Figure<Heartbeats>> = [
  ['server CPU % (mean of the windows)', hbCpu, 1],
  ['ack p99 ms', p99, 2],
  ['heap/member KiB', (h) => h.heapPerMember / 1024, 2],
];

function printHeartbeats(title: string, results: Heartbeats[]): void {
  const split = (w: Cpu) =>
    Object.entries(w.server)
      .map(([k, v]) => `${k} ${fmt((v / w.wallS) * 100)}`)
      .join(' + ');
  printTable(
    title,
    withRatios(
      results,
      (h) => {
        const s = summary(h.latencies);
        return {
          server: NAMES[h.kind],
          members: h.members,
          'heartbeats/s': fmt(h.acks / (2 * SECONDS), 0),
          'ack p50 ms': fmt(s.p50, 2),
          'ack p99 ms': fmt(s.p99, 2),
          errors: h.errors,
          'server CPU % w1': fmt(serverPct(h.windows[0]!)),
          'server CPU % w2': fmt(serverPct(h.windows[1]!)),
          'split w1 %': split(h.windows[0]!),
          'split w2 %': split(h.windows[1]!),
          'heap/member KiB': fmt(h.heapPerMember / 1024, 2),
          'RSS/member KiB': fmt(h.rssPerMember / 1024, 2),
          'bench CPU %': fmt((h.windows[0]!.benchPct + h.windows[1]!.benchPct) / 2, 0),
          [`${OTHERS} w1, w2`]: `${othersCol(h.windows[0]!)}, ${othersCol(h.windows[1]!)}`,
        };
      },
      {
        'ack p50 ms': (h) => summary(h.latencies).p50,
        'ack p99 ms': (h) => summary(h.latencies).p99,
        'server CPU % w1': (h) => serverPct(h.windows[0]!),
        'server CPU % w2': (h) => serverPct(h.windows[1]!),
        'heap/member KiB': (h) => h.heapPerMember,
        'RSS/member KiB': (h) => h.rssPerMember,
      },
    ),
  );
  process.stdout.write(
    `heap/member: heapUsed after a forced GC with the members in − heapUsed before any client connected (rooms and tokens already made), ÷ members; Switchboard: the api process.\n`,
  );
}

// ── push ──

interface Push {
  kind: Kind;
  members: number;
  pushes: number;
  latencies: number[];
  cpu: Cpu;
}

async function pushWorkload(kind: Kind): Promise<Push> {
  return withTarget(
    kind,
    async (t, members) => {
      const {
        tokens,
        roomIds: [roomId],
      } = await prepare(t, PUSH_MEMBERS, 1);
      const latencies: number[] = [];
      await ramp(t, tokens, [roomId!], members, (m) => m.onPush((d) => latencies.push(wallNow() - d.sent)));
      await settle(t); // the joins' room.member fan-out (state patches) delivered
      const total = PUSH_RATE * SECONDS;
      const stop = cpuWindow(t);
      await paced(PUSH_RATE, total, async (from, to) => {
        for (let i = from; i < to; i++) await t.push(roomId!, { sent: wallNow() });
      });
      const until = Date.now() + 5000;
      while (latencies.length < total * members.length && Date.now() < until) await sleep(50);
      return { kind, members: members.length, pushes: total, latencies, cpu: stop() };
    },
    NO_TIMEOUT,
  );
}

function printPush(results: Push[]): void {
  printTable(
    `Push: one room, POST a push ${PUSH_RATE}/s for ${SECONDS} s; latency = arrival at each member − send time (this process' clock)`,
    withRatios(
      results,
      (p) => {
        const s = summary(p.latencies);
        return {
          server: NAMES[p.kind],
          members: p.members,
          pushes: p.pushes,
          delivered: s.n,
          expected: p.pushes * p.members,
          'p50 ms': fmt(s.p50, 2),
          'p99 ms': fmt(s.p99, 2),
          'max ms': fmt(s.max, 1),
          'server CPU %': fmt(serverPct(p.cpu)),
          'bench CPU %': fmt(p.cpu.benchPct, 0),
          [OTHERS]: othersCol(p.cpu),
        };
      },
      { 'p50 ms': (p) => summary(p.latencies).p50, 'p99 ms': (p) => summary(p.latencies).p99, 'server CPU %': (p) => serverPct(p.cpu) },
    ),
  );
  process.stdout.write(
    `pushes: Switchboard POST /v1/notify (app Basic auth) → its socket adapter; bare POST /notify → io.to(room).emit; Colyseus POST /notify → room.broadcast. Server CPU over the pushes and the drain.\n`,
  );
  noteSaturated(results);
}

// ── Redis round trips (Switchboard) ──

interface RoundTrips {
  /** The api's writes of commands to Redis per connect + join: its round trips. */
  writesPerOp: number;
  /** The socket adapter's XREADs per connect + join (it reads the stream again after each batch of entries). */
  streamReadsPerOp: number;
  commandsPerOp: number;
  idleWritesPerS: number;
  idleCommandsPerS: number;
  perCommand: Array<[string, number, number]>; // name, calls per op, idle calls/s
  latencies: number[];
}

async function roundTripWorkload(): Promise<RoundTrips> {
  const WARM = 5;
  const IDLE_MS = 3000;
  return withTarget(
    'switchboard',
    async (t, members) => {
      const {
        tokens,
        roomIds: [roomId],
      } = await prepare(t, WARM + K, 1);
      const probe = new Redis(t.redisUrl!);
      try {
        const read = async () => ({ ...(await redisCounts(t, probe)), at: performance.now() });
        for (let i = 0; i < WARM; i++) members.push(await t.join(tokens[i]!, roomId!)); // first scripts loaded, code warm
        await sleep(500);
        const r0 = await read();
        await sleep(IDLE_MS);
        const r1 = await read();
        const latencies: number[] = [];
        const monitor = process.env.BENCH_MONITOR ? await watchRedis(t.redisUrl!) : undefined;
        if (monitor) await probe.config('SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '100000').then(() => probe.slowlog('RESET'));
        for (let i = WARM; i < WARM + K; i++) {
          const start = performance.now();
          members.push(await t.join(tokens[i]!, roomId!));
          latencies.push(performance.now() - start);
        }
        await sleep(300); // what a join started after its ack (snapshot reads, announcements)
        const r2 = await read();
        if (monitor) {
          writeFileSync(process.env.BENCH_MONITOR!, await monitor());
          const slow = (await probe.slowlog('GET', -1)) as Array<[number, number, number, string[]]>;
          writeFileSync(
            `${process.env.BENCH_MONITOR!}.slowlog`,
            slow
              .reverse()
              .map(([, , us, args]) => `${us} ${args.slice(0, 4).join(' ')}`)
              .join('\n') + '\n',
          );
        }
        const idleS = (r1.at - r0.at) / 1000;
        const opsS = (r2.at - r1.at) / 1000;
        const names = [...r2.commands.keys()].filter((n) => n !== 'info'); // info: this probe
        const perCommand = names.map((n): [string, number, number] => {
          const idle = ((r1.commands.get(n) ?? 0) - (r0.commands.get(n) ?? 0)) / idleS;
          const ops = (r2.commands.get(n) ?? 0) - (r1.commands.get(n) ?? 0);
          return [n, (ops - idle * opsS) / K, idle];
        });
        perCommand.sort((a, b) => b[1] - a[1]);
        const idleWritesPerS = (r1.writes.commands - r0.writes.commands) / idleS;
        const idleReadsPerS = (r1.writes.streamReads - r0.writes.streamReads) / idleS;
        return {
          writesPerOp: (r2.writes.commands - r1.writes.commands - idleWritesPerS * opsS) / K,
          streamReadsPerOp: (r2.writes.streamReads - r1.writes.streamReads - idleReadsPerS * opsS) / K,
          commandsPerOp: perCommand.reduce((a, c) => a + c[1], 0),
          idleWritesPerS,
          idleCommandsPerS: perCommand.reduce((a, c) => a + c[2], 0),
          perCommand,
          latencies,
        };
      } finally {
        probe.disconnect();
      }
    },
    { BENCH_COUNT_REDIS: '1', ...NO_TIMEOUT },
  );
}

/** Redis MONITOR from now until the returned function is called: the lines it saw. */
async function watchRedis(url: string): Promise<() => Promise<string>> {
  const lines: string[] = [];
  const client = new Redis(url);
  const monitor = await client.monitor();
  monitor.on('monitor', (time: string, args: string[], source: string) =>
    lines.push(`${time} ${source} ${args.map((a) => JSON.stringify(a)).join(' ')}`),
  );
  return async () => {
    monitor.disconnect();
    client.disconnect();
    return lines.join('\n') + '\n';
  };
}

function printRoundTrips(r: RoundTrips): void {
  const s = summary(r.latencies);
  printTable(
    `Redis round trips (Switchboard): ${K} connect+join one after another into an existing room, idle rate (measured just before) subtracted`,
    [
      {
        'connect+joins': K,
        'sequential p50 ms': fmt(s.p50, 2),
        'p99 ms': fmt(s.p99, 2),
        'api command writes to Redis per op (round trips)': fmt(r.writesPerOp, 2),
        'adapter stream reads per op': fmt(r.streamReadsPerOp, 2),
        'Redis commands per op (all processes)': fmt(r.commandsPerOp, 2),
        'idle api writes/s': fmt(r.idleWritesPerS, 1),
        'idle commands/s': fmt(r.idleCommandsPerS, 1),
      },
    ],
  );
  printTable(
    'Redis commands per connect+join, by command (INFO commandstats; top 15)',
    r.perCommand.slice(0, 15).map(([name, perOp, idle]) => ({ command: name, 'calls per op': fmt(perOp, 2), 'idle calls/s': fmt(idle, 2) })),
  );
}

// ── main ──

pin(process.pid, BENCH_CPU);
const redisVersion = /v=(\S+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? '?';
process.stdout.write(
  `join: Switchboard (api + worker + redis-server ${redisVersion}) vs bare Socket.IO ${version('socket.io')} vs Colyseus ${version('@colyseus/core')} (ws transport; clients @colyseus/sdk ${version('@colyseus/sdk')}, one Client each, state ${DECODE ? 'decoded' : 'received, not decoded (BENCH_COLYSEUS_DECODE=1 decodes)'}); node ${process.version}\n` +
    `pinning: server processes (Switchboard api, worker, redis-server; bare and Colyseus: their process) → CPU ${SERVER_CPU}${SIDE_CPU !== SERVER_CPU ? ` (BENCH_API_ALONE: Switchboard's worker and redis-server → CPU ${SIDE_CPU})` : ''}; this load generator (pid ${process.pid}, all clients) → CPU ${BENCH_CPU}; taskset -a (all threads), checked\n` +
    `auth: Switchboard checks its own tokens (issued over HTTP before the timing); bare and Colyseus admit only tokens the bench posted before the timing (a Map lookup: handshake middleware / static onAuth)\n` +
    `Switchboard: ROOM_MEMBER_TIMEOUT_MS ${NO_TIMEOUT.ROOM_MEMBER_TIMEOUT_MS} where members do not heartbeat (one-room, rooms-of-50, push, round-trips), the default 10000 in heartbeats; default socket adapter\n` +
    `others' CPU % (in the tables): CPU time of processes not in this run on the server core / the load generator's core (/proc/stat): well above 0, the machine was shared\n` +
    `${CONCURRENCY} joins in flight; open files allowed per process ${/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]}; servers: ${SERVERS.join(', ')}; workloads: ${WORKLOADS.join(', ')}; load average at start ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}\n`,
);

const has = (w: string) => WORKLOADS.includes(w);
const oneRoom: Ramp[] = [];
const rooms50: Ramp[] = [];
const leaves: Ramp[] = [];
const heartbeats: Heartbeats[] = [];
const pushes: Push[] = [];
let roundTrips: RoundTrips | undefined;

if (has('one-room')) {
  oneRoom.push(
    ...(await joinRounds(
      'one-room',
      `Fill one room: ${ONE_ROOM} clients connect + join ONE room, ${CONCURRENCY} in flight (latency: start of connect → join ack; CPU over the ramp)`,
      ONE_ROOM,
      1,
    )),
  );
}
if (has('rooms-of-50')) {
  const roomCount = Math.ceil(ROOMS50 / ROOM_SIZE);
  rooms50.push(
    ...(await joinRounds(
      'rooms-of-50',
      `Rooms of ${ROOM_SIZE}: ${ROOMS50} clients connect + join ${roomCount} rooms, ${CONCURRENCY} in flight`,
      ROOMS50,
      roomCount,
    )),
  );
}
if (has('leave')) {
  const roomCount = Math.ceil(ROOMS50 / ROOM_SIZE);
  leaves.push(
    ...(await joinRounds(
      'leave',
      `Leaving rooms of ${ROOM_SIZE}: ${ROOMS50} members (joined as in rooms-of-50, not timed) leave their room (acked; Colyseus: a consented leave) and disconnect, ${CONCURRENCY} in flight (latency: leave sent → its ack; CPU: the leaves and 300 ms after the last)`,
      ROOMS50,
      roomCount,
      'leave',
    )),
  );
}
if (has('heartbeats')) {
  heartbeats.push(
    ...(await inRounds('heartbeats', HB_ROUNDS, heartbeatWorkload, (results, round) =>
      printHeartbeats(ofRound(HB_TITLE, round, HB_ROUNDS), results),
    )),
  );
  if (HB_ROUNDS > 1) printMedians(HB_TITLE, HB_ROUNDS, heartbeats, HEARTBEAT_FIGURES);
}
if (has('push')) {
  pushes.push(...(await inRounds('push', 1, pushWorkload, printPush)));
}
if (has('round-trips') && SERVERS.includes('switchboard')) {
  progress('round-trips: Switchboard');
  roundTrips = await roundTripWorkload();
  printRoundTrips(roundTrips);
}

// ── ratios and goals ──

/** Switchboard's figure ÷ `other`'s (the median of the rounds' ratios), NaN when either was not measured. */
const ratio = <R extends { kind: Kind; round?: number }>(rs: R[], other: Kind, f: (r: R) => number): number => median(roundRatios(rs, other, f));
/** Switchboard's own figure, the median of its rounds. */
const sbFigure = (rs: Ramp[], f: (r: Ramp) => number): number => median(ofKind(rs, 'switchboard').map(f));
const ratioRows: Array<[string, (other: Kind) => number]> = [
  ['one room: joins/s', (o) => ratio(oneRoom, o, opsPerS)],
  ['one room: join p99', (o) => ratio(oneRoom, o, p99)],
  ['one room: server CPU per join', (o) => ratio(oneRoom, o, totalMsPerOp)],
  ['rooms of 50: joins/s', (o) => ratio(rooms50, o, opsPerS)],
  ['rooms of 50: join p99', (o) => ratio(rooms50, o, p99)],
  ['rooms of 50: server CPU per join', (o) => ratio(rooms50, o, totalMsPerOp)],
  ['leaving rooms of 50: leaves/s', (o) => ratio(leaves, o, opsPerS)],
  ['leaving rooms of 50: leave p99', (o) => ratio(leaves, o, p99)],
  ['leaving rooms of 50: server CPU per leave + disconnect', (o) => ratio(leaves, o, totalMsPerOp)],
  ['heartbeats: server CPU (mean of the windows)', (o) => ratio(heartbeats, o, hbCpu)],
  ['heartbeats: heap per member', (o) => ratio(heartbeats, o, (h) => h.heapPerMember)],
  ['push: delivery p99', (o) => ratio(pushes, o, p99)],
];
printTable(
  'Ratios (Switchboard ÷ the other; CPU = all server processes)',
  ratioRows.map(([figure, f]) => ({ figure, 'Switchboard / bare': times(f('bare')), 'Switchboard / Colyseus': times(f('colyseus')) })),
);

/** The figures a goal compares came from ramps of which one had its load generator saturated. */
const bounded = (rs: Ramp[], ...kinds: Kind[]) => rs.some((r) => kinds.includes(r.kind) && saturated(r.cpu));
const apiMs = (r: Ramp) => msPerOp(r, 'api');
const goals: Array<[string, number, (v: number) => boolean, string, boolean?]> = [
  ['rooms of 50: joins/s ≥ 0.7× bare', ratio(rooms50, 'bare', opsPerS), (v) => v >= 0.7, '×', bounded(rooms50, 'switchboard', 'bare')],
  ['rooms of 50: join p99 ≤ 250 ms', sbFigure(rooms50, p99), (v) => v <= 250, ' ms', bounded(rooms50, 'switchboard')],
  ['one room: joins/s ≥ 2× Colyseus', ratio(oneRoom, 'colyseus', opsPerS), (v) => v >= 2, '×', bounded(oneRoom, 'switchboard', 'colyseus')],
  ['one room: joins/s ≥ 0.5× bare', ratio(oneRoom, 'bare', opsPerS), (v) => v >= 0.5, '×', bounded(oneRoom, 'switchboard', 'bare')],
  ['one room: join p99 ≤ 250 ms', sbFigure(oneRoom, p99), (v) => v <= 250, ' ms', bounded(oneRoom, 'switchboard')],
  ['api CPU ≤ 1 ms per connect + join (rooms of 50)', sbFigure(rooms50, apiMs), (v) => v <= 1, ' ms'],
  ['api CPU ≤ 1 ms per connect + join (one room)', sbFigure(oneRoom, apiMs), (v) => v <= 1, ' ms'],
  ['≤ 4 Redis round trips per connect + join', roundTrips?.writesPerOp ?? NaN, (v) => v <= 4, ''],
  ['heartbeats: server CPU ≤ 1.5× bare', ratio(heartbeats, 'bare', hbCpu), (v) => v <= 1.5, '×'],
  ['heartbeats: heap per member ≤ 0.65× bare', ratio(heartbeats, 'bare', (h) => h.heapPerMember), (v) => v <= 0.65, '×'],
  ['push: delivery p99 ≤ 1.5× bare', ratio(pushes, 'bare', p99), (v) => v <= 1.5, '×'],
];
process.stdout.write('\n### Goals\n\n');
for (const [label, v, ok, unit, caveat] of goals) {
  const verdict = Number.isFinite(v) ? (ok(v) ? 'met   ' : 'MISSED') : 'n/a   ';
  const figure = Number.isFinite(v) ? `${fmt(v, 2)}${unit}` : 'not measured in this run';
  process.stdout.write(`${verdict} ${label} — ${figure}${caveat ? " (a load generator's core was saturated: see the table)" : ''}\n`);
}
