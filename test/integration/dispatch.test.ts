// Agents, dispatch rounds, conversations, signed peer messages and feedback, end to end:
// a real api node, real workers (rounds, expiry and the presence sweep are BullMQ jobs),
// real sockets, the test Redis.
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { peerSign } from '../../src/modules/signals/service.js';
import { call, connect, issueToken, nextEvent, sleep, collect, until, type TestSnapshot, useStack } from '../helpers.js';

const ROUND = 600;
const MAX_WAIT = 2500;
const TIMEOUT = 4000;
const GRACE = 300;
const NOSHOW = 800;

const stack = useStack(
  {
    DISPATCH_FIRST_OFFERS: 2,
    DISPATCH_WIDEN_BY: 2,
    DISPATCH_ROUND_MS: ROUND,
    DISPATCH_MAX_WAIT_MS: MAX_WAIT,
    PRESENCE_TIMEOUT_MS: TIMEOUT,
    PRESENCE_GRACE_MS: GRACE,
    PRESENCE_SWEEP_INTERVAL_MS: 100,
    CONVERSATION_NOSHOW_MS: NOSHOW,
  },
  { app: { tencent: { sdkAppId: 1400000001, key: 'usersig-key-0123456789' } } },
);

const basic = () => [stack.app.appid, stack.app.secret] as [string, string];

/** A user with a session issued by the app's backend, and a socket. */
async function user(
  uid: string,
  profile: Record<string, unknown> = {},
): Promise<{ uid: string; token: string; socket: Socket; snapshot: TestSnapshot }> {
  const token = await issueToken(stack.url, stack.app, uid, { profile });
  const { socket, snapshot } = await connect(stack.url, token);
  stack.track(socket);
  return { uid, token, socket, snapshot };
}

/** An online agent with `skills` (CN<>EN: both directions). */
async function agent(uid: string, skills: string[], capacity?: number) {
  const u = await user(uid);
  const r = await u.socket.emitWithAck('presence.set', { state: 'online', skills, ...(capacity ? { capacity } : {}) });
  expect(r.ok).toBe(true);
  await sleep(3); // distinct idle times: earlier agents rank first
  return u;
}

const agentState = async (uid: string) => (await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/agents/${uid}`, { basic: basic() })).body;

/** A request accepted by `a` (the only agent of its skill). */
async function accepted(caller: { socket: Socket }, a: { socket: Socket }, skill: string): Promise<string> {
  const offer = nextEvent(a.socket, 'dispatch.offer');
  const r = await caller.socket.emitWithAck('dispatch.request', { skill });
  expect(r.ok).toBe(true);
  expect((await offer).requestId).toBe(r.data.requestId);
  expect((await a.socket.emitWithAck('dispatch.accept', { requestId: r.data.requestId })).ok).toBe(true);
  return r.data.requestId;
}

describe('presence', () => {
  it('goes online with skills (A<>B both directions), validates naming the field, refuses online without skills', async () => {
    const a = await user('p-a');
    const on = await a.socket.emitWithAck('presence.set', { state: 'online', skills: ['CN<>EN', 'billing'] });
    expect(on).toEqual({
      ok: true,
      data: {
        uid: 'p-a',
        state: 'online',
        skills: ['CN>EN', 'EN>CN', 'billing'],
        capacity: 1,
        load: 0,
        offers: 0,
        rating: 4,
        ratings: 0,
        deadline: expect.any(Number),
      },
    });
    const bad = await a.socket.emitWithAck('presence.set', { state: 'away' });
    expect(bad.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^invalid presence.set payload: state/) });
    const badSkill = await a.socket.emitWithAck('presence.set', { state: 'online', skills: ['CN,EN'] });
    expect(badSkill.error.message).toMatch(/skills\.0/);

    const b = await user('p-b');
    expect((await b.socket.emitWithAck('presence.set', { state: 'online' })).error.code).toBe('AGENT_NO_SKILLS');
    // Skills set by the app's backend (or in the profile) are used by a plain "online".
    expect(
      (await call(stack.url, 'PUT', `/v1/apps/${stack.app.appid}/agents/p-b`, { basic: basic(), body: { skills: ['JA>CN'], capacity: 2 } })).body,
    ).toMatchObject({ state: 'offline', skills: ['JA>CN'], capacity: 2 });
    expect((await call(stack.url, 'PUT', '/v1/presence', { token: b.token, body: { state: 'online' } })).body).toMatchObject({
      state: 'online',
      skills: ['JA>CN'],
    });
    const c = await user('p-c', { skills: ['KO<>CN'] });
    expect((await c.socket.emitWithAck('presence.set', { state: 'online' })).data.skills).toEqual(['KO>CN', 'CN>KO']);

    expect((await a.socket.emitWithAck('presence.set', { state: 'offline' })).data).toMatchObject({ state: 'offline' });
    expect(await agentState('p-a')).toMatchObject({ state: 'offline' });
    expect(await agentState('p-a')).not.toHaveProperty('deadline');
  });

  it('a dropped socket takes the agent offline after the grace; a heartbeating agent stays; a silent one times out', async () => {
    const dropped = await agent('g-drop', ['GR>AC']);
    const beating = await agent('g-beat', ['GR>AC']);
    const silent = await agent('g-silent', ['GR>AC']);
    const beat = setInterval(() => void beating.socket.emitWithAck('presence.heartbeat', {}).catch(() => undefined), 300);
    try {
      const t0 = Date.now();
      dropped.socket.close();
      await until(async () => (await agentState('g-drop')).state === 'offline', 3000, 'the dropped agent to go offline');
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(GRACE - 50);
      expect(took).toBeLessThan(TIMEOUT); // the grace, not the heartbeat timeout
      expect((await agentState('g-silent')).state).toBe('online');

      const gone = nextEvent(silent.socket, 'presence.state', TIMEOUT + 2000);
      expect(await gone).toEqual({ uid: 'g-silent', state: 'offline', reason: 'timeout' });
      expect((await agentState('g-beat')).state).toBe('online');
      const hb = await beating.socket.emitWithAck('presence.heartbeat', {});
      expect(hb.data).toEqual({ state: 'online', deadline: expect.any(Number) });
    } finally {
      clearInterval(beat);
    }
    // An offline agent's heartbeat does not bring it back.
    expect((await silent.socket.emitWithAck('presence.heartbeat', {})).data).toEqual({ state: 'offline' });
  });
});

describe('dispatch', () => {
  it('offers to the best N idle agents, widens after a round, first accept wins and the others hear it', async () => {
    const agents = [];
    for (let i = 1; i <= 5; i++) agents.push(await agent(`w-a${i}`, ['WD<>EN']));
    const offers = agents.map((a) => collect(a.socket, 'dispatch.offer'));
    const taken = agents.map((a) => collect(a.socket, 'dispatch.taken'));
    await agent('w-other', ['XX>YY']); // another skill: never offered
    const caller = await user('w-caller');
    const accepted = nextEvent(caller.socket, 'dispatch.accepted');

    const req = await caller.socket.emitWithAck('dispatch.request', { skill: 'WD>EN', data: { topic: 'visa' } });
    expect(req).toMatchObject({ ok: true, data: { caller: 'w-caller', skill: 'WD>EN', state: 'waiting', round: 0 } });
    const id = req.data.requestId;
    // Round 1: the two longest idle (same rating).
    await until(() => offers[0]!.length + offers[1]!.length === 2, 2000, 'round 1');
    expect(offers[0]![0]).toEqual({
      requestId: id,
      caller: 'w-caller',
      skill: 'WD>EN',
      round: 1,
      expiresAt: req.data.expiresAt,
      data: { topic: 'visa' },
    });
    expect(offers.slice(2).every((o) => o.length === 0)).toBe(true);
    expect(await agentState('w-a1')).toMatchObject({ state: 'offered', offers: 1 });
    // Round 2 after DISPATCH_ROUND_MS: two more; earlier offers stay open.
    await until(() => offers[2]!.length + offers[3]!.length === 2, ROUND + 1500, 'round 2');
    expect(offers[2]![0]!.round).toBe(2);
    expect(offers[4]).toHaveLength(0);

    // The snapshot of an offered agent carries the offer.
    expect((await agents[3]!.socket.emitWithAck('session.snapshot', {})).data.dispatch.offers).toEqual([expect.objectContaining({ requestId: id })]);

    const win = await agents[2]!.socket.emitWithAck('dispatch.accept', { requestId: id });
    expect(win.data).toMatchObject({ requestId: id, state: 'accepted', agent: 'w-a3' });
    expect(await accepted).toEqual({ requestId: id, agent: 'w-a3' });
    await until(() => taken[0]!.length + taken[1]!.length + taken[3]!.length === 3, 2000, 'dispatch.taken');
    expect(taken[0]![0]).toEqual({ requestId: id, by: 'w-a3' });
    expect(taken[2]).toHaveLength(0);
    const late = await agents[0]!.socket.emitWithAck('dispatch.accept', { requestId: id });
    expect(late.error).toMatchObject({ code: 'ALREADY_TAKEN' });
    expect((await agents[4]!.socket.emitWithAck('dispatch.accept', { requestId: id })).error.code).toBe('ALREADY_TAKEN');
    // Accepting again is idempotent for the winner.
    expect((await agents[2]!.socket.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true);
    expect(await agentState('w-a3')).toMatchObject({ state: 'busy', load: 1, offers: 0 });
    expect(await agentState('w-a1')).toMatchObject({ state: 'online', offers: 0 });
    // No further rounds for an accepted request.
    await sleep(ROUND + 200);
    expect(offers[4]).toHaveLength(0);
  });

  it('an offer to nobody queues the caller with a position; a free agent gets the stalled request at once; expiry after the maximum wait', async () => {
    const c1 = await user('q-c1');
    const c2 = await user('q-c2');
    const q1 = nextEvent(c1.socket, 'dispatch.queued');
    const r1 = (await c1.socket.emitWithAck('dispatch.request', { skill: 'QU>EN' })).data;
    expect(await q1).toEqual({ requestId: r1.requestId, skill: 'QU>EN', position: 1, round: 1 });
    const q2 = nextEvent(c2.socket, 'dispatch.queued');
    const r2 = (await c2.socket.emitWithAck('dispatch.request', { skill: 'QU>EN' })).data;
    expect(await q2).toMatchObject({ requestId: r2.requestId, position: 2 });
    expect((await c2.socket.emitWithAck('session.snapshot', {})).data.dispatch.requests).toEqual([
      expect.objectContaining({ requestId: r2.requestId, state: 'waiting' }),
    ]);

    // An agent of the skill comes online: the oldest stalled request is offered without waiting for its round.
    const t0 = Date.now();
    const a = await user('q-agent');
    const offer = nextEvent(a.socket, 'dispatch.offer');
    await a.socket.emitWithAck('presence.set', { state: 'online', skills: ['QU>EN'] });
    expect((await offer).requestId).toBe(r1.requestId);
    expect(Date.now() - t0).toBeLessThan(ROUND);

    // Nobody accepts: both expire after DISPATCH_MAX_WAIT_MS; the offer is withdrawn.
    const beat = setInterval(() => void a.socket.emitWithAck('presence.heartbeat', {}).catch(() => undefined), 300);
    stack.track({ close: () => clearInterval(beat) });
    const withdrawn = nextEvent(a.socket, 'dispatch.withdrawn', MAX_WAIT + 2000);
    const e1 = await nextEvent(c1.socket, 'dispatch.expired', MAX_WAIT + 2000);
    expect(e1).toEqual({ requestId: r1.requestId, skill: 'QU>EN' });
    expect(await withdrawn).toMatchObject({ reason: 'expired' });
    expect(Date.now() - r1.createdAt).toBeGreaterThanOrEqual(MAX_WAIT - 50);
    expect((await call(stack.url, 'GET', `/v1/dispatch/requests/${r1.requestId}`, { token: c1.token })).body).toMatchObject({ state: 'expired' });
    expect((await a.socket.emitWithAck('dispatch.accept', { requestId: r1.requestId })).error.code).toBe('REQUEST_CLOSED');
    await until(
      async () => (await call(stack.url, 'GET', `/v1/dispatch/requests/${r2.requestId}`, { token: c2.token })).body.state === 'expired',
      MAX_WAIT + 2000,
      'r2 to expire',
    );
    expect(await agentState('q-agent')).toMatchObject({ state: 'online', offers: 0 });
  });

  it('declines of every offer run the next round at once; an agent going offline gives its offers back; the caller can cancel', async () => {
    const agents = [];
    for (let i = 1; i <= 4; i++) agents.push(await agent(`d-a${i}`, ['DC>EN']));
    const caller = await user('d-caller');
    const offers = agents.map((a) => collect(a.socket, 'dispatch.offer'));
    const id = (await caller.socket.emitWithAck('dispatch.request', { skill: 'DC>EN' })).data.requestId;
    await until(() => offers[0]!.length === 1 && offers[1]!.length === 1, 2000, 'round 1');
    const t0 = Date.now();
    expect((await agents[0]!.socket.emitWithAck('dispatch.decline', { requestId: id })).data).toEqual({ requestId: id, declined: true });
    await agents[1]!.socket.emitWithAck('presence.set', { state: 'offline' }); // withdraws its offer
    await until(() => offers[2]!.length === 1 && offers[3]!.length === 1, 2000, 'round 2');
    expect(Date.now() - t0).toBeLessThan(ROUND);
    // A declined agent is never offered the same request again.
    expect(offers[0]).toHaveLength(1);
    expect((await agents[0]!.socket.emitWithAck('dispatch.decline', { requestId: id })).data.declined).toBe(false);
    expect((await agents[0]!.socket.emitWithAck('dispatch.accept', { requestId: id })).error.code).toBe('NOT_OFFERED');

    const withdrawn = nextEvent(agents[2]!.socket, 'dispatch.withdrawn');
    expect((await agents[2]!.socket.emitWithAck('dispatch.cancel', { requestId: id })).error.code).toBe('NOT_A_PARTY');
    expect((await call(stack.url, 'POST', `/v1/dispatch/requests/${id}/cancel`, { token: caller.token })).body).toMatchObject({ state: 'cancelled' });
    expect(await withdrawn).toEqual({ requestId: id, reason: 'cancelled' });
    expect(await agentState('d-a3')).toMatchObject({ state: 'online', offers: 0 });
  });

  it('capacity: an agent of capacity 2 takes two conversations and is busy only then', async () => {
    const a = await agent('cap-a', ['CP>EN'], 2);
    const c1 = await user('cap-c1');
    const c2 = await user('cap-c2');
    await accepted(c1, a, 'CP>EN');
    expect(await agentState('cap-a')).toMatchObject({ state: 'online', load: 1 });
    await accepted(c2, a, 'CP>EN');
    expect(await agentState('cap-a')).toMatchObject({ state: 'busy', load: 2 });
  });
});

describe('conversations', () => {
  it('begin and end reach both parties; the agent is back online; snapshots carry the call', async () => {
    const a = await agent('cv-agent', ['CV>EN']);
    const other = await agent('cv-other', ['ZZ>EN']);
    const caller = await user('cv-caller');
    const id = await accepted(caller, a, 'CV>EN');
    expect((await caller.socket.emitWithAck('session.snapshot', {})).data.dispatch.calls).toEqual([
      expect.objectContaining({ requestId: id, state: 'accepted', agent: 'cv-agent' }),
    ]);

    expect((await caller.socket.emitWithAck('conversation.begin', { conversationId: id, agent: 'cv-other' })).error.code).toBe('WRONG_AGENT');
    expect((await other.socket.emitWithAck('conversation.begin', { conversationId: id })).error.code).toBe('NOT_A_PARTY');
    const startedA = nextEvent(a.socket, 'conversation.started');
    const startedC = nextEvent(caller.socket, 'conversation.started');
    const begun = await call(stack.url, 'POST', `/v1/conversations/${id}/begin`, { token: caller.token, body: { agent: 'cv-agent' } });
    expect(begun.body).toMatchObject({ requestId: id, state: 'active', startedAt: expect.any(Number) });
    const started = { conversationId: id, caller: 'cv-caller', agent: 'cv-agent', startedAt: begun.body.startedAt };
    expect(await startedA).toEqual(started);
    expect(await startedC).toEqual(started);
    expect((await a.socket.emitWithAck('conversation.begin', { conversationId: id })).data.state).toBe('active'); // idempotent
    expect(await agentState('cv-agent')).toMatchObject({ state: 'busy' });

    // A reconnecting agent finds its call in the snapshot.
    const again = await connect(stack.url, a.token);
    stack.track(again.socket);
    expect(again.snapshot.dispatch.calls).toEqual([expect.objectContaining({ requestId: id, state: 'active' })]);
    expect(again.snapshot.presence).toMatchObject({ state: 'busy', load: 1 });

    await sleep(30);
    const endedC = nextEvent(caller.socket, 'conversation.ended');
    const back = nextEvent(a.socket, 'presence.state');
    const ended = await a.socket.emitWithAck('conversation.end', { conversationId: id });
    expect(ended.data).toMatchObject({ state: 'ended', endReason: 'ended-by-agent' });
    expect(await endedC).toMatchObject({
      conversationId: id,
      caller: 'cv-caller',
      agent: 'cv-agent',
      reason: 'ended-by-agent',
      durationMs: expect.any(Number),
    });
    expect((await endedC).durationMs).toBeGreaterThanOrEqual(30);
    expect(await back).toEqual({ uid: 'cv-agent', state: 'online', reason: 'conversation-ended' });
    expect(await agentState('cv-agent')).toMatchObject({ state: 'online', load: 0 });
    expect((await caller.socket.emitWithAck('conversation.end', { conversationId: id })).data.state).toBe('ended'); // idempotent
    expect((await caller.socket.emitWithAck('conversation.begin', { conversationId: id })).error.code).toBe('CONVERSATION_ENDED');
    expect((await caller.socket.emitWithAck('session.snapshot', {})).data.dispatch.calls).toEqual([]);
  });

  it('relays signed peer messages only when the sign verifies with the sender qav_id', async () => {
    const a = await agent('sg-agent', ['SG>EN']);
    const caller = await user('sg-caller');
    const id = await accepted(caller, a, 'SG>EN');
    const data = `agent_emp_id=sg-agent&conversation_id=${id}`;
    const sign = peerSign('sg-agent', data);
    // The sign salted with the sender's qav_id (its user id), carried in DATA as in the seed.
    const relayed = nextEvent(caller.socket, 'conversation.signal');
    const ok = await a.socket.emitWithAck('conversation.signal', {
      conversationId: id,
      type: 'TIM_CUSTOM_TYPE_CONVERSATION_ANSWER_CALL',
      data: `${data}&sign=${sign}`,
    });
    expect(ok).toEqual({ ok: true, data: { conversationId: id, to: 'sg-caller', delivered: true } });
    expect(await relayed).toEqual({
      conversationId: id,
      type: 'TIM_CUSTOM_TYPE_CONVERSATION_ANSWER_CALL',
      from: 'sg-agent',
      qavId: 'sg-agent',
      data,
      sign,
      params: { agent_emp_id: 'sg-agent', conversation_id: id },
      verified: true,
    });

    const got: unknown[] = collect(caller.socket, 'conversation.signal');
    // Tampered data, a sign of another key, a sign for another conversation, no sign: refused, nothing relayed.
    const tampered = await a.socket.emitWithAck('conversation.signal', {
      conversationId: id,
      type: 'TIM_CUSTOM_TYPE_CONVERSATION_ANSWER_CALL',
      data: `agent_emp_id=someone&conversation_id=${id}`,
      sign,
    });
    expect(tampered.error).toMatchObject({ code: 'MESSAGE_SIGN_INVALID' });
    const otherKey = await a.socket.emitWithAck('conversation.signal', {
      conversationId: id,
      type: 'TIM_CUSTOM_TYPE_CONVERSATION_START_CHARGE',
      data,
      sign: peerSign('sg-caller', data),
    });
    expect(otherKey.error.code).toBe('MESSAGE_SIGN_INVALID');
    const elsewhere = `conversation_id=999`;
    expect(
      (
        await a.socket.emitWithAck('conversation.signal', {
          conversationId: id,
          type: 'TIM_CUSTOM_TYPE_CONVERSATION_START_CHARGE',
          data: elsewhere,
          sign: peerSign('sg-agent', elsewhere),
        })
      ).error.code,
    ).toBe('MESSAGE_SIGN_INVALID');
    expect(
      (await a.socket.emitWithAck('conversation.signal', { conversationId: id, type: 'TIM_CUSTOM_TYPE_CONVERSATION_START_CHARGE', data })).error.code,
    ).toBe('MESSAGE_SIGN_INVALID');
    const badShape = await a.socket.emitWithAck('conversation.signal', { conversationId: id, type: 'ANSWER', data });
    expect(badShape.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/type/) });

    // Parameter order does not matter (canonical: sorted); the caller's START_CHARGE over REST reaches the agent.
    const toAgent = nextEvent(a.socket, 'conversation.signal');
    const cdata = `conversation_id=${id}&agent_emp_id=sg-agent`;
    const rest = await call(stack.url, 'POST', `/v1/conversations/${id}/signal`, {
      token: caller.token,
      body: { type: 'TIM_CUSTOM_TYPE_CONVERSATION_START_CHARGE', data: cdata, sign: peerSign('sg-caller', data).toUpperCase() },
    });
    expect(rest.status).toBe(200);
    expect(await toAgent).toMatchObject({ from: 'sg-caller', data, verified: true });
    await sleep(100);
    expect(got).toHaveLength(0);

    // The verification endpoint and the signing helper.
    const v = await call(stack.url, 'POST', '/v1/signals/verify', { token: caller.token, body: { qavId: 'sg-agent', data: `${data}&sign=${sign}` } });
    expect(v.body).toEqual({ valid: true, canonical: data, params: { agent_emp_id: 'sg-agent', conversation_id: id } });
    expect(
      (
        await call(stack.url, 'POST', '/v1/signals/verify', {
          token: caller.token,
          body: { qavId: 'sg-agent', data, sign: sign.replace(/.$/, (c) => (c === '0' ? '1' : '0')) },
        })
      ).body.valid,
    ).toBe(false);
    expect(
      (await call(stack.url, 'POST', '/v1/signals/verify', { token: caller.token, body: { qavId: 'sg-agent', data, sign: 'abc' } })).body.valid,
    ).toBe(false);
    expect((await call(stack.url, 'POST', '/v1/signals/sign', { token: a.token, body: { data } })).body).toEqual({
      qavId: 'sg-agent',
      data,
      sign,
      signed: `${data}&sign=${sign}`,
    });
  });

  it('login with qav=true returns qav_id and qav_sig; without it, the plain session', async () => {
    await call(stack.url, 'POST', '/v1/auth/register', { body: { appid: stack.app.appid, id: 'qv-user', password: 'pw-qv' } });
    const plain = await call(stack.url, 'POST', '/v1/auth/login', { body: { appid: stack.app.appid, id: 'qv-user', password: 'pw-qv' } });
    expect(plain.body).not.toHaveProperty('qav_id');
    const qav = await call(stack.url, 'POST', '/v1/auth/login', { body: { appid: stack.app.appid, id: 'qv-user', password: 'pw-qv', qav: true } });
    expect(qav.body).toMatchObject({ token: expect.any(String), qav_id: 'qv-user', qav_sig: expect.stringMatching(/^[A-Za-z0-9*_-]{20,}$/) });
    expect((await call(stack.url, 'GET', '/v1/qav', { token: qav.body.token })).body).toMatchObject({ qav_id: 'qv-user', sdkAppId: 1400000001 });
  });
});

describe('feedback', () => {
  it('once per side, atomically; the caller side rates the agent and the rating ranks dispatch', async () => {
    // Three agents of RK>EN, online in the order low, mid, high (low would rank first on idle time).
    const low = await agent('fb-low', ['RK>EN', 'RL>EN']);
    const mid = await agent('fb-mid', ['RK>EN']);
    const high = await agent('fb-high', ['RK>EN', 'RH>EN']);
    const caller = await user('fb-caller');

    const lowConv = await accepted(caller, low, 'RL>EN');
    const highConv = await accepted(caller, high, 'RH>EN');
    // Ten submissions of the caller side at once: exactly one counts.
    const many = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(stack.url, 'POST', `/v1/conversations/${lowConv}/feedback`, { token: caller.token, body: { network: 3, translation: 1 } }),
      ),
    );
    expect(many.filter((r) => r.status === 200)).toHaveLength(1);
    expect(many.filter((r) => r.body?.error?.code === 'FEEDBACK_GIVEN')).toHaveLength(9);
    expect(many.find((r) => r.status === 200)!.body).toEqual({ conversationId: lowConv, side: 'caller', network: 3, translation: 1, agentRating: 3 });
    // The agent side, once too; no rating effect.
    const agentSide = await low.socket.emitWithAck('conversation.feedback', { conversationId: lowConv, network: 4, translation: 5 });
    expect(agentSide.data).toEqual({ conversationId: lowConv, side: 'agent', network: 4, translation: 5 });
    expect((await low.socket.emitWithAck('conversation.feedback', { conversationId: lowConv, network: 4, translation: 5 })).error.code).toBe(
      'FEEDBACK_GIVEN',
    );
    expect(
      (await low.socket.emitWithAck('conversation.feedback', { conversationId: lowConv, network: 4, translation: 5, side: 'caller' })).error.code,
    ).toBe('NOT_A_PARTY');
    expect((await caller.socket.emitWithAck('conversation.feedback', { conversationId: lowConv, network: 0, translation: 5 })).error.message).toMatch(
      /network/,
    );
    expect(
      (await caller.socket.emitWithAck('conversation.feedback', { conversationId: highConv, network: 5, translation: 5 })).data.agentRating,
    ).toBe(4.33);
    expect((await call(stack.url, 'GET', `/v1/conversations/${lowConv}/feedback`, { token: caller.token })).body).toEqual({
      conversationId: lowConv,
      caller: { network: 3, translation: 1, at: expect.any(Number) },
      agent: { network: 4, translation: 5, at: expect.any(Number) },
    });

    for (const c of [lowConv, highConv]) await caller.socket.emitWithAck('conversation.end', { conversationId: c });
    // Ranking: high (4.33), mid (4, no ratings), low (3) — whatever their idle times.
    const order = await call(stack.url, 'GET', `/v1/apps/${stack.app.appid}/agents?skill=${encodeURIComponent('RK>EN')}`, { basic: basic() });
    expect(order.body.agents).toEqual(['fb-high', 'fb-mid', 'fb-low']);
    const offered = [collect(low.socket, 'dispatch.offer'), collect(mid.socket, 'dispatch.offer'), collect(high.socket, 'dispatch.offer')];
    await caller.socket.emitWithAck('dispatch.request', { skill: 'RK>EN' });
    await until(() => offered[1]!.length + offered[2]!.length === 2, 2000, 'offers to the two best rated');
    await sleep(100);
    expect(offered[0]).toHaveLength(0);
  });
});

describe('no-show', () => {
  it('an accepted conversation nobody begins ends after CONVERSATION_NOSHOW_MS and frees its agent; a begun one is left alone', async () => {
    const caller = await user('ns-caller');
    const a = await agent('ns-agent', ['NS<>XX']);
    const id = await accepted(caller, a, 'NS>XX');
    const ended = nextEvent(a.socket, 'conversation.ended', NOSHOW + 4000);
    expect((await agentState('ns-agent')).state).toBe('busy');
    expect(await ended).toMatchObject({ conversationId: id, reason: 'no-show' });
    await until(async () => (await agentState('ns-agent')).state === 'online', 2000, 'agent online again');

    const id2 = await accepted(caller, a, 'NS>XX');
    expect((await caller.socket.emitWithAck('conversation.begin', { conversationId: id2 })).ok).toBe(true);
    await sleep(NOSHOW + 1000);
    const conv = await call(stack.url, 'GET', `/v1/conversations/${id2}`, { token: await issueToken(stack.url, stack.app, 'ns-caller') });
    expect(conv.body.state).toBe('active');
  });
});
