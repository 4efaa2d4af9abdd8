// Conformance of seed 000 (interpreter call centre on Tencent QAV): every URL of the seed
// replayed as written — host dropped, query strings byte for byte (loginin included) —
// with the user's login token in an Authorization header (or a token parameter). The seed
// prints no answers; the dialect's are documented in docs/dialects/seed-000-callcentre.md: HTTP 200 with
// {status: 1, …} or {status: 0, error: {code, message}}. The seed's ids are real here:
// users 4638 (caller) and 2074 (volunteer), conversations 17 and 100 (earlier ids are
// requests created and cancelled to get there).
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerSign } from '../../src/modules/signals/service.js';
import type { WorkerNode } from '../../workers/runtime.js';
import { call, connect, createApp, nextEvent, sleep, startServer, startTestWorkers, type TestServer } from '../helpers.js';

const APPID = 'tttalk';
const PASSWORD = '*89C6B530AA78695E257E55D63C00A6EC9AD3E977'; // the legacy client's (encrypt=true) password, as sent
const SEED = {
  userLogin:
    '/tttalk150806/user/user_login.php?encrypt=true&loginid=4638&password=*89C6B530AA78695E257E55D63C00A6EC9AD3E977&qav=true&serial=42f6a616add0bfc9&sign=991d6126e54f3e4abdb9bd393e554309eed36ce4&source=ttt-2015082415&username=oizhaolei%40gmail.com',
  volunteerLogin:
    '/tttalk.web/v3.1/volunteer_login.php?encrypt=true&loginid=2074&password=*89C6B530AA78695E257E55D63C00A6EC9AD3E977&qav=true&sign=d37d6422dfaaa56d6a486d847916ce4109653b60&source=an-2015073107&username=oizhaolei....%40gmail.com',
  online: '/volunteer/online?loginid=2074',
  offline: '/volunteer/offline?loginid=2074',
  request: '/volunteer/qav_request?lang1=CN&lang2=EN&loginin=4638',
  begin: '/conversation/begin?conversation_id=17&agent_emp_id=2074',
  end: '/conversation/end?conversation_id=17',
  chargeBegin: '/charge/begin?conversation_id=100',
  chargeEnd: '/charge/end?conversation_id=100&charge_length=11',
  chargeUpdate: '/charge/update?conversation_id=100&charge_length=11',
  chargeConfirm: '/charge/confirm?conversation_id=100',
  userFeedback: '/feedback?conversation_id=17&user_network_star=1&user_translate_star=1',
  volunteerFeedback: '/feedback?conversation_id=17&translator_network_star=2&translator_translate_star=2',
};

let srv: TestServer;
let workers: WorkerNode;
let app: { appid: string; secret: string };
const open: Socket[] = [];
let userToken = '';
let volunteerToken = '';
let volunteer: Socket;

beforeAll(async () => {
  srv = await startServer({ CALLCENTRE_APPID: APPID, DISPATCH_MAX_WAIT_MS: 60_000 });
  workers = await startTestWorkers(srv.config);
  app = await createApp(srv.url, { appid: APPID, tencent: { sdkAppId: 1400000000, key: 'usersig-key-0123456789' } });
  for (const id of ['4638', '2074', '5555']) {
    expect((await call(srv.url, 'POST', '/v1/auth/register', { body: { appid: APPID, id, password: PASSWORD } })).status).toBe(201);
  }
  // The volunteer's languages, set by the app's backend.
  expect((await call(srv.url, 'PUT', `/v1/apps/${APPID}/agents/2074`, { basic: [app.appid, app.secret], body: { skills: ['CN<>EN'] } })).status).toBe(
    200,
  );
  await srv.app.services.billing.setPrice(APPID, 'CN-EN', { unitPrice: 100, unitSeconds: 60, directional: false });
  await srv.app.services.billing.topup(APPID, { uid: '4638', amount: 10_000, ref: 'seed-000' });
});
afterAll(async () => {
  for (const s of open) s.close();
  await workers?.close();
  await srv?.close();
});

/** GET as the seed writes it; always HTTP 200 with the dialect's envelope. */
async function get(path: string, token?: string) {
  const r = await call(srv.url, 'GET', path, token ? { token } : {});
  expect(r.status).toBe(200);
  return r.body;
}
function expectFailed(r: { error: { message: string } }, code: string, message?: RegExp) {
  expect(r).toEqual({ status: 0, error: { code, message: expect.any(String) } });
  if (message) expect(r.error.message).toMatch(message);
}

/** Requests created and cancelled until the next one gets `id`. */
async function skipTo(id: number) {
  for (;;) {
    const r = await srv.app.services.dispatch.create(APPID, '5555', { skill: 'XX>YY' });
    await srv.app.services.dispatch.cancel(APPID, r.requestId, '5555');
    if (Number(r.requestId) >= id - 1) return;
  }
}

/** The seed's qav_request, accepted by the volunteer (its app answers the offer). */
async function requestAccepted(expected: string) {
  const offer = nextEvent(volunteer, 'dispatch.offer');
  const r = await get(SEED.request, userToken);
  expect(r).toEqual({ status: 1, conversation_id: expected, lang1: 'CN', lang2: 'EN', state: 'waiting', expires_at: expect.any(Number) });
  expect(await offer).toMatchObject({ requestId: expected, caller: '4638', skill: 'CN>EN' });
  expect((await volunteer.emitWithAck('dispatch.accept', { requestId: expected })).ok).toBe(true);
}

describe('seed 000, replayed in order', () => {
  it('user_login.php / volunteer_login.php with qav=true answer the token, qav_id and qav_sig', async () => {
    const u = await get(SEED.userLogin);
    expect(u).toEqual({
      status: 1,
      loginid: '4638',
      token: expect.stringMatching(/^tttalk\./),
      expires_at: expect.any(Number),
      role: 'user',
      qav_id: '4638',
      qav_sig: expect.any(String),
    });
    userToken = u.token;
    const v = await get(SEED.volunteerLogin);
    expect(v).toMatchObject({ status: 1, loginid: '2074', qav_id: '2074', qav_sig: expect.any(String) });
    volunteerToken = v.token;
    // The same login without qav=true: no QAV fields; a wrong password is refused.
    const plain = await get(SEED.userLogin.replace('&qav=true', ''));
    expect(plain.status).toBe(1);
    expect(plain).not.toHaveProperty('qav_id');
    expectFailed(await get(SEED.userLogin.replace('password=*89C6', 'password=*0000')), 'WRONG_PASSWORD');
    expectFailed(await get(SEED.userLogin.replace('loginid=4638&', '')), 'VALIDATION_FAILED', /loginid/);
    expect((await get('/user/user_login.php?loginid=4638&password=*89C6B530AA78695E257E55D63C00A6EC9AD3E977&qav=true')).qav_id).toBe('4638');
    // The QAV UserSig is the one the native API issues for the same identifier.
    expect((await call(srv.url, 'POST', '/v1/rtc/usersig', { token: userToken, body: {} })).body.identifier).toBe('4638');
    ({ socket: volunteer } = await connect(srv.url, volunteerToken));
    open.push(volunteer);
  });

  it('volunteer/online and offline (loginid = the token user), as on the native API', async () => {
    expect(await get(SEED.online, volunteerToken)).toEqual({ status: 1, loginid: '2074', state: 'online', skills: ['CN>EN', 'EN>CN'], capacity: 1 });
    expect((await call(srv.url, 'GET', '/v1/presence', { token: volunteerToken })).body).toMatchObject({ uid: '2074', state: 'online' });
    expect(await get(SEED.offline, volunteerToken)).toMatchObject({ status: 1, loginid: '2074', state: 'offline' });
    expect((await call(srv.url, 'GET', '/v1/presence', { token: volunteerToken })).body.state).toBe('offline');
    // A token parameter works as well as the header.
    expect(await get(`${SEED.online}&token=${encodeURIComponent(volunteerToken)}`)).toMatchObject({ status: 1, state: 'online' });
  });

  it('volunteer/qav_request (loginin) → conversation/begin → conversation/end, the volunteer back online', async () => {
    await skipTo(17);
    await requestAccepted('17');
    const started = nextEvent(volunteer, 'conversation.started');
    expect(await get(SEED.begin, userToken)).toEqual({
      status: 1,
      conversation_id: '17',
      agent_emp_id: '2074',
      caller: '4638',
      state: 'active',
      started_at: expect.any(Number),
    });
    expect(await started).toMatchObject({ conversationId: '17', caller: '4638', agent: '2074' });
    expect((await call(srv.url, 'GET', '/v1/presence', { token: volunteerToken })).body.state).toBe('busy');

    // TIM_CUSTOM_TYPE_CONVERSATION_ANSWER_CALL: the seed's DATA with a real sign is relayed; its printed sign is refused.
    const data = 'agent_emp_id=2074&conversation_id=17';
    const user = (await connect(srv.url, userToken)).socket;
    open.push(user);
    const relayed = nextEvent(user, 'conversation.signal');
    expect(
      (
        await volunteer.emitWithAck('conversation.signal', {
          conversationId: '17',
          type: 'TIM_CUSTOM_TYPE_CONVERSATION_ANSWER_CALL',
          data: `${data}&sign=${peerSign('2074', data)}`,
        })
      ).ok,
    ).toBe(true);
    expect(await relayed).toMatchObject({ from: '2074', qavId: '2074', data, verified: true });
    const printed = await volunteer.emitWithAck('conversation.signal', {
      conversationId: '17',
      type: 'TIM_CUSTOM_TYPE_CONVERSATION_ANSWER_CALL',
      data: 'agent_emp_id=4638&conversation_id=17&sign=8ujwerjhlajdfouopur3nk3n88812lkjld',
    });
    expect(printed.error.code).toBe('MESSAGE_SIGN_INVALID');

    const back = nextEvent(volunteer, 'presence.state');
    expect(await get(SEED.end, userToken)).toEqual({
      status: 1,
      conversation_id: '17',
      state: 'ended',
      ended_at: expect.any(Number),
      duration: expect.any(Number),
    });
    expect(await back).toEqual({ uid: '2074', state: 'online', reason: 'conversation-ended' });
    expect((await call(srv.url, 'GET', '/v1/conversations/17', { token: userToken })).body).toMatchObject({
      state: 'ended',
      endReason: 'ended-by-caller',
    });
  });

  it('feedback from the user side and from the translator side, once each', async () => {
    expect(await get(SEED.userFeedback, userToken)).toEqual({
      status: 1,
      conversation_id: '17',
      side: 'user',
      network_star: 1,
      translate_star: 1,
      translator_rating: 3,
    });
    expect(await get(SEED.volunteerFeedback, volunteerToken)).toEqual({
      status: 1,
      conversation_id: '17',
      side: 'translator',
      network_star: 2,
      translate_star: 2,
    });
    expectFailed(await get(SEED.userFeedback, userToken), 'FEEDBACK_GIVEN');
    expectFailed(await get(SEED.volunteerFeedback, userToken), 'NOT_A_PARTY'); // the user posing as the translator
    expectFailed(await get('/feedback?conversation_id=17&user_network_star=1', userToken), 'VALIDATION_FAILED', /user_translate_star/);
    expectFailed(
      await get('/feedback?conversation_id=17&user_network_star=9&user_translate_star=1', userToken),
      'VALIDATION_FAILED',
      /user_network_star/,
    );
    expect((await call(srv.url, 'GET', '/v1/presence', { token: volunteerToken })).body).toMatchObject({ rating: 3, ratings: 1 });
  });

  it("with only the document's calls: the volunteer answers peer to peer (ANSWER_CALL), the user's begin naming it accepts the offer", async () => {
    await skipTo(50);
    const offer = nextEvent(volunteer, 'dispatch.offer');
    expect(await get(SEED.request, userToken)).toMatchObject({ status: 1, conversation_id: '50', state: 'waiting' });
    await offer; // no dispatch.accept on the volunteer's socket: its app sends the user ANSWER_CALL instead
    // An agent that holds no offer of the request cannot be named into it.
    expectFailed(await get('/conversation/begin?conversation_id=50&agent_emp_id=5555', userToken), 'NOT_OFFERED');
    expect(await get('/conversation/begin?conversation_id=50&agent_emp_id=2074', userToken)).toEqual({
      status: 1,
      conversation_id: '50',
      agent_emp_id: '2074',
      caller: '4638',
      state: 'active',
      started_at: expect.any(Number),
    });
    expect((await call(srv.url, 'GET', '/v1/presence', { token: volunteerToken })).body.state).toBe('busy');
    expect((await get('/conversation/end?conversation_id=50', userToken)).status).toBe(1);
  });

  it('charge/begin → charge/update → charge/end (charge_length) → charge/confirm on conversation 100', async () => {
    await skipTo(100);
    await requestAccepted('100');
    expect((await get('/conversation/begin?conversation_id=100&agent_emp_id=2074', userToken)).status).toBe(1);
    expect(await get(SEED.chargeBegin, volunteerToken)).toEqual({
      status: 1,
      conversation_id: '100',
      state: 'active',
      units: 1,
      amount: 100,
      elapsed: expect.any(Number),
      balance: 9900,
    });
    expect(await get(SEED.chargeUpdate, volunteerToken)).toMatchObject({ status: 1, conversation_id: '100', state: 'active', charge_length: 11 });
    expectFailed(await get(SEED.chargeConfirm, userToken), 'CALL_ACTIVE');
    expect(await get(SEED.chargeEnd, volunteerToken)).toMatchObject({
      status: 1,
      conversation_id: '100',
      state: 'ended',
      units: 1,
      amount: 100,
      charge_length: 11,
    });
    // The volunteer's charge/end stops the charge, not the conversation: in seed 000 only the
    // user's conversation/end ends it (a charge ended for lack of balance is the exception).
    await sleep(300); // the billing end's hooks have run by now
    expect((await call(srv.url, 'GET', '/v1/conversations/100', { token: userToken })).body).toMatchObject({ state: 'active' });
    expect((await call(srv.url, 'GET', '/v1/presence', { token: volunteerToken })).body.state).toBe('busy');
    expectFailed(await get(SEED.chargeUpdate, volunteerToken), 'CALL_ENDED'); // the seed's order: update after end
    expectFailed(await get(SEED.chargeConfirm, volunteerToken), 'FORBIDDEN'); // only the user confirms
    expect(await get(SEED.chargeConfirm, userToken)).toMatchObject({
      status: 1,
      conversation_id: '100',
      state: 'confirmed',
      amount: 100,
      balance: 9900,
    });
    // Ending the conversation ends nothing more in billing; the volunteer is free.
    expect((await get('/conversation/end?conversation_id=100', volunteerToken)).status).toBe(1);
    expect((await call(srv.url, 'GET', '/v1/presence', { token: volunteerToken })).body.state).toBe('online');
    expect(await get(SEED.offline, volunteerToken)).toMatchObject({ status: 1, state: 'offline' });
  });
});

describe('identity: every call but the logins takes the token of the user it names', () => {
  it('refuses a missing or bad token, and ids that are not the token user', async () => {
    expectFailed(await get(SEED.online), 'AUTH_REQUIRED');
    expectFailed(await get(SEED.online, 'tttalk.nosuchtoken'), 'TOKEN_INVALID');
    expectFailed(await get(SEED.online, userToken), 'FORBIDDEN', /loginid=2074/);
    expectFailed(await get(SEED.request, volunteerToken), 'FORBIDDEN', /loginin=4638/);
    expectFailed(await get('/volunteer/qav_request?lang1=CN&lang2=EN', userToken), 'VALIDATION_FAILED', /loginin/);
    const other = (await call(srv.url, 'POST', '/v1/auth/login', { body: { appid: APPID, id: '5555', password: PASSWORD } })).body.token;
    expectFailed(await get(SEED.end, other), 'FORBIDDEN');
    expectFailed(await get(SEED.chargeBegin, other), 'FORBIDDEN');
    expectFailed(await get('/conversation/begin?conversation_id=17&agent_emp_id=5555', userToken), 'WRONG_AGENT');
    expectFailed(await get('/conversation/begin?conversation_id=99999&agent_emp_id=2074', userToken), 'REQUEST_NOT_FOUND');
    // Native routes are untouched by the dialect's paths.
    expect((await call(srv.url, 'GET', '/v1/me', { token: userToken })).body.user.id).toBe('4638');
  });
});
