// Billing: balances, the ledger, prices and metered calls, reused by every feature that
// charges (the seed-000 call centre first: charge/begin, charge/update, charge/end,
// charge/confirm).
//
// Money is integer minor units. A balance changes only through the store's ledger script,
// once per idempotency key: `call:<callId>:unit:<n>` for the n-th unit of a call,
// `topup:<ref>` and `adjust:<ref>` for the app backend's credits and adjustments.
// Replaying a key changes nothing and returns the original entry.
//
// Metering: `begin` debits unit 1 at once (every started unit is paid when it starts) and
// puts the call's next tick in the app's `due` zset. The `billing/tick` scheduler job
// (every CHARGE_SWEEP_INTERVAL_MS) claims the due ticks atomically with a lease, debits
// each newly started unit through the ledger, pushes `charge.tick` to payer and payee,
// `charge.low` when the balance pays fewer than CHARGE_LOW_UNITS units, and ends the call
// (`charge.ended`, reason `balance`) when a started unit cannot be paid — at the start of
// that unit, so the payer pays exactly what was used. A worker dying mid-tick leaves its
// claim to run out; the next claim replays the same unit keys (no double charge) and the
// advance script refuses a second tick for the same due time.
//
// Features learn that a call ended (whatever the reason) through `onEnded` hooks: e.g. the
// conversation module frees the agent. Hooks run once per end on the node that ended the
// call; an end whose hooks did not all succeed (crash, error) stays in the app's `endq`
// and the tick job runs its hooks again after 5 s — so hooks must be idempotent.
import type { Config } from '../../infra/config.js';
import type { Core } from '../../infra/core.js';
import { createHook } from '../../infra/hooks.js';
import { AppError } from '../../infra/errors.js';
import { scriptErrorCode, throwOnScriptCode } from '../../infra/lua.js';
import { BILLING_CODES } from './lua/codes.js';
import { sweepFor, sweepJobMs } from '../../infra/sweep-loop.js';
import type { AccountsService } from '../accounts/service.js';
import {
  MIN_UNIT_SECONDS,
  type BeginInput,
  type CallStateT,
  type CallViewT,
  type ChargeEndedT,
  type ChargeTickT,
  type EntryKindT,
  type LedgerPageT,
  type LedgerResultT,
  type PriceBodyT,
  type PriceViewT,
  type ReconciliationT,
} from './schemas.js';
import { createBillingStore, type ClaimedTick } from './store.js';

/** Called once per call when it ends (reason `balance` when the server ended it). Must be idempotent. */
export type CallEndedHandler = (appid: string, call: CallViewT) => Promise<void>;

/**
 * The `billing/tick` scheduler fires once per this period (SWEEP_JOB_MS, 5 s by default) and
 * the job then claims due ticks every CHARGE_SWEEP_INTERVAL_MS until the period (plus an
 * overlap) is over (infra/sweep-loop.ts). Besides the cost of a job per sweep: BullMQ
 * promotes a delayed (scheduler) job when a blocking Redis call times out, and Redis only
 * checks those timeouts `hz` times a second (10 by default), so a scheduler firing every
 * 50 ms really fires every ~100 ms. Node timers inside the job are precise.
 */
export const chargeJobPeriodMs = (config: Pick<Config, 'CHARGE_SWEEP_INTERVAL_MS' | 'SWEEP_JOB_MS'>) =>
  sweepJobMs(config, config.CHARGE_SWEEP_INTERVAL_MS);

/** How many due ticks one claim script takes at a time (bounds the time Redis is busy). */
const CLAIM_BATCH = 200;
/** An end whose hooks have not been acknowledged after this long gets its hooks run again by the tick job. */
const HOOK_RETRY_AFTER_MS = 5000;

export const unitKey = (callId: string, unit: number) => `call:${callId}:unit:${unit}`;

function toCallView(callId: string, h: Record<string, string>, now = Date.now()): CallViewT {
  const startedAt = Number(h.startedAt ?? 0);
  const endedAt = h.endedAt !== undefined ? Number(h.endedAt) : undefined;
  return {
    callId,
    payer: h.payer ?? '',
    payee: h.payee ?? '',
    priceKey: h.priceKey ?? 'default',
    unitPrice: Number(h.unitPrice ?? 0),
    unitSeconds: Number(h.unitMs ?? 60000) / 1000,
    state: (h.state ?? 'active') as CallStateT,
    startedAt,
    units: Number(h.units ?? 0),
    amount: Number(h.amount ?? 0),
    elapsedMs: Math.max(0, (endedAt ?? now) - startedAt),
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(h.reason ? { reason: h.reason } : {}),
    ...(h.reportedSeconds !== undefined ? { reportedSeconds: Number(h.reportedSeconds) } : {}),
    ...(h.diffSeconds !== undefined ? { diffSeconds: Number(h.diffSeconds) } : {}),
    ...(h.confirmedAt !== undefined ? { confirmedAt: Number(h.confirmedAt) } : {}),
  };
}

/** `CN-EN` → `EN-CN`; null for keys that are not pairs. */
function reversed(priceKey: string): string | null {
  const i = priceKey.indexOf('-');
  return i < 0 ? null : `${priceKey.slice(i + 1)}-${priceKey.slice(0, i)}`;
}

export type BillingService = ReturnType<typeof createBillingService>;

export function createBillingService(core: Core, accounts: AccountsService) {
  const store = createBillingStore(core.redis, core.keys, {
    redis: core.durableRedis,
    replicas: core.config.REDIS_DURABLE_REPLICAS,
    timeoutMs: core.config.REDIS_DURABLE_TIMEOUT_MS,
    onShort: (appid, acked) =>
      core.log.warn(
        { appid, acked, wanted: core.config.REDIS_DURABLE_REPLICAS },
        'ledger entry written with fewer replicas than REDIS_DURABLE_REPLICAS (a replica is down?)',
      ),
  });
  const { config, emitter, log } = core;
  const callEnded = createHook<Parameters<CallEndedHandler>>();
  const tickMs = () => Math.max(1, Math.round(config.CHARGE_TICK_SECONDS * 1000));
  /**
   * While no app meters a call, nothing can fall due before a call begun now reaches its
   * first tick, min(tick, unit) after it begins (begin: firstDue), and a unit lasts at least
   * the price schema's minimum. The tick loop then sleeps that long less one interval (a call
   * begun meanwhile is still claimed at most about one interval late) instead of sweeping an
   * empty index every CHARGE_SWEEP_INTERVAL_MS.
   */
  const idleQuietMs = () => Math.min(tickMs(), MIN_UNIT_SECONDS * 1000) - config.CHARGE_SWEEP_INTERVAL_MS;

  async function getCall(appid: string, callId: string): Promise<CallViewT> {
    const h = await store.getCall(appid, callId);
    if (!h) throw new AppError('CALL_NOT_FOUND', `no metered call ${callId}`);
    return toCallView(callId, h);
  }

  /** Applies one ledger operation; INSUFFICIENT_BALANCE when a debit is not covered. */
  async function apply(appid: string, op: { uid: string; amount: number; key: string; kind: EntryKindT; note?: string }): Promise<LedgerResultT> {
    const r = await store.ledger(appid, { ...op, now: Date.now() });
    throwOnScriptCode(BILLING_CODES.sbBillLedger, r.code, {
      INSUFFICIENT_BALANCE: { message: `balance ${r.balance} does not cover ${-op.amount}`, details: { balance: r.balance } },
    });
    const entry = r.entry!;
    // The same reference with another user or amount is a client bug, not a replay.
    if (r.code === 0 && (entry.uid !== op.uid || entry.amount !== op.amount || entry.kind !== op.kind)) {
      throw new AppError('IDEMPOTENCY_CONFLICT', `${op.key} was already applied to ${entry.uid} with amount ${entry.amount}`);
    }
    return { entry, balance: entry.balance, replayed: r.code === 0 };
  }

  async function resolvePrice(appid: string, priceKey: string | undefined): Promise<PriceViewT> {
    const key = priceKey ?? 'default';
    const rev = reversed(key);
    const candidates = rev && rev !== key ? [key, rev, 'default'] : [key, 'default'];
    const found = await store.pricesOf(appid, candidates);
    const exact = found[0];
    if (exact) return exact;
    const other = rev && rev !== key ? found[1] : null;
    if (other && !other.directional) return other;
    const def = found[found.length - 1];
    if (def) return def;
    throw new AppError('PRICE_NOT_FOUND', `no price for ${key} and no default price in app ${appid}`);
  }

  /** Debits units from..to of a call, in order, each once; stops at the first one the balance cannot pay. */
  async function chargeUnits(
    appid: string,
    c: { callId: string; payer: string; unitPrice: number },
    from: number,
    to: number,
    balance: number,
  ): Promise<{ units: number; balance: number; short: boolean }> {
    let units = from - 1;
    for (let n = from; n <= to; n++) {
      const r = await store.ledger(appid, {
        uid: c.payer,
        amount: -c.unitPrice,
        key: unitKey(c.callId, n),
        kind: 'charge',
        now: Date.now(),
        callId: c.callId,
        unit: n,
      });
      balance = r.balance;
      // A debit the balance does not cover ends the advance here (not an error).
      if (scriptErrorCode(BILLING_CODES.sbBillLedger, r.code) === 'INSUFFICIENT_BALANCE') return { units, balance, short: true };
      units = n;
    }
    return { units, balance, short: false };
  }

  async function runHooks(appid: string, call: CallViewT): Promise<void> {
    try {
      await callEnded.run(appid, call);
      await store.hooksDone(appid, call.callId);
    } catch (err) {
      log.error({ err, appid, callId: call.callId }, 'billing onEnded hook failed; the tick job retries it');
    }
  }

  /** Ends an active call at `at` (ms); settles units started before `at` unless the balance ran out. */
  async function finish(appid: string, callId: string, reason: string, at: number): Promise<{ ended: boolean; call: CallViewT }> {
    const h = await store.getCall(appid, callId);
    if (!h) throw new AppError('CALL_NOT_FOUND', `no metered call ${callId}`);
    const r = await store.end(appid, callId, h.payer!, h.payee!, at, reason);
    throwOnScriptCode(BILLING_CODES.sbBillEnd, r.code, { CALL_NOT_FOUND: `no metered call ${callId}` });
    if (r.code === 0) return { ended: false, call: toCallView(callId, r.fields) };
    const f = r.fields;
    const unitPrice = Number(f.unitPrice);
    const unitMs = Number(f.unitMs);
    const elapsed = Number(f.endedAt) - Number(f.startedAt);
    let balance = await store.balance(appid, f.payer!);
    if (reason !== 'balance') {
      // Every started unit is paid: the ticks paid those started before the last tick.
      const need = Math.max(1, Math.ceil(elapsed / unitMs));
      const have = Number(f.units);
      if (need > have) {
        const c = await chargeUnits(appid, { callId, payer: f.payer!, unitPrice }, have + 1, need, balance);
        balance = c.balance;
        if (c.units > have) await store.advance(appid, callId, { claimedDue: null, units: c.units, amount: c.units * unitPrice });
      }
    }
    const call = await getCall(appid, callId);
    const ended: ChargeEndedT = { callId, reason, units: call.units, amount: call.amount, elapsedMs: call.elapsedMs, balance };
    emitter.toUser(appid, call.payer, 'charge.ended', ended);
    emitter.toUser(appid, call.payee, 'charge.ended', ended);
    await core.events.publish(
      appid,
      'charge.ended',
      { ...ended, payer: call.payer, payee: call.payee, unitPrice: call.unitPrice },
      { orderKey: callId },
    );
    await runHooks(appid, call);
    return { ended: true, call };
  }

  /** One claimed tick: charge the units started by its due time, push it, schedule the next. */
  async function processTick(appid: string, c: ClaimedTick, now: number): Promise<'ticked' | 'ended' | 'skipped'> {
    const due = Number(c.nextDue);
    const need = Math.floor((due - c.startedAt) / c.unitMs) + 1;
    let units = c.units;
    let balance = c.balance;
    if (need > units) {
      const r = await chargeUnits(appid, c, units + 1, need, balance);
      balance = r.balance;
      if (r.units > units) {
        units = r.units;
        if (r.short) await store.advance(appid, c.callId, { claimedDue: null, units, amount: units * c.unitPrice });
      }
      // The unit that could not be paid never started: the call ends where it would begin.
      if (r.short) return (await finish(appid, c.callId, 'balance', c.startedAt + units * c.unitMs)).ended ? 'ended' : 'skipped';
    }
    const nextTick = c.startedAt + (Math.floor((now - c.startedAt) / c.tickMs) + 1) * c.tickMs;
    const nextUnit = c.startedAt + units * c.unitMs;
    const low = c.unitPrice > 0 && balance < config.CHARGE_LOW_UNITS * c.unitPrice;
    const a = await store.advance(appid, c.callId, {
      claimedDue: c.nextDue,
      units,
      amount: units * c.unitPrice,
      nextDue: Math.min(nextTick, nextUnit),
      low,
    });
    if (a.code !== 1) return 'skipped'; // ended meanwhile, or another worker ticked it after our lease ran out
    const tick: ChargeTickT = {
      callId: c.callId,
      payer: c.payer,
      payee: c.payee,
      seq: a.seq,
      due,
      elapsedMs: due - c.startedAt,
      units: a.units,
      unitPrice: c.unitPrice,
      unitSeconds: c.unitMs / 1000,
      amount: a.units * c.unitPrice,
      balance,
    };
    emitter.toUser(appid, c.payer, 'charge.tick', tick);
    emitter.toUser(appid, c.payee, 'charge.tick', tick);
    await core.events.publish(appid, 'charge.ticked', tick, { orderKey: c.callId });
    if (a.lowStarted) {
      const lowEvent = { callId: c.callId, payer: c.payer, balance, unitPrice: c.unitPrice, unitsLeft: Math.floor(balance / c.unitPrice) };
      emitter.toUser(appid, c.payer, 'charge.low', lowEvent);
      emitter.toUser(appid, c.payee, 'charge.low', lowEvent);
    }
    return 'ticked';
  }

  /**
   * One sweep: claims every due tick of every app with active calls and processes it
   * (see processTick); re-runs the hooks of ends that did not acknowledge them.
   */
  async function sweep(): Promise<{ ticks: number; ended: number; quietMs?: number }> {
    let ticks = 0;
    let ended = 0;
    const apps = await store.activeApps();
    if (apps.length === 0) return { ticks, ended, quietMs: idleQuietMs() };
    for (const appid of apps) {
      for (;;) {
        const now = Date.now();
        const { examined, claimed } = await store.claim(appid, now, CLAIM_BATCH, now + config.CHARGE_TICK_LEASE_MS);
        const results = await Promise.all(
          claimed.map((c) =>
            processTick(appid, c, now).catch((err: unknown) => {
              // The lease runs out and the tick is claimed again (its units replay harmlessly).
              log.error({ err, appid, callId: c.callId }, 'charge tick failed');
              return 'skipped' as const;
            }),
          ),
        );
        for (const r of results) {
          if (r === 'ticked') ticks++;
          else if (r === 'ended') ended++;
        }
        if (examined < CLAIM_BATCH) break;
      }
      for (const callId of await store.claimEndedPending(appid, Date.now() - HOOK_RETRY_AFTER_MS, Date.now())) {
        const h = await store.getCall(appid, callId);
        if (h) await runHooks(appid, toCallView(callId, h));
        else await store.hooksDone(appid, callId);
      }
      await store.retireIfIdle(appid);
    }
    return { ticks, ended };
  }

  return {
    getCall,
    /** The call as user `uid` reads it: FORBIDDEN unless they are its payer or payee. */
    async callFor(appid: string, callId: string, uid: string): Promise<CallViewT> {
      const call = await getCall(appid, callId);
      if (call.payer !== uid && call.payee !== uid) throw new AppError('FORBIDDEN', 'only the payer and the payee see this call');
      return call;
    },
    resolvePrice,

    /** A feature learns of every end of a metered call (e.g. conversations free the agent on `balance`). */
    onEnded: (handler: CallEndedHandler) => callEnded.on(handler),

    // ── prices ──────────────────────────────────────────────────────────────
    /** Sets the price of a key (`default`, `CN-EN` …); a pair key prices both directions unless `directional`. */
    async setPrice(appid: string, priceKey: string, p: PriceBodyT): Promise<PriceViewT> {
      const price = { priceKey, unitPrice: p.unitPrice, unitSeconds: p.unitSeconds, directional: p.directional };
      await store.setPrice(appid, price);
      return price;
    },
    async deletePrice(appid: string, priceKey: string): Promise<void> {
      if (!(await store.deletePrice(appid, priceKey))) throw new AppError('PRICE_NOT_FOUND', `no price ${priceKey}`);
    },
    listPrices: (appid: string) => store.prices(appid),
    /** The price set for exactly `priceKey` (no fallback), or null. */
    priceOf: async (appid: string, priceKey: string) => (await store.pricesOf(appid, [priceKey]))[0] ?? null,

    // ── balances and the ledger ─────────────────────────────────────────────
    /** The app's backend credits a user, once per `ref` (ledger key `topup:<ref>`). */
    async topup(appid: string, t: { uid: string; amount: number; ref: string; note?: string }): Promise<LedgerResultT> {
      await accounts.getUser(appid, t.uid);
      return apply(appid, { uid: t.uid, amount: t.amount, key: `topup:${t.ref}`, kind: 'topup', ...(t.note ? { note: t.note } : {}) });
    },
    /** The app's backend corrects a balance (signed), once per `ref` (ledger key `adjust:<ref>`); never below zero. */
    async adjust(appid: string, t: { uid: string; amount: number; ref: string; note?: string }): Promise<LedgerResultT> {
      if (t.amount === 0) throw new AppError('VALIDATION_FAILED', 'invalid adjustment: amount: must not be 0');
      await accounts.getUser(appid, t.uid);
      return apply(appid, { uid: t.uid, amount: t.amount, key: `adjust:${t.ref}`, kind: 'adjustment', ...(t.note ? { note: t.note } : {}) });
    },
    balance: (appid: string, uid: string) => store.balance(appid, uid),
    /** The user's ledger, newest first. */
    ledger: (appid: string, uid: string, q: { before?: number; limit: number }): Promise<LedgerPageT> =>
      store.userLedger(appid, uid, q.before, q.limit),
    /** The ledger entries of one call (its units), newest first. */
    async callLedger(appid: string, callId: string, q: { before?: number; limit: number }): Promise<LedgerPageT> {
      await getCall(appid, callId);
      return store.callLedger(appid, callId, q.before, q.limit);
    },

    // ── metered calls ───────────────────────────────────────────────────────
    /**
     * Seed `charge/begin?conversation_id=`: starts metering `callId` (the conversation id),
     * `payer` paying `payee` at the price of `priceKey` (e.g. the language pair `CN-EN`;
     * falls back to the reversed pair unless directional, then to `default`). Debits unit 1
     * at once; INSUFFICIENT_BALANCE (nothing started) when it cannot be paid. Idempotent:
     * beginning an active call again returns it; CALL_EXISTS for other parties, CALL_ENDED
     * when it already ended.
     */
    async begin(appid: string, input: BeginInput): Promise<CallViewT> {
      if (input.payer === input.payee) throw new AppError('VALIDATION_FAILED', 'invalid call: payee: must differ from payer');
      await Promise.all([accounts.getUser(appid, input.payer), accounts.getUser(appid, input.payee)]);
      const price = await resolvePrice(appid, input.priceKey);
      const now = Date.now();
      const unitMs = price.unitSeconds * 1000;
      const r = await store.begin(appid, {
        callId: input.callId,
        payer: input.payer,
        payee: input.payee,
        priceKey: price.priceKey,
        unitPrice: price.unitPrice,
        unitMs,
        tickMs: tickMs(),
        now,
        firstDue: now + Math.min(tickMs(), unitMs),
      });
      const h = r.fields;
      if (!r.created) {
        if (h.payer !== input.payer || h.payee !== input.payee)
          throw new AppError('CALL_EXISTS', `call ${input.callId} is metered between other users`);
        if (h.state !== 'active') throw new AppError('CALL_ENDED', `call ${input.callId} has ended`);
        if (Number(h.units) >= 1) return getCall(appid, input.callId);
      }
      const unitPrice = r.created ? price.unitPrice : Number(h.unitPrice);
      const first = await chargeUnits(appid, { callId: input.callId, payer: input.payer, unitPrice }, 1, 1, 0);
      if (first.short) {
        if (await store.abort(appid, input.callId, input.payer, input.payee)) {
          throw new AppError('INSUFFICIENT_BALANCE', `balance ${first.balance} does not cover the first unit (${unitPrice})`, {
            balance: first.balance,
          });
        }
        return getCall(appid, input.callId); // charged or ended meanwhile by a concurrent begin/tick
      }
      await store.advance(appid, input.callId, { claimedDue: null, units: 1, amount: unitPrice });
      const call = await getCall(appid, input.callId);
      if (r.created) {
        emitter.toUser(appid, call.payer, 'charge.started', call);
        emitter.toUser(appid, call.payee, 'charge.started', call);
      }
      return call;
    },

    /**
     * Seed `charge/update?conversation_id=&charge_length=`: the agent app's measure so far
     * (seconds). Recorded and compared with the server's (authoritative); a difference beyond
     * CHARGE_RECONCILE_TOLERANCE_SECONDS is kept for review. CALL_ENDED once ended.
     */
    async update(appid: string, callId: string, reportedSeconds: number): Promise<CallViewT> {
      const r = await store.report(appid, callId, 'update', reportedSeconds, Date.now(), config.CHARGE_RECONCILE_TOLERANCE_SECONDS);
      throwOnScriptCode(BILLING_CODES.sbBillReport, r.code, { CALL_NOT_FOUND: `no metered call ${callId}`, CALL_ENDED: `call ${callId} has ended` });
      return getCall(appid, callId);
    },

    /**
     * Seed `charge/end?conversation_id=&charge_length=`: ends metering (every started unit is
     * paid) and records the agent app's final measure like `update`. Ending an ended call
     * changes nothing (its final measure is still recorded once) and returns the bill.
     */
    async end(appid: string, callId: string, opts: { reportedSeconds?: number; reason: string }): Promise<CallViewT> {
      const { call } = await finish(appid, callId, opts.reason, Date.now());
      if (opts.reportedSeconds === undefined) return call;
      const r = await store.report(appid, callId, 'end', opts.reportedSeconds, Date.now(), config.CHARGE_RECONCILE_TOLERANCE_SECONDS);
      return r.code === 1 ? getCall(appid, callId) : call;
    },

    /**
     * Seed `charge/confirm?conversation_id=`: the payer accepts the bill of an ended call
     * (state → confirmed; idempotent). FORBIDDEN for anyone but the payer, CALL_ACTIVE
     * before the call ended.
     */
    async confirm(appid: string, callId: string, payer: string): Promise<CallViewT> {
      const r = await store.confirm(appid, callId, payer, Date.now());
      throwOnScriptCode(BILLING_CODES.sbBillConfirm, r, {
        CALL_NOT_FOUND: `no metered call ${callId}`,
        FORBIDDEN: 'only the payer confirms the bill',
        CALL_ACTIVE: `call ${callId} is still metered: end it first`,
      });
      return getCall(appid, callId);
    },

    /** Differences between agent apps' measures and the server's, newest first. */
    async reconciliations(appid: string, q: { before?: number; limit: number }): Promise<{ items: ReconciliationT[]; next?: number }> {
      const raw = await store.reconciliations(appid, q.before, q.limit);
      const items = raw.slice(0, q.limit).map((s) => JSON.parse(s) as ReconciliationT);
      const last = items[items.length - 1];
      return raw.length > q.limit && last ? { items, next: last.at } : { items };
    },

    /** Active metered calls of every app (the dashboard's chart). */
    activeCallCount: store.activeCallCount,

    /** The app's active metered calls with their running charge, at most `limit` (dashboards). */
    async activeCalls(appid: string, limit: number): Promise<{ total: number; calls: CallViewT[] }> {
      const { total, ids } = await store.activeCallIds(appid, limit);
      const now = Date.now();
      const calls = (await store.getCalls(appid, ids)).flatMap((h, i) => (h && h.state === 'active' ? [toCallView(ids[i]!, h, now)] : []));
      return { total, calls };
    },

    /** The user's balance and active metered calls (session.snapshot, billing.balance). */
    probe: store.probe,
    /** session.snapshot part (`found`: the probe saw a balance or calls). */
    async snapshot(appid: string, uid: string, found = true): Promise<{ balance: number; calls: CallViewT[] }> {
      if (!found) return { balance: 0, calls: [] };
      const [balance, ids] = await Promise.all([store.balance(appid, uid), store.userCallIds(appid, uid)]);
      const now = Date.now();
      const calls = (await store.getCalls(appid, ids)).flatMap((h, i) => (h && h.state === 'active' ? [toCallView(ids[i]!, h, now)] : []));
      return { balance, calls };
    },

    /**
     * billing/tick: sweeps (see `tick`) every CHARGE_SWEEP_INTERVAL_MS for one job period
     * (chargeJobPeriodMs) plus a short overlap with the next job; returns the totals.
     */
    async tickFor(periodMs = chargeJobPeriodMs(config), signal?: AbortSignal): Promise<{ sweeps: number; ticks: number; ended: number }> {
      const total = { sweeps: 0, ticks: 0, ended: 0 };
      total.sweeps = await sweepFor(periodMs, config.CHARGE_SWEEP_INTERVAL_MS, signal, async () => {
        const r = await sweep();
        total.ticks += r.ticks;
        total.ended += r.ended;
        return r.quietMs;
      });
      return total;
    },

    /** One sweep (see sweep above); the tests and benchmarks call it directly. */
    tick: sweep,
  };
}
