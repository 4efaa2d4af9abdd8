// The workers' publish-only adapter (src/infra/publish-only-adapter.ts) against the real
// streams adapter of an api node: what a worker sends arrives, is replayed on recovery,
// server-side emits and fetchSockets go both ways, and the worker reads no stream.
import { Server } from 'socket.io';
import { io as ioc } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocketAdapter } from '../../src/infra/adapter.js';
import { createCommandRedis, isCluster, quitAll, redisTarget, type RedisClient } from '../../src/infra/redis.js';
import { socketRooms } from '../../src/infra/emitter.js';
import { connect, createApp, loginUser, nextEvent, sleep, startServer, until, type TestServer } from '../helpers.js';

let srv: TestServer;
let worker: Server;
let clients: RedisClient[];
let probe: RedisClient;
let app: { appid: string; secret: string };

beforeAll(async () => {
  srv = await startServer({ SOCKET_ADAPTER: 'streams', SOCKET_RECOVERY_SECONDS: 60 });
  const commands = createCommandRedis(redisTarget(srv.config), 'test-worker');
  const adapter = createSocketAdapter(srv.config, 'worker', commands);
  clients = [commands, ...adapter.clients];
  worker = new Server({ ...adapter.serverOptions }); // listener-less, as in workers/runtime.ts
  probe = srv.app.core.redis;
  app = await createApp(srv.url);
  await sleep(200); // subscriptions in place
});
afterAll(async () => {
  await worker.close().catch(() => undefined);
  await quitAll(clients);
  await srv.close();
});

describe('publish-only adapter (workers)', () => {
  it('its room emits, socketsJoin and disconnectSockets reach the api node’s sockets', async () => {
    const { socket } = await connect(srv.url, await loginUser(srv.url, app.appid, 'po-a'));
    const userRoom = socketRooms.user(app.appid, 'po-a');
    const got = nextEvent(socket, 'from.worker');
    worker.to(userRoom).emit('from.worker', { n: 1 });
    expect(await got).toEqual({ n: 1 });

    worker.in(userRoom).socketsJoin('po-extra-room');
    await until(async () => (await srv.app.io.in('po-extra-room').fetchSockets()).length === 1, 3000, 'the join applied on the api node');
    const inRoom = nextEvent(socket, 'to.extra');
    worker.to('po-extra-room').emit('to.extra', 'yes');
    expect(await inRoom).toBe('yes');

    const gone = new Promise<string>((r) => socket.once('disconnect', r));
    worker.in(userRoom).disconnectSockets(true);
    expect(await gone).toBe('io server disconnect');
  });

  it('its emits are stream entries the api node replays to a recovering client', async () => {
    const token = await loginUser(srv.url, app.appid, 'po-rec');
    const socket = ioc(srv.url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 200 });
    try {
      await nextEvent(socket, 'session.snapshot');
      // An entry the client receives live gives it a recent offset.
      const live = nextEvent(socket, 'from.worker');
      worker.to(socketRooms.user(app.appid, 'po-rec')).emit('from.worker', 0);
      expect(await live).toBe(0);
      const received: unknown[] = [];
      socket.on('from.worker', (d) => received.push(d));
      (socket.io.engine as unknown as { close(): void }).close();
      await sleep(50);
      worker.to(socketRooms.user(app.appid, 'po-rec')).emit('from.worker', 1);
      worker.to(socketRooms.user(app.appid, 'po-rec')).emit('from.worker', 2);
      const snap = await nextEvent(socket, 'session.snapshot', 5000);
      expect(snap.recovered).toBe(true);
      await until(() => received.length === 2, 3000, 'the replayed emits');
      expect(received).toEqual([1, 2]);
    } finally {
      socket.close();
    }
  });

  it('server-side emits go both ways with acknowledgements, and fetchSockets from the worker sees the api’s sockets', async () => {
    const heard = new Promise<unknown>((resolve) =>
      worker.on('test.ping', (payload: unknown, ack: (r: unknown) => void) => {
        resolve(payload);
        ack('pong');
      }),
    );
    // The api node counts the worker among the servers (pub/sub subscribers) and gets its answer.
    const answers = await (srv.app.io as unknown as { serverSideEmitWithAck(ev: string, ...a: unknown[]): Promise<unknown[]> }).serverSideEmitWithAck(
      'test.ping',
      'hi',
    );
    expect(await heard).toBe('hi');
    expect(answers).toEqual(['pong']);

    const { socket } = await connect(srv.url, await loginUser(srv.url, app.appid, 'po-fetch'));
    const found = await worker.in(socketRooms.user(app.appid, 'po-fetch')).fetchSockets();
    expect(found.map((s) => s.id)).toEqual([socket.id]);
    socket.close();
  });

  it('reads no stream: the only blocked XREAD on Redis is the api node’s', async () => {
    // On a Cluster, every master's clients (the stream lives on one of them).
    const nodes = isCluster(probe) ? probe.nodes('master') : [probe];
    const lists = await Promise.all(nodes.map(async (n) => String(await n.client('LIST'))));
    const readers = lists
      .join('\n')
      .split('\n')
      .filter((l) => / cmd=xread/.test(l));
    expect(readers).toHaveLength(1);
  });
});
