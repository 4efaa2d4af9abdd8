// A dispatch request's timers (src/modules/dispatch/service.ts, header): one pending timer job
// at a time, each set by the one before and reading the request's state when it fires. The
// api adds one job per request (round 1) and none on accept; the pending round or expiry sets
// the no-show. Real api node, real workers, the test Redis.
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { expireJobId, noShowJobId, roundJobId } from '../../src/modules/dispatch/service.js';
import { collect, connect, issueToken, nextEvent, sleep, until, useStack, type Stack } from '../helpers.js';

async function user(stack: Stack, uid: string): Promise<Socket> {
  const { socket } = await connect(stack.url, await issueToken(stack.url, stack.app, uid));
  stack.track(socket);
  return socket;
}

async function agent(stack: Stack, uid: string, skill: string): Promise<Socket> {
  const s = await user(stack, uid);
  expect((await s.emitWithAck('presence.set', { state: 'online', skills: [skill] })).ok).toBe(true);
  return s;
}

/** The state of a dispatch job by id ('none' when there is no such job). */
const jobState = async (stack: Stack, jobId: string) => (await stack.srv.app.core.queues.get('dispatch').getJob(jobId))?.getState() ?? 'none';

/**
 * How far the pending no-show job is due from acceptedAt + noShowMs (the request's acceptedAt,
 * as the server stored it), read while the job is still delayed (it is due at timestamp + delay).
 */
async function noShowOffset(stack: Stack, caller: Socket, id: string, noShowMs: number): Promise<number> {
  const q = stack.srv.app.core.queues.get('dispatch');
  await until(async () => (await jobState(stack, noShowJobId(stack.app.appid, id))) === 'delayed', 5000, 'no-show set');
  const job = await q.getJob(noShowJobId(stack.app.appid, id));
  const view = await caller.emitWithAck('dispatch.get', { requestId: id });
  if (!job || !view.ok) throw new Error('no no-show job, or no request');
  return job.timestamp + job.delay - ((view.data.acceptedAt ?? 0) + noShowMs);
}

/** A caller and the one agent of `skill`'s pair (`prefix`-caller, `prefix`-agent), and a request of the caller offered to that agent. */
async function offeredRequest(stack: Stack, prefix: string, skill: string): Promise<{ caller: Socket; a: Socket; id: string; expiresAt: number }> {
  const caller = await user(stack, `${prefix}-caller`);
  const a = await agent(stack, `${prefix}-agent`, skill.replace('>', '<>'));
  const offer = nextEvent(a, 'dispatch.offer');
  const r = await caller.emitWithAck('dispatch.request', { skill });
  expect(r.ok).toBe(true);
  const id = r.ok ? r.data.requestId : '';
  expect((await offer).requestId).toBe(id);
  return { caller, a, id, expiresAt: r.ok ? r.data.expiresAt : 0 };
}

describe('the timer chain (no-show not shorter than a round)', () => {
  const ROUND = 400;
  const MAX_WAIT = 1000;
  const NOSHOW = 600;
  const stack = useStack({ DISPATCH_FIRST_OFFERS: 1, DISPATCH_ROUND_MS: ROUND, DISPATCH_MAX_WAIT_MS: MAX_WAIT, CONVERSATION_NOSHOW_MS: NOSHOW });

  it('create adds round 1 only; accept adds none; the pending round sets the no-show, which ends the conversation', async () => {
    const { appid } = stack.app;
    const { caller, a, id } = await offeredRequest(stack, 'tc', 'TA>TB');
    // Round 1 ran and set round 2; no expiry is pending yet (round 2 comes before it).
    await until(async () => (await jobState(stack, roundJobId(appid, id, 2))) === 'delayed', 2000, 'round 2 set');
    expect(await jobState(stack, expireJobId(appid, id))).toBe('none');

    const ended = nextEvent(caller, 'conversation.ended', ROUND + NOSHOW + 4000);
    expect((await a.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true);
    // The accept left round 2 pending and added no no-show of its own.
    expect(await jobState(stack, roundJobId(appid, id, 2))).toBe('delayed');
    expect(await jobState(stack, noShowJobId(appid, id))).toBe('none');

    // Round 2 sets it due at acceptedAt + NOSHOW (not NOSHOW after itself), and sets no round 3.
    expect(Math.abs(await noShowOffset(stack, caller, id, NOSHOW))).toBeLessThan(50);
    expect(await ended).toMatchObject({ conversationId: id, reason: 'no-show' });
    expect(await jobState(stack, roundJobId(appid, id, 3))).toBe('none');
  });

  it('a request accepted after its last round gets its no-show from the pending expiry, and never expires', async () => {
    const { appid } = stack.app;
    const { caller, a, id } = await offeredRequest(stack, 'tl', 'TC>TD');
    const expired = collect(caller, 'dispatch.expired');
    // Rounds at 0, ROUND and 2·ROUND; 3·ROUND would pass MAX_WAIT, so round 3 set the expiry instead of round 4.
    await until(async () => (await jobState(stack, expireJobId(appid, id))) === 'delayed', 3 * ROUND + 2000, 'expiry set by the last round');
    expect(await jobState(stack, roundJobId(appid, id, 4))).toBe('none');

    const ended = nextEvent(caller, 'conversation.ended', MAX_WAIT + NOSHOW + 4000);
    expect((await a.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true);
    expect(Math.abs(await noShowOffset(stack, caller, id, NOSHOW))).toBeLessThan(50);
    expect(await jobState(stack, expireJobId(appid, id))).toBe('completed');
    expect(await ended).toMatchObject({ conversationId: id, reason: 'no-show' });
    expect(expired).toEqual([]);
  });

  it('nobody accepts: the last round sets the expiry, which expires the request at expiresAt', async () => {
    const { caller, a, id, expiresAt } = await offeredRequest(stack, 'te', 'TE>TF');
    const withdrawn = nextEvent(a, 'dispatch.withdrawn', MAX_WAIT + 4000);
    const expired = nextEvent(caller, 'dispatch.expired', MAX_WAIT + 4000);
    expect(await expired).toEqual({ requestId: id, skill: 'TE>TF' });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(await withdrawn).toEqual({ requestId: id, reason: 'expired' });
  });

  it('a cancelled request leaves its pending round to find it cancelled: no offer, no further timer', async () => {
    const { appid } = stack.app;
    const caller = await user(stack, 'tx-caller');
    const r = await caller.emitWithAck('dispatch.request', { skill: 'TX>TY' }); // no agent: queued
    const id = r.ok ? r.data.requestId : '';
    await until(async () => (await jobState(stack, roundJobId(appid, id, 2))) === 'delayed', 2000, 'round 2 set');
    expect((await caller.emitWithAck('dispatch.cancel', { requestId: id })).ok).toBe(true);
    const late = await agent(stack, 'tx-agent', 'TX<>TY');
    const offers = collect(late, 'dispatch.offer');
    await until(async () => (await jobState(stack, roundJobId(appid, id, 2))) === 'completed', ROUND + 3000, 'round 2 ran');
    await sleep(100);
    expect(offers).toEqual([]);
    expect(await jobState(stack, roundJobId(appid, id, 3))).toBe('none');
    expect(await jobState(stack, expireJobId(appid, id))).toBe('none');
  });
});

describe('rounds longer than the no-show', () => {
  const ROUND = 5000;
  const NOSHOW = 300;
  const stack = useStack({ DISPATCH_FIRST_OFFERS: 2, DISPATCH_ROUND_MS: ROUND, DISPATCH_MAX_WAIT_MS: 60_000, CONVERSATION_NOSHOW_MS: NOSHOW });

  /** Requests `skill` and waits for its round 1 to queue it (no idle agent): a stalled request. */
  async function stalledRequest(uid: string, skill: string): Promise<{ caller: Socket; id: string }> {
    const caller = await user(stack, uid);
    const queued = nextEvent(caller, 'dispatch.queued');
    const r = await caller.emitWithAck('dispatch.request', { skill });
    const id = r.ok ? r.data.requestId : '';
    expect((await queued).requestId).toBe(id);
    return { caller, id };
  }

  it('an accept frees the other offered agents: a stalled request of their skill is offered to them at once, not at its next round', async () => {
    const a = await agent(stack, 'sa-a', 'SA<>SB');
    const b = await agent(stack, 'sa-b', 'SA<>SB');
    const caller = await user(stack, 'sa-caller');
    const offers = [nextEvent(a, 'dispatch.offer'), nextEvent(b, 'dispatch.offer')];
    const r = await caller.emitWithAck('dispatch.request', { skill: 'SA>SB' });
    const id = r.ok ? r.data.requestId : '';
    await Promise.all(offers); // both hold an offer: neither is idle
    const stalled = await stalledRequest('sa-waiting', 'SA>SB');

    const next = nextEvent(b, 'dispatch.offer', ROUND - 1000);
    expect((await a.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true);
    expect(await next).toMatchObject({ requestId: stalled.id, round: 2 });
  });

  it('an end frees the agent: a stalled request of its skill is offered to it at once, and the end answers the ended conversation', async () => {
    const { caller, a, id } = await offeredRequest(stack, 'se', 'SE>SF');
    const accepted = await a.emitWithAck('dispatch.accept', { requestId: id });
    expect(accepted).toMatchObject({ ok: true, data: { requestId: id, state: 'accepted', agent: 'se-agent', caller: 'se-caller', skill: 'SE>SF' } });
    expect((await caller.emitWithAck('conversation.begin', { conversationId: id })).ok).toBe(true);
    const stalled = await stalledRequest('se-waiting', 'SE>SF');

    const next = nextEvent(a, 'dispatch.offer', ROUND - 1000);
    const ended = await a.emitWithAck('conversation.end', { conversationId: id });
    expect(ended).toMatchObject({ ok: true, data: { requestId: id, state: 'ended', endReason: 'ended-by-agent', agent: 'se-agent' } });
    expect(await next).toMatchObject({ requestId: stalled.id, round: 2 });
  });

  it('accept adds the no-show itself: the pending round would come too late', async () => {
    const { appid } = stack.app;
    const { caller, a, id } = await offeredRequest(stack, 'ts', 'TS>TT');
    const ended = nextEvent(caller, 'conversation.ended', NOSHOW + 4000);
    expect((await a.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true);
    expect(await jobState(stack, noShowJobId(appid, id))).toBe('delayed'); // added by the accept itself
    expect(Math.abs(await noShowOffset(stack, caller, id, NOSHOW))).toBeLessThan(50);
    expect(await ended).toMatchObject({ conversationId: id, reason: 'no-show' });
    expect(await jobState(stack, roundJobId(appid, id, 2))).toBe('delayed');
  });
});
