import { matchMaker, Room, Server, ServerError } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { Encoder, schema, t } from '@colyseus/schema';
import { memoryAfterGc } from '../lib/stats.js';
const port = Number(process.env.PORT ?? 0);
// The full state of a room of 1,000 players is ~40 KB: above the 16 KB default the encoder
// grows its buffer and warns each time; the knob Colyseus' warning suggests.
Encoder.BUFFER_SIZE = 64 * 1024;
const uids = new Map(); // token → uid
const Player = schema({ uid: t.string(), joinedAt: t.number() }, 'Player');
const BenchState = schema({ players: t.map(Player) }, 'BenchState');
class BenchRoom extends Room {
    maxClients = 100_000;
    autoDispose = false;
    state = new BenchState();
    static async onAuth(token) {
        const uid = uids.get(token);
        if (!uid)
            throw new ServerError(401, 'unknown token');
        return { uid };
    }
    onCreate() {
        this.onMessage('heartbeat', () => ({ roomId: this.roomId, memsize: this.clients.length, deadline: Date.now() + 10_000 }));
    }
    onJoin(client) {
        const player = new Player();
        player.uid = client.auth.uid;
        player.joinedAt = Date.now();
        this.state.players.set(client.sessionId, player);
    }
    onLeave(client) {
        this.state.players.delete(client.sessionId);
    }
}
async function body(req) {
    let s = '';
    for await (const chunk of req)
        s += chunk;
    return JSON.parse(s || '{}');
}
const route = (fn) => (req, res) => {
    body(req)
        .then(fn)
        .then((r) => res.setHeader('content-type', 'application/json').end(JSON.stringify(r ?? {})))
        .catch((err) => res.writeHead(400).end(JSON.stringify({ error: err.message })));
};
const transport = new WebSocketTransport();
const server = new Server({
    transport,
    greet: false,
    gracefullyShutdown: false,
    express: (app) => {
        app.post('/tokens', route((b) => void Object.entries(b).forEach(([token, uid]) => uids.set(token, uid))));
        app.post('/rooms', route(async (b) => ({ roomIds: await Promise.all(Array.from({ length: b.n }, async () => (await matchMaker.createRoom('bench', {})).roomId)) })));
        app.post('/notify', route((b) => void matchMaker.getLocalRoomById(b.room)?.broadcast(b.event, b.data)));
    },
});
server.define('bench', BenchRoom);
await server.listen(port, '127.0.0.1');
const url = `http://127.0.0.1:${transport.server.address().port}`;
process.on('message', (msg) => {
    if (msg.cmd === 'stats')
        process.send({ stats: memoryAfterGc() });
    if (msg.cmd === 'stop')
        void server.gracefullyShutdown(false).finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(1)); // the bench died: do not outlive it
process.send({ ready: url });
//# sourceMappingURL=colyseus-server.js.map