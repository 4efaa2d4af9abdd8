// The /dashboard namespace: handshake auth (app secret, admin token), the snapshot built
// from real state created over HTTP, live events, the periodic dashboard.queues push, and
// tenancy (app A's dashboard never sees app B). Real Redis, real sockets, real workers.
import { io as ioc, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplesKey, type Sample } from '../../src/modules/dashboard/sampler.js';
import {
  ChartHistory,
  ChartPoint,
  DashboardQueues,
  DashboardSnapshot,
  type ChartHistoryT,
  type ChartPointT,
  type DashboardQueuesT,
  type DashboardSnapshotT,
} from '../../src/modules/dashboard/schemas.js';
import { check, describeErrors } from '../../src/infra/validation.js';
import type { WorkerNode } from '../../workers/runtime.js';
import {
  ADMIN_TOKEN,
  call,
  collect,
  connect,
  connectDashboard,
  createApp,
  fakeHttp,
  issueToken,
  loginUser,
  nextEvent,
  nextEventWhere,
  startServer,
  startTestWorkers,
  testConfig,
  until,
  type Fake,
  type TestServer,
  useStack,
} from '../helpers.js';

const stack = useStack(
  {
    DASHBOARD_QUEUES_INTERVAL_MS: 200,
    CORS_ORIGINS: 'http://ops.example',
    DISPATCH_MAX_WAIT_MS: 600000,
    PAIR_ROUND_MS: 60000,
  },
  { app: false },
);
let A: { appid: string; secret: string };
let B: { appid: string; secret: string };

beforeAll(async () => {
  A = await createApp(stack.url);
  B = await createApp(stack.url);
});

/** connectDashboard on this server; the sockets it opens are closed after the file. */
async function dashboard(
  auth: Record<string, unknown> | undefined,
  opts: Record<string, unknown> = {},
): Promise<{ socket: Socket; snapshot: DashboardSnapshotT }> {
  const d = await connectDashboard(stack.url, auth, opts);
  stack.track(d.socket);
  return d;
}
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: { data?: { code: string; message: string } }) => err.data,
  );

const appOf = (snap: DashboardSnapshotT, appid: string) => snap.apps.find((a) => a.appid === appid)!;

function expectValid(schema: Parameters<typeof check>[0], value: unknown) {
  expect(describeErrors(schema, value)).toEqual([]);
  expect(check(schema, value)).toBe(true);
}

describe('handshake', () => {
  it('refuses a missing, wrong or malformed credential and a foreign origin, each with its code', async () => {
    expect(await refusal(dashboard(undefined))).toMatchObject({ code: 'AUTH_REQUIRED', message: expect.stringContaining('appid, secret') });
    expect(await refusal(dashboard({ appid: A.appid, secret: 'not-the-secret' }))).toMatchObject({ code: 'APP_AUTH_FAILED' });
    expect(await refusal(dashboard({ appid: A.appid, secret: B.secret }))).toMatchObject({ code: 'APP_AUTH_FAILED' });
    expect(await refusal(dashboard({ adminToken: 'wrong-admin-token-0000' }))).toMatchObject({ code: 'ADMIN_AUTH_FAILED' });
    expect(await refusal(dashboard({ appid: 'NO SUCH', secret: 'x' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('dashboard auth'),
    });
    expect(await refusal(dashboard({ adminToken: ADMIN_TOKEN, appid: 'nosuchapp' }))).toMatchObject({ code: 'APP_NOT_FOUND' });
    expect(await refusal(dashboard({ appid: A.appid, secret: A.secret }, { extraHeaders: { origin: 'http://evil.example' } }))).toMatchObject({
      code: 'ORIGIN_NOT_ALLOWED',
    });
  });

  it('a user token opens no dashboard', async () => {
    const token = await loginUser(stack.url, A.appid, 'hs-user');
    expect(await refusal(dashboard({ token }))).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('accepts the app secret (its own app) and the admin token (every app, or the one it picks)', async () => {
    const app = await dashboard({ appid: A.appid, secret: A.secret }, { extraHeaders: { origin: 'http://ops.example' } });
    expect(app.snapshot).toMatchObject({ admin: false, apps: [{ appid: A.appid }] });
    expectValid(DashboardSnapshot, app.snapshot);

    const admin = await dashboard({ adminToken: ADMIN_TOKEN });
    expect(admin.snapshot.admin).toBe(true);
    expect(admin.snapshot.apps.map((a) => a.appid)).toEqual(expect.arrayContaining([A.appid, B.appid]));
    expectValid(DashboardSnapshot, admin.snapshot);

    const picked = await dashboard({ adminToken: ADMIN_TOKEN, appid: B.appid });
    expect(picked.snapshot.apps.map((a) => a.appid)).toEqual([B.appid]);
  });

  it('closes an app dashboard at the next push once its secret no longer opens the app; the new secret opens one', async () => {
    const app = await createApp(stack.url);
    const { socket } = await dashboard({ appid: app.appid, secret: app.secret });
    const before = await nextEvent(socket, 'dashboard.queues', 5000); // still valid: pushes go on
    expect(before.apps[0]?.appid).toBe(app.appid);
    const revoked = nextEvent(socket, 'dashboard.revoked', 5000);
    const gone = nextEvent(socket, 'disconnect', 5000);
    const rotated = await call(stack.url, 'POST', `/v1/apps/${app.appid}/secret`, { token: ADMIN_TOKEN, body: {} });
    expect(rotated.status).toBe(200);
    expect(await revoked).toMatchObject({ code: 'APP_AUTH_FAILED' });
    expect(await gone).toBe('io server disconnect');
    const fresh = await dashboard({ appid: app.appid, secret: rotated.body.secret });
    expect(fresh.snapshot.apps[0]?.appid).toBe(app.appid);
  });

  it('answers dashboard.snapshot through its ack; any other event is refused', async () => {
    const { socket } = await dashboard({ appid: A.appid, secret: A.secret });
    const again = await socket.emitWithAck('dashboard.snapshot', {});
    expect(again.ok).toBe(true);
    expect((again.data as DashboardSnapshotT).apps.map((a) => a.appid)).toEqual([A.appid]);
    expect(await socket.emitWithAck('dashboard.snapshot', { appid: B.appid })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('appid') },
    });
    expect(await socket.emitWithAck('room.join', { roomId: '1' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
  });
});

describe('snapshot', () => {
  it('holds every section, built from state created through the API', async () => {
    const basic: [string, string] = [A.appid, A.secret];
    // Rooms: a live course with a student in it, and a generic room with a member.
    const teacher = await loginUser(stack.url, A.appid, 'sn-teacher', { role: 'teacher' });
    const student = await loginUser(stack.url, A.appid, 'sn-student', { role: 'student' });
    const course = (await call(stack.url, 'POST', '/v1/courses', { token: teacher, body: { title: 'algebra' } })).body;
    expect((await call(stack.url, 'POST', `/v1/courses/${course.roomnum}/start`, { token: teacher })).status).toBe(200);
    expect((await call(stack.url, 'POST', `/v1/courses/${course.roomnum}/enter`, { token: student })).status).toBe(200);
    const host = await loginUser(stack.url, A.appid, 'sn-host');
    const generic = (await call(stack.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId;
    await call(stack.url, 'POST', `/v1/rooms/${generic}/join`, { token: host });
    const closed = (await call(stack.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId;
    expect((await call(stack.url, 'POST', `/v1/rooms/${closed}/end`, { token: host })).status).toBe(200);

    // Agents: two online with CN>EN, one of them configured with a second skill; a request
    // for a skill nobody has waits in the dispatch queue.
    const ag1 = await loginUser(stack.url, A.appid, 'sn-agent1');
    const ag2 = await loginUser(stack.url, A.appid, 'sn-agent2');
    expect((await call(stack.url, 'PUT', '/v1/presence', { token: ag1, body: { state: 'online', skills: ['CN>EN'] } })).status).toBe(200);
    expect(
      (await call(stack.url, 'PUT', '/v1/presence', { token: ag2, body: { state: 'online', skills: ['CN>EN', 'FR>DE'], capacity: 2 } })).status,
    ).toBe(200);
    const caller = await loginUser(stack.url, A.appid, 'sn-caller');
    const waiting = (await call(stack.url, 'POST', '/v1/dispatch/requests', { token: caller, body: { skill: 'JA>KO' } })).body;
    expect(waiting.state).toBe('waiting');

    // A pairing ask in flight (nobody available: it stays matching for PAIR_ROUND_MS).
    const asker = await loginUser(stack.url, A.appid, 'sn-asker');
    const ask = (await call(stack.url, 'POST', '/v1/pairing/asks', { token: asker, body: { scene: 1 } })).body;
    expect(ask.state).toBe('matching');

    // A metered call with its running charge (unit 1 is debited at once).
    await loginUser(stack.url, A.appid, 'sn-payer');
    await loginUser(stack.url, A.appid, 'sn-payee');
    await call(stack.url, 'PUT', '/v1/billing/prices/default', { basic, body: { unitPrice: 250, unitSeconds: 60 } });
    await call(stack.url, 'POST', '/v1/billing/topups', { basic, body: { uid: 'sn-payer', amount: 10_000, ref: 'sn-1' } });
    expect(
      (await call(stack.url, 'POST', '/v1/billing/calls', { basic, body: { callId: 'sn-call', payer: 'sn-payer', payee: 'sn-payee' } })).body,
    ).toMatchObject({ state: 'active' });

    // Failed jobs: a bad notify job of each app (the worker fails it at once, no retry).
    // The api's own BullMQ queue (on one Redis or the Cluster), bypassing the producer's validation.
    const q = stack.srv.app.core.queues.get('notify');
    await q.add('notify', { appid: A.appid, to: { user: 'x' }, event: 'NOT A NAME' }, { jobId: 'bad-a' });
    await q.add('notify', { appid: B.appid, to: { user: 'x' }, event: 'NOT A NAME' }, { jobId: 'bad-b' });
    await until(async () => (await q.getFailedCount()) >= 2, 5000, 'the bad jobs to fail');

    const { snapshot } = await dashboard({ appid: A.appid, secret: A.secret });
    expectValid(DashboardSnapshot, snapshot);
    const a = appOf(snapshot, A.appid);

    const ids = a.rooms.items.map((r) => r.roomId);
    expect(ids).toEqual(expect.arrayContaining([String(course.roomnum), generic]));
    expect(ids).not.toContain(closed);
    expect(a.rooms.total).toBe(ids.length);
    const courseRoom = a.rooms.items.find((r) => r.roomId === String(course.roomnum));
    expect(courseRoom).toMatchObject({
      kind: 'classroom',
      state: 'open',
      label: 'live',
      host: 'sn-teacher',
      memsize: 1,
      members: [{ uid: 'sn-student', role: expect.any(String) }],
    });
    expect(a.rooms.items.find((r) => r.roomId === generic)).toMatchObject({
      kind: 'room',
      memsize: 1,
      members: [{ uid: 'sn-host', role: 'host' }],
    });

    expect(a.agents.total).toBe(2);
    expect(a.agents.items.map((x) => x.uid).sort()).toEqual(['sn-agent1', 'sn-agent2']);
    expect(a.agents.skills).toEqual([
      { skill: 'CN>EN', online: 2, offered: 0, busy: 0, waiting: 0 },
      { skill: 'FR>DE', online: 1, offered: 0, busy: 0, waiting: 0 },
      { skill: 'JA>KO', online: 0, offered: 0, busy: 0, waiting: 1 },
    ]);
    expect(a.dispatch).toMatchObject({
      total: 1,
      queues: [{ skill: 'JA>KO', total: 1, requests: [{ requestId: waiting.requestId, caller: 'sn-caller', state: 'waiting', position: 1 }] }],
    });

    expect(a.pairing).toMatchObject({ total: 1, items: [{ askNo: ask.askNo, askUid: 'sn-asker', state: 'matching' }] });
    expect(a.calls).toMatchObject({
      total: 1,
      items: [{ callId: 'sn-call', payer: 'sn-payer', payee: 'sn-payee', state: 'active', units: 1, amount: 250, unitPrice: 250 }],
    });

    // Queues: every queue of the catalogue with its counts; the app sees only its own failed job.
    const notify = snapshot.queues.find((x) => x.name === 'notify')!;
    expect(notify.counts.failed).toBeGreaterThanOrEqual(2);
    expect(notify.failed.map((j) => j.id)).toEqual(['bad-a']);
    expect(notify.failed[0]).toMatchObject({ name: 'notify', appid: A.appid, failedReason: expect.stringContaining('event') });
    expect(snapshot.queues.map((x) => x.name)).toEqual(
      expect.arrayContaining(['notify', 'rooms', 'dispatch', 'billing', 'matchmaking', 'presence', 'media']),
    );
    const admin = await dashboard({ adminToken: ADMIN_TOKEN });
    expect(admin.snapshot.queues.find((x) => x.name === 'notify')!.failed.map((j) => j.id)).toEqual(expect.arrayContaining(['bad-a', 'bad-b']));

    // App B's snapshot shows none of it.
    const b = appOf((await dashboard({ appid: B.appid, secret: B.secret })).snapshot, B.appid);
    expect(b).toMatchObject({
      rooms: { total: 0, items: [] },
      agents: { total: 0 },
      dispatch: { total: 0 },
      pairing: { total: 0 },
      calls: { total: 0 },
    });

    // Ended things leave the snapshot.
    await call(stack.url, 'POST', `/v1/courses/${course.roomnum}/exit`, { token: teacher });
    await call(stack.url, 'POST', `/v1/dispatch/requests/${waiting.requestId}/cancel`, { token: caller });
    await call(stack.url, 'POST', `/v1/pairing/asks/${ask.askNo}/cancel`, { token: asker });
    await call(stack.url, 'POST', '/v1/billing/calls/sn-call/end', { basic, body: {} });
    const after = appOf((await dashboard({ appid: A.appid, secret: A.secret })).snapshot, A.appid);
    expect(after.rooms.items.map((r) => r.roomId)).not.toContain(String(course.roomnum));
    expect(after.dispatch.total).toBe(0);
    expect(after.pairing.total).toBe(0);
    expect(after.calls.total).toBe(0);
  });
});

describe('live updates', () => {
  it('room events reach the app dashboard and the admin at once, never another app', async () => {
    const dashA = (await dashboard({ appid: A.appid, secret: A.secret })).socket;
    const dashB = (await dashboard({ appid: B.appid, secret: B.secret })).socket;
    const admin = (await dashboard({ adminToken: ADMIN_TOKEN })).socket;
    const seenByB: Array<[string, unknown]> = [];
    dashB.onAny((name: string, data: unknown) => seenByB.push([name, data]));
    const adminJoins = collect(admin, 'room.member.joined');

    const teacher = await loginUser(stack.url, A.appid, 'lv-teacher', { role: 'teacher' });
    const student = await loginUser(stack.url, A.appid, 'lv-student', { role: 'student' });
    const course = (await call(stack.url, 'POST', '/v1/courses', { token: teacher, body: { title: 'live' } })).body;
    const roomId = String(course.roomnum);
    // By roomId: another test's room left without heartbeats is swept meanwhile, and its room.state reaches dashA too.
    const started = nextEventWhere(dashA, 'room.state', (e) => e.roomId === roomId);
    await call(stack.url, 'POST', `/v1/courses/${roomId}/start`, { token: teacher });
    expect(await started).toMatchObject({ appid: A.appid, roomId, kind: 'classroom', state: 'live', host: 'lv-teacher' });

    const joined = nextEvent(dashA, 'room.member.joined');
    await call(stack.url, 'POST', `/v1/courses/${roomId}/enter`, { token: student });
    expect(await joined).toMatchObject({ appid: A.appid, roomId, uid: 'lv-student', memsize: 1, at: expect.any(Number) });
    await until(() => adminJoins.some((e) => e.roomId === roomId && e.appid === A.appid), 5000, 'the admin to hear the join');

    // App B is busy too, and its own dashboard hears it — a control for what follows.
    const hostB = await loginUser(stack.url, B.appid, 'lv-b-host');
    const roomB = (await call(stack.url, 'POST', '/v1/rooms', { token: hostB, body: {} })).body.roomId;
    await call(stack.url, 'POST', `/v1/rooms/${roomB}/join`, { token: hostB });
    await until(
      () => seenByB.some(([n, d]) => n === 'room.member.joined' && (d as { roomId?: string }).roomId === roomB),
      5000,
      'B to hear its own join',
    );
    await until(() => seenByB.some(([n]) => n === 'dashboard.queues'), 5000, 'a dashboard.queues push to B');

    expect(seenByB.filter(([, d]) => d && typeof d === 'object' && 'appid' in d && d.appid !== B.appid)).toEqual([]);
    for (const [, d] of seenByB.filter(([n]) => n === 'dashboard.queues')) {
      const pushed = d as DashboardQueuesT;
      expect(pushed.apps.map((x) => x.appid)).toEqual([B.appid]);
      for (const qv of pushed.queues) expect(qv.failed.every((j) => j.appid === B.appid)).toBe(true);
    }
  });

  it('an admin watching every app follows an app created after it connected; one that picked an app does not', async () => {
    const all = await dashboard({ adminToken: ADMIN_TOKEN });
    const picked = await dashboard({ adminToken: ADMIN_TOKEN, appid: A.appid });
    const pickedSnapshots = collect(picked.socket, 'dashboard.snapshot');
    const fresh = nextEvent(all.socket, 'dashboard.snapshot');
    const late = await createApp(stack.url);
    expect((await fresh).apps.map((a) => a.appid)).toContain(late.appid);

    const joins = collect(all.socket, 'room.member.joined');
    const pickedJoins = collect(picked.socket, 'room.member.joined');
    const host = await loginUser(stack.url, late.appid, 'late-host');
    const roomId = (await call(stack.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId;
    await call(stack.url, 'POST', `/v1/rooms/${roomId}/join`, { token: host });
    await until(() => joins.some((e) => e.appid === late.appid && e.roomId === roomId), 5000, 'the admin to hear the new app');
    expect(pickedJoins.filter((e) => e.appid === late.appid)).toEqual([]);
    expect(pickedSnapshots).toEqual([]);
  });

  it('dispatch and billing events reach the app dashboard with their appid', async () => {
    const app = await createApp(stack.url);
    const basic: [string, string] = [app.appid, app.secret];
    const { socket } = await dashboard({ appid: app.appid, secret: app.secret });
    const agent = await loginUser(stack.url, app.appid, 'ev-agent');
    await call(stack.url, 'PUT', '/v1/presence', { token: agent, body: { state: 'online', skills: ['PT>EN'] } });
    const caller = await loginUser(stack.url, app.appid, 'ev-caller');
    const taken = nextEvent(socket, 'dispatch.taken');
    const req = (await call(stack.url, 'POST', '/v1/dispatch/requests', { token: caller, body: { skill: 'PT>EN' } })).body;
    await until(
      async () => (await call(stack.url, 'POST', `/v1/dispatch/requests/${req.requestId}/accept`, { token: agent })).status === 200,
      5000,
      'the offer to be accepted',
    );
    expect(await taken).toMatchObject({ appid: app.appid, requestId: req.requestId, agent: 'ev-agent', skill: 'PT>EN' });

    await call(stack.url, 'PUT', '/v1/billing/prices/default', { basic, body: { unitPrice: 100 } });
    await call(stack.url, 'POST', '/v1/billing/topups', { basic, body: { uid: 'ev-caller', amount: 1000, ref: 'ev' } });
    await call(stack.url, 'POST', '/v1/billing/calls', { basic, body: { callId: 'ev-call', payer: 'ev-caller', payee: 'ev-agent' } });
    const ended = nextEvent(socket, 'charge.ended');
    await call(stack.url, 'POST', '/v1/billing/calls/ev-call/end', { basic, body: {} });
    expect(await ended).toMatchObject({ appid: app.appid, callId: 'ev-call', units: 1, amount: 100, at: expect.any(Number) });
  });

  it('dashboard.queues carries queue depths and the sections without events, refreshed while sockets are open', async () => {
    const { socket } = await dashboard({ appid: A.appid, secret: A.secret });
    const first = await nextEvent(socket, 'dashboard.queues', 5000);
    expectValid(DashboardQueues, first);
    expect(first.apps.map((x) => x.appid)).toEqual([A.appid]);
    expect(first.queues.map((x) => x.name)).toContain('notify');

    // An agent goes online (no business event for that): the next push shows it.
    const agent = await loginUser(stack.url, A.appid, 'lq-agent');
    await call(stack.url, 'PUT', '/v1/presence', { token: agent, body: { state: 'online', skills: ['EN>ES'] } });
    const pushes = collect(socket, 'dashboard.queues');
    await until(() => pushes.some((p) => p.apps[0]?.agents.skills.some((s) => s.skill === 'EN>ES' && s.online === 1)), 5000, 'the agent in a push');
  });

  it('a reconnecting dashboard gets a fresh full snapshot', async () => {
    const socket = ioc(`${stack.url}/dashboard`, {
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 50,
      auth: { appid: A.appid, secret: A.secret },
    });
    stack.track(socket);
    const snaps = collect(socket, 'dashboard.snapshot');
    await until(() => snaps.length === 1, 5000, 'the first snapshot');
    const host = await loginUser(stack.url, A.appid, 'rc-host');
    const roomId = (await call(stack.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId;
    // The connection drops under the socket (a network change, a node restart); the client reconnects by itself.
    stack.srv.app.io.of('/dashboard').sockets.get(socket.id!)!.conn.close();
    await until(() => snaps.length >= 2, 5000, 'a snapshot after reconnecting');
    expect(appOf(snaps.at(-1)!, A.appid).rooms.items.map((r) => r.roomId)).toContain(roomId);
  });
});

describe('rooms of every kind', () => {
  it('lists classroom, conference, live and generic rooms with their state and members; ended ones leave', async () => {
    const app = await createApp(stack.url);
    const svc = stack.srv.app.services;
    await loginUser(stack.url, app.appid, 'k-host');
    const conf = await svc.conferences.create(app.appid, 'k-host', { name: 'weekly' });
    const live = await svc.live.start(app.appid, 'k-host', { title: 'launch' });
    const generic = await svc.rooms.create(app.appid, { kind: 'room', host: 'k-host' });
    await svc.rooms.join(app.appid, live.videoID, 'k-viewer');
    const { snapshot } = await dashboard({ appid: app.appid, secret: app.secret });
    const rooms = appOf(snapshot, app.appid).rooms.items;
    expect(rooms.map((r) => [r.roomId, r.kind, r.label])).toEqual([
      [generic.roomId, 'room', 'open'],
      [live.videoID, 'live', 'live'],
      [conf.confId, 'conference', 'live'],
    ]);
    expect(rooms.find((r) => r.kind === 'live')!.members.map((m) => m.uid)).toEqual(['k-viewer']);
    await svc.rooms.close(app.appid, live.videoID, 'ended');
    const after = appOf((await dashboard({ appid: app.appid, secret: app.secret })).snapshot, app.appid).rooms.items;
    expect(after.map((r) => r.kind)).toEqual(['room', 'conference']);
  });
});

describe('read functions behind the snapshot', () => {
  it('list newest rooms first up to the limit, with exact totals and the first members', async () => {
    const app = await createApp(stack.url);
    const svc = stack.srv.app.services;
    const host = await loginUser(stack.url, app.appid, 'rf-host');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await call(stack.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId);
    for (const uid of ['rf-a', 'rf-b', 'rf-c']) await svc.rooms.join(app.appid, ids[2]!, uid);
    const page = await svc.rooms.listAlive(app.appid, { limit: 2, members: 2 });
    expect(page.total).toBe(3);
    expect(page.rooms.map((r) => r.roomId)).toEqual([ids[2], ids[1]]);
    expect(page.rooms[0]).toMatchObject({ memsize: 3, label: 'open', state: 'open' });
    expect(page.rooms[0]!.members.map((m) => m.uid)).toEqual(['rf-a', 'rf-b']);
    await svc.rooms.close(app.appid, ids[2]!);
    expect((await svc.rooms.listAlive(app.appid, { limit: 10, members: 0 })).rooms.map((r) => r.roomId)).toEqual([ids[1], ids[0]]);
  });

  it('list waiting requests per skill in queue order, online agents, open asks and active calls up to the limit', async () => {
    const app = await createApp(stack.url);
    const svc = stack.srv.app.services;
    const callers = await Promise.all(['rf-c1', 'rf-c2', 'rf-c3'].map((u) => loginUser(stack.url, app.appid, u)));
    const reqs = [];
    for (const t of callers)
      reqs.push((await call(stack.url, 'POST', '/v1/dispatch/requests', { token: t, body: { skill: 'DE>IT' } })).body.requestId);
    const waiting = await svc.dispatch.waiting(app.appid, 2);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ skill: 'DE>IT', total: 3 });
    expect(waiting[0]!.requests.map((r) => [r.requestId, r.position])).toEqual([
      [reqs[0], 1],
      [reqs[1], 2],
    ]);

    for (const u of ['rf-g1', 'rf-g2', 'rf-g3']) {
      const t = await loginUser(stack.url, app.appid, u);
      await call(stack.url, 'PUT', '/v1/presence', { token: t, body: { state: 'online', skills: ['IT>DE'] } });
    }
    const online = await svc.presence.online(app.appid, 2);
    expect(online.total).toBe(3);
    expect(online.agents).toHaveLength(2);
    expect(online.agents.every((a) => a.state === 'online' && a.skills.includes('IT>DE'))).toBe(true);

    // A request of that skill is offered, then one agent accepts it: offered, then busy.
    const caller = await loginUser(stack.url, app.appid, 'rf-it-caller');
    const req = (await call(stack.url, 'POST', '/v1/dispatch/requests', { token: caller, body: { skill: 'IT>DE' } })).body;
    const skill = async () => (await svc.dashboard.app(app.appid)).agents.skills.find((x) => x.skill === 'IT>DE')!;
    await until(async () => (await skill()).offered > 0, 5000, 'the request to be offered');
    const offeredTo = (await svc.presence.online(app.appid, 10)).agents.find((a) => a.state === 'offered')!.uid;
    const agentToken = (await call(stack.url, 'POST', `/v1/apps/${app.appid}/tokens`, { basic: [app.appid, app.secret], body: { uid: offeredTo } }))
      .body.token;
    expect((await call(stack.url, 'POST', `/v1/dispatch/requests/${req.requestId}/accept`, { token: agentToken })).body).toMatchObject({
      state: 'accepted',
      agent: offeredTo,
    });
    expect(await skill()).toEqual({ skill: 'IT>DE', online: 2, offered: 0, busy: 1, waiting: 0 });

    expect(await svc.pairing.openAsks(app.appid, 10)).toEqual({ total: 0, asks: [] });
    expect(await svc.billing.activeCalls(app.appid, 10)).toEqual({ total: 0, calls: [] });
  });
});

describe('charts', () => {
  // One deployment of its own: two api nodes on the same Redis and prefixes, samples every
  // 200 ms; no worker until the queue test starts one (jobs wait in their queue until then).
  const SAMPLE_MS = 200;
  let a: TestServer;
  let b: TestServer;
  let w: WorkerNode | undefined;
  let hook: Fake;
  let app: { appid: string; secret: string };
  const open: Socket[] = [];

  beforeAll(async () => {
    hook = await fakeHttp(() => ({ status: 500, json: { no: 'thanks' } }));
    const config = testConfig({
      DASHBOARD_SAMPLE_MS: SAMPLE_MS,
      CHARGE_TICK_SECONDS: 0.2,
      DISPATCH_MAX_WAIT_MS: 600000,
      WEBHOOK_ALLOW_PRIVATE_URLS: true,
      WEBHOOK_RETRY_WINDOW_MS: 0,
    });
    a = await startServer({}, config);
    b = await startServer({}, { ...config });
    app = await createApp(a.url);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await w?.close();
    await b?.close();
    await a?.close();
    await hook?.close();
  });

  async function dashboardOn(on: TestServer, auth: Record<string, unknown>) {
    const d = await connectDashboard(on.url, auth);
    open.push(d.socket);
    return d;
  }
  /** An admin dashboard on `on`, subscribed: its history and every point pushed after it. */
  async function charts(on: TestServer, since?: number) {
    const { socket } = await dashboardOn(on, { adminToken: ADMIN_TOKEN });
    const points = collect(socket, 'dashboard.charts.point');
    const r = await socket.emitWithAck('dashboard.charts', since === undefined ? {} : { since });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    return { socket, history: r.data as ChartHistoryT, points };
  }
  /** The samples in the stream (every process's, counts not rates), oldest first. */
  async function samples(): Promise<Sample[]> {
    const raw = await a.app.core.redis.xrange(samplesKey(a.app.core.keys), '-', '+');
    return raw.map(([, fields]) => JSON.parse(fields[1]!) as Sample);
  }
  const counted = async (f: (s: Sample) => number | undefined) => (await samples()).reduce((n, s) => n + (f(s) ?? 0), 0);
  const pointWhere = async (points: ChartPointT[], ok: (p: ChartPointT) => boolean, what: string, ms = 15000) => {
    await until(() => points.some(ok), ms, what);
    return points.find(ok)!; // there is one (points are only added)
  };

  it('are for the admin only, and the subscribe payload is validated', async () => {
    const own = await dashboardOn(a, { appid: app.appid, secret: app.secret });
    expect(await own.socket.emitWithAck('dashboard.charts', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const admin = await dashboardOn(a, { adminToken: ADMIN_TOKEN });
    expect(await admin.socket.emitWithAck('dashboard.charts', { since: 'yesterday' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('since') },
    });
    expect(await admin.socket.emitWithAck('dashboard.charts', { every: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('push points of the documented shape; sockets connected to two api nodes sum', async () => {
    const dash = await charts(a);
    expectValid(ChartHistory, dash.history);
    expect(dash.history).toMatchObject({ intervalMs: SAMPLE_MS, historyMs: 900_000 });
    const onB = await charts(b); // a dashboard on the other node sees the same deployment

    // 3 sockets on node a, 2 on node b; each sends two events.
    const sockets = [];
    for (const [i, on] of [a, a, a, b, b].entries()) {
      const { socket } = await connect(on.url, await issueToken(a.url, app, `ch-${i}`));
      open.push(socket);
      sockets.push(socket);
    }
    for (const s of sockets) for (let k = 0; k < 2; k++) await s.emitWithAck('session.ping', {});

    const five = await pointWhere(dash.points, (p) => p.sockets === 5 && p.nodes.api === 2, 'a point with 5 sockets from 2 api nodes');
    await pointWhere(onB.points, (p) => p.t === five.t, 'the same point on the other node');
    expect(onB.points.find((p) => p.t === five.t)).toEqual(five);
    // Connects and events are rates in the points; the samples behind them count exactly what happened.
    await until(() => dash.points.some((p) => p.connects > 0) && dash.points.some((p) => p.eventsIn > 0), 5000, 'connects and events in the rates');
    await until(
      async () => (await counted((s) => s.connects)) === 5 && (await counted((s) => s.in)) === 10,
      5000,
      '5 connects and 10 events in the samples',
    );

    // One point per sample time, in order, each of the documented shape.
    for (const p of dash.points) expectValid(ChartPoint, p);
    const ts = dash.points.map((p) => p.t);
    expect(ts).toEqual([...ts].sort((x, y) => x - y));
    expect(new Set(ts).size).toBe(ts.length);
    expect(ts.every((t) => t % SAMPLE_MS === 0)).toBe(true);
    expect(ts[0]).toBeGreaterThan(dash.history.points.at(-1)?.t ?? 0);

    // Sockets leave: the disconnects show, the gauge goes back to 0.
    for (const s of sockets) s.close();
    await pointWhere(dash.points, (p) => p.t > five.t && p.sockets === 0, 'the sockets gone from the chart');
    expect(dash.points.some((p) => p.disconnects > 0)).toBe(true);
    await until(async () => (await counted((s) => s.disconnects)) === 5, 5000, '5 disconnects in the samples');

    // A later subscriber gets it all as history; with `since`, only what is newer.
    const later = await charts(b);
    expectValid(ChartHistory, later.history);
    expect(later.history.points.find((p) => p.t === five.t)).toEqual(five);
    const newer = await charts(a, five.t);
    expect(newer.history.points.length).toBeGreaterThan(0);
    expect(newer.history.points.every((p) => p.t > five.t)).toBe(true);
  });

  it('queue depth shows jobs waiting for a worker; the worker’s job rates reach the chart', async () => {
    const dash = await charts(a);
    const q = a.app.core.queues;
    for (let i = 0; i < 4; i++) await q.add('notify', 'notify', { appid: app.appid, to: { user: 'nobody' }, event: 'chart.test', data: { i } });
    // A job for no app: the worker's attempt fails (APP_NOT_FOUND).
    await q.add('notify', 'notify', { appid: 'nosuchapp', to: { user: 'x' }, event: 'chart.test' });
    const waiting = await pointWhere(dash.points, (p) => p.queues.notify?.depth === 5, 'the 5 jobs in the notify depth');
    expect(waiting.queues.notify).toMatchObject({ completed: 0, failed: 0 });

    w = await startTestWorkers(a.config);
    await pointWhere(dash.points, (p) => (p.queues.notify?.completed ?? 0) > 0 && p.nodes.worker === 1, 'the worker’s completed jobs in the rates');
    await pointWhere(dash.points, (p) => (p.queues.notify?.failed ?? 0) > 0, 'the failed attempt in the rates');
    await until(
      async () => (await counted((s) => s.jobs?.notify?.[0])) === 4 && (await counted((s) => s.jobs?.notify?.[1])) === 1,
      5000,
      '4 completed and 1 failed in the worker’s samples',
    );
    expect((await samples()).filter((s) => s.jobs).every((s) => s.role === 'worker')).toBe(true);
    await pointWhere(dash.points, (p) => p.t > waiting.t && p.queues.notify?.depth === 0, 'the notify queue drained');
  });

  it('show dispatch wait, metered calls and tick lateness, webhook dead letters, errors and the Redis round trip', async () => {
    if (!w) w = await startTestWorkers(a.config);
    const dash = await charts(b);
    const basic: [string, string] = [app.appid, app.secret];
    // Webhooks: every delivery fails and, with no retry window, becomes a dead letter at once.
    expect(
      (await call(a.url, 'POST', `/v1/apps/${app.appid}/webhooks`, { basic, body: { url: `${hook.url}/hook`, events: ['charge.ended'] } })).status,
    ).toBe(201);

    // Dispatch: an agent accepts a request (on node b).
    const agent = await loginUser(a.url, app.appid, 'ch-agent');
    await call(a.url, 'PUT', '/v1/presence', { token: agent, body: { state: 'online', skills: ['CH>EN'] } });
    const caller = await loginUser(a.url, app.appid, 'ch-caller');
    const req = (await call(a.url, 'POST', '/v1/dispatch/requests', { token: caller, body: { skill: 'CH>EN' } })).body;
    await until(
      async () => (await call(b.url, 'POST', `/v1/dispatch/requests/${req.requestId}/accept`, { token: agent })).status === 200,
      5000,
      'the accept',
    );
    await pointWhere(dash.points, (p) => p.dispatchWait !== null && p.dispatchWait.n >= 1, 'the dispatch wait');

    // A metered call ticking every 200 ms.
    await call(a.url, 'PUT', '/v1/billing/prices/default', { basic, body: { unitPrice: 1, unitSeconds: 60 } });
    await call(a.url, 'POST', '/v1/billing/topups', { basic, body: { uid: 'ch-caller', amount: 1000, ref: 'ch-1' } });
    expect(
      (await call(a.url, 'POST', '/v1/billing/calls', { basic, body: { callId: 'ch-call', payer: 'ch-caller', payee: 'ch-agent' } })).status,
    ).toBe(200);
    await pointWhere(dash.points, (p) => p.calls === 1, 'the active call');
    const late = await pointWhere(dash.points, (p) => p.tickLateness !== null, 'a tick’s lateness');
    expect(late.tickLateness!.p99).toBeGreaterThanOrEqual(late.tickLateness!.p50);
    await call(a.url, 'POST', '/v1/billing/calls/ch-call/end', { basic, body: {} });
    await pointWhere(dash.points, (p) => p.calls === 0 && (p.webhooks?.dead ?? 0) >= 1, 'the call ended, its webhook dead-lettered');

    // Errors by code: a bad token over HTTP.
    expect((await call(a.url, 'GET', '/v1/me', { token: 'not-a-token' })).status).toBe(401);
    await pointWhere(dash.points, (p) => (p.errors.TOKEN_INVALID ?? 0) > 0, 'the TOKEN_INVALID error');
    expect(dash.points.every((p) => p.redisRtt === null || p.redisRtt >= 0)).toBe(true);
    expect(dash.points.some((p) => typeof p.redisRtt === 'number')).toBe(true);
    for (const p of dash.points) expectValid(ChartPoint, p);
  });
});
