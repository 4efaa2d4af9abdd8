// Business events (core.events) published by the existing modules: each state change is
// published once, where it is committed (api node or worker), with the ids it is about and
// its order key — and an idempotent retry (join twice, start twice, end twice) publishes
// nothing. A plain sink on the api's and the workers' core.events records what they publish.
import type { Socket } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServerPayload } from '../../src/client/index.js';
import type { DomainEvent } from '../../src/infra/events.js';
import { callbackSign } from '../../src/providers/tencent/callback.js';
import { call, connect, issueToken, nextEvent, until, useStack } from '../helpers.js';

const SDKAPPID = 1400000777;
const CALLBACK_KEY = 'events-callback-key';

const stack = useStack(
  {
    ROOM_MEMBER_TIMEOUT_MS: 400,
    ROOM_SWEEP_INTERVAL_MS: 100,
    DISPATCH_MAX_WAIT_MS: 600,
    DISPATCH_ROUND_MS: 300,
    CHARGE_TICK_SECONDS: 0.2,
    CHARGE_SWEEP_INTERVAL_MS: 20,
    SOCKET_RATE_BURST: 200,
  },
  { app: { tencent: { sdkAppId: SDKAPPID, key: 'usersig-key-0123456789', callbackKey: CALLBACK_KEY } } },
);
const published: Array<DomainEvent & { node: 'api' | 'worker' }> = [];

beforeAll(() => {
  const { srv, workers } = stack;
  srv.app.core.events.onPublish((e) => void published.push({ ...e, node: 'api' }));
  workers.core.events.onPublish((e) => void published.push({ ...e, node: 'worker' }));
});

const basic = (): [string, string] => [stack.app.appid, stack.app.secret];

async function user(uid: string, opts: { role?: string; balance?: number } = {}): Promise<{ uid: string; token: string; socket: Socket }> {
  const token = await issueToken(stack.url, stack.app, uid, opts.role ? { role: opts.role } : {});
  if (opts.balance)
    expect(
      (await call(stack.url, 'POST', '/v1/billing/topups', { basic: basic(), body: { uid, amount: opts.balance, ref: `init-${uid}` } })).status,
    ).toBe(200);
  const { socket } = await connect(stack.url, token);
  stack.track(socket);
  return { uid, token, socket };
}

/** Events about one order key, in publish order, as [name, data]. */
const about = (orderKey: string) => published.filter((e) => e.appid === stack.app.appid && e.orderKey === orderKey);
const names = (orderKey: string) => about(orderKey).map((e) => e.name);

describe('rooms', () => {
  it('publishes room.started, member joined/left/timed-out (from the worker sweep) and room.ended once each', async () => {
    const host = await user('r-host');
    const guest = await user('r-guest');
    const silent = await user('r-silent');
    const room = await call(stack.url, 'POST', '/v1/rooms', { token: host.token, body: {} });
    expect(room.status).toBe(201);
    const roomId: string = room.body.roomId;
    const key = `room:${roomId}`;
    expect(about(key)).toEqual([
      expect.objectContaining({
        name: 'room.started',
        node: 'api',
        data: { roomId, kind: 'room', host: 'r-host' },
        id: expect.any(String),
        at: expect.any(Number),
      }),
    ]);

    // A join and its idempotent repeats (join again, heartbeat) publish one event.
    for (let i = 0; i < 2; i++) expect((await call(stack.url, 'POST', `/v1/rooms/${roomId}/join`, { token: guest.token })).status).toBe(200);
    expect((await call(stack.url, 'POST', `/v1/rooms/${roomId}/heartbeat`, { token: guest.token })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await call(stack.url, 'POST', `/v1/rooms/${roomId}/leave`, { token: guest.token })).status).toBe(200);
    expect(
      about(key)
        .slice(1)
        .map((e) => [e.name, e.data]),
    ).toEqual([
      ['room.member.joined', { roomId, kind: 'room', uid: 'r-guest', role: 'member', memsize: 1 }],
      ['room.member.left', { roomId, kind: 'room', uid: 'r-guest', role: 'member', memsize: 0 }],
    ]);

    // A member who stops heartbeating is removed by the worker's sweep.
    expect((await call(stack.url, 'POST', `/v1/rooms/${roomId}/join`, { token: silent.token })).status).toBe(200);
    await until(() => names(key).includes('room.member.timedout'), 5000, 'room.member.timedout');
    const timedOut = about(key).find((e) => e.name === 'room.member.timedout')!;
    expect(timedOut).toMatchObject({ node: 'worker', data: { roomId, kind: 'room', uid: 'r-silent', memsize: 0 } });

    for (let i = 0; i < 2; i++) expect((await call(stack.url, 'POST', `/v1/rooms/${roomId}/end`, { token: host.token })).status).toBe(200);
    expect(names(key)).toEqual([
      'room.started',
      'room.member.joined',
      'room.member.left',
      'room.member.joined',
      'room.member.timedout',
      'room.ended',
    ]);
    expect(about(key).at(-1)!.data).toEqual({ roomId, kind: 'room', host: 'r-host', state: 'closed' });
    // Every event has its own id.
    expect(new Set(about(key).map((e) => e.id)).size).toBe(6);
  });

  it('a course is started when the teacher starts it (not at creation), once; exit ends it; its recording is published by the worker', async () => {
    const teacher = await user('c-teacher', { role: 'teacher' });
    const student = await user('c-student', { role: 'student' });
    const course = await call(stack.url, 'POST', '/v1/courses', { token: teacher.token, body: { title: 'algebra' } });
    expect(course.status).toBe(201);
    const roomnum: number = course.body.roomnum;
    const key = `room:${roomnum}`;
    expect(about(key)).toEqual([]);
    for (let i = 0; i < 2; i++) expect((await call(stack.url, 'POST', `/v1/courses/${roomnum}/start`, { token: teacher.token })).status).toBe(200);
    expect(about(key).map((e) => [e.name, e.data])).toEqual([
      ['room.started', { roomId: String(roomnum), kind: 'classroom', host: 'c-teacher', roomnum, title: 'algebra', beginImseq: 0 }],
    ]);
    expect((await call(stack.url, 'POST', `/v1/courses/${roomnum}/enter`, { token: student.token })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await call(stack.url, 'POST', `/v1/courses/${roomnum}/exit`, { token: teacher.token })).status).toBe(200);
    expect(names(key)).toEqual(['room.started', 'room.member.joined', 'room.ended']);
    expect(about(key)[2]!.data).toMatchObject({ roomId: String(roomnum), kind: 'classroom', host: 'c-teacher' });

    // The vendor's recording callback, twice (its retry): one recording.ready, from the worker.
    const t = Math.floor(Date.now() / 1000) + 600;
    const body = {
      t,
      sign: callbackSign(CALLBACK_KEY, t),
      event_type: 100,
      appid: 1250000000,
      stream_id: `${SDKAPPID}_${roomnum}_c-teacher_main`,
      file_id: `f-${roomnum}`,
      file_format: 'mp4',
      video_url: `http://vod.example/f-${roomnum}.mp4`,
      duration: 60,
      file_size: 999,
    };
    for (let i = 0; i < 2; i++) expect((await call(stack.url, 'POST', '/v1/media/callbacks/recording', { body })).body).toEqual({ code: 0 });
    await until(() => names(key).includes('recording.ready'), 8000, 'recording.ready');
    const rec = about(key).find((e) => e.name === 'recording.ready')!;
    expect(rec).toMatchObject({
      node: 'worker',
      id: expect.stringMatching(/^recording-/),
      data: {
        roomId: String(roomnum),
        roomnum,
        fileId: `f-${roomnum}`,
        fileFormat: 'mp4',
        playbackUrl: body.video_url,
        videoUrl: body.video_url,
        duration: 60,
        fileSize: 999,
      },
    });
    // The course became a playback (the handler ran before the event), and nothing was published twice.
    await until(
      async () => (await call(stack.url, 'GET', `/v1/courses/${roomnum}`, { token: teacher.token })).body.state === 3,
      5000,
      'course state 3',
    );
    expect(names(key).filter((n) => n === 'recording.ready')).toHaveLength(1);
  });
});

describe('dispatch, conversations, billing, pairing', () => {
  it('dispatch.taken once for the winner, conversation started/ended once, charge ticked/ended for the metered call', async () => {
    await call(stack.url, 'PUT', '/v1/billing/prices/default', { basic: basic(), body: { unitPrice: 100, unitSeconds: 1 } });
    const caller = await user('d-caller', { balance: 100000 });
    const agent = await user('d-agent');
    expect((await agent.socket.emitWithAck('presence.set', { state: 'online', skills: ['CN>EN'] })).ok).toBe(true);
    const offer = nextEvent(agent.socket, 'dispatch.offer');
    const req = await caller.socket.emitWithAck('dispatch.request', { skill: 'CN>EN' });
    const id: string = req.data.requestId;
    await offer;
    expect((await agent.socket.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true);
    expect((await agent.socket.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true); // idempotent: no second event
    expect(about(id).map((e) => [e.name, e.data])).toEqual([
      ['dispatch.taken', { requestId: id, conversationId: id, caller: 'd-caller', agent: 'd-agent', skill: 'CN>EN', round: 1 }],
    ]);

    for (let i = 0; i < 2; i++) expect((await caller.socket.emitWithAck('conversation.begin', { conversationId: id })).ok).toBe(true);
    // The conversation's metered call (same id) ticks from the worker.
    expect(
      (await call(stack.url, 'POST', '/v1/billing/calls', { basic: basic(), body: { callId: id, payer: 'd-caller', payee: 'd-agent' } })).status,
    ).toBe(200);
    await until(() => names(id).includes('charge.ticked'), 5000, 'charge.ticked');
    for (let i = 0; i < 2; i++) expect((await caller.socket.emitWithAck('conversation.end', { conversationId: id })).ok).toBe(true);

    const events = about(id);
    expect(events.map((e) => e.name).filter((n) => n !== 'charge.ticked')).toEqual([
      'dispatch.taken',
      'conversation.started',
      'conversation.ended',
      'charge.ended',
    ]);
    expect(events.find((e) => e.name === 'conversation.started')!.data).toEqual({
      conversationId: id,
      caller: 'd-caller',
      agent: 'd-agent',
      startedAt: expect.any(Number),
    });
    expect(events.find((e) => e.name === 'conversation.ended')!.data).toMatchObject({
      conversationId: id,
      caller: 'd-caller',
      agent: 'd-agent',
      reason: 'ended-by-caller',
      durationMs: expect.any(Number),
    });
    const tick = events.find((e) => e.name === 'charge.ticked')!;
    expect(tick).toMatchObject({
      node: 'worker',
      data: { callId: id, payer: 'd-caller', payee: 'd-agent', unitPrice: 100, seq: expect.any(Number), amount: expect.any(Number) },
    });
    const ended = events.find((e) => e.name === 'charge.ended')!.data as ServerPayload<'charge.ended'>; // the users' payload, and payer, payee, unitPrice
    expect(ended).toMatchObject({ callId: id, payer: 'd-caller', payee: 'd-agent', reason: 'conversation', unitPrice: 100 });
    expect(ended.amount).toBe(ended.units * 100);
    // Ticks carry increasing sequence numbers, all before the end.
    const seqs = events.filter((e) => e.name === 'charge.ticked').map((e) => (e.data as { seq: number }).seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(events.findIndex((e) => e.name === 'charge.ended')).toBe(events.length - 1);
  });

  it('dispatch.expired from the worker when nobody accepts', async () => {
    const caller = await user('x-caller');
    const req = await caller.socket.emitWithAck('dispatch.request', { skill: 'XX>YY' });
    const id: string = req.data.requestId;
    await until(() => names(id).includes('dispatch.expired'), 5000, 'dispatch.expired');
    expect(about(id)).toEqual([
      expect.objectContaining({ name: 'dispatch.expired', node: 'worker', data: { requestId: id, caller: 'x-caller', skill: 'XX>YY' } }),
    ]);
  });

  it('pairing.matched once, keyed by the call', async () => {
    await call(stack.url, 'PUT', '/v1/billing/prices/video', { basic: basic(), body: { unitPrice: 0, unitSeconds: 60 } });
    const asker = await user('p-asker', { balance: 1000 });
    const peer = await user('p-peer');
    expect((await peer.socket.emitWithAck('pair.available', { available: true })).ok).toBe(true);
    const dispatched = nextEvent(peer.socket, 'pair.dispatch');
    const ask = await asker.socket.emitWithAck('pair.ask', { scene: 0, peerUid: 'p-peer' });
    expect(ask.ok).toBe(true);
    const askNo: string = ask.data.askNo;
    await dispatched;
    expect((await peer.socket.emitWithAck('pair.answer', { askNo, roundNo: 1, pass: true })).data.won).toBe(true);
    const c = await asker.socket.emitWithAck('pair.confirm', { askNo, pass: true, peerUid: 'p-peer', callId: `pcall-${askNo}` });
    expect(c.ok).toBe(true);
    expect(about(`pcall-${askNo}`).map((e) => [e.name, e.data])).toEqual([
      ['pairing.matched', { askNo, askUid: 'p-asker', peerUid: 'p-peer', callId: `pcall-${askNo}` }],
    ]);
  });
});
