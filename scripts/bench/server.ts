// A server under test, run as a child process by the benchmarks so its memory and CPU
// are its own. argv[2]: `switchboard` (buildApp, as in production) or `bare` (plain
// Socket.IO with its in-memory adapter: what a minimal Socket.IO app does for the same
// events — session.ping; room.join (join, announce room.member to the room, ack);
// room.leave (leave, announce room.member 'left' to the room, ack); room.heartbeat (ack);
// room.message (broadcast); HTTP POST /notify {room, event, data}).
// Bare with BENCH_BARE_AUTH=1 admits a handshake only with an auth.token the bench posted
// first (POST /tokens {token: uid}); without it, any handshake (uid = socket id).
// It answers IPC {cmd:'stats'} with its heap and RSS after a full GC, and, in switchboard
// mode with BENCH_COUNT_REDIS=1, IPC {cmd:'redisWrites'} with the socket writes made to
// Redis so far (every write of a socket this process connected to REDIS_URL's port). With
// BENCH_HEAP_SNAPSHOT=<dir> each {cmd:'stats'} also writes a V8 heap snapshot there
// (<mode>-<pid>-<n>.heapsnapshot, after the GC): what a socket keeps, by constructor.
import { createServer, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { Socket } from 'node:net';
import { attach as attachEngine } from 'engine.io';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';
import { buildApp } from '../../src/app.js';
import { packEngine, packSocket, trimEngineSocket, type EngineSocket } from '../../src/realtime/socket-memory.js';
import { installLeanEngine, leanEngineSocket } from '../../src/realtime/engine-lean.js';
import { loadConfig } from '../../src/config.js';
import { memoryAfterGc } from './lib/stats.js';
import { onSocketWrite } from './lib/socket-writes.js';

const mode = process.argv[2];
const port = Number(process.env.PORT ?? 0);

// Writes that are the streams adapter's blocking XREAD (its reader asks again after each
// batch of entries it read) are counted apart: they follow the stream, they are not a step
// of any request.
const redisWrites = { commands: 0, streamReads: 0 };
if (process.env.BENCH_COUNT_REDIS === '1') {
  const redisPort = Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6390').port || 6379);
  const isXread = (chunk: unknown) =>
    /^\*\d+\r\n\$5\r\nxread\r\n/i.test(
      String(typeof chunk === 'string' ? chunk.slice(0, 24) : Buffer.isBuffer(chunk) ? chunk.subarray(0, 24).toString() : ''),
    );
  // Only the sockets this process connects to Redis get a counting write: the clients'
  // sockets (accepted, never connected from here) keep Node's own, so that counting costs
  // the api nothing per frame sent to a client (it would be charged to Switchboard's CPU).
  const connect = Socket.prototype.connect;
  Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
    // net.connect passes its normalized arguments as one array: [options, callback].
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const port = typeof first === 'object' && first !== null ? Number((first as { port?: unknown }).port) : Number(first);
    const socket = (connect as (...a: unknown[]) => Socket).apply(this, args);
    if (port === redisPort) {
      onSocketWrite(this, (first) => {
        if (isXread(first)) redisWrites.streamReads++;
        else redisWrites.commands++;
      });
    }
    return socket;
  } as typeof connect;
}

async function body(req: IncomingMessage): Promise<unknown> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return JSON.parse(s || '{}');
}

/**
 * The layers under a Socket.IO socket, each alone (socket-memory bench): `ws` — a bare
 * WebSocket server keeping its sockets; `engine` — Engine.IO alone (its WebSocket transport
 * on `ws`, pings, no Socket.IO); `engine-trimmed` — the same with what Switchboard lets go
 * of each Engine.IO socket let go, its handlers shared (realtime/engine-lean.ts) and its
 * listener tables packed (realtime/socket-memory.ts);
 * `bare-tuned` — bare Socket.IO with its memory guide applied (the kept handshake request let go);
 * `bare-trimmed` — bare Socket.IO trimmed and packed as Switchboard's gateway does it.
 */
async function startLayer(): Promise<{ url: string; close: () => Promise<void> }> {
  const http = createServer((_req, res) => res.end());
  const kept = new Set<unknown>();
  if (mode === 'ws') {
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: false });
    wss.on('connection', (ws) => {
      kept.add(ws);
      ws.on('close', () => kept.delete(ws));
    });
  } else if (mode === 'engine' || mode === 'engine-trimmed') {
    if (mode === 'engine-trimmed') installLeanEngine();
    const engine = attachEngine(http, { transports: ['websocket'] });
    engine.on('connection', (socket: EngineSocket & { on(e: string, f: () => void): void }) => {
      kept.add(socket);
      socket.on('close', () => kept.delete(socket));
      if (mode === 'engine-trimmed') {
        trimEngineSocket(socket);
        leanEngineSocket(socket);
        packEngine(socket); // last, as the gateway does: once the socket's listeners are on
      }
    });
  } else {
    const io = new Server(http, { serveClient: false });
    if (mode === 'bare-trimmed') {
      io.engine.on('connection', trimEngineSocket);
      installLeanEngine(io.engine);
      io.on('connection', packSocket);
    } else io.engine.on('connection', (raw: { request: unknown }) => (raw.request = null)); // https://socket.io/docs/v4/memory-usage/
  }
  await new Promise<void>((r) => http.listen(port, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(http.address() as { port: number }).port}`, close: () => new Promise((r) => http.close(() => r())) };
}

async function start(): Promise<{ url: string; close: () => Promise<void> }> {
  if (['ws', 'engine', 'engine-trimmed', 'bare-tuned', 'bare-trimmed'].includes(mode!)) return startLayer();
  if (mode === 'bare') {
    const uids = new Map<string, string>(); // token → uid, when BENCH_BARE_AUTH=1
    const http = createServer((req, res) => {
      body(req)
        .then((b) => {
          if (req.method === 'POST' && req.url === '/tokens')
            for (const [token, uid] of Object.entries(b as Record<string, string>)) uids.set(token, uid);
          else if (req.method === 'POST' && req.url === '/notify') {
            const n = b as { room: string; event: string; data: unknown };
            io.to(`room:${n.room}`).emit(n.event, n.data);
          } else res.statusCode = 404;
        })
        .catch(() => (res.statusCode = 400))
        .finally(() => res.end('{}'));
    });
    const io = new Server(http, { serveClient: false });
    if (process.env.BENCH_BARE_AUTH === '1') {
      io.use((socket, next) => {
        const uid = uids.get((socket.handshake.auth as { token?: string }).token ?? '');
        if (!uid) return next(new Error('unknown token'));
        socket.data.uid = uid;
        next();
      });
    }
    io.on('connection', (socket) => {
      const uid: string = socket.data.uid ?? socket.id;
      const memsize = (roomId: string) => io.sockets.adapter.rooms.get(`room:${roomId}`)?.size ?? 0;
      socket.on('session.ping', (p: { t?: number }, ack: (r: unknown) => void) => ack({ ok: true, data: { t: p?.t, serverTime: Date.now() } }));
      // Room baseline (classroom, join benches): join a room, tell its members, send to everyone in it.
      socket.on('room.join', (p: { roomId: string }, ack: (r: unknown) => void) => {
        void socket.join(`room:${p.roomId}`);
        const size = memsize(p.roomId);
        io.to(`room:${p.roomId}`).emit('room.member', { roomId: p.roomId, uid, action: 'joined', memsize: size });
        ack({ ok: true, data: { roomId: p.roomId, joined: true, memsize: size, role: 'member', deadline: Date.now() + 10_000 } });
      });
      socket.on('room.leave', (p: { roomId: string }, ack: (r: unknown) => void) => {
        void socket.leave(`room:${p.roomId}`);
        const size = memsize(p.roomId);
        io.to(`room:${p.roomId}`).emit('room.member', { roomId: p.roomId, uid, action: 'left', memsize: size });
        ack({ ok: true, data: { left: true, memsize: size } });
      });
      socket.on('room.heartbeat', (p: { roomId: string }, ack: (r: unknown) => void) => {
        ack({ ok: true, data: { roomId: p.roomId, joined: false, memsize: memsize(p.roomId), role: 'member', deadline: Date.now() + 10_000 } });
      });
      socket.on('room.message', (p: { roomId: string; data?: unknown }, ack: (r: unknown) => void) => {
        const message = { roomId: p.roomId, data: p.data, ts: Date.now() };
        io.to(`room:${p.roomId}`).emit('room.message', message);
        ack({ ok: true, data: message });
      });
    });
    await new Promise<void>((r) => http.listen(port, '127.0.0.1', () => r()));
    return { url: `http://127.0.0.1:${(http.address() as { port: number }).port}`, close: async () => void (await io.close()) };
  }
  const app = await buildApp(loadConfig({ ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }));
  const url = await app.listen();
  return { url, close: () => app.close() };
}

const server = await start();
let snapshots = 0;
process.on('message', (msg: { cmd: string }) => {
  if (msg.cmd === 'stats') {
    const stats = memoryAfterGc();
    const dir = process.env.BENCH_HEAP_SNAPSHOT;
    if (dir) writeHeapSnapshot(join(dir, `${mode}-${process.pid}-${++snapshots}.heapsnapshot`));
    process.send!({ stats });
  }
  if (msg.cmd === 'redisWrites') process.send!({ redisWrites });
  if (msg.cmd === 'stop') void server.close().then(() => process.exit(0));
  if (msg.cmd === 'exit') process.exit(0); // at once: the bench is done with it (BENCH_CPU_PROF)
});
process.on('disconnect', () => process.exit(1)); // the bench died: do not outlive it
process.send!({ ready: server.url });
