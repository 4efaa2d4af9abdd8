// Redis layout of billing (all in the app's hash tag, so every script in lua/ runs in one
// Cluster slot; P = sw:{app}:billing:):
//   P bal              hash uid → balance (integer minor units). Written ONLY by sbBillLedger.
//   P seq              counter: the last ledger entry id of the app
//   P e                hash entry id → "id|key|uid|kind|amount|balance|ts|callId|unit|note"
//   P idem             hash idempotency key → entry id (call:<id>:unit:<n>, topup:<ref>, adjust:<ref>)
//   P lu:<uid>         zset entry id → id: the user's ledger
//   P lc:<callId>      zset entry id → id: the call's ledger
//   P prices           hash priceKey → "unitPrice|unitSeconds|directional(0/1)"
//   P c:<callId>       hash: the metered call — payer, payee, priceKey, unitPrice, unitMs, tickMs,
//                      state (active|ended|confirmed), startedAt, units, amount, nextDue, seq, low,
//                      endedAt, reason, reportedSeconds, diffSeconds, endReported, confirmedAt
//   P due              zset callId → when its next tick may be claimed (ms): the due time, or a
//                      claim's lease end while a worker processes it
//   P uc:<uid>         set of the user's active call ids (payer or payee) — snapshot
//   P endq             zset callId → endedAt: ended calls whose onEnded hooks have not all run yet
//   P rec              zset json → at: reconciliation differences, for review
//   sw:g:billing:apps  set of appids with active calls — what the tick job visits
//
// Scripts derive per-call and per-user keys from the prefix P passed in ARGV when they only
// know them after reading (claim); those keys carry the same `{app}` hash tag as KEYS[1].
import type { RedisClient } from '../../infra/redis.js';
import { createAppIndex } from '../../infra/app-index.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts, runDurableScript, type Durability } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';
import type { ProbeItem } from '../../infra/sessions.js';
import type { EntryKindT, LedgerEntryT, PriceViewT } from './schemas.js';

const scripts = loadScripts('modules/billing', [
  'sbBillClaimEnded',
  'sbBillLedger',
  'sbBillBegin',
  'sbBillAbort',
  'sbBillClaim',
  'sbBillAdvance',
  'sbBillEnd',
  'sbBillReport',
  'sbBillConfirm',
] as const);

export interface LedgerApplied {
  code: 1 | 0 | -1;
  entry: LedgerEntryT | null;
  balance: number;
}

/** A tick claimed by sbBillClaim. */
export interface ClaimedTick {
  callId: string;
  payer: string;
  payee: string;
  startedAt: number;
  unitMs: number;
  unitPrice: number;
  units: number;
  /** The due time as stored (string, compared verbatim by sbBillAdvance). */
  nextDue: string;
  low: boolean;
  tickMs: number;
  balance: number;
}

export function parseEntry(raw: string): LedgerEntryT {
  const f = raw.split('|');
  const note = f.slice(9).join('|');
  return {
    id: Number(f[0]),
    key: f[1]!,
    uid: f[2]!,
    kind: f[3] as EntryKindT,
    amount: Number(f[4]),
    balance: Number(f[5]),
    ts: Number(f[6]),
    ...(f[7] ? { callId: f[7] } : {}),
    ...(f[8] ? { unit: Number(f[8]) } : {}),
    ...(note ? { note } : {}),
  };
}

const pairs = (flat: unknown[]): Record<string, string> => {
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) h[String(flat[i])] = String(flat[i + 1]);
  return h;
};

export type BillingStore = ReturnType<typeof createBillingStore>;

/** Where ledger writes go and how they wait for replicas (infra/scripts.ts runDurableScript). */
export interface LedgerDurability extends Durability {
  redis: RedisClient;
  onShort(appid: string, acked: number): void;
}

export function createBillingStore(
  redis: RedisClient,
  keys: Keys,
  durable: LedgerDurability = { redis, replicas: 0, timeoutMs: 0, onShort: () => undefined },
) {
  const run = defineScripts(redis, scripts);
  const k = (appid: string, ...parts: Array<string | number>) => keys.scoped(appid, 'billing', ...parts);
  const prefix = (appid: string) => keys.scoped(appid, 'billing', '');
  const activeApps = createAppIndex(redis, keys.global('billing', 'apps'));
  const callKeys = (appid: string, callId: string, payer: string, payee: string) => [
    k(appid, 'c', callId),
    k(appid, 'due'),
    k(appid, 'uc', payer),
    k(appid, 'uc', payee),
  ];

  async function page(appid: string, zkey: string, before: number | undefined, limit: number): Promise<{ entries: LedgerEntryT[]; next?: number }> {
    const ids = await redis.zrevrangebyscore(zkey, before !== undefined ? `(${before}` : '+inf', '-inf', 'LIMIT', 0, limit + 1);
    const shown = ids.slice(0, limit);
    const raws = shown.length ? await redis.hmget(k(appid, 'e'), ...shown) : [];
    const entries = raws.filter((r): r is string => r !== null).map(parseEntry);
    const last = entries[entries.length - 1];
    return ids.length > limit && last ? { entries, next: last.id } : { entries };
  }

  return {
    /** The ledger operation (see sbBillLedger). `amount` is signed: negative debits. */
    async ledger(
      appid: string,
      op: { uid: string; amount: number; key: string; kind: EntryKindT; now: number; callId?: string; unit?: number; note?: string },
    ): Promise<LedgerApplied> {
      const { result, acked } = await runDurableScript(
        durable.redis,
        scripts.sbBillLedger,
        [k(appid, 'bal'), k(appid, 'idem'), k(appid, 'e'), k(appid, 'seq'), k(appid, 'lu', op.uid), k(appid, 'lc', op.callId ?? '-')],
        [op.uid, op.amount, op.key, op.kind, op.now, op.callId ?? '', op.unit ?? '', op.note ?? ''],
        durable,
      );
      if (acked !== null && acked < durable.replicas) durable.onShort(appid, acked);
      const r = result as [number, string, string];
      return { code: Number(r[0]) as 1 | 0 | -1, entry: r[1] ? parseEntry(r[1]) : null, balance: Number(r[2]) };
    },
    async balance(appid: string, uid: string): Promise<number> {
      return Number((await redis.hget(k(appid, 'bal'), uid)) ?? 0);
    },
    userLedger: (appid: string, uid: string, before: number | undefined, limit: number) => page(appid, k(appid, 'lu', uid), before, limit),
    callLedger: (appid: string, callId: string, before: number | undefined, limit: number) => page(appid, k(appid, 'lc', callId), before, limit),

    async setPrice(appid: string, p: PriceViewT): Promise<void> {
      await redis.hset(k(appid, 'prices'), p.priceKey, `${p.unitPrice}|${p.unitSeconds}|${p.directional ? 1 : 0}`);
    },
    async deletePrice(appid: string, priceKey: string): Promise<boolean> {
      return (await redis.hdel(k(appid, 'prices'), priceKey)) === 1;
    },
    async prices(appid: string): Promise<PriceViewT[]> {
      const h = await redis.hgetall(k(appid, 'prices'));
      return Object.entries(h)
        .map(([priceKey, v]) => toPrice(priceKey, v))
        .sort((a, b) => (a.priceKey < b.priceKey ? -1 : a.priceKey > b.priceKey ? 1 : 0));
    },
    /** The raw prices of `candidates`, in order (null where unset). */
    async pricesOf(appid: string, candidates: string[]): Promise<Array<PriceViewT | null>> {
      const raws = await redis.hmget(k(appid, 'prices'), ...candidates);
      return raws.map((v, i) => (v === null ? null : toPrice(candidates[i]!, v)));
    },

    async begin(
      appid: string,
      c: {
        callId: string;
        payer: string;
        payee: string;
        priceKey: string;
        unitPrice: number;
        unitMs: number;
        tickMs: number;
        now: number;
        firstDue: number;
      },
    ): Promise<{ created: boolean; fields: Record<string, string> }> {
      const r = (await run('sbBillBegin', callKeys(appid, c.callId, c.payer, c.payee), [
        c.callId,
        c.payer,
        c.payee,
        c.priceKey,
        c.unitPrice,
        c.unitMs,
        c.tickMs,
        c.now,
        c.firstDue,
      ])) as unknown[];
      if (Number(r[0]) === 1) await activeApps.add(appid); // another slot: after the script, idempotent
      return { created: Number(r[0]) === 1, fields: pairs(r.slice(1)) };
    },
    async abort(appid: string, callId: string, payer: string, payee: string): Promise<boolean> {
      return Number(await run('sbBillAbort', callKeys(appid, callId, payer, payee), [callId])) === 1;
    },
    async getCall(appid: string, callId: string): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(k(appid, 'c', callId));
      return Object.keys(h).length ? h : null;
    },
    async getCalls(appid: string, callIds: string[]): Promise<Array<Record<string, string> | null>> {
      if (callIds.length === 0) return [];
      const m = redis.multi();
      for (const id of callIds) m.hgetall(k(appid, 'c', id));
      return ((await m.exec()) ?? []).map(([, h]) => (h && Object.keys(h as object).length ? (h as Record<string, string>) : null));
    },
    userCallIds: (appid: string, uid: string) => redis.smembers(k(appid, 'uc', uid)),
    /** What session.snapshot reads: the user's balance and call set. */
    probe: (appid: string, uid: string): ProbeItem[] => [{ key: k(appid, 'bal'), field: uid }, { key: k(appid, 'uc', uid) }],
    /** Active calls (those with a tick due), next tick first, at most `limit`; and how many there are (dashboards). */
    async activeCallIds(appid: string, limit: number): Promise<{ total: number; ids: string[] }> {
      const [[, ids], [, total]] = (await redis
        .multi()
        .zrange(k(appid, 'due'), '0', String(limit - 1))
        .zcard(k(appid, 'due'))
        .exec()) as [[null, string[]], [null, number]];
      return { total, ids };
    },

    async claim(appid: string, now: number, limit: number, leaseUntil: number): Promise<{ examined: number; claimed: ClaimedTick[] }> {
      const r = (await run('sbBillClaim', [k(appid, 'due')], [now, limit, leaseUntil, prefix(appid)])) as Array<string | number>;
      const claimed: ClaimedTick[] = [];
      for (let i = 1; i + 10 < r.length; i += 11) {
        claimed.push({
          callId: String(r[i]),
          payer: String(r[i + 1]),
          payee: String(r[i + 2]),
          startedAt: Number(r[i + 3]),
          unitMs: Number(r[i + 4]),
          unitPrice: Number(r[i + 5]),
          units: Number(r[i + 6]),
          nextDue: String(r[i + 7]),
          low: String(r[i + 8]) === '1',
          tickMs: Number(r[i + 9]),
          balance: Number(r[i + 10]),
        });
      }
      return { examined: Number(r[0]), claimed };
    },
    async advance(
      appid: string,
      callId: string,
      a: { claimedDue: string | null; units: number; amount: number; nextDue?: number; low?: boolean },
    ): Promise<{ code: number; units: number; seq: number; lowStarted: boolean }> {
      const r = (await run(
        'sbBillAdvance',
        [k(appid, 'c', callId), k(appid, 'due')],
        [callId, a.claimedDue ?? '', a.units, a.amount, a.nextDue ?? '', a.low ? 1 : 0],
      )) as number[];
      return { code: Number(r[0]), units: Number(r[1] ?? 0), seq: Number(r[2] ?? 0), lowStarted: Number(r[3] ?? 0) === 1 };
    },
    async end(
      appid: string,
      callId: string,
      payer: string,
      payee: string,
      now: number,
      reason: string,
    ): Promise<{ code: number; fields: Record<string, string> }> {
      const r = (await run('sbBillEnd', [...callKeys(appid, callId, payer, payee), k(appid, 'endq')], [callId, now, reason])) as unknown[];
      return { code: Number(r[0]), fields: pairs(r.slice(1)) };
    },
    async report(
      appid: string,
      callId: string,
      phase: 'update' | 'end',
      reportedSeconds: number,
      now: number,
      toleranceSeconds: number,
    ): Promise<{ code: number; serverSeconds: number; diff: number | null }> {
      const r = (await run(
        'sbBillReport',
        [k(appid, 'c', callId), k(appid, 'rec')],
        [callId, phase, reportedSeconds, now, toleranceSeconds],
      )) as Array<number | string>;
      return { code: Number(r[0]), serverSeconds: Number(r[1] ?? 0), diff: r[2] === undefined || r[2] === '' ? null : Number(r[2]) };
    },
    async confirm(appid: string, callId: string, payer: string, now: number): Promise<number> {
      return Number(await run('sbBillConfirm', [k(appid, 'c', callId)], [payer, now]));
    },

    /** Claims (until `until`) ended calls whose hooks have not been acknowledged, ended before `before`. */
    claimEndedPending: async (appid: string, before: number, until: number) =>
      (await run('sbBillClaimEnded', [k(appid, 'endq')], [before, until, 100])) as string[],
    hooksDone: (appid: string, callId: string) => redis.zrem(k(appid, 'endq'), callId),

    async reconciliations(appid: string, before: number | undefined, limit: number): Promise<string[]> {
      return redis.zrevrangebyscore(k(appid, 'rec'), before !== undefined ? `(${before}` : '+inf', '-inf', 'LIMIT', 0, limit + 1);
    },

    /** Apps whose due ticks the tick job visits. */
    activeApps: activeApps.members,
    /** Active metered calls of the whole deployment (the dashboard's chart): one ZCARD per app with calls, all in one write. */
    async activeCallCount(): Promise<number> {
      const counts = await Promise.all((await activeApps.members()).map((appid) => redis.zcard(k(appid, 'due'))));
      return counts.reduce((a, b) => a + b, 0);
    },
    /** Drops an app without active calls from the tick job; re-adds it if a call began meanwhile. */
    retireIfIdle: (appid: string) => activeApps.retireIfIdle(appid, async () => (await redis.exists(k(appid, 'due'), k(appid, 'endq'))) > 0),
  };
}

function toPrice(priceKey: string, v: string): PriceViewT {
  const [unitPrice, unitSeconds, directional] = v.split('|');
  return { priceKey, unitPrice: Number(unitPrice), unitSeconds: Number(unitSeconds), directional: directional === '1' };
}
