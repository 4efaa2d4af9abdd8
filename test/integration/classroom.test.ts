import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/infra/errors.js';
import { ackError, call, connect, connectDashboard, loginUser, nextEvent, sleep, collect, okData, useStack } from '../helpers.js';
import type { TypedSocket } from '../../src/client/index.js';

const SDKAPPID = 1400054321;

/** An answer of the dialect (index.php) as the test reads it: the envelope's code and the command's data. */
type Seed<D> = { errorCode: number; data: D };

const stack = useStack({ ROOM_MEMBER_TIMEOUT_MS: 5000 }, { app: { tencent: { sdkAppId: SDKAPPID, key: 'usersig-key' } } });

async function person(id: string, role: 'teacher' | 'student'): Promise<{ token: string; socket: TypedSocket }> {
  const token = await loginUser(stack.url, stack.app.appid, id, { role });
  const { socket } = await connect(stack.url, token);
  stack.track(socket);
  return { token, socket };
}

describe('course lifecycle', () => {
  it('create → start → chat → exit → recording, with begin/end imseq bounding the playback messages', async () => {
    const teacher = await person('cl-teacher', 'teacher');
    const student = await person('cl-student', 'student');

    const created = await teacher.socket.emitWithAck('course.create', { title: 'Algebra', cover: 'http://c/1.png' });
    expect(created.ok).toBe(true);
    const course = okData(created);
    expect(course).toMatchObject({
      host_uid: 'cl-teacher',
      title: 'Algebra',
      cover: 'http://c/1.png',
      state: 0,
      groupid: String(course.roomnum),
      memsize: 0,
      begin_time: 0,
      begin_imseq: 0,
      playback_idx_url: '',
    });
    const roomId = String(course.roomnum);
    expect(ackError(await student.socket.emitWithAck('course.create', { title: 'x' })).code).toBe('FORBIDDEN');
    expect((await call(stack.url, 'POST', '/v1/courses', { token: student.token, body: { title: 'x' } })).status).toBe(403);

    // Both enter the room before class; chat before the start is not part of the course.
    expect(okData(await teacher.socket.emitWithAck('room.join', { roomId }))).toMatchObject({ joined: true, role: 'host' });
    expect(okData(await student.socket.emitWithAck('room.join', { roomId }))).toMatchObject({ joined: true, role: 'member' });
    await teacher.socket.emitWithAck('room.message', { roomId, text: 'before 1' });
    await student.socket.emitWithAck('room.message', { roomId, text: 'before 2' });

    const states = collect(student.socket, 'room.state');
    const started = await call(stack.url, 'POST', `/v1/courses/${course.roomnum}/start`, { token: teacher.token });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ state: 1, begin_imseq: 2, memsize: 2 });
    expect(started.body.begin_time).toBeGreaterThan(1_600_000_000);
    expect((await call(stack.url, 'POST', `/v1/courses/${course.roomnum}/start`, { token: student.token })).body.error.code).toBe('FORBIDDEN');

    for (const text of ['lesson 1', 'lesson 2', 'lesson 3']) await teacher.socket.emitWithAck('room.message', { roomId, text });
    const members = await call(stack.url, 'GET', `/v1/courses/${course.roomnum}/members?index=0&size=10`, { token: student.token });
    expect(members.body).toEqual({
      total: 2,
      idlist: [
        { id: 'cl-teacher', role: 1 },
        { id: 'cl-student', role: 0 },
      ],
    });

    const closed = new Promise<void>((resolve) => student.socket.on('room.state', (s) => s.state === 'ended' && resolve()));
    const ended = await teacher.socket.emitWithAck('course.exit', { roomnum: course.roomnum });
    expect(okData(ended)).toMatchObject({ state: 2, begin_imseq: 2, end_imseq: 5, memsize: 0 });
    await closed;
    expect(states.map((s) => s.state)).toEqual(['live', 'ended']);
    expect(states[0]).toMatchObject({ roomId, kind: 'classroom', host: 'cl-teacher', detail: { roomnum: course.roomnum, state: 1 } });

    // Members were released and the room is closed for live traffic.
    expect((await call(stack.url, 'GET', `/v1/rooms/${roomId}`, { token: student.token })).body).toMatchObject({ state: 'closed', memsize: 0 });
    expect(ackError(await student.socket.emitWithAck('room.join', { roomId })).code).toBe('ROOM_CLOSED');
    expect(ackError(await student.socket.emitWithAck('room.heartbeat', { roomId })).code).toBe('ROOM_CLOSED');

    // Playback: exactly the messages of the course (limit: the schema's default, which the request's type names).
    const e = okData(ended);
    const playback = await student.socket.emitWithAck('room.messages', { roomId, after: e.begin_imseq, to: e.end_imseq, limit: 100 });
    expect(okData(playback).messages.map((m) => m.text)).toEqual(['lesson 1', 'lesson 2', 'lesson 3']);

    // A recording arrives (the app's backend here; media's callbacks in the dialect suite): state 3.
    const { socket: dash } = await connectDashboard(stack.url, { appid: stack.app.appid, secret: stack.app.secret });
    stack.track(dash);
    const dashState = nextEvent(dash, 'room.state');
    const rec = await call(stack.url, 'POST', `/v1/courses/${course.roomnum}/recording`, {
      basic: [stack.app.appid, stack.app.secret],
      body: { playbackUrl: 'https://vod.example/a/index.m3u8' },
    });
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ state: 3, playback_idx_url: 'https://vod.example/a/index.m3u8' });
    expect(await dashState).toMatchObject({ roomId, state: 'playback', detail: { state: 3 } });
    // Replayed: nothing changes.
    expect(
      (
        await call(stack.url, 'POST', `/v1/courses/${course.roomnum}/recording`, {
          basic: [stack.app.appid, stack.app.secret],
          body: { playbackUrl: 'https://vod.example/a/index.m3u8' },
        })
      ).body.state,
    ).toBe(3);
    // The handler media calls refuses an unknown course with a 4xx AppError.
    const unknown = await stack.srv.app.services.classroom
      .markRecorded(stack.app.appid, 987654, { playbackUrl: 'https://x/y.m3u8' })
      .catch((err: unknown) => err);
    expect(isAppError(unknown, 'ROOM_NOT_FOUND') && unknown.status).toBe(404);
  });

  it('a recording that arrives before the end is kept; the course ends straight into playback', async () => {
    const teacher = await person('early-teacher', 'teacher');
    const c = (await call(stack.url, 'POST', '/v1/courses', { token: teacher.token, body: { title: 'early' } })).body;
    await call(stack.url, 'POST', `/v1/courses/${c.roomnum}/start`, { token: teacher.token });
    const rec = await stack.srv.app.services.classroom.markRecorded(stack.app.appid, c.roomnum, { playbackUrl: 'https://vod.example/early.m3u8' });
    expect(rec).toMatchObject({ state: 1, playback_idx_url: 'https://vod.example/early.m3u8' });
    const ended = await call(stack.url, 'POST', `/v1/courses/${c.roomnum}/exit`, { token: teacher.token });
    expect(ended.body).toMatchObject({ state: 3, playback_idx_url: 'https://vod.example/early.m3u8' });
  });

  it('the dialect and the native API see and leave the same state', async () => {
    const teacher = await person('same-teacher', 'teacher');
    const login = await fetch(`${stack.url}/index.php?svc=account&cmd=login`, {
      method: 'POST',
      body: JSON.stringify({ timeStamp: 1, appid: SDKAPPID, id: 'same-teacher', pwd: Buffer.from('pw-same-teacher').toString('base64') }),
    }).then((r) => r.json() as Promise<Seed<{ token: string; role: number }>>);
    expect(login).toMatchObject({ errorCode: 0, data: { role: 1 } });
    const viaDialect = await fetch(`${stack.url}/index.php?svc=live&cmd=create`, {
      method: 'POST',
      body: JSON.stringify({ timeStamp: 1, appid: SDKAPPID, token: login.data.token, title: 'twin' }),
    }).then((r) => r.json() as Promise<Seed<{ roomnum: number; groupid: string }>>);
    const native = await call(stack.url, 'GET', `/v1/courses/${viaDialect.data.roomnum}`, { token: teacher.token });
    expect(native.body).toMatchObject({
      roomnum: viaDialect.data.roomnum,
      groupid: viaDialect.data.groupid,
      title: 'twin',
      host_uid: 'same-teacher',
      state: 0,
    });
    await call(stack.url, 'POST', `/v1/courses/${viaDialect.data.roomnum}/start`, { token: teacher.token });
    const list = await fetch(`${stack.url}/index.php?svc=live&cmd=roomlist`, {
      method: 'POST',
      body: JSON.stringify({ timeStamp: 1, appid: SDKAPPID, token: login.data.token, index: 0, size: 10, roomnum: viaDialect.data.roomnum }),
    }).then((r) => r.json() as Promise<Seed<{ rooms: unknown[] }>>);
    expect(list.data.rooms[0]).toEqual({ ...native.body, state: 1, begin_time: expect.any(Number) });
  });

  it('the members of a course get it in session.snapshot', async () => {
    const teacher = await person('snap-teacher', 'teacher');
    const c = (await call(stack.url, 'POST', '/v1/courses', { token: teacher.token, body: { title: 'snap' } })).body;
    const token = await loginUser(stack.url, stack.app.appid, 'snap-student', { role: 'student' });
    await call(stack.url, 'POST', `/v1/courses/${c.roomnum}/enter`, { token });
    const { socket, snapshot } = await connect(stack.url, token);
    stack.track(socket);
    expect(snapshot.rooms).toEqual([
      { roomId: String(c.roomnum), kind: 'classroom', host: 'snap-teacher', state: 'open', role: 'member', memsize: 1, imseq: 0 },
    ]);
  });
});

describe('course list', () => {
  it('pages newest first and filters by teacher, state, room number and time, with the total', async () => {
    const a = await person('list-a', 'teacher');
    const b = await person('list-b', 'teacher');
    const made: Record<string, number> = {};
    for (const [who, title] of [
      [a, 'a1'],
      [a, 'a2'],
      [b, 'b1'],
      [a, 'a3'],
      [b, 'b2'],
    ] as const) {
      made[title] = (await call(stack.url, 'POST', '/v1/courses', { token: who.token, body: { title } })).body.roomnum;
      await sleep(2); // distinct creation times
    }
    await call(stack.url, 'POST', `/v1/courses/${made.a2}/start`, { token: a.token });
    await call(stack.url, 'POST', `/v1/courses/${made.b1}/exit`, { token: b.token });

    const get = async (q: string) => (await call(stack.url, 'GET', `/v1/courses?${q}`, { token: a.token })).body;
    const titles = (r: { rooms: Array<{ title: string }> }) => r.rooms.map((c) => c.title);
    expect(titles(await get('host_uid=list-a&index=0&size=10'))).toEqual(['a3', 'a2', 'a1']);
    expect(await get('host_uid=list-a&index=0&size=2')).toMatchObject({ total: 3, rooms: [{ title: 'a3' }, { title: 'a2' }] });
    expect(await get('host_uid=list-a&index=2&size=2')).toMatchObject({ total: 3, rooms: [{ title: 'a1' }] });
    expect(await get('host_uid=list-a&index=5&size=2')).toEqual({ total: 3, rooms: [] });
    expect(titles(await get('host_uid=list-a&state=0&index=0&size=10'))).toEqual(['a3', 'a1']);
    expect(titles(await get('host_uid=list-a&state=1&index=0&size=10'))).toEqual(['a2']);
    expect(titles(await get('host_uid=list-b&state=2&index=0&size=10'))).toEqual(['b1']);
    const live = await get('state=1&index=0&size=100');
    expect(titles(live)).toContain('a2');
    expect(live.rooms.every((c: { state: number }) => c.state === 1)).toBe(true);
    expect(await get(`roomnum=${made.b2}&index=0&size=10`)).toMatchObject({ total: 1, rooms: [{ title: 'b2' }] });
    expect(await get(`roomnum=${made.b2}&host_uid=list-a&index=0&size=10`)).toEqual({ total: 0, rooms: [] });
    const now = Math.floor(Date.now() / 1000);
    expect((await get(`host_uid=list-a&from_time=${now - 60}&to_time=${now + 60}&index=0&size=10`)).total).toBe(3);
    expect((await get(`host_uid=list-a&from_time=${now + 60}&index=0&size=10`)).total).toBe(0);
    expect((await get(`host_uid=list-a&to_time=${now - 3600}&index=0&size=10`)).total).toBe(0);
    // State changes move courses between the filtered lists.
    await call(stack.url, 'POST', `/v1/courses/${made.a2}/exit`, { token: a.token });
    expect(titles(await get('host_uid=list-a&state=1&index=0&size=10'))).toEqual([]);
    expect(titles(await get('host_uid=list-a&state=2&index=0&size=10'))).toEqual(['a2']);

    const bad = await call(stack.url, 'GET', '/v1/courses?state=7', { token: a.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/state/);
    // Over sockets too.
    expect(okData(await a.socket.emitWithAck('course.list', { host_uid: 'list-b', index: 0, size: 10 })).total).toBe(2);
  });
});

describe('binds', () => {
  it('its teacher binds and unbinds courseware and videos; anyone reads them paged with the total', async () => {
    const t = await person('bind-teacher', 'teacher');
    const other = await person('bind-other', 'teacher');
    const s = await person('bind-student', 'student');
    const { roomnum } = (await call(stack.url, 'POST', '/v1/courses', { token: t.token, body: { title: 'binds' } })).body;
    const files = [
      { type: 0, file_name: 'slides.ppt', url: 'https://cos/slides.ppt' },
      { type: 1, file_name: 'intro.mp4', url: 'https://vod/intro.mp4' },
      { type: 0, file_name: 'notes.pdf', url: 'https://cos/notes.pdf' },
    ];
    for (const f of files)
      expect((await call(stack.url, 'POST', `/v1/courses/${roomnum}/binds`, { token: t.token, body: f })).body).toEqual({ changed: true });
    expect((await call(stack.url, 'POST', `/v1/courses/${roomnum}/binds`, { token: t.token, body: files[0] })).body).toEqual({ changed: false });
    expect((await call(stack.url, 'POST', `/v1/courses/${roomnum}/binds`, { token: s.token, body: files[0] })).status).toBe(403);
    expect((await call(stack.url, 'POST', `/v1/courses/${roomnum}/binds`, { token: other.token, body: files[0] })).status).toBe(403);
    expect(
      (await call(stack.url, 'POST', `/v1/courses/${roomnum}/binds`, { token: t.token, body: { ...files[0], type: 2 } })).body.error.message,
    ).toMatch(/type/);

    expect((await call(stack.url, 'GET', `/v1/courses/${roomnum}/binds?index=0&size=10`, { token: s.token })).body).toEqual({
      total: 3,
      bind_files: files,
    });
    expect((await call(stack.url, 'GET', `/v1/courses/${roomnum}/binds?index=1&size=1`, { token: s.token })).body).toEqual({
      total: 3,
      bind_files: [files[1]],
    });
    const del = await call(stack.url, 'DELETE', `/v1/courses/${roomnum}/binds?type=1&url=${encodeURIComponent(files[1]!.url)}`, { token: t.token });
    expect(del.body).toEqual({ changed: true });
    const bySocket = await s.socket.emitWithAck('course.binds', { roomnum, index: 0, size: 10 });
    expect(okData(bySocket)).toEqual({ total: 2, bind_files: [files[0], files[2]] });
    expect(okData(await t.socket.emitWithAck('course.bind', { roomnum, operate: 'unbind', bind_file: files[0]! }))).toEqual({ changed: true });
    expect((await call(stack.url, 'GET', '/v1/courses/999999/binds', { token: s.token })).body.error.code).toBe('ROOM_NOT_FOUND');
  });
});
