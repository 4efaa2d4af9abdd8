// A dispatch request's timer (src/modules/dispatch/service.ts, header): one due time per
// request in the app's sorted set, kept by the scripts that change the request, turned into a
// job (next round, expiry, no-show) by the dispatch sweep when it is due. The api adds one job
// per request (round 1); a conversation begun or ended before its next round costs no other.
// Real api node, real workers (the sweep is their scheduler job), the test Redis.
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

/** The request's timer: its due time in the app's sorted set, or null when it has none. */
async function dueOf(stack: Stack, id: string): Promise<number | null> {
  const { redis, keys } = stack.srv.app.core;
  const score = await redis.zscore(keys.scoped(stack.app.appid, 'dispatch', 'due'), id);
  return score === null ? null : Number(score);
}

/** The request as its caller reads it. */
async function view(caller: Socket, id: string) {
  const r = await caller.emitWithAck('dispatch.get', { requestId: id });
  if (!r.ok) throw new Error(`dispatch.get ${id}: ${r.error.code}`);
  return r.data;
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

describe('a request’s one timer', () => {
  const ROUND = 400;
  const MAX_WAIT = 1190; // rounds at 0, ROUND, 2·ROUND; the third sets the expiry, ~400 ms before it
  const NOSHOW = 600;
  const stack = useStack({
    DISPATCH_FIRST_OFFERS: 1,
    DISPATCH_ROUND_MS: ROUND,
    DISPATCH_MAX_WAIT_MS: MAX_WAIT,
    CONVERSATION_NOSHOW_MS: NOSHOW,
    DISPATCH_SWEEP_INTERVAL_MS: 50,
  });

  it('round 1 sets the next round; the accept turns it into the no-show, which the sweep runs on time', async () => {
    const { appid } = stack.app;
    const { caller, a, id } = await offeredRequest(stack, 'tc', 'TA>TB');
    const setByRound = await dueOf(stack, id);
    expect(setByRound).toBeGreaterThan(Date.now());
    expect(setByRound! - (await view(caller, id)).createdAt).toBeLessThanOrEqual(ROUND + 1000); // round 1 ran just after the create

    const ended = nextEvent(caller, 'conversation.ended', NOSHOW + 4000);
    expect((await a.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true);
    const accepted = await view(caller, id);
    expect(await dueOf(stack, id)).toBe(accepted.acceptedAt! + NOSHOW);
    // The accept added no job; the next round never comes.
    expect(await jobState(stack, noShowJobId(appid, id))).toBe('none');

    expect(await ended).toMatchObject({ conversationId: id, reason: 'no-show' });
    expect(await jobState(stack, noShowJobId(appid, id))).not.toBe('none'); // the sweep added it when due
    expect(await dueOf(stack, id)).toBeNull();
    expect(await jobState(stack, roundJobId(appid, id, 2))).toBe('none');
  });

  it('a conversation begun before its next round costs no job but round 1, and has no timer', async () => {
    const { appid } = stack.app;
    const { caller, a, id } = await offeredRequest(stack, 'tb', 'TG>TH');
    expect((await a.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true);
    expect((await caller.emitWithAck('conversation.begin', { conversationId: id })).ok).toBe(true);
    expect(await dueOf(stack, id)).toBeNull();
    await sleep(Math.max(ROUND, NOSHOW) + 300); // past when the next round and the no-show would have been due
    expect(await jobState(stack, roundJobId(appid, id, 2))).toBe('none');
    expect(await jobState(stack, noShowJobId(appid, id))).toBe('none');
    expect(await jobState(stack, expireJobId(appid, id))).toBe('none');
    expect((await view(caller, id)).state).toBe('active');
  });

  it('nobody accepts: the sweep adds each later round, the last round sets the expiry at expiresAt, and the request expires then', async () => {
    const { appid } = stack.app;
    const { caller, a, id, expiresAt } = await offeredRequest(stack, 'te', 'TE>TF');
    const withdrawn = nextEvent(a, 'dispatch.withdrawn', MAX_WAIT + 4000);
    const expired = nextEvent(caller, 'dispatch.expired', MAX_WAIT + 4000);
    // Rounds at 0, ROUND and 2·ROUND; 3·ROUND would pass MAX_WAIT, so round 3 set the expiry.
    await until(async () => (await jobState(stack, roundJobId(appid, id, 3))) === 'completed', 2 * ROUND + 3000, 'round 3 ran');
    expect(await dueOf(stack, id)).toBe(expiresAt);
    expect(await expired).toEqual({ requestId: id, skill: 'TE>TF' });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(await withdrawn).toEqual({ requestId: id, reason: 'expired' });
    expect(await jobState(stack, roundJobId(appid, id, 4))).toBe('none');
    expect(await dueOf(stack, id)).toBeNull();
  });

  it('a request accepted after its last round gets the no-show instead of the expiry, and never expires', async () => {
    const { appid } = stack.app;
    const { caller, a, id, expiresAt } = await offeredRequest(stack, 'tl', 'TC>TD');
    const expired = collect(caller, 'dispatch.expired');
    await until(async () => (await dueOf(stack, id)) === expiresAt, 2 * ROUND + 3000, 'expiry set by the last round');
    const ended = nextEvent(caller, 'conversation.ended', NOSHOW + 4000);
    expect((await a.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true);
    expect(await dueOf(stack, id)).toBe((await view(caller, id)).acceptedAt! + NOSHOW);
    expect(await ended).toMatchObject({ conversationId: id, reason: 'no-show' });
    expect(await jobState(stack, expireJobId(appid, id))).toBe('none');
    expect(expired).toEqual([]);
  });

  it('a cancelled request drops its timer: no later round, no offer to an agent who comes later', async () => {
    const { appid } = stack.app;
    const caller = await user(stack, 'tx-caller');
    const queued = nextEvent(caller, 'dispatch.queued');
    const r = await caller.emitWithAck('dispatch.request', { skill: 'TX>TY' }); // no agent: queued
    const id = r.ok ? r.data.requestId : '';
    await queued;
    expect(await dueOf(stack, id)).not.toBeNull();
    expect((await caller.emitWithAck('dispatch.cancel', { requestId: id })).ok).toBe(true);
    expect(await dueOf(stack, id)).toBeNull();
    const late = await agent(stack, 'tx-agent', 'TX<>TY');
    const offers = collect(late, 'dispatch.offer');
    await sleep(ROUND + 300);
    expect(offers).toEqual([]);
    expect(await jobState(stack, roundJobId(appid, id, 2))).toBe('none');
  });
});

describe('rounds longer than the no-show', () => {
  const ROUND = 5000;
  const NOSHOW = 300;
  const stack = useStack({
    DISPATCH_FIRST_OFFERS: 2,
    DISPATCH_ROUND_MS: ROUND,
    DISPATCH_MAX_WAIT_MS: 60_000,
    CONVERSATION_NOSHOW_MS: NOSHOW,
    DISPATCH_SWEEP_INTERVAL_MS: 50,
  });

  /** Requests `skill` and waits for its round 1 to queue it (no idle agent): a stalled request. */
  async function stalledRequest(uid: string, skill: string): Promise<{ caller: Socket; id: string }> {
    const caller = await user(stack, uid);
    const queued = nextEvent(caller, 'dispatch.queued');
    const r = await caller.emitWithAck('dispatch.request', { skill });
    const id = r.ok ? r.data.requestId : '';
    expect((await queued).requestId).toBe(id);
    return { caller, id };
  }

  it('the no-show comes at its time, not at the next round', async () => {
    const { appid } = stack.app;
    const { caller, a, id } = await offeredRequest(stack, 'ts', 'TS>TT');
    const ended = nextEvent(caller, 'conversation.ended', NOSHOW + 4000);
    expect((await a.emitWithAck('dispatch.accept', { requestId: id })).ok).toBe(true);
    expect(await dueOf(stack, id)).toBe((await view(caller, id)).acceptedAt! + NOSHOW);
    expect(await ended).toMatchObject({ conversationId: id, reason: 'no-show' });
    expect(await jobState(stack, roundJobId(appid, id, 2))).toBe('none');
  });

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

  it('a claimed timer is leased: a second sweep leaves it, and the job a claim after the lease adds again has the same id, so it runs once', async () => {
    const { appid } = stack.app;
    const { services } = stack.srv.app;
    const caller = await user(stack, 'tk-caller');
    const queued = nextEvent(caller, 'dispatch.queued');
    const r = await caller.emitWithAck('dispatch.request', { skill: 'TK>TL' });
    const id = r.ok ? r.data.requestId : '';
    await queued;
    const due = (await dueOf(stack, id))!;
    // Jobs wait while the queue is paused, so the claims below are the only thing that moves the timer.
    const queue = stack.srv.app.core.queues.get('dispatch');
    await queue.pause();
    try {
      // This test's sweeps run at a time of their own, ahead of the workers' sweep (which claims at the real clock).
      const ahead = due + 100;
      expect((await services.dispatch.sweep(ahead)).count).toBeGreaterThanOrEqual(1);
      expect(await dueOf(stack, id)).toBe(ahead + 30_000); // leased
      await services.dispatch.sweep(ahead); // (other tests' requests may still be claimed: only this one's timer is watched)
      expect(await dueOf(stack, id)).toBe(ahead + 30_000);
      expect(await jobState(stack, roundJobId(appid, id, 2))).toBe('waiting');
      // The lease runs out with the job still not run (as if lost): claimed again, the same job.
      expect((await services.dispatch.sweep(ahead + 30_000)).count).toBeGreaterThanOrEqual(1);
      expect(await jobState(stack, roundJobId(appid, id, 2))).toBe('waiting');
    } finally {
      await queue.resume();
    }
    await until(async () => (await jobState(stack, roundJobId(appid, id, 2))) === 'completed', 5000, 'round 2 ran');
    // Round 2 set the next timer at the real clock, so the lease is gone; it ran once.
    expect(await dueOf(stack, id)).toBeLessThanOrEqual(Date.now() + ROUND);
    expect((await queue.getJob(roundJobId(appid, id, 2)))?.attemptsMade).toBe(1); // one attempt: it ran once
    expect(await jobState(stack, roundJobId(appid, id, 3))).toBe('none');
  });
});
