// Dispatch: requests for an agent with a skill, offered round by round to the best idle
// matching agents, first accept wins; the accepted request is the conversation (same id),
// begun and ended by its parties. Generic: the call centre's interpreters and the video
// cloud's customer-service seats are both "agents with skills answering requests".
//
// Policy (config, README): round 1 offers the request to the DISPATCH_FIRST_OFFERS best idle
// agents of its skill (highest rating, then longest idle); every DISPATCH_ROUND_MS without an
// accept, DISPATCH_WIDEN_BY more (earlier offers stay open); after DISPATCH_MAX_WAIT_MS it
// expires. Rounds are BullMQ jobs with deterministic ids (dispatch-round.<appid>.<id>.<n>):
// round 1 runs at once; a round whose offers were all declined, or a stalled request whose
// skill gets a free agent, has its next round added now (the same id: never twice).
//
// Timers: a request has one timer, its due time in the app's sorted set (store.ts: due), kept
// by the scripts that change the request: the create sets a backstop one round on, each round
// sets the next round (or the expiry, when that would come after expiresAt), the accept sets
// the no-show (acceptedAt + CONVERSATION_NOSHOW_MS), and begin, end, expiry and cancel drop it.
// The dispatch sweep (a scheduler job, every DISPATCH_SWEEP_INTERVAL_MS) claims due timers and
// adds the job each is due for: the next round, the expiry or the no-show. So the api adds one
// job per request (round 1) and a request that is accepted and begun, or ended, before its next
// round costs no other job at all. (Each timer as a delayed job cost the api 5 BullMQ scripts
// per request, or a worker a job per request that found nothing to do: BullMQ's per-job work
// is most of a worker's CPU in the dispatch benchmark.)

import type { SweepResult } from '../../infra/sweep-loop.js';
import type { Core } from '../../infra/core.js';
import { createHook } from '../../infra/hooks.js';
import { AppError } from '../../infra/errors.js';
import { scriptErrorCode, throwOnScriptCode } from '../../infra/lua.js';
import { DISPATCH_CODES } from './lua/codes.js';
import { agentState, type PresenceService } from '../presence/service.js';
import { createDispatchStore, type Stalled } from './store.js';
import type { ExpireJobT, RequestState, RequestViewT, RoundJobT } from './schemas.js';

export const roundJobId = (appid: string, id: string, round: number) => `dispatch-round.${appid}.${id}.${round}`;
export const expireJobId = (appid: string, id: string) => `dispatch-expire.${appid}.${id}`;
export const noShowJobId = (appid: string, id: string) => `dispatch-noshow.${appid}.${id}`;

/** Called once when a conversation ends, whoever ended it (billing stops metering). */
export type ConversationEndHandler = (appid: string, conversationId: string, reason: string) => Promise<void>;

const MAX_DATA_BYTES = 4096;
/** Due timers claimed per script call of the sweep. */
const SWEEP_BATCH = 200;
/** A claimed timer moves this far on; the job added for it sets the real next one (a lost job is claimed again then). */
const SWEEP_LEASE_MS = 30_000;

function toView(requestId: string, h: Record<string, string>): RequestViewT {
  return {
    requestId,
    caller: h.caller ?? '',
    skill: h.skill ?? '',
    state: (h.state ?? 'waiting') as RequestState,
    round: Number(h.round ?? 0),
    createdAt: Number(h.createdAt ?? 0),
    expiresAt: Number(h.expiresAt ?? 0),
    ...(h.agent ? { agent: h.agent } : {}),
    ...(h.acceptedAt ? { acceptedAt: Number(h.acceptedAt) } : {}),
    ...(h.startedAt ? { startedAt: Number(h.startedAt) } : {}),
    ...(h.endedAt ? { endedAt: Number(h.endedAt) } : {}),
    ...(h.endReason ? { endReason: h.endReason } : {}),
    ...(h.data ? { data: JSON.parse(h.data) as unknown } : {}),
  };
}

function offerOf(v: RequestViewT) {
  return {
    requestId: v.requestId,
    caller: v.caller,
    skill: v.skill,
    round: Math.max(1, v.round),
    expiresAt: v.expiresAt,
    ...(v.data !== undefined ? { data: v.data } : {}),
  };
}

export type DispatchService = ReturnType<typeof createDispatchService>;

export function createDispatchService(core: Core, deps: { presence: PresenceService }) {
  const { presence } = deps;
  const store = createDispatchStore(core.redis, core.keys, presence.keyPrefix);
  const { config, emitter, log } = core;
  const conversationEnded = createHook<Parameters<ConversationEndHandler>>();

  async function get(appid: string, id: string): Promise<RequestViewT> {
    const h = await store.get(appid, id);
    if (!h) throw new AppError('REQUEST_NOT_FOUND', `no request ${id}`);
    return toView(id, h);
  }

  /** Runs round `round` of the request now: adds its job (the same id as the sweep's: a round runs once). */
  async function runRoundNow(appid: string, id: string, round: number): Promise<void> {
    try {
      await core.queues.add('dispatch', 'round', { appid, requestId: id, round }, { jobId: roundJobId(appid, id, round) });
    } catch (err) {
      // Redis failed: the request's timer still runs the round at its time, only the shortcut is lost.
      log.warn({ err, appid, id, round }, 'could not run the next dispatch round now');
    }
  }

  /** Stalled requests (no offer out) that a freed agent can take: their next round runs now. */
  async function runStalled(appid: string, stalled: Stalled[]): Promise<void> {
    for (const s of stalled) await runRoundNow(appid, s.id, s.round + 1);
  }

  /** Agents got a free slot: stalled requests of their skills get their next round now. */
  async function kick(appid: string, uids: string[]): Promise<void> {
    await runStalled(appid, await store.stalled(appid, uids));
  }

  /** reason '' = ended-by-caller or ended-by-agent, from who ends it. */
  async function end(appid: string, id: string, uid: string | null, reason: string, onlyIfNotBegun = false): Promise<RequestViewT> {
    const r = await store.end(appid, id, uid ?? '', Date.now(), reason, onlyIfNotBegun);
    throwOnScriptCode(DISPATCH_CODES.sbConvEnd, r.code, {
      REQUEST_NOT_FOUND: `no request ${id}`,
      NOT_A_PARTY: `${uid} is not a party of conversation ${id}`,
      CONVERSATION_NOT_ACCEPTED: `request ${id} is still waiting for an agent: cancel it instead`,
      REQUEST_CLOSED: `request ${id} expired or was cancelled`,
    });
    if (r.code === 1) {
      const ended = {
        conversationId: id,
        caller: r.caller,
        agent: r.agent,
        reason: r.reason,
        ...(r.startedAt ? { startedAt: r.startedAt } : {}),
        endedAt: r.endedAt,
        durationMs: r.startedAt ? Math.max(0, r.endedAt - r.startedAt) : 0,
      };
      emitter.toUser(appid, r.caller, 'conversation.ended', ended);
      emitter.toUser(appid, r.agent, 'conversation.ended', ended);
      // Before the end handlers: billing's charge.ended (same id, same order key) follows it.
      await core.events.publish(appid, 'conversation.ended', ended, { orderKey: id });
      // The conversation has ended whatever its subscribers did: a failure is logged, not passed on.
      await conversationEnded.run(appid, id, r.reason).catch((err: unknown) => log.error({ err, appid, id }, 'conversation end handler failed'));
      if (r.agentNow) emitter.toUser(appid, r.agent, 'presence.state', { uid: r.agent, state: agentState(r.agentNow), reason: 'conversation-ended' });
      await runStalled(appid, r.stalled); // read by the end script itself
      if (r.request) return toView(id, r.request);
    }
    return get(appid, id);
  }

  /** First accept wins (atomically); the others get dispatch.taken, the caller dispatch.accepted. */
  async function accept(appid: string, id: string, uid: string): Promise<RequestViewT> {
    // An accepted conversation nobody begins must not hold its agent forever: its timer becomes the no-show.
    const r = await store.accept(appid, id, uid, Date.now(), config.CONVERSATION_NOSHOW_MS);
    throwOnScriptCode(DISPATCH_CODES.sbDispatchAccept, r.code, {
      REQUEST_NOT_FOUND: `no request ${id}`,
      ALREADY_TAKEN: `request ${id} was already accepted by another agent`,
      REQUEST_CLOSED: `request ${id} expired or was cancelled`,
      NOT_OFFERED: `request ${id} is not offered to ${uid}`,
    });
    if (r.code === 1) {
      for (const other of r.others) emitter.toUser(appid, other, 'dispatch.taken', { requestId: id, by: uid });
      emitter.toUser(appid, r.caller, 'dispatch.accepted', { requestId: id, agent: uid });
      // The script read what the released agents can take now, and the request after the accept.
      await runStalled(appid, r.stalled);
      const view = toView(id, r.request ?? {});
      core.metrics.observeDispatchWait((Date.now() - view.createdAt) / 1000); // the dashboard's dispatch-wait chart
      await core.events.publish(
        appid,
        'dispatch.taken',
        { requestId: id, conversationId: id, caller: r.caller, agent: uid, skill: view.skill, round: r.round },
        { orderKey: id },
      );
      return view;
    }
    return get(appid, id);
  }

  return {
    get,
    end,
    kick,
    accept,

    /** Billing (and others) hear every conversation end, once. */
    onConversationEnd: (handler: ConversationEndHandler) => conversationEnded.on(handler),

    /** A party (caller or accepted agent), or an agent holding an offer of it, reads a request. */
    async getFor(appid: string, id: string, uid: string): Promise<RequestViewT> {
      const v = await get(appid, id);
      if (v.caller !== uid && v.agent !== uid && !(await store.pendingOffers(appid, id)).includes(uid))
        throw new AppError('NOT_A_PARTY', `${uid} is not a party of request ${id}`);
      return v;
    },

    /**
     * A caller asks for an agent with `skill`; the first round is a job that runs at once.
     * Options for features built on dispatch (not on the public API): `offerAll` offers the
     * request to every idle agent of the skill in each round (customer service: every online
     * seat sees a consultation; first accept still wins); `maxWaitMs` replaces DISPATCH_MAX_WAIT_MS.
     */
    async create(
      appid: string,
      caller: string,
      input: { skill: string; data?: Record<string, unknown> },
      opts: { offerAll?: boolean; maxWaitMs?: number } = {},
    ): Promise<RequestViewT> {
      const data = input.data !== undefined ? JSON.stringify(input.data) : '';
      if (data.length > MAX_DATA_BYTES) throw new AppError('VALIDATION_FAILED', `invalid request: data: larger than ${MAX_DATA_BYTES} bytes as JSON`);
      const now = Date.now();
      const maxWait = opts.maxWaitMs ?? config.DISPATCH_MAX_WAIT_MS;
      const expiresAt = now + maxWait;
      const id = await store.create(appid, caller, input.skill, now, expiresAt, data, opts.offerAll === true, config.DISPATCH_ROUND_MS);
      await core.queues.add('dispatch', 'round', { appid, requestId: id, round: 1 }, { jobId: roundJobId(appid, id, 1) });
      return {
        requestId: id,
        caller,
        skill: input.skill,
        state: 'waiting',
        round: 0,
        createdAt: now,
        expiresAt,
        ...(input.data !== undefined ? { data: input.data } : {}),
      };
    },

    /** dispatch/round: offers the request to more agents, tells the caller its queue position when none holds an offer; its script sets the next timer. */
    async round(job: RoundJobT): Promise<{ offered: number; position: number }> {
      const { appid, requestId: id, round } = job;
      const count = round === 1 ? config.DISPATCH_FIRST_OFFERS : config.DISPATCH_WIDEN_BY;
      const r = await store.round(appid, id, round, count, Date.now(), config.DISPATCH_ROUND_MS);
      if (r.code <= 0) return { offered: 0, position: 0 };
      const offer = {
        requestId: id,
        caller: r.caller,
        skill: r.skill,
        round,
        expiresAt: r.expiresAt,
        ...(r.data ? { data: JSON.parse(r.data) as unknown } : {}),
      };
      for (const uid of r.agents) emitter.toUser(appid, uid, 'dispatch.offer', offer);
      if (r.position > 0) emitter.toUser(appid, r.caller, 'dispatch.queued', { requestId: id, skill: r.skill, position: r.position, round });
      return { offered: r.code === 1 ? r.agents.length : 0, position: r.position };
    },

    /** The agent lets an offer go; when no offer of the request is left, its next round runs now. */
    async decline(appid: string, id: string, uid: string): Promise<{ requestId: string; declined: boolean }> {
      const r = await store.decline(appid, id, uid);
      if (r.declined) {
        if (r.pending === 0 && r.state === 'waiting') await runRoundNow(appid, id, r.round + 1);
        await kick(appid, [uid]);
      }
      return { requestId: id, declined: r.declined };
    },

    /** The caller gives up a waiting request. */
    async cancel(appid: string, id: string, uid: string): Promise<RequestViewT> {
      const r = await store.close(appid, id, 'cancelled', Date.now(), uid);
      throwOnScriptCode(DISPATCH_CODES.sbDispatchClose, r.code, {
        REQUEST_NOT_FOUND: `no request ${id}`,
        NOT_A_PARTY: `only the caller cancels request ${id}`,
      });
      if (r.code === 0) {
        if (r.state === 'cancelled') return get(appid, id);
        throw new AppError(r.state === 'expired' ? 'REQUEST_CLOSED' : 'ALREADY_TAKEN', `request ${id} is ${r.state}`);
      }
      for (const a of r.released) emitter.toUser(appid, a, 'dispatch.withdrawn', { requestId: id, reason: 'cancelled' });
      // The close script dropped its timer.
      await kick(appid, r.released);
      return get(appid, id);
    },

    /** dispatch/expire: nobody accepted in time. */
    async expire(job: ExpireJobT): Promise<{ expired: boolean }> {
      const r = await store.close(job.appid, job.requestId, 'expired', Date.now(), '');
      if (r.code !== 1) return { expired: false };
      emitter.toUser(job.appid, r.caller, 'dispatch.expired', { requestId: job.requestId, skill: r.skill });
      for (const a of r.released) emitter.toUser(job.appid, a, 'dispatch.withdrawn', { requestId: job.requestId, reason: 'expired' });
      await core.events.publish(
        job.appid,
        'dispatch.expired',
        { requestId: job.requestId, caller: r.caller, skill: r.skill },
        { orderKey: job.requestId },
      );
      await kick(job.appid, r.released);
      return { expired: true };
    },

    /**
     * dispatch/noShow: CONVERSATION_NOSHOW_MS after the accept, a conversation still not
     * begun ends (reason no-show) and its agent is free again; one that began is left alone
     * (checked in the same script that ends it).
     */
    async noShow(job: ExpireJobT): Promise<{ ended: boolean }> {
      const before = await store.get(job.appid, job.requestId);
      if (!before) return { ended: false };
      const view = await end(job.appid, job.requestId, null, 'no-show', true);
      return { ended: view.state === 'ended' && view.endReason === 'no-show' };
    },

    /** The conversation begins (caller or agent; `agent` = the one the caller expects). */
    async begin(appid: string, id: string, uid: string, agent?: string, opts: { acceptOffer?: boolean } = {}): Promise<RequestViewT> {
      let r = await store.begin(appid, id, uid, agent ?? '', Date.now());
      // Seed 000: the volunteer answers the user peer to peer (the signed TIM ANSWER_CALL)
      // and the user's begin names it; no socket accept was sent. The caller's begin naming
      // an agent that holds an offer accepts it for that agent — first accept wins, as ever.
      if (
        scriptErrorCode(DISPATCH_CODES.sbConvBegin, r.code) === 'CONVERSATION_NOT_ACCEPTED' &&
        agent &&
        opts.acceptOffer &&
        (await get(appid, id)).caller === uid
      ) {
        await accept(appid, id, agent);
        r = await store.begin(appid, id, uid, agent, Date.now());
      }
      throwOnScriptCode(DISPATCH_CODES.sbConvBegin, r.code, {
        REQUEST_NOT_FOUND: `no request ${id}`,
        NOT_A_PARTY: `${uid} is not a party of conversation ${id}`,
        CONVERSATION_NOT_ACCEPTED: `no agent has accepted request ${id} yet`,
        REQUEST_CLOSED: `request ${id} expired or was cancelled`,
        WRONG_AGENT: `conversation ${id} was accepted by another agent than ${agent}`,
        CONVERSATION_ENDED: `conversation ${id} has ended`,
      });
      if (r.code === 1) {
        const started = { conversationId: id, caller: r.caller, agent: r.agent, startedAt: r.startedAt };
        emitter.toUser(appid, r.caller, 'conversation.started', started);
        emitter.toUser(appid, r.agent, 'conversation.started', started);
        await core.events.publish(appid, 'conversation.started', started, { orderKey: id });
      }
      return get(appid, id);
    },

    /** Agents currently holding an offer of the request. */
    offeredTo: (appid: string, id: string) => store.pendingOffers(appid, id),

    /**
     * Every waiting request of the skill gets its next round now (an agent came online: with
     * offer-to-all requests it should see them at once, not at the next round).
     */
    async widenNow(appid: string, skill: string): Promise<void> {
      const ids = await store.waitingOf(appid, skill);
      const views = await store.getMany(appid, ids);
      for (const [id, h] of views) if (h.state === 'waiting') await runRoundNow(appid, id, Number(h.round ?? 0) + 1);
    },

    /**
     * dispatch/sweep: adds the job each due timer is due for (the next round, the expiry, the
     * no-show), in every app with timers. Job ids are the timers' own, so a timer claimed
     * twice (two sweeps, a lease run out) still runs its job once.
     */
    async sweep(now = Date.now()): Promise<SweepResult> {
      let added = 0;
      // No quiet time when no app has timers (as rooms and presence report): a request's first
      // timer can be due sooner than any setting says (its own maxWaitMs), so the sweep keeps
      // its interval and every timer fires at most DISPATCH_SWEEP_INTERVAL_MS late.
      for (const appid of await store.timerApps()) {
        let busy: boolean;
        for (;;) {
          const due = await store.claimDue(appid, now, SWEEP_BATCH, SWEEP_LEASE_MS);
          const { examined, claimed } = due;
          busy = due.busy;
          await Promise.all(
            claimed.map(({ id, kind, round }) =>
              kind === 'round'
                ? core.queues.add('dispatch', 'round', { appid, requestId: id, round }, { jobId: roundJobId(appid, id, round) })
                : core.queues.add(
                    'dispatch',
                    kind,
                    { appid, requestId: id },
                    { jobId: kind === 'expire' ? expireJobId(appid, id) : noShowJobId(appid, id) },
                  ),
            ),
          );
          added += claimed.length;
          if (examined < SWEEP_BATCH) break;
        }
        // An app with timers left stays without another round trip (the script said so).
        if (!busy) await store.retireIfNoTimers(appid);
      }
      return { count: added };
    },

    /** The agent went offline: its pending offers are declined. */
    async withdrawAgent(appid: string, uid: string): Promise<void> {
      for (const id of await store.offersOf(appid, uid)) {
        const r = await store.decline(appid, id, uid);
        if (r.declined && r.pending === 0 && r.state === 'waiting') await runRoundNow(appid, id, r.round + 1);
      }
    },

    /** The waiting requests of every skill in queue order (position 1 = next), at most `limit` per skill (dashboards). */
    async waiting(
      appid: string,
      limit: number,
    ): Promise<Array<{ skill: string; total: number; requests: Array<RequestViewT & { position: number }> }>> {
      const queues = await store.waiting(appid, limit);
      const all = await store.getMany(
        appid,
        queues.flatMap((q) => q.ids),
      );
      const byId = new Map(all.map(([id, h]) => [id, toView(id, h)]));
      return queues.map((q) => ({
        skill: q.skill,
        total: q.total,
        requests: q.ids.flatMap((id, i) => {
          const v = byId.get(id);
          return v && v.state === 'waiting' ? [{ ...v, position: i + 1 }] : [];
        }),
      }));
    },

    /** Pending offers (as an agent), waiting requests and live conversations, for session.snapshot. */
    probe: store.probe,
    /** session.snapshot part (`found`: the probe saw offers or open requests). */
    async snapshot(appid: string, uid: string, found = true) {
      if (!found) return { offers: [], requests: [], calls: [] };
      const [offerIds, openIds] = await Promise.all([store.offersOf(appid, uid), store.openOf(appid, uid)]);
      const [offers, open] = await Promise.all([store.getMany(appid, offerIds), store.getMany(appid, openIds)]);
      const views = open.map(([id, h]) => toView(id, h));
      return {
        offers: offers
          .map(([id, h]) => toView(id, h))
          .filter((v) => v.state === 'waiting')
          .map(offerOf),
        requests: views.filter((v) => v.state === 'waiting'),
        calls: views.filter((v) => v.state === 'accepted' || v.state === 'active'),
      };
    },
  };
}
