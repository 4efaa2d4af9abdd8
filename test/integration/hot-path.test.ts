// The connection path kept cheap (issue 13) without losing a guarantee:
// - the snapshot's probe: a part read from nothing equals the part read in full;
// - large rooms get their membership changes batched, the host every change, in order;
// - a room joined from a socket moves the user's other sockets, through the adapter only
//   when one of them is on another node;
// - dashboard pushes skip apps nobody watches, and reach a dashboard from its snapshot on;
// - the sweep's app index gets an app back after it was retired;
// - a socket keeps two headers of its upgrade request, and not the upgrade's listeners.
// - a socket's listener tables are packed (after an upgrade from long-polling too), and the
//   gateway's listeners are one function for every socket, each still answered as itself;
// - a socket's Maps of one entry (acks, its client's sockets and namespaces) and its rooms of
//   one socket (its own, its user's) are held inline, and grow and shrink as before; the user's
//   room is named by one flat string.
import { createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import type { AddressInfo } from 'node:net';
import { attach as attachEngine } from 'engine.io';
import { Server as SocketIoServer } from 'socket.io';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { io as ioc, Manager, type Socket } from 'socket.io-client';
import { SmallMap, SmallSet, upgradeListener, type EngineSocket } from '../../src/realtime/socket-memory.js';
import { socketRooms } from '../../src/infra/emitter.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  collect,
  connect,
  connectDashboard,
  createApp,
  issueToken,
  loginUser,
  nextEvent,
  okData,
  sleep,
  startServer,
  testConfig,
  type TestServer,
  until,
} from '../helpers.js';

const BATCH_ABOVE = 3;
const BATCH_MS = 150;

let srv: TestServer;
let other: TestServer; // a second api node on the same Redis and prefixes
let redis: Redis;
let app: { appid: string; secret: string };
const open: Socket[] = [];

beforeAll(async () => {
  const config = testConfig({ ROOM_MEMBER_BATCH_ABOVE: BATCH_ABOVE, ROOM_MEMBER_BATCH_MS: BATCH_MS });
  srv = await startServer({}, config);
  other = await startServer({}, { ...config });
  redis = new Redis(config.REDIS_URL);
  app = await createApp(srv.url);
});
afterAll(async () => {
  for (const s of open) s.close();
  await other?.close();
  await srv?.close();
  redis?.disconnect();
});

async function user(id: string, on: TestServer = srv): Promise<{ token: string; socket: Socket }> {
  const token = await loginUser(on.url, app.appid, id);
  const { socket } = await connect(on.url, token);
  open.push(socket);
  return { token, socket };
}

async function newRoom(token: string): Promise<string> {
  const r = await call(srv.url, 'POST', '/v1/rooms', { token, body: {} });
  expect(r.status).toBe(201);
  return r.body.roomId as string;
}

/** The adapter's stream entries written since `from` (an entry id), as {nsp, type, data}. */
async function streamSince(from: string): Promise<Array<{ nsp: string; type: string; data: string }>> {
  const entries = (await redis.xrange(`${srv.config.KEY_PREFIX}:sio:stream`, `(${from}`, '+')) as Array<[string, string[]]>;
  return entries.map(([, f]) => {
    const o: Record<string, string> = {};
    for (let i = 0; i < f.length; i += 2) o[f[i]!] = f[i + 1]!;
    return { nsp: o.nsp ?? '', type: o.type ?? '', data: o.data ?? '' };
  });
}
async function streamTip(): Promise<string> {
  const last = (await redis.xrevrange(`${srv.config.KEY_PREFIX}:sio:stream`, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
  return last[0]?.[0] ?? '0-0';
}

describe('session.snapshot probe', () => {
  it('a part the probe finds nothing for equals the part read in full, for a fresh user and one with state', async () => {
    const fresh = await user('hp-fresh');
    const busy = await user('hp-busy');
    const host = await user('hp-host');
    const roomId = await newRoom(host.token);
    expect((await busy.socket.emitWithAck('room.join', { roomId })).ok).toBe(true);
    expect(
      (await call(srv.url, 'POST', '/v1/billing/topups', { basic: [app.appid, app.secret], body: { uid: 'hp-busy', amount: 500, ref: 'hp-1' } }))
        .status,
    ).toBe(200);
    expect((await busy.socket.emitWithAck('presence.set', { state: 'online', skills: ['en>fr'] })).ok).toBe(true);
    expect((await call(srv.url, 'PUT', '/v1/pairing/availability', { token: busy.token, body: { available: true } })).status).toBe(200);

    for (const [uid, client] of [
      ['hp-fresh', fresh.socket],
      ['hp-busy', busy.socket],
    ] as const) {
      const socket = srv.app.io.of('/').sockets.get(client.id!)!;
      const ctx = { appid: app.appid, uid, socket, services: srv.app.services, core: srv.app.core };
      const probed = await srv.app.gateway.snapshot(ctx);
      const full = await srv.app.gateway.snapshot(ctx, false, { probe: false });
      // Each read refreshes an agent's deadline (its socket is open): compare without it.
      const same = (snap: Record<string, unknown>) => ({ ...snap, serverTime: 0, presence: { ...(snap.presence as object), deadline: 0 } });
      expect(same(probed)).toEqual(same(full));
      if (uid === 'hp-busy') {
        expect(probed).toMatchObject({
          rooms: [expect.objectContaining({ roomId })],
          billing: { balance: 500 },
          presence: { state: 'online' },
          pairing: { available: true },
        });
      } else {
        expect(probed).toMatchObject({
          rooms: [],
          billing: { balance: 0, calls: [] },
          presence: { state: 'offline' },
          pairing: { available: false },
        });
      }
    }
  });
});

describe('membership changes of large rooms', () => {
  it('below the size each change goes to the room; from it on members get batches in order and the host every change', async () => {
    const host = await user('hp-bhost');
    const roomId = await newRoom(host.token);
    await host.socket.emitWithAck('room.join', { roomId });
    const first = await user('hp-b0');
    const singles = collect(first.socket, 'room.member');
    const batches = collect(first.socket, 'room.members.changed');
    const toHost = collect(host.socket, 'room.member');
    const hostBatches = collect(host.socket, 'room.members.changed');
    await first.socket.emitWithAck('room.join', { roomId }); // memsize 2: below
    const others = await Promise.all(['hp-b1', 'hp-b2', 'hp-b3', 'hp-b4'].map((id) => user(id)));
    for (const o of others) expect((await o.socket.emitWithAck('room.join', { roomId })).ok).toBe(true); // memsize 3..6: batched
    expect((await others[0]!.socket.emitWithAck('room.leave', { roomId })).data).toEqual({ left: true, memsize: 5 });
    await until(() => batches.flatMap((b) => b.changes).length === 5, 3000, 'the batched changes');

    // Its own join (memsize 2) went to the room singly; from memsize 3 on, batches.
    expect(singles).toEqual([{ roomId, uid: 'hp-b0', action: 'joined', role: 'member', memsize: 2 }]);
    expect(batches.flatMap((b) => b.changes)).toEqual([
      { uid: 'hp-b1', action: 'joined', role: 'member' },
      { uid: 'hp-b2', action: 'joined', role: 'member' },
      { uid: 'hp-b3', action: 'joined', role: 'member' },
      { uid: 'hp-b4', action: 'joined', role: 'member' },
      { uid: 'hp-b1', action: 'left', role: 'member' },
    ]);
    expect(batches.length).toBeLessThan(5); // coalesced
    expect(batches[batches.length - 1]).toMatchObject({ roomId, memsize: 5 });
    // The host: every change singly, in order, and no batch.
    expect(toHost.map((m) => [m.uid, m.action, m.memsize])).toEqual([
      ['hp-b0', 'joined', 2],
      ['hp-b1', 'joined', 3],
      ['hp-b2', 'joined', 4],
      ['hp-b3', 'joined', 5],
      ['hp-b4', 'joined', 6],
      ['hp-b1', 'left', 5],
    ]);
    expect(hostBatches).toEqual([]);
  });
});

describe("moving the user's sockets into a joined room", () => {
  it('stays on this node when it holds all of them, and goes through the adapter when one is elsewhere', async () => {
    const host = await user('hp-mhost');
    const roomId = await newRoom(host.token);
    const token = await loginUser(srv.url, app.appid, 'hp-mover');
    const a = (await connect(srv.url, token)).socket;
    const b = (await connect(srv.url, token)).socket; // same node
    open.push(a, b);
    let from = await streamTip();
    expect((await a.emitWithAck('room.join', { roomId })).ok).toBe(true);
    const joins = (await streamSince(from)).filter((e) => e.type === '4' && e.data.includes(`user:${app.appid}:hp-mover`));
    expect(joins).toEqual([]); // no SOCKETS_JOIN through the adapter
    const heard = nextEvent(b, 'room.message');
    await host.socket.emitWithAck('room.join', { roomId });
    await a.emitWithAck('room.message', { roomId, text: 'to both sockets' });
    expect(await heard).toMatchObject({ roomId, text: 'to both sockets' });
    // Leaving likewise (SOCKETS_LEAVE is type 5): b no longer hears the room.
    from = await streamTip();
    expect(okData(await a.emitWithAck('room.leave', { roomId }))).toMatchObject({ left: true });
    expect((await streamSince(from)).filter((e) => e.type === '5' && e.data.includes(`user:${app.appid}:hp-mover`))).toEqual([]);
    const after = collect(b, 'room.message');
    await host.socket.emitWithAck('room.message', { roomId, text: 'after the leave' });
    await sleep(200);
    expect(after).toEqual([]);

    // A socket of the user on the other node: the next room moves it through the adapter.
    const c = (await connect(other.url, token)).socket;
    open.push(c);
    const room2 = await newRoom(host.token);
    from = await streamTip();
    expect((await a.emitWithAck('room.join', { roomId: room2 })).ok).toBe(true);
    expect((await streamSince(from)).some((e) => e.type === '4' && e.data.includes(`user:${app.appid}:hp-mover`))).toBe(true);
    const farHeard = nextEvent(c, 'room.message');
    await sleep(100); // socketsJoin travels through the adapter
    await a.emitWithAck('room.message', { roomId: room2, text: 'to the far socket' });
    expect(await farHeard).toMatchObject({ roomId: room2, text: 'to the far socket' });
  });
});

describe('dashboard pushes', () => {
  it('skip an app nobody watches, and reach a dashboard from its snapshot on', async () => {
    // Once the start-up question is answered, a node knows which apps are watched.
    await until(
      () => !srv.app.core.dashboardWatch.watched(app.appid) && !other.app.core.dashboardWatch.watched(app.appid),
      5000,
      'the start-up warm-up to end',
    );
    const host = await user('hp-dhost');
    const roomId = await newRoom(host.token);
    let from = await streamTip();
    await host.socket.emitWithAck('room.join', { roomId });
    expect((await streamSince(from)).filter((e) => e.nsp === '/dashboard')).toEqual([]);

    // A dashboard on the other node: both nodes learn it before its snapshot is read.
    const { socket: dash, snapshot } = await connectDashboard(other.url, { appid: app.appid, secret: app.secret });
    open.push(dash);
    expect(snapshot.apps[0]!.rooms.items.some((r: { roomId: string }) => r.roomId === roomId)).toBe(true);
    expect(srv.app.core.dashboardWatch.watched(app.appid)).toBe(true);
    const state = nextEvent(dash, 'room.state');
    const guest = await user('hp-dguest');
    from = await streamTip();
    await guest.socket.emitWithAck('room.join', { roomId });
    expect(await state).toMatchObject({ appid: app.appid, roomId, memsize: 2 });
    expect((await streamSince(from)).some((e) => e.nsp === '/dashboard')).toBe(true);
  });
});

describe("the sweep's app index", () => {
  it('gets the app back at the first join after the app was retired', async () => {
    const own = await createApp(srv.url);
    const token = await issueToken(srv.url, own, 'hp-idx');
    const { socket } = await connect(srv.url, token);
    open.push(socket);
    const roomId = (await call(srv.url, 'POST', '/v1/rooms', { token, body: {} })).body.roomId as string;
    const index = `${srv.config.KEY_PREFIX}:g:rooms:apps`;
    expect((await socket.emitWithAck('room.join', { roomId })).ok).toBe(true);
    expect(await redis.sismember(index, own.appid)).toBe(1);
    await srv.app.services.rooms.sweep(); // a deadline not due yet: the app stays
    expect(await redis.sismember(index, own.appid)).toBe(1);
    expect((await socket.emitWithAck('room.leave', { roomId })).ok).toBe(true);
    await srv.app.services.rooms.sweep(); // no deadline left: retired
    expect(await redis.sismember(index, own.appid)).toBe(0);
    expect((await socket.emitWithAck('room.join', { roomId })).ok).toBe(true);
    expect(await redis.sismember(index, own.appid)).toBe(1);
    // A second member while the app has deadlines: still there (no SADD needed).
    expect(okData(await socket.emitWithAck('room.heartbeat', { roomId }))).toMatchObject({ joined: false });
    expect(await redis.sismember(index, own.appid)).toBe(1);
  });
});

describe('batched heartbeats', () => {
  it('answer each member with its own room, move every deadline, and let a non-member in by the join rules', async () => {
    const host = await user('hp-hbhost');
    const rooms = [await newRoom(host.token), await newRoom(host.token), await newRoom(host.token)];
    const members = await Promise.all(Array.from({ length: 9 }, (_, i) => user(`hp-hb${i}`)));
    for (const [i, m] of members.entries()) expect((await m.socket.emitWithAck('room.join', { roomId: rooms[i % 3] })).ok).toBe(true);
    const due = `${srv.config.KEY_PREFIX}:{${app.appid}}:rooms:due`;
    const before = await redis.zscore(due, `${rooms[0]}|hp-hb0`);
    await sleep(BATCH_MS + 50); // the joins' membership batches are out
    // All at once: they share batches; each answer is its own.
    const acks = await Promise.all(members.map((m, i) => m.socket.emitWithAck('room.heartbeat', { roomId: rooms[i % 3] })));
    acks.forEach((a, i) =>
      expect(a).toEqual({ ok: true, data: { roomId: rooms[i % 3], joined: false, memsize: 3, role: 'member', deadline: expect.any(Number) } }),
    );
    expect(Number(await redis.zscore(due, `${rooms[0]}|hp-hb0`))).toBeGreaterThan(Number(before));
    // Someone who never joined room 2 heartbeats it: the join rules let them in (and tell the room, batched at this size).
    const heard = nextEvent(members[2]!.socket, 'room.members.changed');
    expect((await members[0]!.socket.emitWithAck('room.heartbeat', { roomId: rooms[2] })).data).toMatchObject({ joined: true, memsize: 4 });
    expect(await heard).toEqual({ roomId: rooms[2], changes: [{ uid: 'hp-hb0', action: 'joined', role: 'member' }], memsize: 4 });
    // A room that does not exist: the join rules' error.
    expect(await members[0]!.socket.emitWithAck('room.heartbeat', { roomId: '999999' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_FOUND' },
    });
    // A closed room keeps no members: its members' next beats get the join rules' error too.
    expect((await call(srv.url, 'POST', `/v1/rooms/${rooms[1]}/end`, { token: host.token })).status).toBe(200);
    expect(await members[1]!.socket.emitWithAck('room.heartbeat', { roomId: rooms[1] })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_CLOSED' },
    });
  });
});

describe('what a socket keeps of its upgrade request', () => {
  /** Which of the upgrade listeners gateway.ts takes off a socket has, recognised as the gateway recognises them. */
  const upgradeListeners = (raw: EngineSocket) => {
    const ws = raw.transport!.socket!;
    return {
      onUpgradeError: ws.listeners!('error').some(upgradeListener.isErrorListener),
      closeReEmit: ws._socket!.listeners('close').some(upgradeListener.isCloseReEmit),
    };
  };

  it('holds two headers of it, and none of the upgrade listeners that this Engine.IO installs', async () => {
    // The control: a plain Engine.IO server of the version installed. Were these listeners
    // renamed or gone, the gateway's recognisers would silently keep them: this fails first.
    const http = createServer();
    const engine = attachEngine(http, { transports: ['websocket'] });
    const plain = new Promise<EngineSocket>((resolve) => engine.on('connection', resolve));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const ws = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/engine.io/?EIO=4&transport=websocket`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      expect(upgradeListeners(await plain)).toEqual({ onUpgradeError: true, closeReEmit: true });
    } finally {
      ws.terminate();
      engine.close();
      http.close();
    }

    const { socket } = await connect(srv.url, await loginUser(srv.url, app.appid, 'hp-mem'), { extraHeaders: { origin: 'http://app.example' } });
    open.push(socket);
    const raw = srv.app.io.of('/').sockets.get(socket.id!)!.conn as unknown as EngineSocket;
    expect(upgradeListeners(raw)).toEqual({ onUpgradeError: false, closeReEmit: false });
    expect(raw.request).toEqual({ headers: { origin: 'http://app.example' }, url: expect.any(String), connection: { encrypted: false } });
  });
});

/**
 * V8's own answer about a value, by one of its runtime functions (`%HasFastProperties`,
 * `%IsInternalizedString`): the natives syntax, switched on for functions compiled from here on.
 */
function askV8<T>(runtimeFunction: string): (value: T) => boolean {
  setFlagsFromString('--allow-natives-syntax');
  return new Function('v', `return %${runtimeFunction}(v)`) as (value: T) => boolean;
}

describe('what a socket keeps of its listener tables', () => {
  // Whether an object is a hash table (dictionary) or an ordinary object.
  const isOrdinary = askV8<object>('HasFastProperties');
  type Emitter = { _events: object };
  type ServerSide = Emitter & { conn: Emitter & { transport: Emitter & { name: string; socket: Emitter } } };
  const tables = (s: ServerSide) =>
    [s, s.conn, s.conn.transport, s.conn.transport.socket].map((e) => (isOrdinary(e._events) ? 'ordinary' : 'dictionary'));
  const serverSide = (id: string) => srv.app.io.of('/').sockets.get(id) as unknown as ServerSide;

  it('are dictionaries in a plain Socket.IO server, and ordinary objects under the gateway, from the first packet on', async () => {
    // The control: Node makes every listener table a dictionary, so the check below can fail.
    const http = createServer();
    const plain = new SocketIoServer(http, { transports: ['websocket'] });
    const connected = new Promise<ServerSide>((resolve) => plain.on('connection', (s) => resolve(s as unknown as ServerSide)));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    const client = ioc(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    try {
      expect(tables(await connected)).toEqual(['dictionary', 'dictionary', 'dictionary', 'dictionary']);
    } finally {
      client.close();
      await plain.close();
    }

    const { socket } = await user('hp-pack-ws');
    expect(tables(serverSide(socket.id!))).toEqual(['ordinary', 'ordinary', 'ordinary', 'ordinary']);
    // Packed, the socket works as before: an event is answered and the tables stay packed.
    expect(await socket.emitWithAck('presence.get', {})).toMatchObject({ ok: true });
    expect(tables(serverSide(socket.id!))).toEqual(['ordinary', 'ordinary', 'ordinary', 'ordinary']);
  });

  it("hold the gateway's own listeners, one function for every socket rather than a closure each", async () => {
    const [{ socket: a }, { socket: b }] = await Promise.all([user('hp-shared-a'), user('hp-shared-b')]);
    const [sa, sb] = [a, b].map((s) => srv.app.io.of('/').sockets.get(s.id!)!);
    expect(sa!.listenersAny()).toHaveLength(1);
    expect(sa!.listenersAny()[0]).toBe(sb!.listenersAny()[0]);
    const shared = sa!.listeners('disconnect').filter((fn) => sb!.listeners('disconnect').includes(fn));
    expect(shared.length).toBeGreaterThan(0);
    // Each still reaches its own socket's context: each is answered as itself.
    const [pa, pb] = await Promise.all([a.emitWithAck('presence.get', {}), b.emitWithAck('presence.get', {})]);
    expect([pa, pb]).toMatchObject([
      { ok: true, data: { uid: 'hp-shared-a' } },
      { ok: true, data: { uid: 'hp-shared-b' } },
    ]);
  });

  it('are packed again after an upgrade from long-polling, and the upgraded socket works', async () => {
    const token = await loginUser(srv.url, app.appid, 'hp-pack-poll');
    const { socket } = await connect(srv.url, token, { transports: ['polling', 'websocket'] });
    open.push(socket);
    await until(() => serverSide(socket.id!).conn.transport.name === 'websocket', 5000, 'the upgrade to WebSocket');
    await until(() => tables(serverSide(socket.id!)).every((t) => t === 'ordinary'), 5000, 'the tables packed after the upgrade');
    expect(await socket.emitWithAck('presence.get', {})).toMatchObject({ ok: true });
  });
});

describe('what a socket keeps of its maps and rooms', () => {
  type ServerSide = { id: string; acks: unknown; client: { sockets: unknown; nsps: unknown } };
  const serverSide = (id: string) => srv.app.io.of('/').sockets.get(id) as unknown as ServerSide;
  const rooms = () => srv.app.io.of('/').adapter.rooms as Map<string, unknown>;
  const notify = (uid: string, seq: number) =>
    call(srv.url, 'POST', '/v1/notify', { basic: [app.appid, app.secret], body: { to: { user: uid }, event: 'hp.note', data: { seq } } });

  it('hold one entry inline, not in a Map or a Set, and the socket works: acks both ways, events to its user', async () => {
    const { socket } = await user('hp-small-one');
    const s = serverSide(socket.id!);
    expect([s.acks, s.client.sockets, s.client.nsps].map((m) => m instanceof SmallMap)).toEqual([true, true, true]);
    const userRoom = socketRooms.user(app.appid, 'hp-small-one');
    expect([rooms().get(s.id), rooms().get(userRoom)].map((r) => r instanceof SmallSet)).toEqual([true, true]);
    // The user's room is kept under one flat string from V8's string table, not the
    // concatenation it was built as (which the check tells apart: the name built here is one).
    const isInternalized = askV8<string>('IsInternalizedString');
    expect(isInternalized(userRoom)).toBe(false);
    expect(isInternalized([...rooms().keys()].find((k) => k === userRoom)!)).toBe(true);
    // The acks map in use: a server-sent event awaiting the client's ack, then a client event acked.
    socket.on('hp.ask', (n: number, ack: (r: number) => void) => ack(n + 1));
    const live = srv.app.io.of('/').sockets.get(s.id)!;
    expect(await live.timeout(5000).emitWithAck('hp.ask', 41)).toBe(42);
    expect(await socket.emitWithAck('presence.get', {})).toMatchObject({ ok: true });
    const got = nextEvent<{ seq: number }>(socket, 'hp.note');
    expect((await notify('hp-small-one', 1)).status).toBeLessThan(300);
    expect(await got).toEqual({ seq: 1 });
  });

  it("grow past one (a user's second socket, a second namespace on one connection) and shrink back, rooms removed when empty", async () => {
    const { token: twoToken, socket: a } = await user('hp-small-two');
    const { socket: b } = await connect(srv.url, twoToken);
    open.push(b);
    const userRoom = socketRooms.user(app.appid, 'hp-small-two');
    expect(rooms().get(userRoom)).toBeInstanceOf(SmallSet);
    expect((rooms().get(userRoom) as SmallSet<string>).size).toBe(2);
    const both = [nextEvent<{ seq: number }>(a, 'hp.note'), nextEvent<{ seq: number }>(b, 'hp.note')];
    await notify('hp-small-two', 1);
    expect(await Promise.all(both)).toEqual([{ seq: 1 }, { seq: 1 }]);
    const bId = b.id!;
    b.close();
    await until(() => !rooms().has(bId), 5000, 'the closed socket out of the adapter');
    expect((rooms().get(userRoom) as SmallSet<string>).size).toBe(1);
    const one = nextEvent<{ seq: number }>(a, 'hp.note');
    await notify('hp-small-two', 2);
    expect(await one).toEqual({ seq: 2 });
    a.close();
    await until(() => !rooms().has(userRoom), 5000, "the user's room removed once empty");

    // A dashboard on the same connection as a user's socket: the client's maps hold two.
    const token = await loginUser(srv.url, app.appid, 'hp-small-mux');
    const manager = new Manager(srv.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const main = manager.socket('/', { auth: { token } });
    const dash = manager.socket('/dashboard', { auth: { appid: app.appid, secret: app.secret } });
    try {
      await Promise.all([nextEvent(main, 'session.snapshot'), nextEvent(dash, 'dashboard.snapshot')]);
      const client = serverSide(main.id!).client as { sockets: SmallMap<string, unknown>; nsps: SmallMap<string, unknown> };
      expect([client.sockets.size, client.nsps.size]).toEqual([2, 2]);
      expect([...client.nsps.keys()].sort()).toEqual(['/', '/dashboard']);
      dash.disconnect();
      await until(() => client.nsps.size === 1, 5000, 'the dashboard namespace left');
      expect(await main.emitWithAck('presence.get', {})).toMatchObject({ ok: true });
    } finally {
      main.close();
      dash.close();
    }
  });
});
