// Conformance of seed 001 (voice-conference plugin): every documented request replayed on its
// root path, POST JSON, with the seed's fields, and the documented answers checked exactly
// ({status: 1, …the seed's fields}); failures are {status: 0, code, reason} (docs/dialects/seed-001-conference.md).
// Auth as docs/dialects/seed-001-conference.md says: the user's token (acting uid = that user) or the app secret
// (acting as any user of the app). Real api + workers; the simulated telephony provider
// answers after 150 ms, so dial-outs reach state 1 and get their callid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_001_PATHS } from '../../src/dialects/conference/plugin.js';
import { startJobId } from '../../src/modules/conferences/service.js';
import type { ParticipantViewT as Participant } from '../../src/modules/conferences/schemas.js';
import type { WorkerNode } from '../../workers/runtime.js';
import { call, createApp, loginUser, startServer, startTestWorkers, until, type TestServer } from '../helpers.js';

let srv: TestServer;
let workers: WorkerNode;
let APPID = '';
let SECRET = '';
const tokens: Record<string, string> = {};

beforeAll(async () => {
  srv = await startServer({ TELEPHONY_SIM_ANSWER_MS: 150, CONFERENCE_EMPTY_TIMEOUT_MS: 0 });
  workers = await startTestWorkers(srv.config);
  ({ appid: APPID, secret: SECRET } = await createApp(srv.url, { appid: 'confseed' }));
  for (const id of ['u100', 'u200', 'u300']) tokens[id] = await loginUser(srv.url, APPID, id);
});
afterAll(async () => {
  await workers?.close();
  await srv?.close();
});

type Auth = { token: string } | { basic: [string, string] } | { header: string } | null;
const asUser = (id: string): Auth => ({ token: tokens[id]! });
const asApp = (): Auth => ({ basic: [APPID, SECRET] });

/** POST as the seed says: JSON body on a root path; always HTTP 200. */
async function post(path: string, body: unknown, auth: Auth, contentType = 'application/json') {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (auth && 'header' in auth) headers.authorization = auth.header;
  const r = await call(srv.url, 'POST', path, {
    body,
    headers,
    ...(auth && 'token' in auth ? { token: auth.token } : {}),
    ...(auth && 'basic' in auth ? { basic: auth.basic } : {}),
  });
  expect(r.status).toBe(200);
  return r.body;
}
function expectFailed(r: { reason?: string; invalid?: unknown }, code: string, reason?: RegExp) {
  expect(r).toEqual({ status: 0, code, reason: expect.any(String), ...(r.invalid ? { invalid: r.invalid } : {}) });
  if (reason) expect(r.reason).toMatch(reason);
}
/** A user of getConfUsers as the seed prints it (callid only in states 1 and 2). */
interface SeedUser {
  id: string;
  number: string;
  name: string;
  state: number;
  callid?: string;
}
const users = async (id: string, auth: Auth = asUser('u100')) => {
  const r = await post('/getConfUsers', { id }, auth);
  expect(r.status).toBe(1);
  return r.users as SeedUser[];
};
const byName = (list: SeedUser[], name: string) => list.find((u) => u.name === name);

let conf = '';
let vid = '';

describe('seed 001, every documented request', () => {
  it('getUser {id, appid} → a stable sub-account {id, token, voip, voipPwd}', async () => {
    const r = await post('/getUser', { id: 'u100', appid: APPID }, asUser('u100'));
    expect(r).toEqual({
      status: 1,
      user: {
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        token: expect.stringMatching(/^[0-9a-f]{32}$/),
        voip: expect.stringMatching(/^8[0-9]{13}$/),
        voipPwd: expect.stringMatching(/^.{8}$/),
      },
    });
    expect(await post('/getUser', { id: 'u100', appid: APPID }, asUser('u100'))).toEqual(r);
    // Created once even when asked concurrently; the key is id + appid: another id, another account.
    const many = await Promise.all(Array.from({ length: 8 }, () => post('/getUser', { id: 'ext-7', appid: APPID }, asApp())));
    expect(new Set(many.map((m) => JSON.stringify(m.user))).size).toBe(1);
    expect(many[0].user.voip).not.toBe(r.user.voip);
    // A user asks for their own only; the body's appid must be the authenticated app.
    expectFailed(await post('/getUser', { id: 'u200', appid: APPID }, asUser('u100')), 'FORBIDDEN', /id=u200/);
    expectFailed(await post('/getUser', { id: 'u100', appid: 'otherapp' }, asUser('u100')), 'CROSS_TENANT', /otherapp/);
    // Numeric ids (as legacy clients send them) are ids too.
    expect((await post('/getUser', { id: 4638, appid: APPID }, asApp())).status).toBe(1);
  });

  it('refuses anything but a user token or the app secret, with a reason', async () => {
    expectFailed(await post('/getUser', { id: 'u100', appid: APPID }, null), 'AUTH_REQUIRED', /Bearer/);
    expectFailed(await post('/getUser', { id: 'u100', appid: APPID }, { token: `${APPID}.not-a-token` }), 'TOKEN_INVALID');
    expectFailed(await post('/getUser', { id: 'u100', appid: APPID }, { basic: [APPID, 'wrong-secret'] }), 'APP_AUTH_FAILED');
    expectFailed(await post('/getUser', { id: 'u100', appid: APPID }, { header: 'Digest abc' }), 'AUTH_REQUIRED');
    // A logged-out token is refused too.
    const t = await loginUser(srv.url, APPID, 'u999');
    await call(srv.url, 'POST', '/v1/auth/logout', { token: t });
    expect((await post('/getUser', { id: 'u999', appid: APPID }, { token: t })).status).toBe(0);
  });

  it('createConf {id, appid, name, time: "", pwd} starts now → {id, vid}', async () => {
    const r = await post('/createConf', { id: 'u100', appid: APPID, name: '周会', time: '', pwd: '1234' }, asUser('u100'));
    expect(r).toEqual({ status: 1, id: expect.stringMatching(/^[0-9]+$/), vid: expect.stringMatching(/^[0-9a-f]{32}$/) });
    conf = r.id;
    vid = r.vid;
    // Someone else cannot create in u100's name.
    expectFailed(await post('/createConf', { id: 'u100', appid: APPID, name: 'x' }, asUser('u200')), 'FORBIDDEN');
    // It is a room of kind conference (dashboards list it with the others).
    expect((await call(srv.url, 'GET', `/v1/rooms/${conf}`, { token: tokens.u100 })).body).toMatchObject({
      roomId: conf,
      kind: 'conference',
      host: 'u100',
      state: 'open',
    });
  });

  it('getConf {id} → {id, uid, appid, vid, name, time, pwd, ctime}', async () => {
    const r = await post('/getConf', { id: conf }, asUser('u100'));
    expect(r).toEqual({
      status: 1,
      id: conf,
      uid: 'u100',
      appid: APPID,
      vid,
      name: '周会',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      pwd: '1234',
      ctime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    expect(r.time).toBe(r.ctime); // started at once
    // Not the creator nor a participant: refused; the app reads everything.
    expectFailed(await post('/getConf', { id: conf }, asUser('u200')), 'FORBIDDEN');
    expect((await post('/getConf', { id: conf }, asApp())).pwd).toBe('1234');
    expectFailed(await post('/getConf', { id: '999999' }, asApp()), 'CONFERENCE_NOT_FOUND');
  });

  it('getUserConfs {id, appid} → {confs: [{id, uid, appid, vid, name, time, ctime}]}', async () => {
    const r = await post('/getUserConfs', { id: 'u100', appid: APPID }, asUser('u100'));
    expect(r).toEqual({
      status: 1,
      confs: [{ id: conf, uid: 'u100', appid: APPID, vid, name: '周会', time: expect.any(String), ctime: expect.any(String) }],
    });
    expect(await post('/getUserConfs', { id: 'u200', appid: APPID }, asApp())).toEqual({ status: 1, confs: [] });
    expectFailed(await post('/getUserConfs', { id: 'u200', appid: APPID }, asUser('u100')), 'FORBIDDEN');
  });

  it('joinConf adds people without dialling; getConfUsers → state 0, no callid', async () => {
    const r = await post(
      '/joinConf',
      {
        id: conf,
        uid: 'u100',
        appid: APPID,
        users: [
          { id: 'u300', number: '', name: 'Carol' },
          { number: '13800000001', name: 'Dan' },
        ],
      },
      asUser('u100'),
    );
    expect(r).toEqual({ status: 1 });
    expect(await post('/getConfUsers', { id: conf }, asUser('u100'))).toEqual({
      status: 1,
      id: conf,
      users: [
        { id: 'u300', number: '', name: 'Carol', state: 0 },
        { id: '', number: '13800000001', name: 'Dan', state: 0 },
      ],
    });
    // A participant may read the conference, its password included: an empty pwd would
    // tell them (as the seed reads it) that none is needed.
    expect((await post('/getConfUsers', { id: conf }, asUser('u300'))).status).toBe(1);
    expect(await post('/getConf', { id: conf }, asUser('u300'))).toMatchObject({ status: 1, id: conf, pwd: '1234' });
  });

  it('inviteConf adds and dials those with a number: answered → state 1 with a callid', async () => {
    expect(
      await post('/inviteConf', { id: conf, uid: 'u100', appid: APPID, users: [{ id: 'e1', number: '13800000002', name: 'Eve' }] }, asUser('u100')),
    ).toEqual({ status: 1 });
    await until(async () => byName(await users(conf), 'Eve')?.state === 1, 5000, 'Eve answered');
    expect(byName(await users(conf), 'Eve')).toEqual({
      callid: expect.stringMatching(new RegExp(`^${conf}-[0-9]+$`)),
      id: 'e1',
      number: '13800000002',
      name: 'Eve',
      state: 1,
    });
    // Dan was only listed: not dialled.
    expect(byName(await users(conf), 'Dan')!.state).toBe(0);
    // A bad number is answered clearly.
    expectFailed(
      await post('/inviteConf', { id: conf, uid: 'u100', appid: APPID, users: [{ number: '12ab', name: 'X' }] }, asUser('u100')),
      'INVALID_NUMBER',
      /12ab/,
    );
  });

  it('callAllConf dials every phone participant not in', async () => {
    expect(await post('/callAllConf', { id: conf, uid: 'u100', appid: APPID }, asUser('u100'))).toEqual({ status: 1 });
    await until(async () => byName(await users(conf), 'Dan')?.state === 1, 5000, 'Dan answered');
    const list = await users(conf);
    expect(new Set(list.filter((u) => u.callid).map((u) => u.callid)).size).toBe(2); // unique in the conference
    expect(byName(list, 'Carol')).toEqual({ id: 'u300', number: '', name: 'Carol', state: 0 }); // no number: not dialled
  });

  it('muteConf / unmuteConf act on a batch of callids', async () => {
    const list = await users(conf);
    const callids = list.filter((u) => u.callid).map((u) => ({ callid: u.callid }));
    expect(await post('/muteConf', { id: conf, uid: 'u100', appid: APPID, users: callids }, asUser('u100'))).toEqual({ status: 1 });
    const native = async () => (await call(srv.url, 'GET', `/v1/conferences/${conf}/participants`, { token: tokens.u100 })).body.participants;
    expect(
      (await native())
        .filter((p: Participant) => p.muted)
        .map((p: Participant) => p.name)
        .sort(),
    ).toEqual(['Dan', 'Eve']);
    expect(await post('/unmuteConf', { id: conf, uid: 'u100', appid: APPID, users: [callids[0]] }, asUser('u100'))).toEqual({ status: 1 });
    expect((await native()).filter((p: Participant) => p.muted)).toHaveLength(1);
    // An unknown callid changes nothing and says which.
    expectFailed(
      await post('/muteConf', { id: conf, uid: 'u100', appid: APPID, users: [callids[0], { callid: `${conf}-999` }] }, asUser('u100')),
      'PARTICIPANT_NOT_FOUND',
      new RegExp(`${conf}-999`),
    );
  });

  it('quitConf kicks a batch of callids: state 2 (callid kept)', async () => {
    const dan = byName(await users(conf), 'Dan')!;
    expect(await post('/quitConf', { id: conf, uid: 'u100', appid: APPID, users: [{ callid: dan.callid }] }, asUser('u100'))).toEqual({ status: 1 });
    expect(byName(await users(conf), 'Dan')).toEqual({ callid: dan.callid, id: '', number: '13800000001', name: 'Dan', state: 2 });
  });

  it('pwdConf sets and clears the password', async () => {
    expect(await post('/pwdConf', { id: conf, uid: 'u100', appid: APPID, pwd: '5678' }, asUser('u100'))).toEqual({ status: 1 });
    expect((await post('/getConf', { id: conf }, asUser('u100'))).pwd).toBe('5678');
    expect(await post('/pwdConf', { id: conf, uid: 'u100', appid: APPID, pwd: '' }, asUser('u100'))).toEqual({ status: 1 });
    expect((await post('/getConf', { id: conf }, asUser('u100'))).pwd).toBe('');
  });

  it('control is the creator’s: other users, other uids and the app acting as another user are refused', async () => {
    const eve = byName(await users(conf), 'Eve')!;
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['/stopConf', {}],
      ['/callAllConf', {}],
      ['/pwdConf', { pwd: 'x' }],
      ['/quitConf', { users: [{ callid: eve.callid }] }],
      ['/muteConf', { users: [{ callid: eve.callid }] }],
      ['/unmuteConf', { users: [{ callid: eve.callid }] }],
      ['/joinConf', { users: [{ number: '13800000009' }] }],
      ['/inviteConf', { users: [{ number: '13800000009' }] }],
    ];
    for (const [path, extra] of attempts) {
      expectFailed(await post(path, { id: conf, uid: 'u200', appid: APPID, ...extra }, asUser('u200')), 'FORBIDDEN', /creator/);
      expectFailed(await post(path, { id: conf, uid: 'u100', appid: APPID, ...extra }, asUser('u200')), 'FORBIDDEN', /uid=u100/);
      expectFailed(await post(path, { id: conf, uid: 'u200', appid: APPID, ...extra }, asApp()), 'FORBIDDEN', /creator/);
    }
    expect(byName(await users(conf), 'Eve')!.state).toBe(1); // nothing happened
  });

  it('sendNotice {mps} sends one SMS job per valid number; bad numbers are answered clearly', async () => {
    expect(await post('/sendNotice', { mps: '13800000000,13900000000' }, asUser('u100'))).toEqual({ status: 1 });
    const q = srv.app.core.queues.get('sms');
    await until(
      async () => (await q.getCompleted()).filter((j) => ['13800000000', '13900000000'].includes(j.data.to)).length === 2,
      5000,
      'two SMS sent',
    );
    const bad = await post('/sendNotice', { mps: '13800000000,123,abc' }, asApp());
    expect(bad).toEqual({ status: 0, code: 'INVALID_NUMBER', reason: expect.stringMatching(/123, abc/), invalid: ['123', 'abc'] });
    expectFailed(await post('/sendNotice', { mps: '' }, asApp()), 'VALIDATION_FAILED', /mps/);
    expectFailed(await post('/sendNotice', {}, asApp()), 'VALIDATION_FAILED', /mps/);
  });

  it('stopConf ends the conference and hangs up every leg; later control says it ended', async () => {
    expect(await post('/stopConf', { id: conf, uid: 'u100', appid: APPID }, asUser('u100'))).toEqual({ status: 1 });
    const list = await users(conf);
    expect(list.map((u) => [u.name, u.state])).toEqual([
      ['Carol', 0],
      ['Dan', 2],
      ['Eve', 2],
    ]);
    expectFailed(
      await post('/inviteConf', { id: conf, uid: 'u100', appid: APPID, users: [{ number: '13800000003' }] }, asUser('u100')),
      'CONFERENCE_ENDED',
    );
    expect((await call(srv.url, 'GET', `/v1/rooms/${conf}`, { token: tokens.u100 })).body.state).toBe('closed');
    // Stopping twice is not an error; the app may stop as the creator.
    expect(await post('/stopConf', { id: conf, uid: 'u100', appid: APPID }, asApp())).toEqual({ status: 1 });
  });

  it('createConf with a future time schedules it (delayed job); stopConf cancels the start', async () => {
    const at = new Date(Date.now() + 3600_000 + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '); // Beijing wall time in an hour
    const r = await post('/createConf', { id: 'u100', appid: APPID, name: 'later', time: at }, asApp());
    expect(r.status).toBe(1);
    const c = await post('/getConf', { id: r.id }, asApp());
    expect(c.time).toBe(at);
    expect(c.pwd).toBe('');
    const job = await srv.app.core.queues.get('conferences').getJob(startJobId(APPID, r.id));
    expect(job?.delay).toBeGreaterThan(3500_000);
    expect(await post('/stopConf', { id: r.id, uid: 'u100', appid: APPID }, asUser('u100'))).toEqual({ status: 1 });
    expect(await srv.app.core.queues.get('conferences').getJob(startJobId(APPID, r.id))).toBeUndefined();
    expectFailed(await post('/createConf', { id: 'u100', appid: APPID, name: 'bad', time: 'next tuesday' }, asApp()), 'VALIDATION_FAILED', /time/);
  });

  it('bodies: any content type is JSON; bad JSON and missing fields are named', async () => {
    expect((await post('/getConf', JSON.stringify({ id: conf }), asUser('u100'), 'text/plain')).status).toBe(1);
    expectFailed(await post('/getConf', '{"id":', asUser('u100')), 'BAD_JSON');
    expectFailed(await post('/createConf', { id: 'u100', appid: APPID }, asUser('u100')), 'VALIDATION_FAILED', /name/);
    expectFailed(await post('/quitConf', { id: conf, uid: 'u100', appid: APPID, users: [] }, asUser('u100')), 'VALIDATION_FAILED', /users/);
  });

  it('paths are the seed’s, case-sensitive, and meet no other route', async () => {
    expect(SEED_001_PATHS.sort()).toEqual([
      '/callAllConf',
      '/createConf',
      '/getConf',
      '/getConfUsers',
      '/getUser',
      '/getUserConfs',
      '/inviteConf',
      '/joinConf',
      '/muteConf',
      '/pwdConf',
      '/quitConf',
      '/sendNotice',
      '/stopConf',
      '/unmuteConf',
    ]);
    // Fastify refuses duplicate routes at start-up, so a running server proves no collision; other spellings are not ours.
    for (const p of ['/getuser', '/GETCONF', '/createconf'])
      expect((await fetch(srv.url + p, { method: 'POST', headers: { authorization: `Bearer ${tokens.u100}` }, body: '{}' })).status).toBe(404);
  });
});
