// Heap per open socket, layer by layer: what each library under a Switchboard socket keeps,
// each measured alone in the same run (a fresh server process for each, on CPU 0; the clients
// on CPU 1). Layers (BENCH_SOCKET_SERVERS names):
//   ws              a bare WebSocket server keeping its sockets
//   engine          Engine.IO on ws (its WebSocket transport and pings, no Socket.IO)
//   engine-trimmed  the same, trimmed as Switchboard's gateway trims each Engine.IO socket
//                   (the upgrade request and the two upgrade listeners that hold it let go,
//                   Engine.IO's handlers shared (realtime/engine-lean.ts), the listener
//                   tables packed)
//   bare            bare Socket.IO as it ships (the reference)
//   bare-tuned      bare Socket.IO with its memory guide applied (socket.request = null)
//   bare-trimmed    bare Socket.IO trimmed and packed as Switchboard's gateway does it:
//                   Socket.IO, nothing on it
//   colyseus        Colyseus 0.18 on its ws transport, clients in rooms of 50
//   switchboard     Switchboard's api: an authenticated socket, its snapshot sent, no room
// Heap = heapUsed after a forced GC with the clients connected minus before, ÷ sockets; and
// the same for the second half of the sockets alone (the first half paid for the code
// compiled once). Connected: ws open (ws; Engine.IO once its open packet arrived), Socket.IO's
// CONNECT answered, Colyseus' client joined. BENCH_HEAP_SNAPSHOT=<dir> (server.ts) writes each
// server's heap snapshots, to see by constructor what a layer keeps.
//   BENCH_SOCKETS (default 5000)
//   BENCH_SOCKET_SERVERS (default ws,engine,engine-trimmed,bare,bare-tuned,bare-trimmed,colyseus,switchboard)
import WebSocket from 'ws';
import { Client as ColyseusClient } from '@colyseus/sdk';
import { rawConnect } from './lib/rawclient.js';
import { createBenchApp, pin, pool, sleep, startRedis, startServerProc, json, type ServerMode, type ServerProc } from './lib/harness.js';
import { fmt, printTable } from './lib/stats.js';
import { skipColyseusStateDecoding } from './lib/colyseus.js';

type Layer = ServerMode;
const N = Number(process.env.BENCH_SOCKETS ?? 5000);
const LAYERS = (process.env.BENCH_SOCKET_SERVERS ?? 'ws,engine,engine-trimmed,bare,bare-tuned,bare-trimmed,colyseus,switchboard').split(
  ',',
) as Layer[];
const ADMIN = 'bench-admin-token-0123456789';
const SERVER_CPU = 0;
const BENCH_CPU = 1;

/** A raw WebSocket to `path`, resolved at the first message (Engine.IO: its open packet) or at open. */
function openWs(url: string, waitForMessage: boolean): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    if (waitForMessage) ws.once('message', () => resolve(ws));
    else ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

type Closable = { close(): unknown };

/** Sets `layer` up for N clients (tokens, rooms) and returns how to connect client i. */
async function prepare(layer: Layer, server: ServerProc): Promise<(i: number) => Promise<Closable>> {
  const wsUrl = server.url.replace(/^http/, 'ws');
  if (layer === 'ws') return () => openWs(wsUrl, false);
  if (layer === 'engine' || layer === 'engine-trimmed') return () => openWs(`${wsUrl}/engine.io/?EIO=4&transport=websocket`, true);
  if (layer === 'bare' || layer === 'bare-tuned' || layer === 'bare-trimmed') return () => rawConnect(server.url, null);
  if (layer === 'colyseus') {
    // Rooms of 50, as in the join benchmark's heartbeat workload.
    const { roomIds } = await json<{ roomIds: string[] }>(`${server.url}/rooms`, { method: 'POST', body: JSON.stringify({ n: Math.ceil(N / 50) }) });
    const tokens = Object.fromEntries(range(0, N).map((i) => [`t${i}`, `u${i}`]));
    await json(`${server.url}/tokens`, { method: 'POST', body: JSON.stringify(tokens) });
    return async (i) => {
      const client = new ColyseusClient(server.url);
      client.auth.token = `t${i}`;
      const room = await client.joinById(roomIds[Math.floor(i / 50)]!);
      return { close: () => room.leave(true) }; // consented: the SDK does not try to reconnect
    };
  }
  const { token } = await createBenchApp(server.url, ADMIN);
  const auths = await pool(range(0, N), 32, async (i) => ({ token: await token(`u${i}`) }));
  return (i) => rawConnect(server.url, auths[i]!);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * Heap per socket from empty (all N, as `connections` and `join` measure it) and of the
 * second half alone: what one more socket costs once the code every socket runs is compiled
 * and the server's caches are warm (the first half pays for those).
 */
async function measure(layer: Layer, redisUrl: string) {
  const env = { REDIS_URL: redisUrl, ADMIN_TOKEN: ADMIN, KEY_PREFIX: 'bench', QUEUE_PREFIX: 'benchq', SOCKET_RATE_PER_SECOND: '20' };
  const server = await startServerProc(layer, env);
  pin(server.pid, SERVER_CPU);
  try {
    const connectOne = await prepare(layer, server);
    const half = Math.floor(N / 2);
    const before = await server.stats();
    const clients = await pool(range(0, half), 100, connectOne);
    await sleep(500);
    const mid = await server.stats();
    clients.push(...(await pool(range(half, N), 100, connectOne)));
    await sleep(1000);
    const after = await server.stats();
    await pool(clients, 200, async (c) => void (await c.close()));
    return {
      layer,
      heapPerSocket: (after.heapUsed - before.heapUsed) / N / 1024,
      secondHalf: (after.heapUsed - mid.heapUsed) / (N - half) / 1024,
      rssPerSocket: (after.rss - before.rss) / N / 1024,
    };
  } finally {
    await server.kill();
  }
}

pin(process.pid, BENCH_CPU);
skipColyseusStateDecoding();
const redis = await startRedis();
const results: Array<Awaited<ReturnType<typeof measure>>> = [];
try {
  for (const layer of LAYERS) results.push(await measure(layer, redis.url));
} finally {
  await redis.stop();
}
const bare = results.find((r) => r.layer === 'bare');
const ws = results.find((r) => r.layer === 'ws');
const names: Record<Layer, string> = {
  ws: 'ws alone',
  engine: 'Engine.IO on ws',
  'engine-trimmed': 'Engine.IO on ws, trimmed and packed as Switchboard does',
  bare: 'bare Socket.IO (as shipped)',
  'bare-tuned': 'bare Socket.IO, memory guide applied',
  'bare-trimmed': 'bare Socket.IO, trimmed and packed as Switchboard does',
  colyseus: 'Colyseus 0.18 (ws transport)',
  switchboard: 'Switchboard api',
};
console.log(`socket-memory: ${N} sockets per server, heap per socket after a forced GC, node ${process.version}\n`);
printTable(
  'Heap per open socket, layer by layer',
  results.map((r) => ({
    server: names[r.layer],
    'heap/socket KiB': fmt(r.heapPerSocket, 2),
    'second half only KiB': fmt(r.secondHalf, 2),
    'RSS/socket KiB': fmt(r.rssPerSocket, 1),
    '÷ bare Socket.IO': `${fmt(r.heapPerSocket / (bare?.heapPerSocket ?? NaN), 2)}×`,
    'over ws alone KiB': fmt(r.heapPerSocket - (ws?.heapPerSocket ?? NaN), 2),
    'second half ÷ bare': `${fmt(r.secondHalf / (bare?.secondHalf ?? NaN), 2)}×`,
  })),
);
