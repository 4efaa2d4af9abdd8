// Conferences end to end with real workers: a scheduled conference through its start, dial-out
// with the simulated provider, answers, an app participant joining with the password, mute,
// kick and stop — checking the seed's /getConfUsers and the socket events at each step; the
// simulated provider's failing and hanging-up numbers; the empty timeout; and the webhook
// provider (signed commands to a local fake carrier bridge, signed call-state callbacks,
// tampered and stale ones refused) with SMS notices through a fake Ronglian.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/infra/events.js';
import { emptyJobId, startJobId } from '../../src/modules/conferences/service.js';
import { createConferencesStore } from '../../src/modules/conferences/store.js';
import type { ConferenceMemberEventT, ParticipantViewT as Participant } from '../../src/modules/conferences/schemas.js';
import { signBody, verifySignedBody } from '../../src/providers/telephony/webhook.js';
import {
  ackError,
  call,
  collect,
  connect,
  createApp,
  listenLocal,
  loginUser,
  okData,
  until,
  type Local,
  type TestServer,
  useStack,
} from '../helpers.js';

const open: Socket[] = [];
afterAll(() => {
  for (const s of open) s.close();
});

async function seedUsers(srv: TestServer, appid: string, ids: string[]) {
  const t: Record<string, string> = {};
  for (const id of ids) t[id] = await loginUser(srv.url, appid, id);
  return t;
}

/** A user of the seed's getConfUsers (callid only in states 1 and 2). */
interface ConfUser {
  id: string;
  number: string;
  name: string;
  state: number;
  callid?: string;
}
/** The seed's getConfUsers, through the dialect with the app secret. */
async function confUsers(srv: TestServer, app: { appid: string; secret: string }, id: string): Promise<ConfUser[]> {
  const r = await call<{ status: number; users: ConfUser[] }>(srv.url, 'POST', '/getConfUsers', { basic: [app.appid, app.secret], body: { id } });
  expect(r.body.status).toBe(1);
  return r.body.users;
}
/** The user named `name` (the test fails when there is none). */
const named = (users: ConfUser[], name: string): ConfUser => {
  const user = users.find((u) => u.name === name);
  if (!user) throw new Error(`no conference user named ${name} in ${JSON.stringify(users)}`);
  return user;
};
/** A command the carrier bridge received (the webhook provider's JSON). */
type CarrierCommand = { action: string; callid: string } & Record<string, unknown>;
/** The first event matching `pred` among those collected (waits for it). */
async function seen<T>(events: T[], pred: (e: T) => boolean, what: string): Promise<T> {
  await until(() => events.some(pred), 8000, what);
  return events.find(pred)!;
}
const member = (name: string, action: string) => (e: ConferenceMemberEventT) => e.participant.name === name && e.action === action;

describe('conferences with the simulated provider', () => {
  const stack = useStack(
    { TELEPHONY_SIM_ANSWER_MS: 1500, TELEPHONY_SIM_HANGUP_MS: 300, CONFERENCE_EMPTY_TIMEOUT_MS: 1500 },
    { app: { appid: 'confint' } },
  );
  let t: Record<string, string>;
  const published: DomainEvent[] = [];

  beforeAll(async () => {
    const { srv, workers, app } = stack;
    // Business events published by the workers (call states are applied there) and the api.
    workers.core.events.onPublish((e) => void published.push(e));
    srv.app.core.events.onPublish((e) => void published.push(e));
    t = await seedUsers(srv, app.appid, ['host', 'bob', 'eve']);
  });

  it('a scheduled conference: start, dial-out, answer, password join, mute, kick, stop', async () => {
    const { socket: host } = await connect(stack.url, t.host);
    const { socket: bob } = await connect(stack.url, t.bob);
    const { socket: eve } = await connect(stack.url, t.eve);
    open.push(host, bob, eve);
    const hostEvents = collect(host, 'conference.member');
    const bobEvents = collect(bob, 'conference.member');

    // Scheduled 2 s ahead, with a password; the start is a delayed job with a deterministic id.
    const created = await host.emitWithAck('conference.create', { name: 'standup', time: Date.now() + 2000, pwd: 'pw' });
    expect(created.ok).toBe(true);
    const conf = okData(created).confId;
    expect(okData(created)).toMatchObject({ state: 'scheduled', uid: 'host', hasPassword: true, pwd: 'pw', inCount: 0 });
    expect(await stack.srv.app.core.queues.get('conferences').getJob(startJobId(stack.app.appid, conf))).toBeDefined();

    // Invited before the start: listed now, dialled at the start.
    const inv = await call(stack.url, 'POST', `/v1/conferences/${conf}/participants`, {
      token: t.host,
      body: {
        users: [
          { number: '13800000001', name: 'A' },
          { number: '13800000002', name: 'B' },
          { id: 'bob', name: 'Bob' },
        ],
        dial: true,
      },
    });
    expect(inv.status).toBe(200);
    expect(inv.body.participants.map((p: Participant) => [p.name, p.state, p.call, p.dialOnStart ?? false])).toEqual([
      ['A', 0, 'none', true],
      ['B', 0, 'none', true],
      ['Bob', 0, 'none', false],
    ]);
    await seen(hostEvents, member('Bob', 'added'), 'added events to the creator');
    expect((await confUsers(stack.srv, stack.app, conf)).map((u) => [u.name, u.state, u.callid])).toEqual([
      ['A', 0, undefined],
      ['B', 0, undefined],
      ['Bob', 0, undefined],
    ]);
    const early = await bob.emitWithAck('conference.join', { confId: conf, pwd: 'pw' });
    expect(ackError(early).code).toBe('CONFERENCE_NOT_STARTED');

    // The start job: live, A and B dialled (state 0 while ringing, no callid in the seed's answer).
    await seen(hostEvents, member('A', 'dialling'), 'A dialled at the start');
    await seen(hostEvents, member('B', 'dialling'), 'B dialled at the start');
    expect((await call(stack.url, 'GET', `/v1/conferences/${conf}`, { token: t.host })).body.state).toBe('live');
    const ringing = await confUsers(stack.srv, stack.app, conf);
    if (!hostEvents.some(member('A', 'answered'))) expect(named(ringing, 'A')).toEqual({ id: '', number: '13800000001', name: 'A', state: 0 });

    // The simulated carrier answers: state 1 with a callid unique in the conference.
    const answeredA = await seen(hostEvents, member('A', 'answered'), 'A answered');
    await seen(hostEvents, member('B', 'answered'), 'B answered');
    expect(answeredA.participant).toMatchObject({
      state: 1,
      call: 'connected',
      via: 'phone',
      callid: expect.stringMatching(new RegExp(`^${conf}-`)),
    });
    let users = await confUsers(stack.srv, stack.app, conf);
    expect(users.map((u) => [u.name, u.state])).toEqual([
      ['A', 1],
      ['B', 1],
      ['Bob', 0],
    ]);
    expect(named(users, 'A').callid).not.toBe(named(users, 'B').callid);
    // The business event went out with the room as order key.
    expect(published.find((e) => e.name === 'conference.member' && (e.data as { action?: string }).action === 'answered')).toMatchObject({
      appid: stack.app.appid,
      orderKey: `room:${conf}`,
    });

    // Bob joins from the app: the password is required; then state 1 (via app) and he hears the room.
    expect(ackError(await bob.emitWithAck('conference.join', { confId: conf })).code).toBe('CONFERENCE_PASSWORD');
    expect(ackError(await bob.emitWithAck('conference.join', { confId: conf, pwd: 'wrong' })).code).toBe('CONFERENCE_PASSWORD');
    // The generic room door is shut to anyone the conference did not admit.
    expect(ackError(await eve.emitWithAck('room.join', { roomId: conf })).code).toBe('FORBIDDEN');
    const joined = await bob.emitWithAck('conference.join', { confId: conf, pwd: 'pw' });
    expect(joined.ok).toBe(true);
    expect(okData(joined).participant).toMatchObject({ id: 'bob', state: 1, via: 'app', call: 'connected' });
    await seen(hostEvents, member('Bob', 'joined'), 'Bob joined (creator)');
    expect(named(await confUsers(stack.srv, stack.app, conf), 'Bob')).toMatchObject({ state: 1, callid: okData(joined).participant.callid });
    expect((await call(stack.url, 'GET', `/v1/rooms/${conf}/members`, { token: t.host })).body.members.map((m: { uid: string }) => m.uid)).toEqual([
      'bob',
    ]);

    // Mute A (socket, creator): everyone in the room and the creator hear it; the seed state is unchanged.
    users = await confUsers(stack.srv, stack.app, conf);
    const muted = await host.emitWithAck('conference.mute', { confId: conf, callids: [named(users, 'A').callid!] });
    expect(okData(muted).participants).toEqual([expect.objectContaining({ name: 'A', muted: true })]);
    await seen(bobEvents, member('A', 'muted'), 'Bob hears the mute');
    await seen(hostEvents, member('A', 'muted'), 'the creator hears the mute');
    expect(named(await confUsers(stack.srv, stack.app, conf), 'A').state).toBe(1);

    // A non-creator cannot control it.
    expect(ackError(await bob.emitWithAck('conference.kick', { confId: conf, callids: [named(users, 'A').callid!] })).code).toBe('FORBIDDEN');
    expect(ackError(await bob.emitWithAck('conference.kick', { confId: conf, callids: [] })).code).toBe('VALIDATION_FAILED');

    // Kick B through the seed's quitConf: state 2, the leg hung up.
    const q = await call(stack.url, 'POST', '/quitConf', {
      token: t.host,
      body: { id: conf, uid: 'host', appid: stack.app.appid, users: [{ callid: named(users, 'B').callid! }] },
    });
    expect(q.body).toEqual({ status: 1 });
    expect((await seen(bobEvents, member('B', 'kicked'), 'B kicked')).participant).toMatchObject({ state: 2, call: 'ended' });
    expect(named(await confUsers(stack.srv, stack.app, conf), 'B').state).toBe(2);
    await until(
      async () =>
        (await stack.srv.app.core.queues.get('conferences').getJob(`conf-cmd.${stack.app.appid}.${conf}.${named(users, 'B').callid}.hangup`))
          ?.finishedOn !== undefined,
      5000,
      'hangup command sent',
    );

    // Kick Bob (app participant): he hears it, then leaves the room and cannot walk back in through it.
    const bobCall = named(await confUsers(stack.srv, stack.app, conf), 'Bob').callid!;
    expect((await host.emitWithAck('conference.kick', { confId: conf, callids: [bobCall] })).ok).toBe(true);
    await seen(bobEvents, member('Bob', 'kicked'), 'Bob hears he was kicked');
    await until(
      async () => (await call(stack.url, 'GET', `/v1/rooms/${conf}/members`, { token: t.host })).body.total === 0,
      5000,
      'Bob out of the room',
    );
    expect(ackError(await bob.emitWithAck('room.join', { roomId: conf })).code).toBe('FORBIDDEN');
    expect(named(await confUsers(stack.srv, stack.app, conf), 'Bob').state).toBe(2);

    // A reconnecting creator finds the conference in session.snapshot.
    const again = await connect(stack.url, t.host);
    open.push(again.socket);
    expect(again.snapshot.conferences).toContainEqual({ confId: conf, name: 'standup', state: 'live', startAt: expect.any(Number), inCount: 1 }); // A is still in

    // Stop (native, creator): every leg still up ends; the room closes.
    const stopped = await call(stack.url, 'POST', `/v1/conferences/${conf}/stop`, { token: t.host });
    expect(stopped.body).toMatchObject({ state: 'ended', endReason: 'stopped', inCount: 0 });
    await seen(hostEvents, member('A', 'ended'), 'A ended with the conference');
    expect((await confUsers(stack.srv, stack.app, conf)).map((u) => [u.name, u.state])).toEqual([
      ['A', 2],
      ['B', 2],
      ['Bob', 2],
    ]);
    expect((await call(stack.url, 'GET', `/v1/rooms/${conf}`, { token: t.host })).body.state).toBe('closed');
    expect(ackError(await host.emitWithAck('conference.join', { confId: conf })).code).toBe('CONFERENCE_ENDED');
  });

  it('simulated numbers: …0000 never answers (failed, state 0), …9999 answers then hangs up (state 2)', async () => {
    const c = (
      await call(stack.url, 'POST', '/v1/conferences', { basic: [stack.app.appid, stack.app.secret], body: { name: 'patterns', uid: 'host' } })
    ).body;
    const { socket: host } = await connect(stack.url, t.host);
    open.push(host);
    const events = collect(host, 'conference.member');
    expect(
      (
        await call(stack.url, 'POST', `/v1/conferences/${c.confId}/participants`, {
          basic: [stack.app.appid, stack.app.secret],
          body: {
            users: [
              { number: '13800000000', name: 'NoAnswer' },
              { number: '13899999999', name: 'HangsUp' },
            ],
            dial: true,
          },
        })
      ).status,
    ).toBe(200);
    expect((await seen(events, member('NoAnswer', 'failed'), 'no answer')).participant).toMatchObject({ state: 0, call: 'failed' });
    await seen(events, member('HangsUp', 'answered'), 'answered');
    expect((await seen(events, member('HangsUp', 'hungup'), 'hung up')).participant).toMatchObject({ state: 2, call: 'ended' });
    const users = await confUsers(stack.srv, stack.app, c.confId);
    expect(named(users, 'NoAnswer')).toEqual({ id: '', number: '13800000000', name: 'NoAnswer', state: 0 });
    expect(named(users, 'HangsUp')).toMatchObject({ state: 2, callid: expect.any(String) });
    // Empty now: the empty timeout ends it by itself.
    await until(
      async () =>
        (await call(stack.url, 'GET', `/v1/conferences/${c.confId}`, { basic: [stack.app.appid, stack.app.secret] })).body.state === 'ended',
      8000,
      'ended when empty',
    );
    expect((await call(stack.url, 'GET', `/v1/conferences/${c.confId}`, { basic: [stack.app.appid, stack.app.secret] })).body.endReason).toBe(
      'empty',
    );
  });

  it('empty timeout: someone in cancels it, the conference ends once empty again', async () => {
    const c = (await call(stack.url, 'POST', '/v1/conferences', { token: t.host, body: { name: 'empty' } })).body;
    const { socket: eve } = await connect(stack.url, t.eve);
    open.push(eve);
    expect((await eve.emitWithAck('conference.join', { confId: c.confId })).ok).toBe(true); // no password: anyone of the app
    // The timeout armed at creation runs and finds someone in: nothing ends.
    const q = stack.srv.app.core.queues.get('conferences');
    await until(
      async () => (await q.getJob(emptyJobId(stack.app.appid, c.confId, c.createdAt)))?.finishedOn !== undefined,
      8000,
      'first empty timeout ran',
    );
    expect((await q.getJob(emptyJobId(stack.app.appid, c.confId, c.createdAt)))!.returnvalue).toEqual({ ended: false });
    expect((await call(stack.url, 'GET', `/v1/conferences/${c.confId}`, { token: t.host })).body.state).toBe('live');
    // Eve leaves: state 2, and the conference ends by itself.
    expect(okData(await eve.emitWithAck('conference.leave', { confId: c.confId }))).toEqual({ left: true });
    expect((await confUsers(stack.srv, stack.app, c.confId))[0]).toMatchObject({ id: 'eve', state: 2 });
    await until(
      async () => (await call(stack.url, 'GET', `/v1/conferences/${c.confId}`, { token: t.host })).body.state === 'ended',
      8000,
      'ended when empty',
    );
    expect((await call(stack.url, 'GET', `/v1/conferences/${c.confId}`, { token: t.host })).body.endReason).toBe('empty');
  });

  it('an empty-timeout job lost to a crash is re-created by the next participant change', async () => {
    const c = (await call(stack.url, 'POST', '/v1/conferences', { token: t.host, body: { name: 'lost timer' } })).body;
    const q = stack.srv.app.core.queues.get('conferences');
    const id = emptyJobId(stack.app.appid, c.confId, c.createdAt);
    // Lost: what a process dying between the create script and its enqueue leaves.
    await q.remove(id);
    expect(await q.getJob(id)).toBeUndefined();
    // A change that leaves it empty (a participant listed, nobody dialled) arms the same timer again.
    await call(stack.url, 'POST', `/v1/conferences/${c.confId}/participants`, {
      token: t.host,
      body: { users: [{ number: '13800000007', name: 'Later' }] },
    });
    await until(
      async () => (await call(stack.url, 'GET', `/v1/conferences/${c.confId}`, { token: t.host })).body.state === 'ended',
      8000,
      'ended when empty',
    );
    await until(async () => (await q.getJob(id))?.finishedOn !== undefined, 5000, 'the re-created job finished');
    expect((await q.getJob(id))!.returnvalue).toEqual({ ended: true });
  });

  it('a stop after a crash between ending the conference and closing its room closes the room', async () => {
    const c = (await call(stack.url, 'POST', '/v1/conferences', { token: t.host, body: { name: 'crash' } })).body;
    // What a process dying right after the end script leaves: the conference ended, its room open.
    const store = createConferencesStore(stack.srv.app.core.redis, stack.srv.app.core.keys, stack.srv.config.TELEPHONY_RING_TIMEOUT_MS);
    expect((await store.end(stack.app.appid, c.confId, Date.now(), 'stopped', null)).code).toBe(1);
    expect((await call(stack.url, 'GET', `/v1/rooms/${c.confId}`, { token: t.host })).body.state).toBe('open');
    expect((await call(stack.url, 'POST', '/stopConf', { token: t.host, body: { id: c.confId, uid: 'host', appid: stack.app.appid } })).body).toEqual(
      {
        status: 1,
      },
    );
    expect((await call(stack.url, 'GET', `/v1/rooms/${c.confId}`, { token: t.host })).body.state).toBe('closed');
  });

  it('an app participant timing out of the room leaves the conference (state 2)', async () => {
    const c = (await call(stack.url, 'POST', '/v1/conferences', { token: t.host, body: { name: 'timeout' } })).body;
    expect((await call(stack.url, 'POST', `/v1/conferences/${c.confId}/join`, { token: t.eve, body: {} })).body.participant.state).toBe(1);
    // No heartbeat: the rooms sweep removes her after ROOM_MEMBER_TIMEOUT_MS; the conference hears it.
    await until(async () => (await confUsers(stack.srv, stack.app, c.confId))[0]!.state === 2, 20000, 'Eve timed out');
  }, 30_000);
});

describe('conferences with the webhook provider and Ronglian SMS', () => {
  const SECRET = 'carrier-secret-0123456789';
  let t: Record<string, string>;
  let bridge: Local;
  const commands: CarrierCommand[] = [];
  let failNextCommand = false;
  const sms: Array<{ url: string | undefined; authorization: string | undefined; body: unknown }> = [];
  let smsFailures = 1;

  // The fake bridge starts before the stack and stops after it (hooks written before useStack).
  beforeAll(async () => {
    // The fake carrier bridge checks our signature like a real one would; the fake Ronglian answers TemplateSMS.
    bridge = await listenLocal((req, res, body) => {
      if (req.url?.includes('/SMS/TemplateSMS')) {
        sms.push({ url: req.url, authorization: req.headers.authorization, body: JSON.parse(body) });
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify(
            smsFailures-- > 0
              ? { statusCode: '160038', statusMsg: 'busy, retry' }
              : { statusCode: '000000', templateSMS: { smsMessageSid: `m${sms.length}` } },
          ),
        );
        return;
      }
      try {
        verifySignedBody(SECRET, req.headers, body, 60);
      } catch {
        res.statusCode = 401;
        res.end();
        return;
      }
      commands.push(JSON.parse(body));
      if (failNextCommand) {
        failNextCommand = false;
        res.statusCode = 503;
      }
      res.end();
    });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const stack = useStack(
    () => ({
      TELEPHONY_PROVIDER: 'webhook',
      TELEPHONY_WEBHOOK_URL: `${bridge.url}/carrier`,
      TELEPHONY_WEBHOOK_SECRET: SECRET,
      TELEPHONY_CALLBACK_MAX_AGE_SECONDS: 60,
      SMS_PROVIDER: 'ronglian',
      RONGLIAN_BASE_URL: bridge.url,
      RONGLIAN_ACCOUNT_SID: 'sid0001',
      RONGLIAN_AUTH_TOKEN: 'tok0001',
      RONGLIAN_APP_ID: 'rlapp',
      CONFERENCE_EMPTY_TIMEOUT_MS: 0,
    }),
    { app: { appid: 'confhook' } },
  );
  beforeAll(async () => {
    const { srv, app } = stack;
    t = await seedUsers(srv, app.appid, ['host']);
  });

  /** A call-state callback as the bridge sends it (signed unless told otherwise). */
  async function callback(body: Record<string, unknown>, opts: { tamper?: boolean; ts?: number } = {}) {
    const raw = JSON.stringify(body);
    const ts = opts.ts ?? Math.floor(Date.now() / 1000);
    const signed = opts.tamper ? JSON.stringify({ ...body, state: 'answered', extra: 1 }) : raw;
    return call(stack.url, 'POST', '/v1/telephony/callbacks', {
      body: raw,
      headers: { 'x-switchboard-timestamp': String(ts), 'x-switchboard-signature': signBody(SECRET, ts, signed) },
    });
  }

  it('dial, mute and hangup go to the bridge signed (a refused command is retried); signed callbacks move the states', async () => {
    const c = (await call(stack.url, 'POST', '/v1/conferences', { token: t.host, body: { name: 'carrier' } })).body;
    failNextCommand = true; // the first dial attempt gets 503: the command job retries it
    await call(stack.url, 'POST', `/v1/conferences/${c.confId}/participants`, {
      token: t.host,
      body: { users: [{ number: '+4420000001', name: 'Zoe' }], dial: true },
    });
    await until(() => commands.filter((x) => x.action === 'dial').length >= 2, 10000, 'dial retried');
    const dial = commands.find((x) => x.action === 'dial')!; // the until() above waited for it
    expect(dial).toEqual({
      action: 'dial',
      appid: stack.app.appid,
      confId: c.confId,
      vid: c.vid,
      callid: expect.stringMatching(new RegExp(`^${c.confId}-`)),
      number: '+4420000001',
      name: 'Zoe',
    });
    const leg = { appid: stack.app.appid, confId: c.confId, callid: dial.callid };

    // Tampered, stale, unsigned and malformed callbacks are refused and change nothing.
    expect((await callback({ ...leg, state: 'failed' }, { tamper: true })).body.error.code).toBe('CALLBACK_SIGN_INVALID');
    expect((await callback({ ...leg, state: 'answered' }, { ts: Math.floor(Date.now() / 1000) - 3600 })).body.error.code).toBe('CALLBACK_EXPIRED');
    expect((await call(stack.url, 'POST', '/v1/telephony/callbacks', { body: { ...leg, state: 'answered' } })).status).toBe(401);
    expect((await callback({ ...leg, state: 'exploded' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await confUsers(stack.srv, stack.app, c.confId))[0]!.state).toBe(0);

    // answered → state 1 (a repeated report is applied once).
    expect((await callback({ ...leg, state: 'answered' })).status).toBe(202);
    expect((await callback({ ...leg, state: 'answered' })).status).toBe(202);
    await until(async () => (await confUsers(stack.srv, stack.app, c.confId))[0]!.state === 1, 5000, 'answered via callback');

    await call(stack.url, 'POST', `/v1/conferences/${c.confId}/mute`, { token: t.host, body: { callids: [dial.callid] } });
    await until(() => commands.some((x) => x.action === 'mute' && x.callid === dial.callid), 5000, 'mute sent');
    await call(stack.url, 'POST', `/v1/conferences/${c.confId}/kick`, { token: t.host, body: { callids: [dial.callid] } });
    await until(() => commands.some((x) => x.action === 'hangup' && x.callid === dial.callid), 5000, 'hangup sent');
    expect((await confUsers(stack.srv, stack.app, c.confId))[0]).toMatchObject({ state: 2, callid: dial.callid });
    // The bridge's own hungup report afterwards changes nothing.
    expect((await callback({ ...leg, state: 'hungup' })).status).toBe(202);
    expect((await confUsers(stack.srv, stack.app, c.confId))[0]!.state).toBe(2);
  });

  it('a callback for a leg we do not know lands in the failed set with its reason', async () => {
    const c = (await call(stack.url, 'POST', '/v1/conferences', { token: t.host, body: { name: 'unknown leg' } })).body;
    expect((await callback({ appid: stack.app.appid, confId: c.confId, callid: `${c.confId}-77`, state: 'answered' })).status).toBe(202);
    const q = stack.srv.app.core.queues.get('conferences');
    await until(async () => (await q.getFailed()).some((j) => j.data.callid === `${c.confId}-77`), 5000, 'failed');
    expect((await q.getFailed()).find((j) => j.data.callid === `${c.confId}-77`)!.failedReason).toMatch(/PARTICIPANT_NOT_FOUND/);
  });

  it('SMS notices through Ronglian: one job per number, retried after a refusal', async () => {
    const r = await call(stack.url, 'POST', '/v1/conferences/notices', {
      token: t.host,
      body: { mps: ['13800000000'], datas: ['standup', '10:00'] },
    });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ noticeId: expect.any(String), numbers: ['13800000000'] });
    await until(() => sms.length >= 2, 10000, 'SMS retried');
    expect(sms[1]!.body).toEqual({ appId: 'rlapp', to: '13800000000', templateId: '1', datas: ['standup', '10:00'] });
    expect(sms[1]!.url).toMatch(/^\/2013-12-26\/Accounts\/sid0001\/SMS\/TemplateSMS\?sig=[0-9A-F]{32}$/);
    const job = await stack.srv.app.core.queues.get('sms').getJob(`sms.${stack.app.appid}.${r.body.noticeId}.13800000000`);
    await until(async () => await job!.isCompleted(), 5000, 'sms job completed');
    const bad = await call(stack.url, 'POST', '/v1/conferences/notices', { token: t.host, body: { mps: '13800000000,555' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toEqual({ code: 'INVALID_NUMBER', message: expect.stringMatching(/555/) });
  });
});

describe('ring timeout (a carrier that never reports)', () => {
  let bridge: Local;
  const commands: CarrierCommand[] = [];

  // The fake bridge starts before the stack and stops after it (hooks written before useStack).
  beforeAll(async () => {
    bridge = await listenLocal((_req, res, body) => {
      commands.push(JSON.parse(body));
      res.end();
    });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const stack = useStack(
    () => ({
      TELEPHONY_PROVIDER: 'webhook',
      TELEPHONY_WEBHOOK_URL: `${bridge.url}/carrier`,
      TELEPHONY_WEBHOOK_SECRET: 'carrier-secret-0123456789',
      TELEPHONY_RING_TIMEOUT_MS: 1000,
      CONFERENCE_EMPTY_TIMEOUT_MS: 1000,
    }),
    { app: false },
  );

  it('an unanswered leg fails after TELEPHONY_RING_TIMEOUT_MS, is hung up, and the empty conference ends', async () => {
    const app = await createApp(stack.url, { appid: 'confring' });
    const c = (await call(stack.url, 'POST', '/v1/conferences', { basic: [app.appid, app.secret], body: { name: 'ring', uid: 'host' } })).body;
    await call(stack.url, 'POST', `/v1/conferences/${c.confId}/participants`, {
      basic: [app.appid, app.secret],
      body: { users: [{ number: '13800000005', name: 'Silent' }], dial: true },
    });
    await until(() => commands.some((x) => x.action === 'dial'), 5000, 'dialled');
    const callid = commands.find((x) => x.action === 'dial')!.callid;
    await until(() => commands.some((x) => x.action === 'hangup' && x.callid === callid), 8000, 'hung up after the ring timeout');
    const p = (await call(stack.url, 'GET', `/v1/conferences/${c.confId}/participants`, { basic: [app.appid, app.secret] })).body.participants[0];
    expect(p).toMatchObject({ name: 'Silent', state: 0, call: 'failed', callid });
    // Ringing kept the new conference alive; once the leg failed it was empty and ended by itself.
    await until(
      async () => (await call(stack.url, 'GET', `/v1/conferences/${c.confId}`, { basic: [app.appid, app.secret] })).body.state === 'ended',
      8000,
      'ended when empty',
    );
  });
});
