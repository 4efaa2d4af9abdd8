// Conformance of seed 002 (随心播教育): every documented request replayed through
// /index.php?svc=…&cmd=… with the documented answers and error codes. The seed's examples
// leave out the common fields ("正式请求时请带上来") and use placeholders ("[token]", "密码");
// they are filled in here. Three examples are not valid JSON as printed (regist: role
// unquoted; roomlist and querybind: missing commas): replayed literally they answer 10002,
// replayed repaired they answer as documented.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudApiSign } from '../../src/providers/tencent/cloudapi.js';
import type { WorkerNode } from '../../workers/runtime.js';
import { call, createApp, fakeHttp, sleep, startServer, startTestWorkers, type Fake, type JsonBody, type TestServer } from '../helpers.js';

const SDKAPPID = 1400012345;
const TENCENT = {
  sdkAppId: SDKAPPID,
  key: 'usersig-key-0123456789',
  secretId: 'AKIDtest0123',
  secretKey: 'secret-key-0123',
  cosBucket: 'edu-1250000000',
  cosRegion: 'sh',
  callbackKey: 'callback-key',
};
const TIMEOUT = 1000;
const GRACE = 1000;

let srv: TestServer;
let workers: WorkerNode;
let app: { appid: string; secret: string };
let vendor: Fake;

beforeAll(async () => {
  // A fake Tencent API for cmd_proxy.
  vendor = await fakeHttp(() => ({ json: { code: 0, message: '', totalCount: 0 } }));
  srv = await startServer({ ROOM_MEMBER_TIMEOUT_MS: TIMEOUT, ROOM_HOST_GRACE_MS: GRACE, VOD_API_BASE_URL: vendor.url });
  workers = await startTestWorkers(srv.config);
  app = await createApp(srv.url, { tencent: TENCENT });
});
afterAll(async () => {
  await workers?.close();
  await srv?.close();
  await vendor?.close();
});

const common = () => ({ timeStamp: Date.now() % 2 ** 32, appid: SDKAPPID });
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** POSTs to index.php; a string body is sent as is. Always HTTP 200 with the seed envelope. */
async function php(svc: string, cmd: string, body: unknown, opts: { method?: string; contentType?: string; raw?: boolean; query?: string } = {}) {
  const res = await fetch(`${srv.url}/index.php?svc=${svc}&cmd=${cmd}${opts.query ?? ''}`, {
    method: opts.method ?? 'POST',
    headers: { 'content-type': opts.contentType ?? 'application/json' },
    ...(opts.method === 'GET'
      ? {}
      : { body: typeof body === 'string' ? body : JSON.stringify(opts.raw ? body : { ...common(), ...(body as object) }) }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as JsonBody; // the seed's answer, free-form per command
}

/** The answer without data, as the seed prints it: {"errorCode": 0,"errorInfo": ""}. */
function expectOk(r: unknown) {
  expect(r).toEqual({ errorCode: 0, errorInfo: '', errInfo: '' });
}
function expectError(r: { errorCode: number; errorInfo: string; errInfo: string; data?: unknown }, code: number, info?: RegExp) {
  expect(r.errorCode).toBe(code);
  expect(typeof r.errorInfo).toBe('string');
  expect(r.errInfo).toBe(r.errorInfo);
  expect(r.data).toBeUndefined();
  if (info) expect(r.errorInfo).toMatch(info);
}

async function registerAndLogin(id: string, role: 0 | 1): Promise<string> {
  expectOk(await php('account', 'regist', { id, pwd: b64(`pw-${id}`), role }));
  const r = await php('account', 'login', { id, pwd: b64(`pw-${id}`) });
  expect(r.errorCode).toBe(0);
  return r.data.token;
}

describe('envelope and common fields', () => {
  it('answers an unknown command or a GET with 10001', async () => {
    expectError(await php('live', 'nosuch', {}), 10001, /unknown command/);
    expectError(await php('nosvc', 'create', {}), 10001);
    expectError(await php('account', 'login', {}, { method: 'GET' }), 10001, /POST/);
  });

  it('answers a body that is not JSON with 10002, whatever the content type', async () => {
    expectError(await php('account', 'regist', '{ "id":"user000", "pwd": "密码",role:1}'), 10002, /JSON/); // the seed's example, literally
    expectError(await php('account', 'login', ''), 10002);
    expectError(await php('account', 'login', '[1,2]'), 10002);
    expectError(await php('account', 'login', '{"id":', { contentType: 'text/plain' }), 10002);
    // Any content type is read as JSON (the original read php://input).
    const r = await php('account', 'login', JSON.stringify({ ...common(), id: 'nobody', pwd: b64('x') }), {
      contentType: 'application/x-www-form-urlencoded',
    });
    expectError(r, 10005);
  });

  it('requires timeStamp and appid (the SdkAppID), naming the field; an unknown SdkAppID is 10003', async () => {
    expectError(await php('account', 'login', { id: 'u', pwd: b64('p') }, { raw: true }), 10003, /timeStamp|appid/);
    expectError(await php('account', 'login', { timeStamp: 1, id: 'u', pwd: b64('p') }, { raw: true }), 10003, /appid: is required/);
    expectError(await php('account', 'login', { appid: SDKAPPID, id: 'u', pwd: b64('p') }, { raw: true }), 10003, /timeStamp: is required/);
    expectError(await php('account', 'login', { timeStamp: 1, appid: 'x', id: 'u', pwd: b64('p') }, { raw: true }), 10003, /appid/);
    expectError(await php('account', 'login', { timeStamp: 1, appid: 999, id: 'u', pwd: b64('p') }, { raw: true }), 10003, /SdkAppID 999/);
  });

  it('takes timeStamp as the low 32 bits of a ms clock either way: a Java int (negative half of the time) or unsigned', async () => {
    expectOk(await php('account', 'regist', { id: 'ts-user', pwd: b64('pw'), role: 1 }));
    for (const timeStamp of [-1_234_567_890, -2147483648, 0, 4294967295]) {
      expect(
        await php('account', 'login', { timeStamp, appid: SDKAPPID, id: 'ts-user', pwd: b64('pw') }, { raw: true }),
        String(timeStamp),
      ).toMatchObject({ errorCode: 0, data: { token: expect.any(String) } });
    }
    expectError(
      await php('account', 'login', { timeStamp: -2147483649, appid: SDKAPPID, id: 'ts-user', pwd: b64('pw') }, { raw: true }),
      10003,
      /timeStamp/,
    );
    expectError(
      await php('account', 'login', { timeStamp: 4294967296, appid: SDKAPPID, id: 'ts-user', pwd: b64('pw') }, { raw: true }),
      10003,
      /timeStamp/,
    );
  });
});

describe('account', () => {
  it('regist: { "id":"user000", "pwd": "<base64>", role:1} → {"errorCode": 0,"errorInfo": ""}; again → 10004', async () => {
    expectOk(await php('account', 'regist', { id: 'user000', pwd: b64('密码'), role: 1 }));
    expectError(await php('account', 'regist', { id: 'user000', pwd: b64('密码'), role: 1 }), 10004);
    expectError(await php('account', 'regist', { id: 'user001', pwd: b64('x'), role: 2 }), 10003, /role/);
    expectError(await php('account', 'regist', { id: 'user001', pwd: '密码', role: 0 }), 10003, /pwd/); // not base64
    expectError(await php('account', 'regist', { id: 'user001', role: 0 }), 10003, /pwd: is required/);
    // The same user through the native API: the password is the decoded one, role 1 is a teacher.
    const native = await call(srv.url, 'POST', '/v1/auth/login', { body: { appid: app.appid, id: 'user000', password: '密码' } });
    expect(native.status).toBe(200);
    expect(native.body.user.role).toBe('teacher');
  });

  it('login: { "id":"user000", "pwd": "<base64>"} → data {userSig, token, role}; 10005, 10006', async () => {
    const r = await php('account', 'login', { id: 'user000', pwd: b64('密码') });
    expect(r).toEqual({ errorCode: 0, errorInfo: '', errInfo: '', data: { userSig: expect.any(String), token: expect.any(String), role: 1 } });
    expect(r.data.userSig.length).toBeGreaterThan(50);
    // The token works on the native API too.
    expect((await call(srv.url, 'GET', '/v1/me', { token: r.data.token })).body.user.id).toBe('user000');
    expectError(await php('account', 'login', { id: 'nobody', pwd: b64('x') }), 10005);
    expectError(await php('account', 'login', { id: 'user000', pwd: b64('wrong') }), 10006);
    const student = await registerAndLogin('stu-login', 0);
    expect(student).toEqual(expect.any(String));
    expect((await php('account', 'login', { id: 'stu-login', pwd: b64('pw-stu-login') })).data.role).toBe(0);
  });

  it('logout: { "token":"[token]" } → ok; again → 10008; the token is then refused with 10009', async () => {
    const token = await registerAndLogin('bye-user', 0);
    expectOk(await php('account', 'logout', { token }));
    expectError(await php('account', 'logout', { token }), 10008);
    expectError(await php('live', 'roomlist', { token, index: 0, size: 10 }), 10009);
    expectError(await php('account', 'logout', { token: 'garbage' }), 10009);
    expectError(await php('account', 'logout', {}), 10003, /token: is required/);
  });
});

describe('live: a course from create to playback', () => {
  let teacher: string;
  let student: string;
  let other: string;
  let roomnum: number;

  beforeAll(async () => {
    teacher = await registerAndLogin('teacher1', 1);
    student = await registerAndLogin('student1', 0);
    other = await registerAndLogin('teacher2', 1);
  });

  it('create: {token, title:"math", cover} → data {roomnum, groupid}; teachers only', async () => {
    const r = await php('live', 'create', { token: teacher, title: 'math', cover: 'http://url.com/a.jpeg' });
    expect(r).toEqual({ errorCode: 0, errorInfo: '', errInfo: '', data: { roomnum: expect.any(Number), groupid: expect.any(String) } });
    roomnum = r.data.roomnum;
    expect(r.data.groupid).toBe(String(roomnum));
    const again = await php('live', 'create', { token: teacher, title: 'physics' }); // cover is optional
    expect(again.data.roomnum).toBeGreaterThan(roomnum);
    expectError(await php('live', 'create', { token: student, title: 'math' }), 10001, /teachers/);
    expectError(await php('live', 'create', { token: teacher }), 10003, /title/);
  });

  it('startcourse: {token, roomnum} → ok; its teacher only; unknown room 10010', async () => {
    expectError(await php('live', 'startcourse', { token: student, roomnum }), 10001);
    expectError(await php('live', 'startcourse', { token: other, roomnum }), 10001, /another teacher/);
    expectError(await php('live', 'startcourse', { token: teacher, roomnum: 999999 }), 10010);
    expectError(await php('live', 'startcourse', { token: teacher, roomnum: '18' }), 10003, /roomnum/);
    expectOk(await php('live', 'startcourse', { token: teacher, roomnum }));
    expectOk(await php('live', 'startcourse', { token: teacher, roomnum })); // already started: nothing changes
  });

  it('reportmemid: operate 0 enter, 1 leave; roomidlist: paged ids with roles', async () => {
    expectOk(await php('live', 'reportmemid', { token: teacher, roomnum, operate: 0 }));
    expectOk(await php('live', 'reportmemid', { token: student, roomnum, operate: 0 }));
    const list = await php('live', 'roomidlist', { token: student, roomnum, index: 0, size: 10 });
    expect(list).toEqual({
      errorCode: 0,
      errorInfo: '',
      errInfo: '',
      data: {
        total: 2,
        idlist: [
          { id: 'teacher1', role: 1 },
          { id: 'student1', role: 0 },
        ],
      },
    });
    const page = await php('live', 'roomidlist', { token: student, roomnum, index: 1, size: 1 });
    expect(page.data).toEqual({ total: 2, idlist: [{ id: 'student1', role: 0 }] });
    expectOk(await php('live', 'reportmemid', { token: student, roomnum, operate: 1 }));
    expectError(await php('live', 'reportmemid', { token: student, roomnum, operate: 1 }), 20001);
    expectError(await php('live', 'reportmemid', { token: student, roomnum, operate: 2 }), 10003, /operate/);
    expectError(await php('live', 'reportmemid', { token: student, roomnum: 999999, operate: 0 }), 10010);
    expectError(await php('live', 'roomidlist', { token: student, roomnum, index: 0 }), 10003, /size/);
  });

  it('heartbeat: {token, roomnum} → ok (and keeps the member in the room)', async () => {
    expectOk(await php('live', 'heartbeat', { token: student, roomnum }));
    expectOk(await php('live', 'heartbeat', { token: teacher, roomnum }));
    expect((await php('live', 'roomidlist', { token: student, roomnum, index: 0, size: 10 })).data.total).toBe(2);
    expectError(await php('live', 'heartbeat', { token: student, roomnum: 999999 }), 10010);
  });

  it('reportbind / querybind: bind, paged query with total, unbind; the teacher of the course only', async () => {
    const example = { token: teacher, roomnum, operate: 0, bind_file: { type: 0, file_name: 'file_name', url: 'http://cos/a.ppt' } };
    expectOk(await php('live', 'reportbind', example));
    expectOk(await php('live', 'reportbind', { ...example, bind_file: { type: 1, file_name: 'intro.mp4', url: 'http://vod/intro.mp4' } }));
    expectOk(await php('live', 'reportbind', example)); // binding twice keeps one
    // The seed's querybind example lacks commas: literally it is 10002.
    expectError(await php('live', 'querybind', `{ "token":"${student}", "roomnum":${roomnum} "index":0 "size":50 }`), 10002);
    const q = await php('live', 'querybind', { token: student, roomnum, index: 0, size: 50 });
    expect(q).toEqual({
      errorCode: 0,
      errorInfo: '',
      errInfo: '',
      data: {
        total: 2,
        bind_files: [
          { type: 0, file_name: 'file_name', url: 'http://cos/a.ppt' },
          { type: 1, file_name: 'intro.mp4', url: 'http://vod/intro.mp4' },
        ],
      },
    });
    expect((await php('live', 'querybind', { token: student, roomnum, index: 1, size: 1 })).data).toEqual({
      total: 2,
      bind_files: [{ type: 1, file_name: 'intro.mp4', url: 'http://vod/intro.mp4' }],
    });
    expectOk(await php('live', 'reportbind', { ...example, operate: 1 }));
    expect((await php('live', 'querybind', { token: student, roomnum, index: 0, size: 50 })).data.total).toBe(1);
    expectError(await php('live', 'reportbind', { ...example, token: student }), 10001);
    expectError(await php('live', 'reportbind', { ...example, bind_file: { type: 3, file_name: 'x', url: 'y' } }), 10003, /bind_file.type/);
    expectError(await php('live', 'querybind', { token: student, roomnum: 999999, index: 0, size: 50 }), 10010);
  });

  it('roomlist: the documented fields, total, paging and every filter', async () => {
    // The seed's example misses a comma after to_time: literally 10002.
    expectError(
      await php(
        'live',
        'roomlist',
        `{ "token":"${student}", "index":0, "size":10, "from_time":1412345678, "to_time":1412346678 "host_uid":"teacher", "state":0 }`,
      ),
      10002,
    );
    const r = await php('live', 'roomlist', { token: student, index: 0, size: 10, host_uid: 'teacher1' });
    expect(r.errorCode).toBe(0);
    expect(r.data.total).toBe(2);
    const course = r.data.rooms.find((c: { roomnum: number }) => c.roomnum === roomnum);
    expect(Object.keys(course).sort()).toEqual(
      [
        'begin_imseq',
        'begin_time',
        'cover',
        'end_imseq',
        'end_time',
        'groupid',
        'host_uid',
        'memsize',
        'playback_idx_url',
        'roomnum',
        'state',
        'title',
      ].sort(),
    );
    expect(course).toMatchObject({
      host_uid: 'teacher1',
      title: 'math',
      state: 1,
      groupid: String(roomnum),
      cover: 'http://url.com/a.jpeg',
      memsize: 2,
      playback_idx_url: '',
      end_time: 0,
    });
    expect(course.begin_time).toBeGreaterThan(1_600_000_000);
    expect(r.data.rooms[0].roomnum).toBeGreaterThan(r.data.rooms[1].roomnum); // newest first
    expect((await php('live', 'roomlist', { token: student, index: 0, size: 10, host_uid: 'teacher1', state: 1 })).data).toMatchObject({
      total: 1,
      rooms: [{ roomnum }],
    });
    expect((await php('live', 'roomlist', { token: student, index: 0, size: 10, host_uid: 'teacher1', state: 0 })).data.total).toBe(1);
    expect((await php('live', 'roomlist', { token: student, index: 1, size: 1, host_uid: 'teacher1' })).data).toMatchObject({
      total: 2,
      rooms: [{ roomnum }],
    });
    expect((await php('live', 'roomlist', { token: student, index: 0, size: 10, roomnum })).data).toMatchObject({ total: 1, rooms: [{ roomnum }] });
    expect((await php('live', 'roomlist', { token: student, index: 0, size: 10, roomnum, state: 0 })).data).toEqual({ total: 0, rooms: [] });
    // The documented window (2014) holds none of today's courses.
    expect((await php('live', 'roomlist', { token: student, index: 0, size: 10, from_time: 1412345678, to_time: 1412346678 })).data).toEqual({
      total: 0,
      rooms: [],
    });
    const now = Math.floor(Date.now() / 1000);
    expect(
      (await php('live', 'roomlist', { token: student, index: 0, size: 10, host_uid: 'teacher1', from_time: now - 600, to_time: now + 600 })).data
        .total,
    ).toBe(2);
    expectError(await php('live', 'roomlist', { token: student, index: 0, size: 10, state: 4 }), 10003, /state/);
    expectError(await php('live', 'roomlist', { token: student, size: 10 }), 10003, /index/);
  });

  it('exitroom: {token, roomnum} → ok; state 2, members released, no more heartbeats (20002)', async () => {
    expectError(await php('live', 'exitroom', { token: student, roomnum }), 10001);
    expectOk(await php('live', 'exitroom', { token: teacher, roomnum }));
    expectOk(await php('live', 'exitroom', { token: teacher, roomnum })); // already ended
    const c = (await php('live', 'roomlist', { token: student, index: 0, size: 10, roomnum })).data.rooms[0];
    expect(c).toMatchObject({ state: 2, memsize: 0 });
    expect(c.end_time).toBeGreaterThanOrEqual(c.begin_time);
    expect((await php('live', 'roomidlist', { token: student, roomnum, index: 0, size: 10 })).data).toEqual({ total: 0, idlist: [] });
    expectError(await php('live', 'heartbeat', { token: student, roomnum }), 20002);
    expectError(await php('live', 'reportmemid', { token: student, roomnum, operate: 0 }), 20002);
    expectError(await php('live', 'startcourse', { token: teacher, roomnum }), 20002);
  });

  it('recendcall / idxfileendcall: verified vendor callbacks answered {code:0}; the course becomes a playback (state 3)', async () => {
    const t = Math.floor(Date.now() / 1000) + 300;
    const sign = createHash('md5').update(`${TENCENT.callbackKey}${t}`).digest('hex');
    const event = {
      t,
      sign,
      event_type: 100,
      stream_id: `${SDKAPPID}_${roomnum}_teacher1_main`,
      file_id: `f-${roomnum}`,
      file_format: 'hls',
      video_url: `http://vod.example/${roomnum}/index.m3u8`,
      duration: 60,
    };
    expect(await php('live', 'idxfileendcall', event, { raw: true })).toEqual({ code: 0 });
    expect(await php('live', 'idxfileendcall', event, { raw: true })).toEqual({ code: 0 }); // a replay changes nothing
    const bad = await php('live', 'recendcall', { ...event, sign: 'f'.repeat(32) }, { raw: true });
    expect(bad.code).not.toBe(0);
    let c: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      c = (await php('live', 'roomlist', { token: student, index: 0, size: 10, roomnum })).data.rooms[0];
      if (c.state === 3) break;
      await sleep(100);
    }
    expect(c).toMatchObject({ state: 3, playback_idx_url: `http://vod.example/${roomnum}/index.m3u8` });
    expect(
      (await php('live', 'roomlist', { token: student, index: 0, size: 10, state: 3 })).data.rooms.map((x: { roomnum: number }) => x.roomnum),
    ).toContain(roomnum);
  });
});

describe('live: a recording linked by roomnum= alone', () => {
  it('recendcall whose stream_param carries only roomnum= is linked to the course of the app whose key signed it', async () => {
    const teacher = await registerAndLogin('t-roomnum', 1);
    const student = await registerAndLogin('s-roomnum', 0);
    const { roomnum } = (await php('live', 'create', { token: teacher, title: 'pushed with roomnum=' })).data;
    expectOk(await php('live', 'startcourse', { token: teacher, roomnum }));
    expectOk(await php('live', 'exitroom', { token: teacher, roomnum }));
    const t = Math.floor(Date.now() / 1000) + 300;
    const sign = createHash('md5').update(`${TENCENT.callbackKey}${t}`).digest('hex');
    const event = {
      t,
      sign,
      event_type: 100,
      stream_id: 'live_8f3a',
      stream_param: `txSecret=ab12&txTime=5C2A&roomnum=${roomnum}`,
      file_id: `f-rn-${roomnum}`,
      file_format: 'mp4',
      video_url: `http://vod.example/${roomnum}/f.mp4`,
    };
    expect(await php('live', 'recendcall', event, { raw: true })).toEqual({ code: 0 });
    let c: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      c = (await php('live', 'roomlist', { token: student, index: 0, size: 1, roomnum })).data.rooms[0];
      if (c.state === 3) break;
      await sleep(100);
    }
    expect(c).toMatchObject({ state: 3 });
  });
});

describe('live: the teacher stops heartbeating', () => {
  it('the course ends after the member timeout and the grace, as if exitroom was called', async () => {
    const teacher = await registerAndLogin('t-timeout', 1);
    const student = await registerAndLogin('s-timeout', 0);
    const { roomnum } = (await php('live', 'create', { token: teacher, title: 'abandoned' })).data;
    expectOk(await php('live', 'startcourse', { token: teacher, roomnum }));
    expectOk(await php('live', 'reportmemid', { token: teacher, roomnum, operate: 0 }));
    expectOk(await php('live', 'reportmemid', { token: student, roomnum, operate: 0 }));
    let state = 1;
    const until = Date.now() + TIMEOUT + GRACE + 5000;
    while (Date.now() < until && state === 1) {
      expect([0, 20002]).toContain((await php('live', 'heartbeat', { token: student, roomnum })).errorCode);
      state = (await php('live', 'roomlist', { token: student, index: 0, size: 1, roomnum })).data.rooms[0].state;
      await sleep(200);
    }
    expect(state).toBe(2);
    const c = (await php('live', 'roomlist', { token: student, index: 0, size: 1, roomnum })).data.rooms[0];
    expect(c).toMatchObject({ state: 2, memsize: 0 });
    expect(c.end_time).toBeGreaterThan(0);
  });
});

describe('media commands', () => {
  let token: string;
  beforeAll(async () => {
    token = await registerAndLogin('media-user', 0);
  });

  it('cos get_sign: {token, type, bucket, file_path} → data {sign, bucket, region, preview_tag}', async () => {
    const multi = await php('cos', 'get_sign', { token, type: 0 });
    expect(multi).toEqual({
      errorCode: 0,
      errorInfo: '',
      errInfo: '',
      data: { sign: expect.any(String), bucket: 'edu', region: 'sh', preview_tag: 'preview' },
    });
    const named = await php('cos', 'get_sign', { token, type: 1, bucket: 'edu-1250000000', file_path: '/test' });
    expect(named.data).toMatchObject({ bucket: 'edu', region: '' }); // a named bucket answers no region, as the seed says
    expectError(await php('cos', 'get_sign', { token, type: 1 }), 10003, /file_path/);
  });

  it('vod get_sign: the documented params → data {sign, SecretId, SignatureMethod}', async () => {
    const params = {
      Action: 'DescribeInstances',
      Nonce: 11886,
      Region: 'gz',
      SecretId: '',
      SignatureMethod: 'HmacSHA256',
      Timestamp: 1465185768,
      'instanceIds.0': 'ins-09dx96dg',
      limit: 20,
      offset: 0,
    };
    const r = await php('vod', 'get_sign', { token, method: 'GET', host: 'cvm.api.qcloud.com', path: '/v2/index.php', params });
    expect(r).toEqual({
      errorCode: 0,
      errorInfo: '',
      errInfo: '',
      data: { sign: expect.any(String), SecretId: TENCENT.secretId, SignatureMethod: 'HmacSHA256' },
    });
    expect(r.data.sign).toBe(
      cloudApiSign(TENCENT.secretKey, 'GET', 'cvm.api.qcloud.com', '/v2/index.php', { ...params, SecretId: TENCENT.secretId }).signature,
    );
    expectError(await php('vod', 'get_sign', { token, method: 'GET', host: 'evil.example.com', path: '/v2/index.php', params }), 10003);
  });

  it('vod cmd_proxy: signs, forwards, and passes the vendor answer through in data', async () => {
    vendor.requests.length = 0;
    const params = {
      Action: 'DescribeVodInfo',
      Nonce: 11886,
      Region: 'gz',
      SecretId: '',
      SignatureMethod: 'HmacSHA256',
      Timestamp: 1465185768,
      'instanceIds.0': 'ins-09dx96dg',
      pageNo: 0,
      pageSize: 20,
    };
    const r = await php('vod', 'cmd_proxy', { token, method: 'GET', host: 'vod.api.qcloud.com', path: '/v2/index.php', params });
    expect(r).toEqual({ errorCode: 0, errorInfo: '', errInfo: '', data: { code: 0, message: '', totalCount: 0 } });
    expect(vendor.requests[0]?.url).toMatch(/^\/v2\/index\.php\?.*Action=DescribeVodInfo.*Signature=/);
  });

  it('vod get_client_sign: {token} → data {sign, SecretId}', async () => {
    const r = await php('vod', 'get_client_sign', { token });
    expect(r).toEqual({ errorCode: 0, errorInfo: '', errInfo: '', data: { sign: expect.any(String), SecretId: TENCENT.secretId } });
  });
});
