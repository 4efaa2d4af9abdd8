import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { hostTimeoutJobId } from '../../src/modules/rooms/service.js';
import {
  call,
  connect,
  connectDashboard,
  createApp,
  loginUser,
  nextEvent,
  nextEventWhere,
  sleep,
  startServer,
  collect,
  until,
  useStack,
} from '../helpers.js';

// Small timeouts: a member silent for 1 s is swept (the sweep runs every second), a host gets 1.5 s of grace.
const TIMEOUT = 1000;
const GRACE = 1500;

const stack = useStack({ ROOM_MEMBER_TIMEOUT_MS: TIMEOUT, ROOM_HOST_GRACE_MS: GRACE });

async function user(id: string): Promise<{ token: string; socket: Socket }> {
  const token = await loginUser(stack.url, stack.app.appid, id);
  const { socket } = await connect(stack.url, token);
  stack.track(socket);
  return { token, socket };
}

async function newRoom(token: string): Promise<string> {
  const r = await call(stack.url, 'POST', '/v1/rooms', { token, body: {} });
  expect(r.status).toBe(201);
  return r.body.roomId;
}

describe('membership', () => {
  it('join and leave over sockets keep memsize live and tell the room', async () => {
    const host = await user('r-host');
    const alice = await user('r-alice');
    const bob = await user('r-bob');
    const roomId = await newRoom(host.token);
    expect(roomId).toMatch(/^[1-9]\d*$/);

    const a = await alice.socket.emitWithAck('room.join', { roomId });
    expect(a).toEqual({ ok: true, data: { roomId, joined: true, role: 'member', memsize: 1, deadline: expect.any(Number) } });
    // Alice's own 'joined' may reach her after her ack (it travels through the adapter): wait for Bob's.
    const seen = nextEventWhere(alice.socket, 'room.member', (e) => e.uid === 'r-bob');
    const b = await bob.socket.emitWithAck('room.join', { roomId });
    expect(b.data.memsize).toBe(2);
    expect(await seen).toEqual({ roomId, uid: 'r-bob', action: 'joined', role: 'member', memsize: 2 });

    // Joining again is idempotent.
    expect((await bob.socket.emitWithAck('room.join', { roomId })).data).toMatchObject({ joined: false, memsize: 2 });

    const members = await call(stack.url, 'GET', `/v1/rooms/${roomId}/members`, { token: host.token });
    expect(members.body).toEqual({
      total: 2,
      members: [
        { uid: 'r-alice', role: 'member', joinedAt: expect.any(Number) },
        { uid: 'r-bob', role: 'member', joinedAt: expect.any(Number) },
      ],
    });

    const left = nextEvent(alice.socket, 'room.member');
    expect((await bob.socket.emitWithAck('room.leave', { roomId })).data).toEqual({ left: true, memsize: 1 });
    expect(await left).toEqual({ roomId, uid: 'r-bob', action: 'left', role: 'member', memsize: 1 });
    expect((await call(stack.url, 'GET', `/v1/rooms/${roomId}`, { token: host.token })).body).toMatchObject({
      roomId,
      kind: 'room',
      host: 'r-host',
      state: 'open',
      groupid: roomId,
      memsize: 1,
    });

    // The host joining has role host; REST join moves the user's sockets too.
    const hostSeen = nextEvent(alice.socket, 'room.member');
    const hj = await call(stack.url, 'POST', `/v1/rooms/${roomId}/join`, { token: host.token });
    expect(hj.body).toMatchObject({ joined: true, role: 'host', memsize: 2 });
    expect(await hostSeen).toMatchObject({ uid: 'r-host', role: 'host' });
    await sleep(100); // socketsJoin travels through the adapter
    const msg = nextEvent(host.socket, 'room.message');
    await alice.socket.emitWithAck('room.message', { roomId, text: 'hello host' });
    expect(await msg).toMatchObject({ roomId, from: 'r-alice', text: 'hello host' });
  });

  it('validates payloads naming the field, and refuses unknown rooms', async () => {
    const c = await user('r-val');
    const bad = await c.socket.emitWithAck('room.join', { roomId: 'abc' });
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^invalid room.join payload: roomId/) });
    expect((await c.socket.emitWithAck('room.join', { roomId: '999999' })).error.code).toBe('ROOM_NOT_FOUND');
    expect((await call(stack.url, 'POST', '/v1/rooms', { token: c.token, body: { kind: 'classroom' } })).body.error.code).toBe('FORBIDDEN');
  });
});

describe('heartbeats', () => {
  it('the sweep removes a silent member, tells the room and the dashboards; heartbeating members stay', async () => {
    const host = await user('hb-host');
    const alice = await user('hb-alice');
    const silent = await user('hb-silent');
    const roomId = await newRoom(host.token);
    const { socket: dash } = await connectDashboard(stack.url, { appid: stack.app.appid, secret: stack.app.secret });
    stack.track(dash);
    const dashStates = collect(dash, 'room.state');

    await alice.socket.emitWithAck('room.join', { roomId });
    await silent.socket.emitWithAck('room.join', { roomId });
    const events = collect(alice.socket, 'room.member');
    const beat = setInterval(() => void alice.socket.emitWithAck('room.heartbeat', { roomId }).catch(() => undefined), 250);
    try {
      const started = Date.now();
      await until(() => events.some((e) => e.action === 'timed-out'), 5000, 'timed-out');
      const lateness = Date.now() - started;
      expect(lateness).toBeGreaterThanOrEqual(TIMEOUT - 100);
      expect(events.filter((e) => e.action === 'timed-out')).toEqual([{ roomId, uid: 'hb-silent', action: 'timed-out', role: 'member', memsize: 1 }]);
      // Alice kept heartbeating: still there after another full timeout.
      await sleep(TIMEOUT + 500);
      expect(events.filter((e) => e.action === 'timed-out')).toHaveLength(1);
      const members = await call(stack.url, 'GET', `/v1/rooms/${roomId}/members`, { token: host.token });
      expect(members.body.members.map((m: { uid: string }) => m.uid)).toEqual(['hb-alice']);
      expect(dashStates).toContainEqual({ appid: stack.app.appid, roomId, kind: 'room', state: 'open', host: 'hb-host', memsize: 1 });
    } finally {
      clearInterval(beat);
    }

    // The swept member's socket left the socket room: no more room events for it.
    let leaked = false;
    silent.socket.on('room.message', () => (leaked = true));
    await alice.socket.emitWithAck('room.heartbeat', { roomId });
    await alice.socket.emitWithAck('room.message', { roomId, text: 'after' });
    await sleep(150);
    expect(leaked).toBe(false);

    // A heartbeat after the timeout lets the member back in (the room is open).
    const back = await silent.socket.emitWithAck('room.heartbeat', { roomId });
    expect(back.data).toMatchObject({ joined: true, memsize: expect.any(Number) });
  });

  it('never puts a job per heartbeat on a queue', async () => {
    const h = await user('hb-count');
    const roomId = await newRoom(h.token);
    await h.socket.emitWithAck('room.join', { roomId });
    const q = stack.srv.app.core.queues.get('rooms');
    // Every job on the queue but the scheduler's sweeps (those come every ROOM_SWEEP_INTERVAL_MS
    // whatever the heartbeats do: a count of delayed jobs caught one between two sweeps once).
    const jobIds = async () =>
      new Set((await q.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).filter((j) => !j.repeatJobKey).map((j) => j.id));
    const before = await jobIds();
    for (let i = 0; i < 20; i++) await h.socket.emitWithAck('room.heartbeat', { roomId });
    const added = [...(await jobIds())].filter((id) => !before.has(id));
    expect(added).toEqual([]);
    await h.socket.emitWithAck('room.leave', { roomId });
  });

  it('two sweeps racing never announce the same member twice', async () => {
    // Its own server (own key prefix), so no other test's members are due too.
    const own = await startServer({ ROOM_MEMBER_TIMEOUT_MS: TIMEOUT });
    try {
      const other = await createApp(own.url);
      const rooms = own.app.services.rooms;
      const room = await rooms.create(other.appid, { kind: 'room', host: 'race-host' });
      for (let i = 0; i < 30; i++) await rooms.join(other.appid, room.roomId, `race-${i}`);
      const later = Date.now() + TIMEOUT + 10_000;
      const results = await Promise.all([rooms.sweep(later), rooms.sweep(later), rooms.sweep(later)]);
      expect(results.reduce((a, b) => a + b.count, 0)).toBe(30);
      expect((await rooms.get(other.appid, room.roomId)).memsize).toBe(0);
    } finally {
      await own.close();
    }
  });
});

describe('host timeout', () => {
  it('ends the room after the grace when the host stays away', async () => {
    const host = await user('ht-host');
    const alice = await user('ht-alice');
    const roomId = await newRoom(host.token);
    await host.socket.emitWithAck('room.join', { roomId });
    await alice.socket.emitWithAck('room.join', { roomId });
    const states = collect(alice.socket, 'room.state');
    const members = collect(alice.socket, 'room.member');
    const beat = setInterval(() => void alice.socket.emitWithAck('room.heartbeat', { roomId }).catch(() => undefined), 250);
    try {
      await until(() => members.some((m) => m.uid === 'ht-host' && m.action === 'timed-out'), 5000, 'host timed out');
      const gone = Date.now();
      expect((await stack.srv.app.services.rooms.get(stack.app.appid, roomId)).state).toBe('open'); // grace running
      await until(() => states.some((s) => s.state === 'closed'), GRACE + 3000, 'room closed');
      expect(Date.now() - gone).toBeGreaterThanOrEqual(GRACE - 300);
      expect(states.find((s) => s.state === 'closed')).toEqual({ roomId, kind: 'room', state: 'closed', host: 'ht-host', memsize: 0 });
    } finally {
      clearInterval(beat);
    }
    const room = (await call(stack.url, 'GET', `/v1/rooms/${roomId}`, { token: host.token })).body;
    expect(room).toMatchObject({ state: 'closed', memsize: 0, closedAt: expect.any(Number) });
    expect((await alice.socket.emitWithAck('room.join', { roomId })).error.code).toBe('ROOM_CLOSED');
    expect((await alice.socket.emitWithAck('room.message', { roomId, text: 'x' })).error.code).toBe('ROOM_CLOSED');
  });

  it('a host back within the grace keeps the room open and the delayed job is removed', async () => {
    const host = await user('hb2-host');
    const alice = await user('hb2-alice');
    const roomId = await newRoom(host.token);
    await host.socket.emitWithAck('room.join', { roomId });
    await alice.socket.emitWithAck('room.join', { roomId });
    const members = collect(alice.socket, 'room.member');
    const beat = setInterval(() => void alice.socket.emitWithAck('room.heartbeat', { roomId }).catch(() => undefined), 250);
    try {
      await until(() => members.some((m) => m.uid === 'hb2-host' && m.action === 'timed-out'), 5000, 'host timed out');
      const q = stack.srv.app.core.queues.get('rooms');
      const delayed = await q.getDelayed();
      const job = delayed.find((j) => j.data.roomId === roomId);
      expect(job?.id).toBe(hostTimeoutJobId(stack.app.appid, roomId, job!.data.since));
      const back = await host.socket.emitWithAck('room.heartbeat', { roomId });
      expect(back.data).toMatchObject({ joined: true, role: 'host' });
      expect(await q.getJob(job!.id!)).toBeUndefined();
      // Even a job that escaped removal is ignored: the host is back.
      expect(await stack.srv.app.services.rooms.hostTimeout(job!.data)).toEqual({ ended: false });
      const hostBeat = setInterval(() => void host.socket.emitWithAck('room.heartbeat', { roomId }).catch(() => undefined), 250);
      await sleep(GRACE + 1000);
      clearInterval(hostBeat);
      expect((await stack.srv.app.services.rooms.get(stack.app.appid, roomId)).state).toBe('open');
    } finally {
      clearInterval(beat);
    }
  });
});

describe('host timeout after a worker crash', () => {
  it('a host timeout whose job was never enqueued is re-enqueued by the next sweep', async () => {
    const host = await user('hc-host');
    const alice = await user('hc-alice');
    const roomId = await newRoom(host.token);
    await host.socket.emitWithAck('room.join', { roomId });
    await alice.socket.emitWithAck('room.join', { roomId });
    const members = collect(alice.socket, 'room.member');
    const states = collect(alice.socket, 'room.state');
    const beat = setInterval(() => void alice.socket.emitWithAck('room.heartbeat', { roomId }).catch(() => undefined), 250);
    try {
      await until(() => members.some((m) => m.uid === 'hc-host' && m.action === 'timed-out'), 5000, 'host timed out');
      // Simulate the worker dying right after the sweep script: the delayed job is gone.
      const q = stack.srv.app.core.queues.get('rooms');
      const job = (await q.getDelayed()).find((j) => j.data.roomId === roomId);
      expect(job).toBeDefined();
      await job!.remove();
      await until(() => states.some((s) => s.state === 'closed'), GRACE + 8000, 'room closed by the re-enqueued job');
      expect(await stack.srv.app.core.redis.zcard(stack.srv.app.core.keys.scoped(stack.app.appid, 'rooms', 'hostgone'))).toBe(0);
    } finally {
      clearInterval(beat);
    }
  });
});

describe('chat', () => {
  it('numbers messages per room, stores them and serves a range between two sequence numbers', async () => {
    const host = await user('c-host');
    const alice = await user('c-alice');
    const outsider = await user('c-out');
    const roomId = await newRoom(host.token);
    const other = await newRoom(host.token);
    await host.socket.emitWithAck('room.join', { roomId });
    await alice.socket.emitWithAck('room.join', { roomId });
    await alice.socket.emitWithAck('room.join', { roomId: other });

    const received = collect(alice.socket, 'room.message');
    const seqs: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const r = await host.socket.emitWithAck('room.message', { roomId, text: `m${i}`, ...(i === 3 ? { data: { slide: 3 } } : {}) });
      expect(r.ok).toBe(true);
      seqs.push(r.data.seq);
    }
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    // Another room has its own sequence.
    expect((await alice.socket.emitWithAck('room.message', { roomId: other, text: 'x' })).data.seq).toBe(1);
    await until(() => received.length >= 5, 2000, 'messages');
    expect(received[2]).toEqual({ roomId, seq: 3, from: 'c-host', text: 'm3', data: { slide: 3 }, ts: expect.any(Number) });

    const range = await alice.socket.emitWithAck('room.messages', { roomId, after: 1, to: 4 });
    expect(range.data.messages.map((m: { seq: number }) => m.seq)).toEqual([2, 3, 4]);
    expect(range.data.next).toBeUndefined();
    const page = await call(stack.url, 'GET', `/v1/rooms/${roomId}/messages?after=0&limit=2`, { token: outsider.token });
    expect(page.body.messages.map((m: { text?: string }) => m.text)).toEqual(['m1', 'm2']);
    expect(page.body.next).toBe(2);
    const rest = await call(stack.url, 'GET', `/v1/rooms/${roomId}/messages?after=${page.body.next}&limit=10`, { token: outsider.token });
    expect(rest.body.messages.map((m: { seq: number }) => m.seq)).toEqual([3, 4, 5]);

    expect((await outsider.socket.emitWithAck('room.message', { roomId, text: 'let me in' })).error.code).toBe('NOT_IN_ROOM');
    expect((await host.socket.emitWithAck('room.message', { roomId })).error.code).toBe('VALIDATION_FAILED');
    expect((await call(stack.url, 'GET', `/v1/rooms/${roomId}`, { token: host.token })).body.imseq).toBe(5);
  });

  it('a reconnecting member gets its rooms in session.snapshot and follows them again', async () => {
    const token = await loginUser(stack.url, stack.app.appid, 's-user');
    const host = await user('s-host');
    const roomId = await newRoom(host.token);
    await host.socket.emitWithAck('room.join', { roomId });
    const first = await connect(stack.url, token);
    await first.socket.emitWithAck('room.join', { roomId });
    first.socket.close();
    const again = await connect(stack.url, token);
    stack.track(again.socket);
    expect(again.snapshot.rooms).toEqual([{ roomId, kind: 'room', host: 's-host', state: 'open', role: 'member', memsize: 2, imseq: 0 }]);
    const msg = nextEvent(again.socket, 'room.message');
    await host.socket.emitWithAck('room.message', { roomId, text: 'welcome back' });
    expect((await msg).text).toBe('welcome back');
  });
});
