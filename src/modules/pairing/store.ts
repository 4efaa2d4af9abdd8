// Redis state of pairing, and every transition that races as one Lua script. All keys of
// an app share its hash tag (keys.scoped), so the scripts stay legal on Redis Cluster.
//
//   P = sw:{app}:pairing:
//   P seq            counter of ask numbers
//   P a:<ask>        hash: askUid, scene, peer (scene 0), state, round, roundAt, startAt, fl, fg, ft,
//                    filters (JSON), winner, winnerRound, callId, peerUid, endedAt, endReason
//   P asked:<ask>    set: every candidate this ask was offered to (never twice, scene 1)
//   P o:<ask>        set: candidates holding an offer of the current round
//   P co:<uid>       set: asks whose current round is offered to uid (snapshot)
//   P avail          zset uid → last offer time (availability time before the first): least recently offered first
//   P c:<uid>        hash: lang, gender, tags (",a,b,") from the profile when the user became available
//   P busy           hash uid → ask: asking, answered (waiting for confirm) or in a call
//   P rl:<uid>       offers received in the current PAIR_OFFER_WINDOW_MS (fairness limit)
//   P h:<uid>        zset ask → startAt: the user's history list (asker, and peer once matched)
//   P call:<callId>  → ask (the metered call that followed a match)
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';
import type { ProbeItem } from '../../infra/sessions.js';

const scripts = loadScripts('modules/pairing', ['sbPairAsk', 'sbPairRound', 'sbPairAnswer', 'sbPairConfirm', 'sbPairClose'] as const);

export type PairingStore = ReturnType<typeof createPairingStore>;

export function createPairingStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const P = (appid: string) => keys.scoped(appid, 'pairing', '');
  const ask = (appid: string, id: string) => keys.scoped(appid, 'pairing', 'a', id);
  const k = (appid: string, ...parts: string[]) => keys.scoped(appid, 'pairing', ...parts);
  const list = (r: unknown) => (r as Array<string | number>).map(String);

  return {
    async create(appid: string, uid: string, a: { scene: number; peer: string; now: number; fl: string; fg: string; ft: string; filters: string }) {
      const r = list(await run('sbPairAsk', [k(appid, 'seq')], [P(appid), uid, a.scene, a.peer, a.now, a.fl, a.fg, a.ft, a.filters]));
      return { code: Number(r[0]), askNo: r[1]! };
    },
    async round(appid: string, id: string, round: number, want: number, now: number, windowMs: number, maxPerWindow: number, scan: number) {
      const r = list(await run('sbPairRound', [ask(appid, id)], [P(appid), id, round, want, now, windowMs, maxPerWindow, scan]));
      const code = Number(r[0]);
      return code === 1
        ? { code, askUid: r[1]!, scene: Number(r[2]), candidates: r.slice(3), state: 'matching' }
        : { code, askUid: '', scene: 1, candidates: [] as string[], state: r[1] ?? '' };
    },
    async answer(appid: string, id: string, uid: string, round: number, pass: boolean, now: number) {
      const r = list(await run('sbPairAnswer', [ask(appid, id)], [P(appid), id, uid, round, pass ? 1 : 0, now]));
      const code = Number(r[0]);
      return {
        code,
        askUid: code === 1 ? r[1]! : '',
        others: code === 1 ? r.slice(2) : [],
        winner: code === -2 ? r[1]! : '',
        round: code === -5 ? Number(r[1]) : 0,
        left: code === 0 ? Number(r[1]) : -1,
      };
    },
    async confirm(appid: string, id: string, uid: string, peer: string, like: boolean, callId: string, now: number) {
      const r = list(await run('sbPairConfirm', [ask(appid, id)], [P(appid), id, uid, peer, like ? 1 : 0, callId, now]));
      return {
        code: Number(r[0]),
        callId: Number(r[0]) === 2 ? r[1]! : '',
        round: Number(r[0]) === 0 ? Number(r[1]) : 0,
        winner: Number(r[0]) === -9 ? r[1]! : '',
      };
    },
    async close(appid: string, id: string, by: string, reason: string, now: number, round?: number) {
      const r = list(await run('sbPairClose', [ask(appid, id)], [P(appid), id, by, reason, now, round ?? '']));
      const code = Number(r[0]);
      return code === 1
        ? { code, askUid: r[1]!, previous: r[2]!, winner: r[3] ?? '', callId: r[4] ?? '', released: r.slice(5) }
        : { code, askUid: '', previous: r[1] ?? '', winner: '', callId: '', released: [] as string[] };
    },
    async get(appid: string, id: string): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(ask(appid, id));
      return Object.keys(h).length ? h : null;
    },
    async getMany(appid: string, ids: string[]): Promise<Array<[string, Record<string, string>]>> {
      if (ids.length === 0) return [];
      const m = redis.multi();
      for (const id of ids) m.hgetall(ask(appid, id));
      const res = (await m.exec()) ?? [];
      return ids
        .map((id, i) => [id, (res[i]?.[1] ?? {}) as Record<string, string>] as [string, Record<string, string>])
        .filter(([, h]) => Object.keys(h).length > 0);
    },
    async setAvailable(
      appid: string,
      uid: string,
      available: boolean,
      attrs: { lang: string; gender: string; tags: string },
      now: number,
    ): Promise<void> {
      if (available) {
        await redis
          .multi()
          .zadd(k(appid, 'avail'), 'NX', now, uid)
          .hset(k(appid, 'c', uid), attrs)
          .exec();
      } else {
        await redis.zrem(k(appid, 'avail'), uid);
      }
    },
    isAvailable: async (appid: string, uid: string) => (await redis.zscore(k(appid, 'avail'), uid)) !== null,
    /** The user's open ask or call (as asker or peer). */
    busyWith: (appid: string, uid: string) => redis.hget(k(appid, 'busy'), uid),
    /** Asks in flight (matching, answered or in a call): the distinct asks of the busy hash (dashboards). */
    openAskIds: async (appid: string) => [...new Set(await redis.hvals(k(appid, 'busy')))],
    offersOf: (appid: string, uid: string) => redis.smembers(k(appid, 'co', uid)),
    /** What session.snapshot reads: availability, the busy ask, the offers. */
    probe: (appid: string, uid: string): ProbeItem[] => [
      { key: k(appid, 'avail'), member: uid },
      { key: k(appid, 'busy'), field: uid },
      { key: k(appid, 'co', uid) },
    ],
    askOfCall: (appid: string, callId: string) => redis.get(k(appid, 'call', callId)),
    offerCount: async (appid: string, uid: string) => Number((await redis.get(k(appid, 'rl', uid))) ?? 0),
    /** History: ask numbers with their startAt, newest first. */
    async history(appid: string, uid: string, before: number | undefined, limit: number): Promise<Array<[string, number]>> {
      const r = await redis.zrevrangebyscore(
        k(appid, 'h', uid),
        before !== undefined ? `(${before}` : '+inf',
        '-inf',
        'WITHSCORES',
        'LIMIT',
        0,
        limit,
      );
      const out: Array<[string, number]> = [];
      for (let i = 0; i + 1 < r.length; i += 2) out.push([r[i]!, Number(r[i + 1])]);
      return out;
    },
    historyScore: async (appid: string, uid: string, id: string) => {
      const s = await redis.zscore(k(appid, 'h', uid), id);
      return s === null ? null : Number(s);
    },
    removeHistory: async (appid: string, uid: string, id: string) => (await redis.zrem(k(appid, 'h', uid), id)) === 1,
  };
}
