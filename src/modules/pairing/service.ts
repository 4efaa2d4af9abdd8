// Pairing (seed 003's speed match): a user asks to be paired; the matchmaking worker offers
// the ask in rounds to candidates over the socket (`pair.dispatch`, the seed's RC:CmdMsg);
// the first candidate to pass wins (Lua); the asker confirms (like → a metered call, both get
// `pair.matched`; dislike → back to matching) or cancels.
//
// Candidates are users who made themselves available (`pair.available`, PUT
// /v1/pairing/availability) and still have a socket: the last socket closing makes them
// unavailable. A round picks up to PAIR_CANDIDATES_PER_ROUND of them — not busy (asking,
// answered, in a call), not the asker, never offered this ask before, matching the ask's
// filters (profile.language / gender / tags), under PAIR_OFFER_LIMIT offers per
// PAIR_OFFER_WINDOW_MS each — least recently offered first, so offers spread evenly.
// Rounds are BullMQ jobs with deterministic ids: `round` (pair-round.<appid>.<ask>.<n>) runs
// at once, its `timeout` (pair-timeout.<appid>.<ask>.<n>) is delayed PAIR_ROUND_MS; a round
// that ends without a pass runs the next one, up to PAIR_MAX_ROUNDS, then the ask ends
// (`pair.ended`, reason no-match). Scene 0 (1v1) offers the given peer in every round.
//
// Money: an ask (and `video/before/check`) is refused with INSUFFICIENT_BALANCE (seed 1003)
// when the balance cannot pay the minimum call — one unit at the price PAIR_PRICE_KEY (else
// `default`; no price at all: calls are free and not metered). A like begins the metered call
// (payer = the asker, payee = the peer) in billing; its end (hang-up, balance exhausted) ends the ask.
import { randomUUID } from 'node:crypto';
import type { Core } from '../../infra/core.js';
import { AppError, isAppError } from '../../infra/errors.js';
import { throwOnScriptCode } from '../../infra/lua.js';
import { PAIRING_CODES } from './lua/codes.js';
import type { AccountsService } from '../accounts/service.js';
import type { BillingService } from '../billing/service.js';
import { createPairingStore } from './store.js';
import type { AskBodyT, AskState, AskViewT, ConfirmBodyT, DispatchEventT, PairFiltersT, PairRoundJobT } from './schemas.js';

export const pairRoundJobId = (appid: string, askNo: string, round: number) => `pair-round.${appid}.${askNo}.${round}`;
export const pairTimeoutJobId = (appid: string, askNo: string, round: number) => `pair-timeout.${appid}.${askNo}.${round}`;

const STATUS: Record<AskState, number> = { matching: 0, answered: 0, incall: 2, ended: 1 };

function toView(askNo: string, h: Record<string, string>): AskViewT {
  const state = (h.state ?? 'matching') as AskState;
  const peerUid = h.peerUid || h.winner || (h.scene === '0' ? h.peer : '');
  return {
    askNo,
    askUid: h.askUid ?? '',
    scene: Number(h.scene ?? 1),
    state,
    status: STATUS[state],
    round: Number(h.round ?? 0),
    startAt: Number(h.startAt ?? 0),
    ...(peerUid ? { peerUid } : {}),
    ...(h.callId ? { callId: h.callId } : {}),
    ...(h.endedAt ? { endedAt: Number(h.endedAt) } : {}),
    ...(h.endReason ? { endReason: h.endReason } : {}),
    ...(h.filters && h.filters !== '{}' ? { filters: JSON.parse(h.filters) as PairFiltersT } : {}),
  };
}

/** A user id as seed 003 writes it: an int when it is one (its ids are ints), else the string. */
export function seedUid(uid: string): number | string {
  return /^[0-9]{1,15}$/.test(uid) ? Number(uid) : uid;
}

export function dispatchMessage(askNo: string, askUid: string, round: number, scene: number): DispatchEventT {
  return {
    objectName: 'RC:CmdMsg',
    // ask_uid is an int in the seed's message (as in pair/info).
    content: {
      name: 'dispatch',
      data: { ask_no: askNo, ask_uid: seedUid(askUid), round_no: round },
      extra: { ask_no: askNo, round_no: round, scene },
    },
  };
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

export type PairingService = ReturnType<typeof createPairingService>;

export function createPairingService(core: Core, deps: { accounts: AccountsService; billing: BillingService }) {
  const { accounts, billing } = deps;
  const store = createPairingStore(core.redis, core.keys);
  const { config, emitter } = core;

  async function get(appid: string, askNo: string): Promise<AskViewT> {
    const h = await store.get(appid, askNo);
    if (!h) throw new AppError('PAIR_NOT_FOUND', `no ask ${askNo}`);
    return toView(askNo, h);
  }

  /** The minimum call: one unit at PAIR_PRICE_KEY (else the default price); 0 when nothing is priced. */
  async function minimumCall(appid: string): Promise<{ unitPrice: number; priced: boolean }> {
    try {
      const p = await billing.resolvePrice(appid, config.PAIR_PRICE_KEY);
      return { unitPrice: p.unitPrice, priced: true };
    } catch (err) {
      if (isAppError(err, 'PRICE_NOT_FOUND')) return { unitPrice: 0, priced: false };
      throw err;
    }
  }

  /** INSUFFICIENT_BALANCE unless the balance pays the minimum call. */
  async function checkBalance(appid: string, uid: string): Promise<{ balance: number; minimum: number }> {
    const [{ unitPrice }, balance] = await Promise.all([minimumCall(appid), billing.balance(appid, uid)]);
    if (balance < unitPrice)
      throw new AppError('INSUFFICIENT_BALANCE', `balance ${balance} does not pay the minimum call (${unitPrice})`, { balance });
    return { balance, minimum: unitPrice };
  }

  async function scheduleRound(appid: string, askNo: string, round: number): Promise<void> {
    await core.queues.add('matchmaking', 'round', { appid, askNo, round }, { jobId: pairRoundJobId(appid, askNo, round) });
  }

  async function dropTimers(appid: string, askNo: string, round: number): Promise<void> {
    const q = core.queues.get('matchmaking');
    await Promise.all([q.remove(pairTimeoutJobId(appid, askNo, round)), q.remove(pairRoundJobId(appid, askNo, round + 1))]).catch(() => undefined);
  }

  /** Ends an ask (reason), tells the asker, the peer and the candidates holding its offers. */
  async function close(appid: string, askNo: string, by: string, reason: string, round?: number) {
    const r = await store.close(appid, askNo, by, reason, Date.now(), round);
    throwOnScriptCode(PAIRING_CODES.sbPairClose, r.code, { PAIR_NOT_FOUND: `no ask ${askNo}`, NOT_A_PARTY: `only the asker ends ask ${askNo}` });
    if (r.code === 1) {
      const ended = { askNo, reason };
      emitter.toUser(appid, r.askUid, 'pair.ended', ended);
      if (r.winner) emitter.toUser(appid, r.winner, 'pair.ended', ended);
      const withdrawn = { askNo, reason: reason === 'cancelled' ? ('cancelled' as const) : ('ended' as const) };
      for (const uid of r.released) emitter.toUser(appid, uid, 'pair.withdrawn', withdrawn);
      const h = await store.get(appid, askNo);
      await dropTimers(appid, askNo, Number(h?.round ?? 0));
    }
    return r;
  }

  /** Round `round` is over without a pass: the next round, or the end after PAIR_MAX_ROUNDS. */
  async function roundOver(appid: string, askNo: string, round: number): Promise<boolean> {
    const h = await store.get(appid, askNo);
    if (!h || h.state !== 'matching' || Number(h.round) !== round) return false;
    if (round >= config.PAIR_MAX_ROUNDS) {
      await close(appid, askNo, '', 'no-match', round);
      return false;
    }
    await scheduleRound(appid, askNo, round + 1);
    return true;
  }

  return {
    get,
    checkBalance,

    /** A party (asker, peer) or a candidate holding its offer reads an ask (seed video/pair/info). */
    async info(appid: string, askNo: string, uid: string): Promise<AskViewT> {
      const v = await get(appid, askNo);
      if (v.askUid !== uid && v.peerUid !== uid && !(await store.offersOf(appid, uid)).includes(askNo))
        throw new AppError('NOT_A_PARTY', `${uid} is not a party of ask ${askNo}`);
      return v;
    },

    /** The user becomes available to be offered asks (attributes read from the profile now), or not. */
    async setAvailable(appid: string, uid: string, available: boolean): Promise<{ uid: string; available: boolean }> {
      let attrs = { lang: '', gender: '', tags: '' };
      if (available) {
        const p = (await accounts.getUser(appid, uid)).profile;
        const tags = Array.isArray(p.tags) ? p.tags.map(str).filter((t) => t && !t.includes(',')) : [];
        attrs = { lang: str(p.language), gender: str(p.gender), tags: tags.length ? `,${tags.join(',')},` : '' };
      }
      await store.setAvailable(appid, uid, available, attrs, Date.now());
      return { uid, available };
    },
    isAvailable: (appid: string, uid: string) => store.isAvailable(appid, uid),

    /** Seed video/pair/ask: a new ask; round 1 is a job that runs at once. */
    async ask(appid: string, uid: string, input: AskBodyT): Promise<AskViewT> {
      const scene = input.scene ?? 1;
      if (scene === 0 && !input.peerUid) throw new AppError('VALIDATION_FAILED', 'invalid ask: peerUid: is required for scene 0 (1v1)');
      if (input.peerUid === uid) throw new AppError('VALIDATION_FAILED', 'invalid ask: peerUid: must not be the asker');
      if (scene === 0) await accounts.getUser(appid, input.peerUid!);
      await checkBalance(appid, uid);
      const f = input.filters ?? {};
      const now = Date.now();
      const r = await store.create(appid, uid, {
        scene,
        peer: scene === 0 ? input.peerUid! : '',
        now,
        fl: f.language ?? '',
        fg: f.gender ?? '',
        ft: (f.tags ?? []).join(','),
        filters: JSON.stringify(f),
      });
      throwOnScriptCode(PAIRING_CODES.sbPairAsk, r.code, {
        PAIR_BUSY: { message: `${uid} already has ask ${r.askNo} open`, details: { askNo: r.askNo } },
      });
      await scheduleRound(appid, r.askNo, 1);
      return {
        askNo: r.askNo,
        askUid: uid,
        scene,
        state: 'matching',
        status: 0,
        round: 0,
        startAt: now,
        ...(scene === 0 ? { peerUid: input.peerUid! } : {}),
        ...(input.filters ? { filters: f } : {}),
      };
    },

    /** matchmaking/round: offers the ask to new candidates and schedules the round's timeout. */
    async round(job: PairRoundJobT): Promise<{ offered: number }> {
      const { appid, askNo, round } = job;
      const r = await store.round(
        appid,
        askNo,
        round,
        config.PAIR_CANDIDATES_PER_ROUND,
        Date.now(),
        config.PAIR_OFFER_WINDOW_MS,
        config.PAIR_OFFER_LIMIT,
        config.PAIR_SCAN_LIMIT,
      );
      if (r.code !== 1) return { offered: 0 };
      const msg = dispatchMessage(askNo, r.askUid, round, r.scene);
      for (const uid of r.candidates) emitter.toUser(appid, uid, 'pair.dispatch', msg);
      await core.queues.add(
        'matchmaking',
        'timeout',
        { appid, askNo, round },
        { jobId: pairTimeoutJobId(appid, askNo, round), delay: config.PAIR_ROUND_MS },
      );
      return { offered: r.candidates.length };
    },

    /** matchmaking/timeout: no pass in round `round` → the next round, or the end after PAIR_MAX_ROUNDS. */
    async timeout(job: PairRoundJobT): Promise<{ next: boolean }> {
      return { next: await roundOver(job.appid, job.askNo, job.round) };
    },

    /** Seed video/pair/answer: a candidate answers the current round; the first pass wins; when all refused, the next round runs now. */
    async answer(
      appid: string,
      uid: string,
      input: { askNo: string; roundNo: number; pass: boolean },
    ): Promise<{ askNo: string; roundNo: number; pass: boolean; won: boolean }> {
      const { askNo, roundNo, pass } = input;
      const r = await store.answer(appid, askNo, uid, roundNo, pass, Date.now());
      throwOnScriptCode(PAIRING_CODES.sbPairAnswer, r.code, {
        PAIR_NOT_FOUND: `no ask ${askNo}`,
        PAIR_TAKEN: `ask ${askNo} was already answered by another candidate`,
        PAIR_CLOSED: `ask ${askNo} has ended`,
        PAIR_NOT_OFFERED: `ask ${askNo} round ${roundNo} is not offered to ${uid}`,
        PAIR_STALE_ROUND: `round ${roundNo} of ask ${askNo} is over (current round ${r.round})`,
        PAIR_BUSY: `${uid} is asking, answered another ask or is in a call`,
      });
      if (r.code === 1) {
        emitter.toUser(appid, r.askUid, 'pair.answered', { askNo, roundNo, peerUid: uid });
        for (const o of r.others) emitter.toUser(appid, o, 'pair.withdrawn', { askNo, reason: 'taken' });
        await core.queues
          .get('matchmaking')
          .remove(pairTimeoutJobId(appid, askNo, roundNo))
          .catch(() => undefined);
      }
      if (r.code === 0 && r.left === 0) {
        // Every candidate of the round refused: the round is over now, not at its timeout.
        await core.queues
          .get('matchmaking')
          .remove(pairTimeoutJobId(appid, askNo, roundNo))
          .catch(() => undefined);
        await roundOver(appid, askNo, roundNo);
      }
      return { askNo, roundNo, pass, won: r.code >= 1 };
    },

    /** Seed video/pair/confirm: the asker likes the peer (call, metered) or not (back to matching). */
    async confirm(appid: string, uid: string, input: ConfirmBodyT): Promise<AskViewT> {
      const { askNo, peerUid, pass } = input;
      const callId = input.callId ?? `pair-${askNo}-${randomUUID().slice(0, 8)}`;
      const r = await store.confirm(appid, askNo, uid, peerUid, pass, callId, Date.now());
      throwOnScriptCode(PAIRING_CODES.sbPairConfirm, r.code, {
        PAIR_NOT_FOUND: `no ask ${askNo}`,
        NOT_A_PARTY: `only the asker confirms ask ${askNo}`,
        PAIR_CLOSED: `ask ${askNo} has ended`,
        PAIR_NOT_ANSWERED: `nobody has answered ask ${askNo} yet`,
        PAIR_WRONG_PEER: `${peerUid} is not the candidate that answered ask ${askNo}`,
      });
      if (r.code === 0) {
        // Dislike: the peer is free again, matching goes on with a new round (or ends after the last).
        if (r.round >= config.PAIR_MAX_ROUNDS) await close(appid, askNo, '', 'no-match');
        else await scheduleRound(appid, askNo, r.round + 1);
        return get(appid, askNo);
      }
      if (r.code === 1) {
        const { priced } = await minimumCall(appid);
        if (priced) {
          try {
            await billing.begin(appid, { callId, payer: uid, payee: peerUid, priceKey: config.PAIR_PRICE_KEY });
          } catch (err) {
            await close(appid, askNo, '', isAppError(err, 'INSUFFICIENT_BALANCE') ? 'balance' : 'call-failed');
            throw err;
          }
        }
        const matched = { askNo, askUid: uid, peerUid, callId };
        emitter.toUser(appid, uid, 'pair.matched', matched);
        emitter.toUser(appid, peerUid, 'pair.matched', matched);
        await core.events.publish(appid, 'pairing.matched', matched, { orderKey: callId });
      }
      return get(appid, askNo);
    },

    /** Seed video/pair/cancel: the asker stops the ask everywhere (offers withdrawn; a running call ends). */
    async cancel(appid: string, uid: string, askNo: string): Promise<AskViewT> {
      const r = await close(appid, askNo, uid, 'cancelled');
      if (r.code === 1 && r.previous === 'incall' && r.callId) {
        await billing.end(appid, r.callId, { reason: 'cancelled' }).catch((err: unknown) => {
          if (!isAppError(err, 'CALL_NOT_FOUND')) throw err;
        });
      }
      return get(appid, askNo);
    },

    /** Either party hangs up the call that followed the match (ends its metering; the ask ends). */
    async hangUp(appid: string, uid: string, askNo: string): Promise<AskViewT> {
      const v = await get(appid, askNo);
      if (v.askUid !== uid && v.peerUid !== uid) throw new AppError('NOT_A_PARTY', `${uid} is not a party of ask ${askNo}`);
      if (v.state !== 'incall') throw new AppError('PAIR_NOT_IN_CALL', `ask ${askNo} is not in a call`);
      await billing.end(appid, v.callId!, { reason: 'ended' }).catch((err: unknown) => {
        if (!isAppError(err, 'CALL_NOT_FOUND')) throw err;
      });
      await close(appid, askNo, '', 'call-ended');
      return get(appid, askNo);
    },

    /** Billing ended a metered call (hang-up, balance): the ask that led to it ends. */
    async callEnded(appid: string, callId: string, reason: string): Promise<void> {
      const askNo = await store.askOfCall(appid, callId);
      if (askNo) await close(appid, askNo, '', reason === 'balance' ? 'balance' : 'call-ended');
    },

    /** The user's history list (asks made, and asks that matched it as the peer), newest first. */
    async history(appid: string, uid: string, q: { before?: number; limit: number }): Promise<{ items: AskViewT[]; next?: number }> {
      const ids = await store.history(appid, uid, q.before, q.limit + 1);
      const page = ids.slice(0, q.limit);
      const asks = new Map(
        await store.getMany(
          appid,
          page.map(([id]) => id),
        ),
      );
      const items = page.flatMap(([id]) => (asks.has(id) ? [toView(id, asks.get(id)!)] : []));
      const last = page[page.length - 1];
      return ids.length > q.limit && last ? { items, next: last[1] } : { items };
    },

    /** Seed video/delPairRecord: removes the record of `askNo` started at `startAt` (ms, or s as the seed lists it). */
    async deleteRecord(appid: string, uid: string, askNo: string, startAt: number): Promise<{ askNo: string; deleted: boolean }> {
      const score = await store.historyScore(appid, uid, askNo);
      if (score === null) throw new AppError('PAIR_NOT_FOUND', `no record of ask ${askNo} in ${uid}'s history`);
      if (score !== startAt && Math.floor(score / 1000) !== startAt)
        throw new AppError('PAIR_NOT_FOUND', `record ${askNo} did not start at ${startAt}`);
      return { askNo, deleted: await store.removeHistory(appid, uid, askNo) };
    },

    /** Asks in flight (matching, answered, in a call), oldest first, at most `limit` (dashboards). */
    async openAsks(appid: string, limit: number): Promise<{ total: number; asks: AskViewT[] }> {
      const ids = (await store.openAskIds(appid)).sort((a, b) => Number(a) - Number(b));
      const asks = (await store.getMany(appid, ids.slice(0, limit))).map(([id, h]) => toView(id, h)).filter((a) => a.state !== 'ended');
      return { total: ids.length, asks };
    },

    /** What session.snapshot carries: availability, the open ask or call, the pending dispatches. */
    probe: store.probe,
    /** session.snapshot part (`found`: the probe saw availability, a busy ask or offers). */
    async snapshot(appid: string, uid: string, found = true) {
      if (!found) return { available: false, asks: [], offers: [] };
      const [available, busy, offered] = await Promise.all([store.isAvailable(appid, uid), store.busyWith(appid, uid), store.offersOf(appid, uid)]);
      const [busyAsks, offeredAsks] = await Promise.all([busy ? store.getMany(appid, [busy]) : [], store.getMany(appid, offered)]);
      const asks = busyAsks.map(([id, h]) => toView(id, h));
      const offers = offeredAsks.flatMap(([id, h]) =>
        h.state === 'matching' ? [dispatchMessage(id, h.askUid ?? '', Number(h.round), Number(h.scene ?? 1))] : [],
      );
      return { available, asks, offers };
    },

    /** Redis key of a user's offer counter (tests, benchmarks). */
    offerCount: (appid: string, uid: string) => store.offerCount(appid, uid),
  };
}
