// Engine.IO with shared handlers (src/realtime/engine-lean.ts), against Engine.IO as it ships:
// - it installs over the Engine.IO installed here (an upgrade of Engine.IO fails this first);
// - every connection gets the same functions, not closures of its own;
// - every scenario of a connection's life (messages both ways with their sent callbacks,
//   pings answered and not, closes from either side, a transport error, a write error, a
//   start on long-polling and its upgrade) gives the same events, in the same order, with
//   the same reasons, as on Engine.IO as it ships, each run once per mode on a plain
//   Engine.IO server and compared, the stock run also checked against what is expected of it;
// - the api installs it, and SOCKET_SHARED_HANDLERS=false runs Engine.IO as it ships.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attach as attachEngine, type Server as EngineServer, type Socket as EngineSocket } from 'engine.io';
import { Socket as EngineClient } from 'engine.io-client';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import {
  engineIoVersion,
  handshakeListener,
  installLeanEngine,
  LeanWebSocket,
  leanEngineInstalled,
  leanEngineSocket,
  REVIEWED_ENGINE_IO,
  uninstallLeanEngine,
} from '../../src/realtime/engine-lean.js';
import { transports } from 'engine.io';
import { connect, createApp, loginUser, sleep, startServer, testConfig, until } from '../helpers.js';

type Mode = 'stock' | 'lean';
// The ping test's short pings, with a timeout long enough that a busy test machine does not
// time out a client that answers. The other scenarios ping rarely: a ping sent while a
// WebSocket is closing is a write error in Engine.IO as it ships too, a race that would make
// their close reason depend on the timing.
const PING_INTERVAL_MS = 100;
const PING_TIMEOUT_MS = 300;
const QUIET = { pingInterval: 20000, pingTimeout: 20000 };

/** An Engine.IO server in `mode`, logging what its sockets do. */
async function engineServer(mode: Mode, opts: { transports?: string[]; pingInterval?: number; pingTimeout?: number } = {}) {
  if (mode === 'lean') expect(installLeanEngine()).toBe(true);
  else uninstallLeanEngine();
  const http = createServer();
  const engine: EngineServer = attachEngine(http, { ...QUIET, transports: ['websocket'], ...opts } as never);
  if (mode === 'lean') engine.on('connection', leanEngineSocket);
  const log: string[] = [];
  const sockets: EngineSocket[] = [];
  engine.on('connection', (socket: EngineSocket) => {
    sockets.push(socket);
    log.push(`open ${socket.transport.name}`);
    socket.on('message', (d) => log.push(`got ${String(d)}`));
    socket.on('upgrade', (t: { name: string }) => log.push(`upgrade ${t.name}`));
    socket.on('close', (reason: string, description?: { message?: string }) => {
      log.push(`close ${reason}${description?.message ? ` (${description.message.split('\n')[0]})` : ''}`);
      log.push(`clients ${engine.clientsCount} ${Object.keys((engine as unknown as { clients: object }).clients).length}`);
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as AddressInfo).port;
  return {
    engine,
    log,
    sockets,
    wsUrl: `ws://127.0.0.1:${port}/engine.io/?EIO=4&transport=websocket`,
    httpUrl: `http://127.0.0.1:${port}`,
    close: () => {
      engine.close();
      http.close();
    },
  };
}

/** A raw Engine.IO client over `ws` that logs the packets it gets and answers pings when told to. */
async function rawClient(url: string, answerPings: boolean) {
  const log: string[] = [];
  const ws = new WebSocket(url);
  let pinged: Array<() => void> = [];
  ws.on('message', (d) => {
    const packet = String(d);
    if (packet.startsWith('0')) log.push('open');
    else if (packet === '2') {
      if (answerPings) ws.send('3');
      for (const resolve of pinged) resolve();
      pinged = [];
    } else log.push(`got ${packet}`);
  });
  /** Resolves as the next ping is answered. */
  const nextPing = () => new Promise<void>((resolve) => pinged.push(resolve));
  ws.on('close', () => log.push('closed'));
  await new Promise((resolve, reject) => ws.once('message', resolve).once('error', reject));
  return { ws, log, nextPing };
}

/** Runs `scenario` on a stock and on a lean server: the stock log must be `expected`, and the lean one the same. */
async function sameAsStock(scenario: (mode: Mode) => Promise<string[]>, expected: string[]): Promise<void> {
  const stock = await scenario('stock');
  const lean = await scenario('lean');
  expect(stock).toEqual(expected);
  expect(lean).toEqual(stock);
}

afterAll(() => {
  installLeanEngine(); // as every api process runs it
});

describe('Engine.IO with shared handlers', () => {
  it('installs over the Engine.IO installed here, and uninstalls', () => {
    expect(REVIEWED_ENGINE_IO).toContain(engineIoVersion());
    expect(installLeanEngine()).toBe(true);
    expect(leanEngineInstalled()).toBe(true);
    expect(transports.websocket).toBe(LeanWebSocket);
    uninstallLeanEngine();
    expect(leanEngineInstalled()).toBe(false);
    expect(transports.websocket).not.toBe(LeanWebSocket);
  });

  it('gives every connection the same functions, where Engine.IO gives each its own', async () => {
    type Listening = { rawListeners(e: string): unknown[]; listeners(e: string): unknown[] };
    type Inside = Listening & {
      cleanupFn: unknown[];
      pingIntervalTimer: { _onTimeout: unknown };
      transport: Listening & { socket: Listening };
    };
    /** Each handler a connection holds, by where it is. */
    const handlers = (s: Inside) => ({
      transport: ['error', 'ready', 'packet', 'drain', 'close'].map((e) => s.transport.rawListeners(e)),
      ws: ['message', 'close', 'error'].map((e) => s.transport.socket.listeners(e)),
      forget: s.rawListeners('close')[0],
      headers: s.transport.listeners('headers'),
      ping: s.pingIntervalTimer._onTimeout,
    });
    for (const mode of ['stock', 'lean'] as const) {
      const srv = await engineServer(mode);
      const clients = [await rawClient(srv.wsUrl, true), await rawClient(srv.wsUrl, true)];
      const [a, b] = srv.sockets.map((s) => handlers(s as unknown as Inside));
      if (mode === 'stock') {
        // The control: as shipped, each connection has closures of its own, and the two the
        // lean wiring recognises by their text are found.
        expect(a!.transport.flat().some((fn, i) => fn === b!.transport.flat()[i])).toBe(false);
        expect(a!.ping).not.toBe(b!.ping);
        expect(handshakeListener.isForgetClient((a!.forget as { listener?: unknown }).listener)).toBe(true);
        expect(a!.headers.filter(handshakeListener.isHeaders)).toHaveLength(1);
        expect((srv.sockets[0] as unknown as Inside).cleanupFn).toHaveLength(1);
      } else {
        expect(a!.transport).toEqual(b!.transport);
        expect(a!.transport.flat().every((fn, i) => fn === b!.transport.flat()[i])).toBe(true);
        expect(a!.ws.flat().filter((fn) => b!.ws.flat().includes(fn))).toHaveLength(3);
        expect(a!.forget).toBe(b!.forget);
        expect(a!.ping).toBe(b!.ping);
        expect(a!.headers).toEqual([]);
        expect((srv.sockets[0] as unknown as Inside).cleanupFn).toEqual([]);
      }
      for (const c of clients) c.ws.close();
      await until(() => srv.engine.clientsCount === 0, 2000, 'both sockets closed');
      srv.close();
    }
  });

  it('passes messages both ways and calls sent callbacks in order, then forgets the client the client closed', async () => {
    await sameAsStock(
      async (mode) => {
        const srv = await engineServer(mode);
        const client = await rawClient(srv.wsUrl, true);
        const socket = srv.sockets[0]!;
        client.ws.send('4a');
        client.ws.send('4b');
        await until(() => srv.log.includes('got b'), 2000, 'the messages in');
        // Three sends in one tick: the first goes out alone, the other two as one batch once it is written.
        for (const m of ['x', 'y', 'z']) socket.send(m, {}, () => srv.log.push(`sent ${m}`));
        await until(() => srv.log.includes('sent z') && client.log.includes('got 4z'), 2000, 'the messages out');
        client.ws.close();
        await until(() => srv.log.some((l) => l.startsWith('clients')), 2000, 'the close');
        srv.close();
        return [...srv.log, ...client.log.map((l) => `client ${l}`)];
      },
      [
        'open websocket',
        'got a',
        'got b',
        'sent x',
        'sent y',
        'sent z',
        'close transport close',
        'clients 0 0',
        'client open',
        'client got 4x',
        'client got 4y',
        'client got 4z',
        'client closed',
      ],
    );
  });

  it('keeps a client that answers pings and closes one that does not, by ping timeout', async () => {
    await sameAsStock(
      async (mode) => {
        const srv = await engineServer(mode, { pingInterval: PING_INTERVAL_MS, pingTimeout: PING_TIMEOUT_MS });
        const answering = await rawClient(srv.wsUrl, true);
        const silent = await rawClient(srv.wsUrl, false);
        let heartbeats = 0;
        srv.sockets[0]!.on('heartbeat', () => heartbeats++);
        await until(() => silent.log.includes('closed'), 2000, 'the silent client closed');
        await sleep(PING_INTERVAL_MS * 6);
        const answered = `answering client: ${answering.log.includes('closed') ? 'closed' : 'open'}, ${heartbeats >= 3 ? '3 or more' : heartbeats} pongs`;
        // Closed just after a ping is answered, a whole interval before the next one.
        await answering.nextPing();
        answering.ws.close();
        await until(() => srv.engine.clientsCount === 0, 2000, 'the close');
        srv.close();
        return [...srv.log, answered];
      },
      [
        'open websocket',
        'open websocket',
        'close ping timeout',
        'clients 1 1',
        'close transport close',
        'clients 0 0',
        'answering client: open, 3 or more pongs',
      ],
    );
  });

  it('closes on the server side, on a transport error and on a write error as Engine.IO does', async () => {
    await sameAsStock(
      async (mode) => {
        const srv = await engineServer(mode);
        // Forced: the server closes the socket.
        const a = await rawClient(srv.wsUrl, true);
        srv.sockets[0]!.close();
        await until(() => a.log.includes('closed'), 2000, 'the forced close');
        // A transport error: a frame with a reserved opcode makes the server's `ws` fail.
        const b = await rawClient(srv.wsUrl, true);
        (b.ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]));
        await until(() => b.log.includes('closed'), 2000, 'the close after the bad frame');
        // A write error: the server's WebSocket is closing when a packet is sent.
        await rawClient(srv.wsUrl, true);
        const c = srv.sockets[2] as EngineSocket & { transport: { socket: { close(): void } } };
        c.transport.socket.close();
        c.send('late', {}, () => srv.log.push('sent late'));
        await until(() => srv.engine.clientsCount === 0, 2000, 'every socket closed');
        srv.close();
        return srv.log;
      },
      [
        'open websocket',
        'close forced close',
        'clients 0 0',
        'open websocket',
        'close transport error (RangeError: Invalid WebSocket frame: invalid opcode 3)',
        'clients 0 0',
        'open websocket',
        'close transport error (write error)',
        'clients 0 0',
      ],
    );
  });

  it('starts on long-polling, upgrades to WebSocket and works there, the polling transport let go', async () => {
    await sameAsStock(
      async (mode) => {
        const srv = await engineServer(mode, { transports: ['polling', 'websocket'] });
        const client = new EngineClient(srv.httpUrl, { transports: ['polling', 'websocket'] });
        const got: string[] = [];
        client.on('message', (d) => got.push(`client got ${String(d)}`));
        await new Promise<void>((r) => client.on('upgrade', () => r()));
        const socket = srv.sockets[0] as EngineSocket & { transport: { name: string } };
        const polling = socket.transport as unknown as NodeJS.EventEmitter;
        await until(() => socket.transport.name === 'websocket', 2000, 'the server side upgraded');
        const kept = ['ready', 'packet', 'drain', 'close'].map((e) => polling.listenerCount(e));
        client.send('after');
        socket.send('back');
        await until(() => srv.log.includes('got after') && got.includes('client got back'), 2000, 'messages after the upgrade');
        client.close();
        await until(() => srv.engine.clientsCount === 0, 2000, 'the close');
        srv.close();
        return [...srv.log, ...got, `polling transport keeps ${kept.join(' ')} ready, packet, drain, close listeners`];
      },
      [
        'open polling',
        'upgrade websocket',
        'got after',
        'close transport close',
        'clients 0 0',
        'client got back',
        'polling transport keeps 0 0 0 0 ready, packet, drain, close listeners',
      ],
    );
  });

  it('is what the api runs, and SOCKET_SHARED_HANDLERS=false runs Engine.IO as it ships', async () => {
    for (const shared of [false, true]) {
      const srv = await startServer({}, testConfig({ SOCKET_SHARED_HANDLERS: shared }));
      try {
        const app = await createApp(srv.url);
        const { socket } = await connect(srv.url, await loginUser(srv.url, app.appid, 'lean-api'));
        const conn = srv.app.io.of('/').sockets.get(socket.id!)!.conn;
        expect(conn.transport instanceof LeanWebSocket).toBe(shared);
        expect(await socket.emitWithAck('presence.get', {})).toMatchObject({ ok: true });
        socket.close();
        await until(() => srv.app.io.engine.clientsCount === 0, 2000, 'the socket closed on the server');
      } finally {
        await srv.close();
      }
    }
  });
});
