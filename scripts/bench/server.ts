// A server under test, run as a child process by the benchmarks so its memory and CPU
// are its own. argv[2]: `switchboard` (buildApp, as in production) or `bare` (plain
// Socket.IO with its in-memory adapter, answering the same acked event, and joining /
// broadcasting to a room for the classroom baseline).
// It answers IPC {cmd:'stats'} with its heap and RSS after a full GC.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

const mode = process.argv[2];
const port = Number(process.env.PORT ?? 0);

async function start(): Promise<{ url: string; close: () => Promise<void> }> {
  if (mode === 'bare') {
    const http = createServer();
    const io = new Server(http, { serveClient: false });
    io.on('connection', (socket) => {
      socket.on('session.ping', (p: { t?: number }, ack: (r: unknown) => void) => ack({ ok: true, data: { t: p?.t, serverTime: Date.now() } }));
      // Room broadcast baseline (classroom bench): join a room, send to everyone in it.
      socket.on('room.join', (p: { roomId: string }, ack: (r: unknown) => void) => {
        void socket.join(`room:${p.roomId}`);
        ack({ ok: true, data: { roomId: p.roomId } });
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
process.on('message', (msg: { cmd: string }) => {
  if (msg.cmd === 'stats') {
    (globalThis as { gc?: () => void }).gc?.();
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    process.send!({ stats: { heapUsed: m.heapUsed, rss: m.rss, external: m.external } });
  }
  if (msg.cmd === 'stop') void server.close().then(() => process.exit(0));
});
process.send!({ ready: server.url });
