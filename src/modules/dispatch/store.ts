// Redis layout of dispatch (the app's hash tag; per-request/agent/skill keys derived in
// the scripts from the prefixes "sw:{app}:dispatch:" and "sw:{app}:presence:" — same slot):
//   sw:{app}:dispatch:seq          counter: the last request id
//   sw:{app}:dispatch:r:<id>       hash: caller, skill, state, round, createdAt, expiresAt, data,
//                                  agent, acceptedAt, startedAt, endedAt, endReason
//   sw:{app}:dispatch:o:<id>       set of agents holding a pending offer of the request
//   sw:{app}:dispatch:t:<id>       set of agents ever offered it (never offered twice)
//   sw:{app}:dispatch:ao:<uid>     set of request ids pending for the agent (snapshot, offline)
//   sw:{app}:dispatch:w:<skill>    zset id → createdAt: requests of the skill still waiting (queue position)
//   sw:{app}:dispatch:skills       set of skills that ever had a request (which w:<skill> to read: dashboards)
//   sw:{app}:dispatch:u:<uid>      set of the user's open requests / conversations (caller or agent)
//   sw:{app}:dispatch:due          zset id → due time of the request's one timer (its next round or
//                                  expiry while waiting, its no-show once accepted), read by the sweep
//   sw:g:dispatch:apps             set of apps whose due zset may hold timers (the sweep's index)
// Agents' load and offers live in presence's hash; every script here that changes them
// re-ranks the agent through presence's lua/includes/agent-refresh.lua in the same atomic step.
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';
import { createAppIndex } from '../../infra/app-index.js';
import type { ProbeItem } from '../../infra/sessions.js';

const scripts = loadScripts('modules/dispatch', [
  'sbDispatchCreate',
  'sbDispatchRound',
  'sbDispatchAccept',
  'sbDispatchDecline',
  'sbDispatchClose',
  'sbConvBegin',
  'sbConvEnd',
  'sbDispatchStalled',
  'sbDispatchDue',
] as const);

export type DispatchStore = ReturnType<typeof createDispatchStore>;

/** A waiting request no agent holds an offer of, whose next round can run now (includes/stalled.lua). */
export interface Stalled {
  id: string;
  round: number;
}

/** The flat {id, round, …} of includes/stalled.lua. */
function pairs(flat: string[]): Stalled[] {
  const out: Stalled[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ id: flat[i]!, round: Number(flat[i + 1]) });
  return out;
}

/** A hash as HGETALL gives it inside a script (field, value, …); null when empty. */
function hash(flat: string[]): Record<string, string> | null {
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i]!] = flat[i + 1]!;
  return flat.length ? h : null;
}

export function createDispatchStore(redis: RedisClient, keys: Keys, presencePrefix: (appid: string) => string) {
  const run = defineScripts(redis, scripts);
  const D = (appid: string) => keys.scoped(appid, 'dispatch', '');
  const req = (appid: string, id: string) => keys.scoped(appid, 'dispatch', 'r', id);
  const list = (r: unknown) => (r as Array<string | number>).map(String);
  const due = (appid: string) => keys.scoped(appid, 'dispatch', 'due');
  const timerApps = createAppIndex(redis, keys.global('dispatch', 'apps'));

  return {
    async create(
      appid: string,
      caller: string,
      skill: string,
      now: number,
      expiresAt: number,
      data: string,
      offerAll: boolean,
      roundMs: number,
    ): Promise<string> {
      const r = list(
        await run(
          'sbDispatchCreate',
          [keys.scoped(appid, 'dispatch', 'seq')],
          [D(appid), caller, skill, now, expiresAt, data, offerAll ? '1' : '0', roundMs],
        ),
      );
      // The sweep drops an app from its index only once the app's timers are all gone: while
      // any is left, the app is listed (another slot: after the script, idempotent).
      if (r[1] === '1') await timerApps.add(appid);
      return r[0]!;
    },
    async round(appid: string, id: string, round: number, count: number, now: number, roundMs: number) {
      const r = list(await run('sbDispatchRound', [req(appid, id)], [D(appid), presencePrefix(appid), id, round, count, now, roundMs]));
      // Every round lists its app for the sweep again (idempotent): an index entry a failed add
      // missed comes back with the app's next round.
      if (Number(r[0]) > 0) await timerApps.add(appid);
      const code = Number(r[0]);
      if (code <= 0)
        return {
          code,
          position: 0,
          agents: [] as string[],
          state: r[1] ?? '',
          caller: '',
          skill: '',
          expiresAt: 0,
          data: '',
        };
      return {
        code,
        position: Number(r[1]),
        caller: r[2]!,
        skill: r[3]!,
        expiresAt: Number(r[4]),
        data: r[5] ?? '',
        agents: r.slice(6),
        state: 'waiting',
      };
    },
    async accept(
      appid: string,
      id: string,
      uid: string,
      now: number,
      noShowMs: number,
    ): Promise<{
      code: number;
      caller: string;
      round: number;
      others: string[];
      winner: string;
      stalled: Stalled[];
      /** The request after the accept (won only). */
      request: Record<string, string> | null;
    }> {
      const r = list(await run('sbDispatchAccept', [req(appid, id)], [D(appid), presencePrefix(appid), id, uid, now, noShowMs]));
      const code = Number(r[0]);
      const base = { code, caller: code > 0 ? r[1]! : '', round: code > 0 ? Number(r[2]) : 0, winner: code === -2 ? r[1]! : code > 0 ? uid : '' };
      if (code !== 1) return { ...base, others: [], stalled: [], request: null };
      const othersEnd = 4 + Number(r[3]);
      const stalledEnd = othersEnd + 1 + 2 * Number(r[othersEnd]);
      return { ...base, others: r.slice(4, othersEnd), stalled: pairs(r.slice(othersEnd + 1, stalledEnd)), request: hash(r.slice(stalledEnd)) };
    },
    async decline(appid: string, id: string, uid: string): Promise<{ declined: boolean; pending: number; state: string; round: number }> {
      const r = list(await run('sbDispatchDecline', [req(appid, id)], [D(appid), presencePrefix(appid), id, uid]));
      return { declined: r[0] === '1', pending: Number(r[1] ?? 0), state: r[2] ?? '', round: Number(r[3] ?? 0) };
    },
    async close(
      appid: string,
      id: string,
      state: 'expired' | 'cancelled',
      now: number,
      by: string,
    ): Promise<{ code: number; caller: string; skill: string; released: string[]; state: string }> {
      const r = list(await run('sbDispatchClose', [req(appid, id)], [D(appid), presencePrefix(appid), id, state, now, by]));
      const code = Number(r[0]);
      return code === 1
        ? { code, caller: r[1]!, skill: r[2]!, released: r.slice(3), state }
        : { code, caller: '', skill: '', released: [], state: r[1] ?? '' };
    },
    async begin(
      appid: string,
      id: string,
      uid: string,
      agent: string,
      now: number,
    ): Promise<{ code: number; caller: string; agent: string; startedAt: number }> {
      const r = list(await run('sbConvBegin', [req(appid, id)], [uid, agent, now, D(appid), id]));
      return { code: Number(r[0]), caller: r[1] ?? '', agent: r[2] ?? '', startedAt: Number(r[3] ?? 0) };
    },
    /** onlyIfNotBegun: end only a conversation still 'accepted' (the no-show timeout); -9 otherwise. */
    async end(appid: string, id: string, uid: string, now: number, reason: string, onlyIfNotBegun = false) {
      const r = list(await run('sbConvEnd', [req(appid, id)], [D(appid), presencePrefix(appid), id, uid, now, reason, onlyIfNotBegun ? '1' : '0']));
      return {
        code: Number(r[0]),
        caller: r[1] ?? '',
        agent: r[2] ?? '',
        startedAt: r[3] ? Number(r[3]) : undefined,
        endedAt: Number(r[4] ?? 0),
        reason: r[5] ?? '',
        agentNow: r[6]
          ? {
              status: (r[6] === 'online' ? 'online' : 'offline') as 'online' | 'offline',
              capacity: Number(r[7]),
              load: Number(r[8]),
              offers: Number(r[9]),
            }
          : null,
        /** Ended now only: the requests the freed agent can take now, and the request after the end. */
        stalled: pairs(r.slice(11, 11 + 2 * Number(r[10] ?? 0))),
        request: hash(r.slice(11 + 2 * Number(r[10] ?? 0))),
      };
    },
    async stalled(appid: string, uids: string[]): Promise<Stalled[]> {
      if (uids.length === 0) return [];
      return pairs(list(await run('sbDispatchStalled', [keys.scoped(appid, 'dispatch', 'seq')], [D(appid), presencePrefix(appid), ...uids])));
    },
    async get(appid: string, id: string): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(req(appid, id));
      return Object.keys(h).length ? h : null;
    },
    async getMany(appid: string, ids: string[]): Promise<Array<[string, Record<string, string>]>> {
      if (ids.length === 0) return [];
      const m = redis.multi();
      for (const id of ids) m.hgetall(req(appid, id));
      const res = (await m.exec()) ?? [];
      return ids
        .map((id, i) => [id, (res[i]?.[1] ?? {}) as Record<string, string>] as [string, Record<string, string>])
        .filter(([, h]) => Object.keys(h).length > 0);
    },
    /** Request ids with an offer pending for the agent. */
    offersOf: (appid: string, uid: string) => redis.smembers(keys.scoped(appid, 'dispatch', 'ao', uid)),
    /** The user's open requests and conversations. */
    openOf: (appid: string, uid: string) => redis.smembers(keys.scoped(appid, 'dispatch', 'u', uid)),
    /** What session.snapshot reads: the agent's offers and the caller's open requests. */
    probe: (appid: string, uid: string): ProbeItem[] => [
      { key: keys.scoped(appid, 'dispatch', 'ao', uid) },
      { key: keys.scoped(appid, 'dispatch', 'u', uid) },
    ],
    pendingOffers: (appid: string, id: string) => redis.smembers(keys.scoped(appid, 'dispatch', 'o', id)),
    /** Per skill: how many requests wait, and the ids of the first `limit` in queue order (dashboards). */
    async waiting(appid: string, limit: number): Promise<Array<{ skill: string; total: number; ids: string[] }>> {
      const skills = (await redis.smembers(keys.scoped(appid, 'dispatch', 'skills'))).sort();
      if (skills.length === 0) return [];
      const m = redis.multi();
      for (const skill of skills)
        m.zcard(keys.scoped(appid, 'dispatch', 'w', skill)).zrange(keys.scoped(appid, 'dispatch', 'w', skill), '0', String(limit - 1));
      const res = (await m.exec()) ?? [];
      return skills
        .map((skill, i) => ({ skill, total: Number(res[2 * i]?.[1] ?? 0), ids: (res[2 * i + 1]?.[1] ?? []) as string[] }))
        .filter((q) => q.total > 0);
    },
    /** Apps whose timers the sweep reads. */
    timerApps: timerApps.members,
    /** Drops the app from the sweep's index once it has no timer left. */
    retireIfNoTimers: (appid: string) => timerApps.retireIfIdle(appid, async () => (await redis.exists(due(appid))) > 0),
    /** Claims up to `limit` due timers of the app (sbDispatchDue): what each request is due for now; `busy`: timers are left. */
    async claimDue(appid: string, now: number, limit: number, leaseMs: number) {
      const r = list(await run('sbDispatchDue', [due(appid)], [D(appid), now, limit, leaseMs]));
      const claimed: Array<{ id: string; kind: 'round' | 'expire' | 'noShow'; round: number }> = [];
      for (let i = 2; i + 2 < r.length; i += 3) claimed.push({ id: r[i]!, kind: r[i + 1] as 'round' | 'expire' | 'noShow', round: Number(r[i + 2]) });
      return { examined: Number(r[0]), busy: r[1] === '1', claimed };
    },
    /** Ids of the skill's requests still waiting, oldest first. */
    waitingOf: (appid: string, skill: string) => redis.zrange(keys.scoped(appid, 'dispatch', 'w', skill), '0', '-1'),
  };
}
