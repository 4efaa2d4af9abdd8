// The same cross-node guarantees with each Socket.IO Redis adapter SOCKET_ADAPTER offers,
// and connection state recovery with the streams adapter (the default).
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io as ioc } from 'socket.io-client';
import { createSocketAdapter } from '../../src/infra/adapter.js';
import { createCommandRedis, failFastOptions, quitAll, readyOf, redisTarget, type RedisClient } from '../../src/infra/redis.js';
import { call, connect, createApp, loginUser, nextEvent, onCluster, sleep, startServer, testConfig, until } from '../helpers.js';

for (const adapter of ['pubsub', 'sharded', 'streams'] as const) {
  describe(`adapter ${adapter}`, () => {
    it('emits across nodes and revokes a session held on another node', async () => {
      const config = testConfig({ SOCKET_ADAPTER: adapter });
      const a = await startServer({}, config);
      const b = await startServer({}, config);
      try {
        const app = await createApp(a.url);
        const token = await loginUser(a.url, app.appid, 'x-user');
        const { socket } = await connect(b.url, token);
        const got = nextEvent(socket, 'cross.node');
        await call(a.url, 'POST', '/v1/notify', {
          basic: [app.appid, app.secret],
          body: { to: { user: 'x-user' }, event: 'cross.node', data: adapter },
        });
        expect(await got).toBe(adapter);
        const gone = nextEvent<string>(socket, 'disconnect', 10_000); // a lost revocation fails here, by name
        await call(a.url, 'POST', '/v1/auth/logout', { token });
        expect(await gone).toBe('io server disconnect');
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}

it('streams adapter: a node closed while its reader still connects leaves no unhandled rejection', async () => {
  // The library subscribes each namespace on its reader without catching the answer; closed
  // before that reader connected, those SUBSCRIBEs fail ("Connection is closed").
  const rejected: unknown[] = [];
  const onRejection = (reason: unknown) => rejected.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    const config = testConfig({ SOCKET_ADAPTER: 'streams' });
    const redis = createCommandRedis(redisTarget(config), 'api', { shardedSubscribers: onCluster() });
    const adapter = createSocketAdapter(config, 'api', redis);
    const io = new Server(createServer(), adapter.serverOptions);
    io.of('/dashboard');
    await io.close().catch(() => undefined); // its HTTP server never listened
    await sleep(300);
    await quitAll([redis, ...adapter.clients]);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  expect(rejected).toEqual([]);
});

it("streams adapter: its reading connections are the app's to close, and close when it closes them", async () => {
  // The library disconnects its reader only when an XREAD returns after the close: a Redis
  // gone by then left it reconnecting for ever (a process that closed its app never exited).
  const config = testConfig({ SOCKET_ADAPTER: 'streams' });
  const redis = createCommandRedis(redisTarget(config), 'api', { shardedSubscribers: onCluster() });
  const adapter = createSocketAdapter(config, 'api', redis);
  const io = new Server(createServer(), adapter.serverOptions);
  await sleep(300); // the reader is in its blocking XREAD
  expect(adapter.clients.length).toBeGreaterThanOrEqual(2); // the reader and the subscriber
  await io.close().catch(() => undefined); // its HTTP server never listened
  await quitAll([redis, ...adapter.clients]);
  // Closed, or closing: a Cluster client with sharded subscribers stays 'disconnecting' once its
  // nodes are gone (ioredis 5), where a single-Redis client reaches 'end'.
  const closing = new Set(['end', 'close', 'disconnecting']);
  await until(() => adapter.clients.every((c) => closing.has(c.status)), 5000, 'the reading connections to close').catch((e: Error) => {
    throw new Error(`${e.message}: ${adapter.clients.map((c) => c.status).join(', ')}`);
  });
});

it('streams adapter: a client that drops and comes back gets the events it missed', async () => {
  const srv = await startServer({ SOCKET_ADAPTER: 'streams', SOCKET_RECOVERY_SECONDS: 60 });
  try {
    const app = await createApp(srv.url);
    const token = await loginUser(srv.url, app.appid, 'mobile');
    const socket = ioc(srv.url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 200 });
    await nextEvent(socket, 'session.snapshot');
    await sleep(100);
    const received: unknown[] = [];
    socket.on('missed.event', (d) => received.push(d));
    // Cut the transport (as a flaky network would), push while the client is away.
    (socket.io.engine as unknown as { close(): void }).close();
    await sleep(50);
    await call(srv.url, 'POST', '/v1/notify', { basic: [app.appid, app.secret], body: { to: { user: 'mobile' }, event: 'missed.event', data: 1 } });
    await call(srv.url, 'POST', '/v1/notify', { basic: [app.appid, app.secret], body: { to: { user: 'mobile' }, event: 'missed.event', data: 2 } });
    const snap = await nextEvent(socket, 'session.snapshot', 5000);
    expect(snap.recovered).toBe(true);
    expect(socket.recovered).toBe(true);
    await sleep(200);
    expect(received).toEqual([1, 2]);
    socket.close();
  } finally {
    await srv.close();
  }
});

it('streams adapter: the snapshot carries the newest offset the node read (no XADD of its own), and a client recovers from it', async () => {
  const srv = await startServer({ SOCKET_ADAPTER: 'streams', SOCKET_RECOVERY_SECONDS: 60 });
  const redis = srv.app.core.redis;
  const stream = `${srv.config.KEY_PREFIX}:sio:stream`;
  try {
    const app = await createApp(srv.url);
    // Something goes through the stream, so the node has read an entry.
    const other = await connect(srv.url, await loginUser(srv.url, app.appid, 'someone'));
    const seen = nextEvent(other.socket, 'warm.up');
    await call(srv.url, 'POST', '/v1/notify', { basic: [app.appid, app.secret], body: { to: { user: 'someone' }, event: 'warm.up', data: 1 } });
    await seen;
    await sleep(50);
    const tip = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1))[0]![0]; // the newest entry's id
    const length = await redis.xlen(stream);

    const token = await loginUser(srv.url, app.appid, 'mobile2');
    const socket = ioc(srv.url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 200 });
    const args = await new Promise<unknown[]>((resolve) => socket.once('session.snapshot', (...a: unknown[]) => resolve(a)));
    expect(args[1]).toBe(tip); // the offset: the newest entry, which the node had read
    expect(await redis.xlen(stream)).toBe(length); // the snapshot itself added none
    await sleep(100);

    const received: unknown[] = [];
    socket.on('missed.event', (d) => received.push(d));
    (socket.io.engine as unknown as { close(): void }).close();
    await sleep(50);
    await call(srv.url, 'POST', '/v1/notify', { basic: [app.appid, app.secret], body: { to: { user: 'mobile2' }, event: 'missed.event', data: 1 } });
    const snap = await nextEvent(socket, 'session.snapshot', 5000);
    expect(snap.recovered).toBe(true);
    await sleep(200);
    expect(received).toEqual([1]);
    socket.close();
    other.socket.close();
  } finally {
    await srv.close();
  }
});

it('streams adapter: the other node decodes an entry, the node that wrote it drops it undecoded', async () => {
  // Every node reads back its own XADDs; they are dropped by sender id before decoding.
  const config = testConfig({ SOCKET_ADAPTER: 'streams' });
  const a = await startServer({}, config);
  const b = await startServer({}, config);
  type StreamsAdapter = { uid: string; constructor: { decode(raw: { uid?: string }): unknown } };
  const library = (a.app.io.of('/').adapter as unknown as StreamsAdapter).constructor;
  const decode = library.decode;
  const decoded: string[] = [];
  try {
    const app = await createApp(a.url);
    const token = await loginUser(a.url, app.appid, 'dec-user');
    const { socket } = await connect(b.url, token);
    await sleep(200); // entries of the set-up are read
    library.decode = (raw) => {
      decoded.push(raw.uid ?? '');
      return decode.call(library, raw);
    };
    const stream = `${config.KEY_PREFIX}:sio:stream`;
    const redis = a.app.core.redis;
    const from = ((await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>)[0]?.[0] ?? '0-0';
    for (let i = 0; i < 3; i++) {
      const got = nextEvent(socket, 'dec.push');
      await call(a.url, 'POST', '/v1/notify', { basic: [app.appid, app.secret], body: { to: { user: 'dec-user' }, event: 'dec.push', data: i } });
      expect(await got).toBe(i); // b read and decoded a's entry
    }
    await sleep(200);
    const aUid = (a.app.io.of('/').adapter as unknown as StreamsAdapter).uid;
    const written = ((await redis.xrange(stream, `(${from}`, '+')) as Array<[string, string[]]>).filter(
      ([, f]) => f[f.indexOf('uid') + 1] === aUid,
    ).length;
    expect(written).toBeGreaterThanOrEqual(3);
    // Each of a's entries decoded once (by b): a dropped its own before decoding.
    expect(decoded.filter((uid) => uid === aUid)).toHaveLength(written);
  } finally {
    library.decode = decode;
    await a.close();
    await b.close();
  }
});

/**
 * A streams-adapter node as an api process makes it (its command connection, the adapter, a
 * Socket.IO server), given to `use`; it fails when anything was left an unhandled rejection
 * meanwhile. Closed afterwards whatever `use` did to the command connection.
 */
async function withStreamsNode(use: (node: { redis: RedisClient; io: Server }) => Promise<void>): Promise<void> {
  const rejected: unknown[] = [];
  const onRejection = (reason: unknown) => rejected.push(reason);
  process.on('unhandledRejection', onRejection);
  const config = testConfig({ SOCKET_ADAPTER: 'streams' });
  const target = redisTarget(config);
  const redis = createCommandRedis(target, 'api', { ...failFastOptions(target), shardedSubscribers: onCluster() });
  const adapter = createSocketAdapter(config, 'api', redis);
  const io = new Server(createServer(), adapter.serverOptions);
  try {
    await readyOf(redis);
    await use({ redis, io });
    await sleep(300); // a rejection left unhandled is reported after the turn it happened in
  } finally {
    process.off('unhandledRejection', onRejection);
    await io.close().catch(() => undefined);
    await quitAll([redis, ...adapter.clients]).catch(() => undefined);
  }
  expect(rejected).toEqual([]);
}

it.skipIf(onCluster())(
  'streams adapter: a server-side emit with an ack while Redis is unreachable rejects at once, with no unhandled rejection',
  async () => {
    // The library counts the nodes first (PUBSUB NUMSUB) in a promise Socket.IO neither returns
    // nor catches: a failed count used to end the process. One Redis only: there the command
    // connection fails fast; a Cluster client queues commands through a failover instead.
    await withStreamsNode(async ({ redis, io }) => {
      redis.disconnect(); // its stream is no longer writeable: commands fail at once
      const started = Date.now();
      const answer = await Promise.race([
        io.serverSideEmitWithAck('sb.ping').then(
          () => 'answered',
          (err: Error) => err.message,
        ),
        sleep(5000).then(() => 'no answer'),
      ]);
      expect(answer).toMatch(/writeable|closed/); // the Redis failure itself, at once
      expect(Date.now() - started).toBeLessThan(5000);
    });
  },
);

it('streams adapter: a server-side emit (no ack) on a closed command connection leaves no unhandled rejection', async () => {
  // The library sends its requests (server-side emits, fetchSockets, broadcasts with an ack)
  // by pub/sub and drops the promise of that PUBLISH / SPUBLISH: on a Cluster client that
  // closes, a command issued meanwhile waits in its offline queue and is failed with "None of
  // startup nodes is available" when the close completes, handled nowhere (seen in CI, on the
  // Cluster pass, while a test closed two api nodes).
  await withStreamsNode(async ({ redis, io }) => {
    const closing = redis.quit();
    io.serverSideEmit('sb.probe', 1); // issued while the connection closes
    await closing.catch(() => undefined);
    io.serverSideEmit('sb.probe', 2); // and once it is closed
  });
});
