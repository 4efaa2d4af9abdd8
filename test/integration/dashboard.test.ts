// The /dashboard namespace: handshake auth (app secret, admin token), the snapshot built
// from real state created over HTTP, live events, the periodic dashboard.queues push, and
// tenancy (app A's dashboard never sees app B). Real Redis, real sockets, real workers.
import { io as ioc, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardQueues, DashboardSnapshot } from '../../src/modules/dashboard/schemas.js';
import { check, describeErrors } from '../../src/infra/validation.js';
import type { WorkerNode } from '../../workers/runtime.js';
import { ADMIN_TOKEN, call, collect, connectDashboard, createApp, loginUser, nextEvent, startServer, startTestWorkers, until, type TestServer } from '../helpers.js';

let srv: TestServer;
let workers: WorkerNode;
let A: { appid: string; secret: string };
let B: { appid: string; secret: string };
const open: Socket[] = [];

beforeAll(async () => {
  srv = await startServer({ DASHBOARD_QUEUES_INTERVAL_MS: 200, CORS_ORIGINS: 'http://ops.example', DISPATCH_MAX_WAIT_MS: 600000, PAIR_ROUND_MS: 60000 });
  workers = await startTestWorkers(srv.config);
  A = await createApp(srv.url);
  B = await createApp(srv.url);
});
afterAll(async () => {
  for (const s of open) s.close();
  await workers?.close();
  await srv?.close();
});

/** connectDashboard on this server; the sockets it opens are closed after the file. */
async function dashboard(auth: Record<string, unknown> | undefined, opts: Record<string, unknown> = {}): Promise<{ socket: Socket; snapshot: any }> {
  const d = await connectDashboard(srv.url, auth, opts);
  open.push(d.socket);
  return d;
}
const refusal = (p: Promise<unknown>) => p.then(() => null, (err: { data?: { code: string; message: string } }) => err.data);

const appOf = (snap: any, appid: string) => snap.apps.find((a: any) => a.appid === appid);

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
    expect(await refusal(dashboard({ appid: 'NO SUCH', secret: 'x' }))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('dashboard auth') });
    expect(await refusal(dashboard({ adminToken: ADMIN_TOKEN, appid: 'nosuchapp' }))).toMatchObject({ code: 'APP_NOT_FOUND' });
    expect(await refusal(dashboard({ appid: A.appid, secret: A.secret }, { extraHeaders: { origin: 'http://evil.example' } }))).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
  });

  it('a user token opens no dashboard', async () => {
    const token = await loginUser(srv.url, A.appid, 'hs-user');
    expect(await refusal(dashboard({ token }))).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('accepts the app secret (its own app) and the admin token (every app, or the one it picks)', async () => {
    const app = await dashboard({ appid: A.appid, secret: A.secret }, { extraHeaders: { origin: 'http://ops.example' } });
    expect(app.snapshot).toMatchObject({ admin: false, apps: [{ appid: A.appid }] });
    expectValid(DashboardSnapshot, app.snapshot);

    const admin = await dashboard({ adminToken: ADMIN_TOKEN });
    expect(admin.snapshot.admin).toBe(true);
    expect(admin.snapshot.apps.map((a: any) => a.appid)).toEqual(expect.arrayContaining([A.appid, B.appid]));
    expectValid(DashboardSnapshot, admin.snapshot);

    const picked = await dashboard({ adminToken: ADMIN_TOKEN, appid: B.appid });
    expect(picked.snapshot.apps.map((a: any) => a.appid)).toEqual([B.appid]);
  });

  it('closes an app dashboard at the next push once its secret no longer opens the app; the new secret opens one', async () => {
    const app = await createApp(srv.url);
    const { socket } = await dashboard({ appid: app.appid, secret: app.secret });
    const before = await nextEvent(socket, 'dashboard.queues', 5000); // still valid: pushes go on
    expect(before.apps[0].appid).toBe(app.appid);
    const revoked = nextEvent(socket, 'dashboard.revoked', 5000);
    const gone = nextEvent(socket, 'disconnect', 5000);
    const rotated = await call(srv.url, 'POST', `/v1/apps/${app.appid}/secret`, { token: ADMIN_TOKEN, body: {} });
    expect(rotated.status).toBe(200);
    expect(await revoked).toMatchObject({ code: 'APP_AUTH_FAILED' });
    expect(await gone).toBe('io server disconnect');
    const fresh = await dashboard({ appid: app.appid, secret: rotated.body.secret });
    expect(fresh.snapshot.apps[0].appid).toBe(app.appid);
  });

  it('answers dashboard.snapshot through its ack; any other event is refused', async () => {
    const { socket } = await dashboard({ appid: A.appid, secret: A.secret });
    const again = await socket.emitWithAck('dashboard.snapshot', {});
    expect(again.ok).toBe(true);
    expect(again.data.apps.map((a: any) => a.appid)).toEqual([A.appid]);
    expect(await socket.emitWithAck('dashboard.snapshot', { appid: B.appid })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('appid') } });
    expect(await socket.emitWithAck('room.join', { roomId: '1' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
  });
});

describe('snapshot', () => {
  it('holds every section, built from state created through the API', async () => {
    const basic: [string, string] = [A.appid, A.secret];
    // Rooms: a live course with a student in it, and a generic room with a member.
    const teacher = await loginUser(srv.url, A.appid, 'sn-teacher', { role: 'teacher' });
    const student = await loginUser(srv.url, A.appid, 'sn-student', { role: 'student' });
    const course = (await call(srv.url, 'POST', '/v1/courses', { token: teacher, body: { title: 'algebra' } })).body;
    expect((await call(srv.url, 'POST', `/v1/courses/${course.roomnum}/start`, { token: teacher })).status).toBe(200);
    expect((await call(srv.url, 'POST', `/v1/courses/${course.roomnum}/enter`, { token: student })).status).toBe(200);
    const host = await loginUser(srv.url, A.appid, 'sn-host');
    const generic = (await call(srv.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId;
    await call(srv.url, 'POST', `/v1/rooms/${generic}/join`, { token: host });
    const closed = (await call(srv.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId;
    expect((await call(srv.url, 'POST', `/v1/rooms/${closed}/end`, { token: host })).status).toBe(200);

    // Agents: two online with CN>EN, one of them configured with a second skill; a request
    // for a skill nobody has waits in the dispatch queue.
    const ag1 = await loginUser(srv.url, A.appid, 'sn-agent1');
    const ag2 = await loginUser(srv.url, A.appid, 'sn-agent2');
    expect((await call(srv.url, 'PUT', '/v1/presence', { token: ag1, body: { state: 'online', skills: ['CN>EN'] } })).status).toBe(200);
    expect((await call(srv.url, 'PUT', '/v1/presence', { token: ag2, body: { state: 'online', skills: ['CN>EN', 'FR>DE'], capacity: 2 } })).status).toBe(200);
    const caller = await loginUser(srv.url, A.appid, 'sn-caller');
    const waiting = (await call(srv.url, 'POST', '/v1/dispatch/requests', { token: caller, body: { skill: 'JA>KO' } })).body;
    expect(waiting.state).toBe('waiting');

    // A pairing ask in flight (nobody available: it stays matching for PAIR_ROUND_MS).
    const asker = await loginUser(srv.url, A.appid, 'sn-asker');
    const ask = (await call(srv.url, 'POST', '/v1/pairing/asks', { token: asker, body: { scene: 1 } })).body;
    expect(ask.state).toBe('matching');

    // A metered call with its running charge (unit 1 is debited at once).
    await loginUser(srv.url, A.appid, 'sn-payer');
    await loginUser(srv.url, A.appid, 'sn-payee');
    await call(srv.url, 'PUT', '/v1/billing/prices/default', { basic, body: { unitPrice: 250, unitSeconds: 60 } });
    await call(srv.url, 'POST', '/v1/billing/topups', { basic, body: { uid: 'sn-payer', amount: 10_000, ref: 'sn-1' } });
    expect((await call(srv.url, 'POST', '/v1/billing/calls', { basic, body: { callId: 'sn-call', payer: 'sn-payer', payee: 'sn-payee' } })).body).toMatchObject({ state: 'active' });

    // Failed jobs: a bad notify job of each app (the worker fails it at once, no retry).
    // The api's own BullMQ queue (on one Redis or the Cluster), bypassing the producer's validation.
    const q = srv.app.core.queues.get('notify');
    await q.add('notify', { appid: A.appid, to: { user: 'x' }, event: 'NOT A NAME' }, { jobId: 'bad-a' });
    await q.add('notify', { appid: B.appid, to: { user: 'x' }, event: 'NOT A NAME' }, { jobId: 'bad-b' });
    await until(async () => (await q.getFailedCount()) >= 2, 5000, 'the bad jobs to fail');

    const { snapshot } = await dashboard({ appid: A.appid, secret: A.secret });
    expectValid(DashboardSnapshot, snapshot);
    const a = appOf(snapshot, A.appid);

    const ids = a.rooms.items.map((r: any) => r.roomId);
    expect(ids).toEqual(expect.arrayContaining([String(course.roomnum), generic]));
    expect(ids).not.toContain(closed);
    expect(a.rooms.total).toBe(ids.length);
    const courseRoom = a.rooms.items.find((r: any) => r.roomId === String(course.roomnum));
    expect(courseRoom).toMatchObject({ kind: 'classroom', state: 'open', label: 'live', host: 'sn-teacher', memsize: 1, members: [{ uid: 'sn-student', role: expect.any(String) }] });
    expect(a.rooms.items.find((r: any) => r.roomId === generic)).toMatchObject({ kind: 'room', memsize: 1, members: [{ uid: 'sn-host', role: 'host' }] });

    expect(a.agents.total).toBe(2);
    expect(a.agents.items.map((x: any) => x.uid).sort()).toEqual(['sn-agent1', 'sn-agent2']);
    expect(a.agents.skills).toEqual([
      { skill: 'CN>EN', online: 2, offered: 0, busy: 0, waiting: 0 },
      { skill: 'FR>DE', online: 1, offered: 0, busy: 0, waiting: 0 },
      { skill: 'JA>KO', online: 0, offered: 0, busy: 0, waiting: 1 },
    ]);
    expect(a.dispatch).toMatchObject({ total: 1, queues: [{ skill: 'JA>KO', total: 1, requests: [{ requestId: waiting.requestId, caller: 'sn-caller', state: 'waiting', position: 1 }] }] });

    expect(a.pairing).toMatchObject({ total: 1, items: [{ askNo: ask.askNo, askUid: 'sn-asker', state: 'matching' }] });
    expect(a.calls).toMatchObject({ total: 1, items: [{ callId: 'sn-call', payer: 'sn-payer', payee: 'sn-payee', state: 'active', units: 1, amount: 250, unitPrice: 250 }] });

    // Queues: every queue of the catalogue with its counts; the app sees only its own failed job.
    const notify = snapshot.queues.find((x: any) => x.name === 'notify');
    expect(notify.counts.failed).toBeGreaterThanOrEqual(2);
    expect(notify.failed.map((j: any) => j.id)).toEqual(['bad-a']);
    expect(notify.failed[0]).toMatchObject({ name: 'notify', appid: A.appid, failedReason: expect.stringContaining('event') });
    expect(snapshot.queues.map((x: any) => x.name)).toEqual(expect.arrayContaining(['notify', 'rooms', 'dispatch', 'billing', 'matchmaking', 'presence', 'media']));
    const admin = await dashboard({ adminToken: ADMIN_TOKEN });
    expect(admin.snapshot.queues.find((x: any) => x.name === 'notify').failed.map((j: any) => j.id)).toEqual(expect.arrayContaining(['bad-a', 'bad-b']));

    // App B's snapshot shows none of it.
    const b = appOf((await dashboard({ appid: B.appid, secret: B.secret })).snapshot, B.appid);
    expect(b).toMatchObject({ rooms: { total: 0, items: [] }, agents: { total: 0 }, dispatch: { total: 0 }, pairing: { total: 0 }, calls: { total: 0 } });

    // Ended things leave the snapshot.
    await call(srv.url, 'POST', `/v1/courses/${course.roomnum}/exit`, { token: teacher });
    await call(srv.url, 'POST', `/v1/dispatch/requests/${waiting.requestId}/cancel`, { token: caller });
    await call(srv.url, 'POST', `/v1/pairing/asks/${ask.askNo}/cancel`, { token: asker });
    await call(srv.url, 'POST', '/v1/billing/calls/sn-call/end', { basic, body: {} });
    const after = appOf((await dashboard({ appid: A.appid, secret: A.secret })).snapshot, A.appid);
    expect(after.rooms.items.map((r: any) => r.roomId)).not.toContain(String(course.roomnum));
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
    const seenByB: Array<[string, any]> = [];
    dashB.onAny((name: string, data: any) => seenByB.push([name, data]));
    const adminJoins = collect(admin, 'room.member.joined');

    const teacher = await loginUser(srv.url, A.appid, 'lv-teacher', { role: 'teacher' });
    const student = await loginUser(srv.url, A.appid, 'lv-student', { role: 'student' });
    const course = (await call(srv.url, 'POST', '/v1/courses', { token: teacher, body: { title: 'live' } })).body;
    const roomId = String(course.roomnum);
    const started = nextEvent(dashA, 'room.state');
    await call(srv.url, 'POST', `/v1/courses/${roomId}/start`, { token: teacher });
    expect(await started).toMatchObject({ appid: A.appid, roomId, kind: 'classroom', state: 'live', host: 'lv-teacher' });

    const joined = nextEvent(dashA, 'room.member.joined');
    await call(srv.url, 'POST', `/v1/courses/${roomId}/enter`, { token: student });
    expect(await joined).toMatchObject({ appid: A.appid, roomId, uid: 'lv-student', memsize: 1, at: expect.any(Number) });
    await until(() => adminJoins.some((e) => e.roomId === roomId && e.appid === A.appid), 5000, 'the admin to hear the join');

    // App B is busy too, and its own dashboard hears it — a control for what follows.
    const hostB = await loginUser(srv.url, B.appid, 'lv-b-host');
    const roomB = (await call(srv.url, 'POST', '/v1/rooms', { token: hostB, body: {} })).body.roomId;
    await call(srv.url, 'POST', `/v1/rooms/${roomB}/join`, { token: hostB });
    await until(() => seenByB.some(([n, d]) => n === 'room.member.joined' && d.roomId === roomB), 5000, 'B to hear its own join');
    await until(() => seenByB.some(([n]) => n === 'dashboard.queues'), 5000, 'a dashboard.queues push to B');

    expect(seenByB.filter(([, d]) => d && typeof d === 'object' && 'appid' in d && d.appid !== B.appid)).toEqual([]);
    for (const [, d] of seenByB.filter(([n]) => n === 'dashboard.queues')) {
      expect(d.apps.map((x: any) => x.appid)).toEqual([B.appid]);
      for (const qv of d.queues) expect(qv.failed.every((j: any) => j.appid === B.appid)).toBe(true);
    }
  });

  it('an admin watching every app follows an app created after it connected; one that picked an app does not', async () => {
    const all = await dashboard({ adminToken: ADMIN_TOKEN });
    const picked = await dashboard({ adminToken: ADMIN_TOKEN, appid: A.appid });
    const pickedSnapshots = collect(picked.socket, 'dashboard.snapshot');
    const fresh = nextEvent(all.socket, 'dashboard.snapshot');
    const late = await createApp(srv.url);
    expect((await fresh).apps.map((a: any) => a.appid)).toContain(late.appid);

    const joins = collect(all.socket, 'room.member.joined');
    const pickedJoins = collect(picked.socket, 'room.member.joined');
    const host = await loginUser(srv.url, late.appid, 'late-host');
    const roomId = (await call(srv.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId;
    await call(srv.url, 'POST', `/v1/rooms/${roomId}/join`, { token: host });
    await until(() => joins.some((e) => e.appid === late.appid && e.roomId === roomId), 5000, 'the admin to hear the new app');
    expect(pickedJoins.filter((e) => e.appid === late.appid)).toEqual([]);
    expect(pickedSnapshots).toEqual([]);
  });

  it('dispatch and billing events reach the app dashboard with their appid', async () => {
    const app = await createApp(srv.url);
    const basic: [string, string] = [app.appid, app.secret];
    const { socket } = await dashboard({ appid: app.appid, secret: app.secret });
    const agent = await loginUser(srv.url, app.appid, 'ev-agent');
    await call(srv.url, 'PUT', '/v1/presence', { token: agent, body: { state: 'online', skills: ['PT>EN'] } });
    const caller = await loginUser(srv.url, app.appid, 'ev-caller');
    const taken = nextEvent(socket, 'dispatch.taken');
    const req = (await call(srv.url, 'POST', '/v1/dispatch/requests', { token: caller, body: { skill: 'PT>EN' } })).body;
    await until(async () => (await call(srv.url, 'POST', `/v1/dispatch/requests/${req.requestId}/accept`, { token: agent })).status === 200, 5000, 'the offer to be accepted');
    expect(await taken).toMatchObject({ appid: app.appid, requestId: req.requestId, agent: 'ev-agent', skill: 'PT>EN' });

    await call(srv.url, 'PUT', '/v1/billing/prices/default', { basic, body: { unitPrice: 100 } });
    await call(srv.url, 'POST', '/v1/billing/topups', { basic, body: { uid: 'ev-caller', amount: 1000, ref: 'ev' } });
    await call(srv.url, 'POST', '/v1/billing/calls', { basic, body: { callId: 'ev-call', payer: 'ev-caller', payee: 'ev-agent' } });
    const ended = nextEvent(socket, 'charge.ended');
    await call(srv.url, 'POST', '/v1/billing/calls/ev-call/end', { basic, body: {} });
    expect(await ended).toMatchObject({ appid: app.appid, callId: 'ev-call', units: 1, amount: 100, at: expect.any(Number) });
  });

  it('dashboard.queues carries queue depths and the sections without events, refreshed while sockets are open', async () => {
    const { socket } = await dashboard({ appid: A.appid, secret: A.secret });
    const first = await nextEvent(socket, 'dashboard.queues', 5000);
    expectValid(DashboardQueues, first);
    expect(first.apps.map((x: any) => x.appid)).toEqual([A.appid]);
    expect(first.queues.map((x: any) => x.name)).toContain('notify');

    // An agent goes online (no business event for that): the next push shows it.
    const agent = await loginUser(srv.url, A.appid, 'lq-agent');
    await call(srv.url, 'PUT', '/v1/presence', { token: agent, body: { state: 'online', skills: ['EN>ES'] } });
    const pushes = collect(socket, 'dashboard.queues');
    await until(() => pushes.some((p) => p.apps[0].agents.skills.some((s: any) => s.skill === 'EN>ES' && s.online === 1)), 5000, 'the agent in a push');
  });

  it('a reconnecting dashboard gets a fresh full snapshot', async () => {
    const socket = ioc(`${srv.url}/dashboard`, { transports: ['websocket'], forceNew: true, reconnectionDelay: 50, auth: { appid: A.appid, secret: A.secret } });
    open.push(socket);
    const snaps = collect(socket, 'dashboard.snapshot');
    await until(() => snaps.length === 1, 5000, 'the first snapshot');
    const host = await loginUser(srv.url, A.appid, 'rc-host');
    const roomId = (await call(srv.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId;
    // The connection drops under the socket (a network change, a node restart); the client reconnects by itself.
    srv.app.io.of('/dashboard').sockets.get(socket.id!)!.conn.close();
    await until(() => snaps.length >= 2, 5000, 'a snapshot after reconnecting');
    expect(appOf(snaps.at(-1), A.appid).rooms.items.map((r: any) => r.roomId)).toContain(roomId);
  });
});

describe('rooms of every kind', () => {
  it('lists classroom, conference, live and generic rooms with their state and members; ended ones leave', async () => {
    const app = await createApp(srv.url);
    const svc = srv.app.services;
    await loginUser(srv.url, app.appid, 'k-host');
    const conf = await svc.conferences.create(app.appid, 'k-host', { name: 'weekly' });
    const live = await svc.live.start(app.appid, 'k-host', { title: 'launch' });
    const generic = await svc.rooms.create(app.appid, { kind: 'room', host: 'k-host' });
    await svc.rooms.join(app.appid, live.videoID, 'k-viewer');
    const { snapshot } = await dashboard({ appid: app.appid, secret: app.secret });
    const rooms = appOf(snapshot, app.appid).rooms.items;
    expect(rooms.map((r: any) => [r.roomId, r.kind, r.label])).toEqual([
      [generic.roomId, 'room', 'open'],
      [live.videoID, 'live', 'live'],
      [conf.confId, 'conference', 'live'],
    ]);
    expect(rooms.find((r: any) => r.kind === 'live').members.map((m: any) => m.uid)).toEqual(['k-viewer']);
    await svc.rooms.close(app.appid, live.videoID, 'ended');
    const after = appOf((await dashboard({ appid: app.appid, secret: app.secret })).snapshot, app.appid).rooms.items;
    expect(after.map((r: any) => r.kind)).toEqual(['room', 'conference']);
  });
});

describe('read functions behind the snapshot', () => {
  it('list newest rooms first up to the limit, with exact totals and the first members', async () => {
    const app = await createApp(srv.url);
    const svc = srv.app.services;
    const host = await loginUser(srv.url, app.appid, 'rf-host');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await call(srv.url, 'POST', '/v1/rooms', { token: host, body: {} })).body.roomId);
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
    const app = await createApp(srv.url);
    const svc = srv.app.services;
    const callers = await Promise.all(['rf-c1', 'rf-c2', 'rf-c3'].map((u) => loginUser(srv.url, app.appid, u)));
    const reqs = [];
    for (const t of callers) reqs.push((await call(srv.url, 'POST', '/v1/dispatch/requests', { token: t, body: { skill: 'DE>IT' } })).body.requestId);
    const waiting = await svc.dispatch.waiting(app.appid, 2);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ skill: 'DE>IT', total: 3 });
    expect(waiting[0]!.requests.map((r) => [r.requestId, r.position])).toEqual([[reqs[0], 1], [reqs[1], 2]]);

    for (const u of ['rf-g1', 'rf-g2', 'rf-g3']) {
      const t = await loginUser(srv.url, app.appid, u);
      await call(srv.url, 'PUT', '/v1/presence', { token: t, body: { state: 'online', skills: ['IT>DE'] } });
    }
    const online = await svc.presence.online(app.appid, 2);
    expect(online.total).toBe(3);
    expect(online.agents).toHaveLength(2);
    expect(online.agents.every((a) => a.state === 'online' && a.skills.includes('IT>DE'))).toBe(true);

    // A request of that skill is offered, then one agent accepts it: offered, then busy.
    const caller = await loginUser(srv.url, app.appid, 'rf-it-caller');
    const req = (await call(srv.url, 'POST', '/v1/dispatch/requests', { token: caller, body: { skill: 'IT>DE' } })).body;
    const skill = async () => (await svc.dashboard.app(app.appid)).agents.skills.find((x) => x.skill === 'IT>DE')!;
    await until(async () => (await skill()).offered > 0, 5000, 'the request to be offered');
    const offeredTo = (await svc.presence.online(app.appid, 10)).agents.find((a) => a.state === 'offered')!.uid;
    const agentToken = (await call(srv.url, 'POST', `/v1/apps/${app.appid}/tokens`, { basic: [app.appid, app.secret], body: { uid: offeredTo } })).body.token;
    expect((await call(srv.url, 'POST', `/v1/dispatch/requests/${req.requestId}/accept`, { token: agentToken })).body).toMatchObject({ state: 'accepted', agent: offeredTo });
    expect(await skill()).toEqual({ skill: 'IT>DE', online: 2, offered: 0, busy: 1, waiting: 0 });

    expect(await svc.pairing.openAsks(app.appid, 10)).toEqual({ total: 0, asks: [] });
    expect(await svc.billing.activeCalls(app.appid, 10)).toEqual({ total: 0, calls: [] });
  });
});
