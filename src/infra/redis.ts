// Redis connections. Every part of Switchboard talks to one Redis, or to a Redis Cluster
// when REDIS_CLUSTER_NODES is set, through ioredis; blocking consumers (BullMQ workers,
// adapter subscribers) get their own connections.
//
// On a Cluster, every client is an ioredis Cluster: it learns the slot map from the seed
// nodes, sends each command to the master of its key's slot, follows MOVED/ASK, and after a
// failover re-reads the map. Scripts and MULTI/pipelines name keys of one app (one hash
// tag, infra/keys.ts), so each goes to one master whole.
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.js';

/** A connection to the one Redis or to the Cluster: both speak the same commands. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: one server by URL, or a Cluster by its seed nodes. */
export type RedisTarget =
  | { kind: 'single'; url: string; commandTimeoutMs?: number }
  | { kind: 'cluster'; seeds: Array<{ host: string; port: number }>; username?: string; password?: string; tls: boolean };

export type RedisConfig = Pick<
  Config,
  'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_CLUSTER_USERNAME' | 'REDIS_CLUSTER_PASSWORD' | 'REDIS_CLUSTER_TLS'
> &
  Partial<Pick<Config, 'REDIS_COMMAND_TIMEOUT_MS'>>;

export function redisTarget(config: RedisConfig): RedisTarget {
  if (!config.REDIS_CLUSTER_NODES)
    return {
      kind: 'single',
      url: config.REDIS_URL,
      ...(config.REDIS_COMMAND_TIMEOUT_MS ? { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS } : {}),
    };
  const seeds = config.REDIS_CLUSTER_NODES.split(',').map((s) => {
    const [host = '', port = ''] = s.trim().split(/:(?=\d+$)/);
    return { host, port: Number(port) };
  });
  return {
    kind: 'cluster',
    seeds,
    ...(config.REDIS_CLUSTER_USERNAME ? { username: config.REDIS_CLUSTER_USERNAME } : {}),
    ...(config.REDIS_CLUSTER_PASSWORD ? { password: config.REDIS_CLUSTER_PASSWORD } : {}),
    tls: config.REDIS_CLUSTER_TLS,
  };
}

/** A readable name of the target for logs and refusals (no credentials). */
export function describeTarget(target: RedisTarget): string {
  return target.kind === 'single'
    ? target.url.replace(/\/\/[^@/]*@/, '//***@')
    : `cluster ${target.seeds.map((s) => `${s.host}:${s.port}`).join(',')}`;
}

export function isCluster(redis: RedisClient): redis is Cluster {
  return redis instanceof Cluster;
}

/**
 * How a Cluster client behaves while a master fails over (tested in
 * test/cluster/failover.test.ts): a command for a dead master is retried every
 * `retryDelayOnFailover` ms, re-reading the slot map, until a replica has taken over or its
 * redirections run out (16 × 100 ms): then it fails, and the caller answers 503 REDIS_UNAVAILABLE
 * (isRedisUnavailable) instead of waiting. CLUSTERDOWN / TRYAGAIN are retried the same way.
 */
const CLUSTER_OPTIONS: ClusterOptions = {
  scaleReads: 'master',
  retryDelayOnFailover: 100,
  retryDelayOnClusterDown: 100,
  retryDelayOnTryAgain: 100,
  retryDelayOnMoved: 0,
  maxRedirections: 16,
  slotsRefreshTimeout: 2000,
  // No CLUSTER INFO "ready check" after each (re)connect: while a master is failing over the
  // cluster reports cluster_state:fail, the check fails, and ioredis reconnects without ever
  // settling the promise of the connect() that ran it. BullMQ reconnects its blocking
  // connections with connect() after a stuck wait, and awaits it: the worker of that queue
  // then stopped for good (test/cluster/failover.test.ts). Commands sent meanwhile get
  // CLUSTERDOWN, retried as above.
  enableReadyCheck: false,
  // No clusterNodeRetryStrategy: a node whose connection drops is dropped from the pool, so
  // its commands fail with "Connection is closed" and are retried as above. With one, the
  // connection to a killed master reconnects forever and, with maxRetriesPerRequest null,
  // its commands wait in its offline queue for good: a dead master never answers MOVED, and
  // nothing else makes the client re-read the slot map (test/cluster/failover.test.ts).
};

/** Options of one connection; the Cluster-only one is ignored on one Redis. */
export type ConnectionOptions = RedisOptions & Pick<ClusterOptions, 'shardedSubscribers'>;

export function createRedis(target: RedisTarget, name: string, extra: ConnectionOptions = {}): RedisClient {
  const options: ConnectionOptions = {
    connectionName: `switchboard:${name}`,
    // BullMQ requires null here for its blocking connections; for plain commands it
    // means a command waits for a reconnect instead of failing after 20 tries.
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
    ...extra,
  };
  const { shardedSubscribers, ...single } = options;
  if (target.kind === 'single') return quiet(new Redis(target.url, single));
  const { lazyConnect, ...perNode } = single;
  return quiet(
    new Cluster(target.seeds, {
      ...CLUSTER_OPTIONS,
      // SSUBSCRIBE must reach the master of each channel's slot: one subscriber connection per master.
      ...(shardedSubscribers ? { shardedSubscribers } : {}),
      ...(lazyConnect !== undefined ? { lazyConnect } : {}),
      redisOptions: {
        ...perNode,
        ...(target.username ? { username: target.username } : {}),
        ...(target.password ? { password: target.password } : {}),
        ...(target.tls ? { tls: {} } : {}),
      },
      // Managed clusters with TLS announce names the certificate is for: connect by name.
      ...(target.tls ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) } : {}),
    }),
  );
}

/**
 * Connection errors are events as well as command failures; without a listener ioredis
 * prints each reconnect attempt's error to stderr. The failures that matter reach their
 * callers (503 REDIS_UNAVAILABLE, logged with the request) and /readyz; the events are dropped.
 */
function quiet<C extends RedisClient>(client: C): C {
  client.on('error', () => undefined);
  return client;
}

/**
 * The connection a process sends its own commands on (services, queue producers, the
 * adapter's publisher). The commands a tick issues leave in one socket write
 * (coalesceWrites): a connect + snapshot + join that issues a dozen commands at once costs
 * one write and one Redis read instead of a dozen (the api spent most of its CPU in
 * per-command writes before). On a Cluster, one write per master. Never for BullMQ
 * workers' blocking connections: they are made with createRedis.
 */
export function createCommandRedis(target: RedisTarget, name: string, extra: ConnectionOptions = {}): RedisClient {
  const client = createRedis(target, name, extra);
  coalesceWrites(client);
  return client;
}

/**
 * Makes every connection of `client` send the commands of one turn of the event loop in one
 * socket write: its socket is corked at the first write and uncorked by a setImmediate, when
 * Node writes what it holds with one writev — what every socket event read in the same poll
 * issued. ioredis writes each command as it is issued. Its own auto-pipelining batches the
 * same way (setImmediate too), through a Pipeline and a promise per batch on top of the
 * command's: measured alone (client CPU per command, docs/benchmarks.md, fifteenth round),
 * 52 µs with it against 33 µs corked for one command a turn, 18–25 against 10–15 for five.
 * Order is kept: one socket, ioredis' one reply queue.
 * A reconnect opens a new socket and a Cluster one per master: each is corked from its
 * 'connect' on (the ready check before it goes alone, as it did).
 */
export function coalesceWrites(client: RedisClient): void {
  if (isCluster(client)) {
    client.on('+node', coalesceNodeWrites);
    for (const node of client.nodes()) coalesceNodeWrites(node);
  } else coalesceNodeWrites(client);
}

function coalesceNodeWrites(node: Redis): void {
  const apply = () => {
    if (node.stream) corkEachTick(node.stream);
  };
  node.on('connect', apply);
  if (node.status === 'connect' || node.status === 'ready') apply();
}

const corkedEachTick = new WeakSet<object>();

const uncork = (socket: Redis['stream']) => socket.uncork();

function corkEachTick(socket: Redis['stream']): void {
  if (corkedEachTick.has(socket)) return;
  corkedEachTick.add(socket);
  const write = socket.write;
  socket.write = function (this: typeof socket, ...args: unknown[]) {
    // Nothing else corks these sockets: corked means this turn's uncork is scheduled.
    if (socket.writableCorked === 0) {
      socket.cork();
      setImmediate(uncork, socket);
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof socket.write;
}

/**
 * Options of a process's service connection (app.ts, workers/runtime.ts: pass them to
 * createCommandRedis). Fail fast on one Redis: requests and socket events must not hang while Redis is down
 * (they did, 12–25 s, then answered 200). Commands issued while the connection is not ready
 * fail at once (no offline queue), those in flight when it drops fail at once (flushed on
 * the first reconnect attempt, never resent: the caller has answered 503 and may retry), and
 * one that gets no answer (a stopped Redis keeps the TCP connection) fails after
 * REDIS_COMMAND_TIMEOUT_MS. All become 503 REDIS_UNAVAILABLE (isRedisUnavailable); every
 * change is one script, so none is half-written. BullMQ's connections and the adapter's
 * subscriber keep waiting (createRedis): they resume on their own.
 * A Cluster keeps its own failover handling (CLUSTER_OPTIONS): it already fails within
 * about 1.6 s, and an offline queue there bridges the slot-map refresh after a failover.
 */
export function failFastOptions(target: RedisTarget): ConnectionOptions {
  if (target.kind !== 'single') return {};
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: target.commandTimeoutMs ?? 1000,
  };
}

/** Resolves when the connection is ready (a fail-fast connection refuses commands before). */
export function readyOf(redis: RedisClient, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      const onEnd = () => {
        redis.off('ready', onReady);
        reject(new Error('Connection is closed'));
      };
      const onReady = () => {
        redis.off('end', onEnd);
        resolve();
      };
      redis.once('ready', onReady);
      redis.once('end', onEnd);
    }),
    timeoutMs,
    `Redis did not become ready within ${timeoutMs / 1000} s`,
  );
}

/**
 * Every key matching `pattern`, by SCAN on the one Redis or on every master of a Cluster (a
 * SCAN or KEYS sent to a Cluster client reaches one node only). For tools and tests: the
 * request paths never list keys, they keep indexes.
 */
export async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}

/**
 * Whether an error means Redis could not be reached or is failing over (not a bug, not a
 * refusal): the request is answered 503 REDIS_UNAVAILABLE, and may be retried. A Lua script
 * either ran whole or not at all, so such a failure never leaves a half-written change.
 * MOVED / ASK reach the caller when a pipeline or MULTI went to a master that no longer
 * serves the slot of some of its commands and the others succeeded: ioredis follows
 * redirections for a pipeline only when all its commands failed alike. Right after a
 * failover, while the client's slot map is stale.
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ClusterAllFailedError' || err.name === 'MaxRetriesPerRequestError') return true;
  return /^(CLUSTERDOWN|TRYAGAIN|MASTERDOWN|LOADING|READONLY|MOVED|ASK)\b|Too many Cluster redirections|Connection is closed|Stream isn't writeable|Command timed out|ECONNREFUSED|ECONNRESET|Failed to refresh slots cache|None of startup nodes is available/.test(
    err.message,
  );
}

/**
 * Closes connections after what was issued on them is sent. QUIT follows the commands held
 * on a corked socket (coalesceWrites), in order; the turn waited first lets work already
 * scheduled issue its last commands (a socket's session saved by the adapter at its close,
 * say), which would otherwise fail with "Connection is closed".
 */
export async function quitAll(connections: RedisClient[]): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
}

export class RedisCheckError extends Error {
  override name = 'RedisCheckError';
}

/**
 * Refuses a Redis that would lose data or cannot run our scripts: it must answer, be 6.2
 * or newer (7 for the sharded adapter, and for a Cluster: sharded pub/sub and scripts that
 * the cluster checks for cross-slot keys), and evict nothing (noeviction). On a Cluster,
 * every master is checked, and the cluster must be in state ok with all 16384 slots served.
 */
export async function checkRedis(
  redis: RedisClient,
  opts: { needsVersion7?: boolean; log?: Logger } = {},
): Promise<{ version: string; masters: number }> {
  if (!isCluster(redis)) {
    const hint = 'Check REDIS_URL, or unset it to let npm start run a private Redis.';
    await readyOf(redis, 5000).catch((err: Error) => {
      throw new RedisCheckError(`Redis is not reachable: ${err.message}. ${hint}`);
    });
    return { ...checkInfo(await infoOf(redis, hint), opts.needsVersion7 ?? false, ''), masters: 1 };
  }
  const hint = 'Check REDIS_CLUSTER_NODES (host:port of one or more cluster nodes).';
  try {
    await withTimeout(clusterReadyOf(redis), 10_000, 'the cluster did not become ready within 10 s');
  } catch (err) {
    throw new RedisCheckError(`Redis Cluster is not reachable: ${(err as Error).message}. ${hint}`);
  }
  const masters = redis.nodes('master');
  let version = '';
  // Every master's own view: a node that lost slots, or sees the cluster down, is refused by name.
  for (const node of masters) {
    const where = ` (master ${node.options.host}:${node.options.port})`;
    const clusterInfo = String(await withTimeout(node.cluster('INFO'), 5000, `CLUSTER INFO${where} did not answer within 5 s`));
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(clusterInfo)?.[1]?.trim();
    if (field('cluster_state') !== 'ok')
      throw new RedisCheckError(
        `Redis Cluster state is "${field('cluster_state')}"${where}, not ok: ${field('cluster_slots_ok')} of 16384 slots ok, ${field('cluster_slots_fail')} failing.`,
      );
    if (field('cluster_slots_ok') !== '16384')
      throw new RedisCheckError(`Redis Cluster serves ${field('cluster_slots_ok')} of 16384 slots${where}: every slot must be assigned and ok.`);
    ({ version } = checkInfo(await infoOf(node, hint), true, where));
  }
  return { version, masters: masters.length };
}

function clusterReadyOf(redis: Cluster): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      redis.off('ready', onReady);
      reject(err);
    };
    const onReady = () => {
      redis.off('error', onError);
      resolve();
    };
    redis.once('ready', onReady);
    redis.once('error', onError);
  });
}

async function infoOf(redis: RedisClient, hint: string): Promise<string> {
  try {
    return await withTimeout(redis.info(), 5000, 'Redis did not answer INFO within 5 s');
  } catch (err) {
    throw new RedisCheckError(`Redis is not reachable: ${(err as Error).message}. ${hint}`);
  }
}

function checkInfo(info: string, needsVersion7: boolean, where: string): { version: string } {
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  const version = field('redis_version') ?? '0';
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 6 || (major === 6 && minor < 2)) throw new RedisCheckError(`Redis ${version}${where} is too old: Switchboard needs 6.2 or newer.`);
  if (needsVersion7 && major < 7)
    throw new RedisCheckError(
      `Redis ${version}${where}: SOCKET_ADAPTER=sharded and Redis Cluster need Redis 7 (sharded pub/sub, scripts checked for cross-slot keys).`,
    );
  const policy = field('maxmemory_policy');
  if (policy !== 'noeviction') {
    throw new RedisCheckError(
      `Redis maxmemory-policy is "${policy}"${where}: Switchboard keeps queues, tokens and ledgers there and needs "noeviction" ` +
        `(set it with CONFIG SET maxmemory-policy noeviction, or in redis.conf${where ? ' of every master' : ''}).`,
    );
  }
  return { version };
}

/** What /readyz reports of Redis: ok, or the reasons it is not (each names what to fix). */
export interface RedisHealth {
  ok: boolean;
  reasons: string[];
  /** Per server (one, or each master): used and max memory in bytes (max 0 = no limit), eviction policy. */
  servers: Array<{ node: string; usedMemory: number; maxMemory: number; policy: string }>;
}

/**
 * Redis as the readiness probe sees it: it answers (PING, within the caller's timeout), and
 * on the one Redis or every master of a Cluster the eviction policy is still noeviction
 * (checked at boot, but CONFIG SET can change it later: then Redis silently drops queues,
 * sessions and ledgers under pressure), memory is below maxmemory (at it, Redis refuses every
 * write: requests answer 503 REDIS_OUT_OF_MEMORY), and the Cluster reports state ok.
 */
export async function redisHealth(redis: RedisClient): Promise<RedisHealth> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  const reasons: string[] = [];
  const servers: RedisHealth['servers'] = [];
  await Promise.all(
    nodes.map(async (node) => {
      const name = `${node.options.host ?? '?'}:${node.options.port ?? '?'}`;
      const [info, clusterInfo] = await Promise.all([node.info('memory'), isCluster(redis) ? node.cluster('INFO') : Promise.resolve('')]);
      const field = (text: string, key: string) => new RegExp(`^${key}:(.*)$`, 'm').exec(String(text))?.[1]?.trim() ?? '';
      const usedMemory = Number(field(info, 'used_memory'));
      const maxMemory = Number(field(info, 'maxmemory'));
      const policy = field(info, 'maxmemory_policy');
      servers.push({ node: name, usedMemory, maxMemory, policy });
      if (policy !== 'noeviction')
        reasons.push(
          `${name}: maxmemory-policy is "${policy}", not noeviction (Redis may evict queues, sessions and ledgers): CONFIG SET maxmemory-policy noeviction`,
        );
      if (maxMemory > 0 && usedMemory >= maxMemory)
        reasons.push(`${name}: out of memory (${usedMemory} of ${maxMemory} bytes used): writes are refused; raise maxmemory or free data`);
      if (clusterInfo && field(clusterInfo, 'cluster_state') !== 'ok')
        reasons.push(`${name}: cluster_state is ${field(clusterInfo, 'cluster_state')} (${field(clusterInfo, 'cluster_slots_fail')} slots failing)`);
    }),
  );
  return { ok: reasons.length === 0, reasons, servers: servers.sort((a, b) => a.node.localeCompare(b.node)) };
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
