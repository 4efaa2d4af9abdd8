// Colyseus 0.18 peer of the join benchmark, run as a child process like server.ts: one
// process, ws transport, local presence and driver (Colyseus' single-process defaults).
// Room type `bench`: state = a map of players (uid, joinedAt), so every join is synced to
// every member by Colyseus' own delta patches (patchRate 50 ms, the default); message
// `heartbeat` answered to the sender (a request → response); no autoDispose, so rooms
// created empty stay; maxClients 100,000.
// HTTP (the express hook of Server): POST /tokens {token: uid} (the tokens static onAuth
// admits), POST /rooms {n} → {roomIds}, POST /notify {room, event, data} → room.broadcast.
// It answers IPC {cmd:'stats'} with its heap and RSS after a full GC (--expose-gc).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchMaker, Room, Server, ServerError, type Client } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { Encoder, schema, t, type SchemaType } from '@colyseus/schema';
import { memoryAfterGc } from '../lib/stats.js';

const port = Number(process.env.PORT ?? 0);
// The full state of a room of 1,000 players is ~40 KB: above the 16 KB default the encoder
// grows its buffer and warns each time; the knob Colyseus' warning suggests.
Encoder.BUFFER_SIZE = 64 * 1024;
const uids = new Map<string, string>(); // token → uid

const Player = schema({ uid: t.string(), joinedAt: t.number() }, 'Player');
const BenchState = schema({ players: t.map(Player) }, 'BenchState');

class BenchRoom extends Room<{ state: SchemaType<typeof BenchState> }> {
  override maxClients = 100_000;
  override autoDispose = false;
  override state = new BenchState();

  static override async onAuth(token: string): Promise<{ uid: string }> {
    const uid = uids.get(token);
    if (!uid) throw new ServerError(401, 'unknown token');
    return { uid };
  }

  override onCreate(): void {
    this.onMessage('heartbeat', () => ({ roomId: this.roomId, memsize: this.clients.length, deadline: Date.now() + 10_000 }));
  }

  override onJoin(client: Client): void {
    const player = new Player();
    player.uid = (client.auth as { uid: string }).uid;
    player.joinedAt = Date.now();
    this.state.players.set(client.sessionId, player);
  }

  override onLeave(client: Client): void {
    this.state.players.delete(client.sessionId);
  }
}

async function body(req: IncomingMessage): Promise<unknown> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return JSON.parse(s || '{}');
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
/** A JSON POST route; the body is the bench's own (trusted, not validated), typed by the route. */
const route =
  <B>(fn: (b: B) => Promise<unknown> | unknown): Handler =>
  (req, res) => {
    body(req)
      .then((b) => fn(b as B))
      .then((r) => res.setHeader('content-type', 'application/json').end(JSON.stringify(r ?? {})))
      .catch((err: Error) => res.writeHead(400).end(JSON.stringify({ error: err.message })));
  };

const transport = new WebSocketTransport();
const server = new Server({
  transport,
  greet: false,
  gracefullyShutdown: false,
  express: (app: { post(path: string, h: Handler): void }) => {
    app.post(
      '/tokens',
      route((b: Record<string, string>) => void Object.entries(b).forEach(([token, uid]) => uids.set(token, uid))),
    );
    app.post(
      '/rooms',
      route(async (b: { n: number }) => ({
        roomIds: await Promise.all(Array.from({ length: b.n }, async () => (await matchMaker.createRoom('bench', {})).roomId)),
      })),
    );
    app.post(
      '/notify',
      route((b: { room: string; event: string; data: unknown }) => void matchMaker.getLocalRoomById(b.room)?.broadcast(b.event, b.data)),
    );
  },
});
server.define('bench', BenchRoom);
await server.listen(port, '127.0.0.1');
const url = `http://127.0.0.1:${(transport.server!.address() as { port: number }).port}`;

process.on('message', (msg: { cmd: string }) => {
  if (msg.cmd === 'stats') process.send!({ stats: memoryAfterGc() });
  if (msg.cmd === 'stop') void server.gracefullyShutdown(false).finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(1)); // the bench died: do not outlive it
process.send!({ ready: url });
