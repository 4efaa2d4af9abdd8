// The Socket.IO Redis adapter, chosen by SOCKET_ADAPTER (docs/decisions.md says why the
// default is what it is, with the figures of `npm run bench -- adapters`).
import { createAdapter as createPubSubAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import type { RedisClient } from './redis.js';
import { encode } from '@msgpack/msgpack';
import type { Namespace, ServerOptions } from 'socket.io';
import type { Config } from './config.js';
import { createPublishOnlyAdapter } from './publish-only-adapter.js';
import { createCommandRedis, createRedis, redisTarget, type RedisConfig, type RedisTarget } from './redis.js';

export interface SocketAdapter {
  /** Options to merge into the Socket.IO Server options. */
  serverOptions: Partial<ServerOptions>;
  /** The Redis connections the adapter uses, to close on shutdown. */
  clients: RedisClient[];
}

/**
 * `commands` is the process's command connection (one write per turn): the streams adapter
 * writes its XADDs there, so an event and the state change it announces leave in the same
 * socket write; the adapter reads through a duplicate of its own, which it closes.
 */
export function createSocketAdapter(
  config: RedisConfig & Pick<Config, 'SOCKET_ADAPTER' | 'SOCKET_RECOVERY_SECONDS' | 'KEY_PREFIX'>,
  role: 'api' | 'worker',
  commands: RedisClient,
): SocketAdapter {
  const channel = `${config.KEY_PREFIX}:sio`;
  const target = redisTarget(config);
  const cluster = target.kind === 'cluster';
  if (config.SOCKET_ADAPTER === 'streams') {
    // The stream is the replay buffer of connection state recovery: keep enough of it. On a
    // Cluster the stream is one key, so one master carries every cross-node emit; its
    // requests and answers (server-side emits, fetchSockets) use sharded pub/sub there, which
    // stays on that channel's shard instead of crossing the whole cluster bus.
    const wire = { streamName: `${channel}:stream`, channelPrefix: channel, maxLen: 100_000, useShardedPubSub: cluster };
    if (role === 'worker') {
      // No client sockets on a worker: it publishes, and reads no stream (publish-only-adapter.ts).
      const sub = createRedis(target, 'worker:adapter-sub', { shardedSubscribers: cluster });
      return { serverOptions: { adapter: createPublishOnlyAdapter(commands, sub, wire) as never }, clients: [sub] };
    }
    const sessionKeyPrefix = `${channel}:session:`;
    const duplicates: RedisClient[] = [];
    const streams = createStreamsAdapter(forStreamsAdapter(commands, target, role, duplicates), {
      ...wire,
      sessionKeyPrefix,
      onlyPlaintext: true,
      // The blocking reader only notices close() when its XREAD returns: keep that short
      // so shutdown is quick (an idle node then makes one XREAD a second).
      blockTimeInMs: 1000,
    });
    return {
      serverOptions: {
        // Socket.IO calls it with `new` (a function returning an object, as the library's own).
        adapter: function (nsp: Namespace) {
          return withHandledServerSideEmits(
            withOwnEntriesSkipped(withHandledSessionWrites(streams(nsp), commands, sessionKeyPrefix, config.SOCKET_RECOVERY_SECONDS * 1000)),
          );
        } as never,
        // Missed events are replayed to a client that reconnects within the window.
        ...(config.SOCKET_RECOVERY_SECONDS > 0
          ? { connectionStateRecovery: { maxDisconnectionDuration: config.SOCKET_RECOVERY_SECONDS * 1000, skipMiddlewares: false } }
          : {}),
      },
      // The library disconnects its reader only when an XREAD returns after the close: if Redis
      // went away meanwhile, that XREAD waits for a reconnect that never comes, and the reader
      // retries for ever (a process that closed its app then never exits: `npm run docs` did
      // not). They are closed with the app's other connections, after io.close().
      clients: duplicates,
    };
  }
  const pub = createCommandRedis(target, `${role}:adapter-pub`);
  const sub = createRedis(target, `${role}:adapter-sub`, { shardedSubscribers: cluster && config.SOCKET_ADAPTER === 'sharded' });
  const adapter =
    config.SOCKET_ADAPTER === 'sharded'
      ? // On a Cluster, a channel per room ('dynamic'): each room's emits go to the master of
        // its channel's slot, and only to the nodes with a member in it, so the fan-out spreads
        // over the masters; on one Redis, one channel per namespace (nothing to spread).
        createShardedAdapter(pub, sub, { channelPrefix: channel, subscriptionMode: cluster ? 'dynamic' : 'static' })
      : createPubSubAdapter(pub, sub, { key: channel });
  return { serverOptions: { adapter }, clients: [pub, sub] };
}

/**
 * The library gets the command connection, for its XADDs to leave in the same socket write
 * as the state they announce, and reads and subscribes on duplicates of it (kept in
 * `duplicates`, for the app to close).
 * - On one Redis the service connection fails fast (redis.ts failFastOptions); the streams
 *   adapter must not: its reader loops on XREAD without pause, so a failing read would spin
 *   the CPU for the whole outage, and it publishes its requests (fetchSockets,
 *   serverSideEmit) without catching a failure, which would end the process. So its
 *   duplicate is a waiting connection of its own.
 * - On either, a publish that fails is ignored (a request sent by it then times out). On a
 *   Cluster too: a command issued while the connection closes waits in its offline queue and
 *   is failed when the close completes (test/integration/adapters.test.ts; seen in CI while a
 *   test closed an api node).
 * - On a Cluster the duplicate is the command connection's own: that connection was made
 *   with sharded subscribers (app.ts), which the duplicate inherits.
 */
function forStreamsAdapter(commands: RedisClient, target: RedisTarget, role: string, duplicates: RedisClient[]): RedisClient {
  const cluster = target.kind === 'cluster';
  return new Proxy(commands, {
    get(client, prop) {
      if (prop === 'duplicate')
        return () => {
          const duplicate = withCaughtSubscribes(
            cluster ? (client.duplicate as () => RedisClient).call(client) : createRedis(target, `${role}:adapter-read`),
          );
          duplicates.push(duplicate);
          return duplicate;
        };
      if (prop === 'publish' || prop === 'spublish') {
        return (...args: unknown[]) => (client[prop] as (...a: unknown[]) => Promise<unknown>).apply(client, args).catch(() => 0);
      }
      const value = Reflect.get(client, prop, client) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(client) : value;
    },
  });
}

/**
 * The streams adapter (0.3) subscribes each namespace on its duplicate without catching the
 * answer, and disconnects that duplicate when the namespace's adapter closes: a node closed
 * while the duplicate still connects (a SIGTERM during start-up, a test that builds and closes
 * an app) rejects those SUBSCRIBEs with "Connection is closed", handled nowhere, which ends
 * the process. Their failure is ignored: a subscription that never ran has nothing to undo.
 */
function withCaughtSubscribes(client: RedisClient): RedisClient {
  for (const name of ['subscribe', 'ssubscribe'] as const) {
    const original = client[name].bind(client) as (...a: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => original(...args).catch(() => 0);
  }
  return client;
}

/**
 * The streams adapter saves the session of a socket that disconnects (connection state
 * recovery) with a SET it neither awaits nor catches: while Redis fails over, that SET fails
 * and its rejection, handled nowhere, ends the process (Node's default for an unhandled
 * rejection; test/cluster/failover.test.ts). The same write (redis-streams-adapter 0.3:
 * base64 of the msgpack of the session, PX the recovery window), its failure ignored: that
 * client then reconnects without recovery and gets a full snapshot.
 */
function withHandledSessionWrites<A extends object>(adapter: A, redis: RedisClient, prefix: string, windowMs: number): A {
  (adapter as A & { persistSession(session: { pid: string }): void }).persistSession = (session) => {
    redis.set(prefix + session.pid, Buffer.from(encode(session)).toString('base64'), 'PX', windowMs).catch(() => undefined);
  };
  return adapter;
}

/**
 * A server-side emit with an ack first counts the nodes (PUBSUB NUMSUB through the adapter's
 * connection), inside an async method whose promise Socket.IO's `serverSideEmit` neither
 * returns nor catches: while Redis is unreachable that count fails and its rejection, handled
 * nowhere, ends the process (seen in test/integration/redis-outage.test.ts, from the dashboard
 * watch's acknowledged announcements). The failure goes to the emit's ack instead, so the
 * caller's `serverSideEmitWithAck` rejects with it at once.
 */
function withHandledServerSideEmits<A extends object>(adapter: A): A {
  const a = adapter as A & { serverSideEmit?: (packet: unknown[]) => unknown };
  const serverSideEmit = a.serverSideEmit;
  if (typeof serverSideEmit !== 'function') return adapter;
  a.serverSideEmit = function (packet) {
    const last = packet[packet.length - 1];
    const ack = typeof last === 'function' ? (last as (err: unknown, responses: unknown[]) => void) : undefined;
    const sent = serverSideEmit.call(this, packet);
    if (sent instanceof Promise) return sent.catch((err: unknown) => ack?.(err, []));
    return sent;
  };
  return adapter;
}

/**
 * Every node reads back its own XADDs from the stream: the library decodes each entry (base64,
 * msgpack) and only then drops the ones this node sent (socket.io-adapter's ClusterAdapter:
 * "ignore message from self"). A node's own broadcasts are most of what it reads (on one api
 * node, all but the workers' emits), so they are dropped by their sender id before decoding.
 * lastReadOffset still sees them: it wraps this entry point afterwards.
 */
function withOwnEntriesSkipped<A extends object>(adapter: A): A {
  const a = adapter as A & { uid?: string; onRawMessage?: (raw: { uid?: string }, offset: string) => unknown };
  const onRawMessage = a.onRawMessage;
  if (typeof onRawMessage !== 'function' || typeof a.uid !== 'string') return adapter;
  a.onRawMessage = function (raw, offset) {
    if (raw.uid === a.uid) return;
    return onRawMessage.call(this, raw, offset);
  };
  return adapter;
}

/**
 * The id of the newest stream entry this node's streams adapter has read (any node's
 * broadcast on the namespace), or undefined before the first one: an offset that exists in
 * the stream, which a packet sent to one socket can carry instead of being XADDed itself.
 *
 * Why: with connection state recovery, a client can only recover once it has received an
 * offset, and Socket.IO gets it one by sending the packet through the adapter — for the
 * snapshot of every connect that is an XADD of about a kilobyte that every node (workers
 * included) reads back and decodes. A recovering client is replayed what followed its
 * offset for its rooms: with this slightly older offset that can include a few events from
 * just before its snapshot (already reflected in it) — at least once, as Socket.IO's
 * delivery is on recovery anyway. Reads `onRawMessage`, the adapter's per-entry entry point
 * (redis-streams-adapter 0.2); with any other adapter the answer stays undefined.
 */
export function lastReadOffset(adapter: unknown): () => string | undefined {
  const a = adapter as { onRawMessage?: (message: unknown, offset: string) => unknown };
  let offset: string | undefined;
  const onRawMessage = a.onRawMessage;
  if (typeof onRawMessage !== 'function') return () => undefined;
  a.onRawMessage = function (message: unknown, at: string) {
    offset = at;
    return onRawMessage.call(this, message, at);
  };
  return () => offset;
}
