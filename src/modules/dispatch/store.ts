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
// Agents' load and offers live in presence's hash; every script here that changes them
// re-ranks the agent through LUA_AGENT_REFRESH in the same atomic step.
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import type { ProbeItem } from '../../infra/sessions.js';
import { LUA_AGENT_REFRESH } from '../presence/store.js';

/** Releases every pending offer of request `id` (Lua; D, P prefixes). Returns the agents. */
const LUA_RELEASE_OFFERS = `
local function releaseOffers(D, P, id, keep)
  local all = redis.call('SMEMBERS', D .. 'o:' .. id)
  redis.call('DEL', D .. 'o:' .. id)
  local out = {}
  for _, a in ipairs(all) do
    redis.call('SREM', D .. 'ao:' .. a, id)
    redis.call('HINCRBY', P .. 'a:' .. a, 'offers', -1)
    if a == keep then redis.call('HINCRBY', P .. 'a:' .. a, 'load', 1) else out[#out + 1] = a end
    agentRefresh(P, a)
  end
  return out
end
`;

const scripts = {
  // A new waiting request. KEYS: seq. ARGV: D, caller, skill, now, expiresAt, data JSON ('' none), offer to all ('1'|'0') → id
  sbDispatchCreate: {
    keys: 1,
    lua: `
      local D = ARGV[1]
      local id = redis.call('INCR', KEYS[1])
      local f = {'caller', ARGV[2], 'skill', ARGV[3], 'state', 'waiting', 'round', '0', 'createdAt', ARGV[4], 'expiresAt', ARGV[5]}
      if ARGV[6] ~= '' then f[#f + 1] = 'data'; f[#f + 1] = ARGV[6] end
      if ARGV[7] == '1' then f[#f + 1] = 'all'; f[#f + 1] = '1' end
      redis.call('HSET', D .. 'r:' .. id, unpack(f))
      redis.call('ZADD', D .. 'w:' .. ARGV[3], ARGV[4], id)
      redis.call('SADD', D .. 'skills', ARGV[3])
      redis.call('SADD', D .. 'u:' .. ARGV[2], id)
      return id`,
  },
  // Round n of a waiting request: offers it to up to `count` idle agents of its skill, best
  // first, never the caller nor one offered before — to every idle agent of the skill when
  // the request was created to be offered to all (customer service). A replayed round
  // (retried job) offers nothing new and returns the pending offers again, so they can be re-sent.
  // KEYS: request. ARGV: D, P, id, round, count
  // → {1 new | 2 replay, queue position (0 while an offer is pending), caller, skill, expiresAt, data, uid…}
  //   | {0, state} not waiting | {-1} no request
  sbDispatchRound: {
    keys: 1,
    lua: `${LUA_AGENT_REFRESH}
      local D, P, id = ARGV[1], ARGV[2], ARGV[3]
      local r = redis.call('HMGET', KEYS[1], 'state', 'round', 'skill', 'caller', 'expiresAt', 'data', 'all')
      if not r[1] then return {-1} end
      if r[1] ~= 'waiting' then return {0, r[1]} end
      local o, t = D .. 'o:' .. id, D .. 't:' .. id
      local out
      if tonumber(r[2]) >= tonumber(ARGV[4]) then
        out = {2, 0, r[4], r[3], r[5], r[6] or ''}
        for _, uid in ipairs(redis.call('SMEMBERS', o)) do out[#out + 1] = uid end
      else
        redis.call('HSET', KEYS[1], 'round', ARGV[4])
        out = {1, 0, r[4], r[3], r[5], r[6] or ''}
        local want = tonumber(ARGV[5])
        if r[7] == '1' then want = redis.call('ZCARD', P .. 'idle:' .. r[3]) end
        if want > 0 then
          local cands = redis.call('ZRANGE', P .. 'idle:' .. r[3], 0, want + redis.call('SCARD', t))
          for _, uid in ipairs(cands) do
            if #out - 6 >= want then break end
            if uid ~= r[4] and redis.call('SISMEMBER', t, uid) == 0 then
              redis.call('SADD', o, uid)
              redis.call('SADD', t, uid)
              redis.call('SADD', D .. 'ao:' .. uid, id)
              redis.call('HINCRBY', P .. 'a:' .. uid, 'offers', 1)
              agentRefresh(P, uid)
              out[#out + 1] = uid
            end
          end
        end
      end
      if redis.call('SCARD', o) == 0 then out[2] = (redis.call('ZRANK', D .. 'w:' .. r[3], id) or 0) + 1 end
      return out`,
  },
  // First accept wins: only a waiting request, only by an agent holding its offer. The other
  // offers are released in the same step (those agents are idle again at once).
  // KEYS: request. ARGV: D, P, id, uid, now
  // → {1, caller, round, other agents…} won | {2, caller, round} this agent had already won | {-1} no request
  //   | {-2, winner} already taken | {-3} expired or cancelled | {-4} not offered to this agent
  sbDispatchAccept: {
    keys: 1,
    lua: `${LUA_AGENT_REFRESH}${LUA_RELEASE_OFFERS}
      local D, P, id, uid = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
      local r = redis.call('HMGET', KEYS[1], 'state', 'agent', 'caller', 'skill', 'round')
      if not r[1] then return {-1} end
      if r[1] ~= 'waiting' then
        if r[2] == uid then return {2, r[3], r[5]} end
        if r[1] == 'expired' or r[1] == 'cancelled' then return {-3} end
        return {-2, r[2] or ''}
      end
      if redis.call('SISMEMBER', D .. 'o:' .. id, uid) == 0 then return {-4} end
      redis.call('HSET', KEYS[1], 'state', 'accepted', 'agent', uid, 'acceptedAt', ARGV[5])
      redis.call('ZREM', D .. 'w:' .. r[4], id)
      redis.call('SADD', D .. 'u:' .. uid, id)
      local others = releaseOffers(D, P, id, uid)
      local out = {1, r[3], r[5]}
      for _, a in ipairs(others) do out[#out + 1] = a end
      return out`,
  },
  // An agent declines (or goes offline). KEYS: request. ARGV: D, P, id, uid
  // → {1, offers still pending, state, round} | {0} held no offer
  sbDispatchDecline: {
    keys: 1,
    lua: `${LUA_AGENT_REFRESH}
      local D, P, id, uid = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
      if redis.call('SREM', D .. 'o:' .. id, uid) == 0 then return {0} end
      redis.call('SREM', D .. 'ao:' .. uid, id)
      redis.call('HINCRBY', P .. 'a:' .. uid, 'offers', -1)
      agentRefresh(P, uid)
      local r = redis.call('HMGET', KEYS[1], 'state', 'round')
      return {1, redis.call('SCARD', D .. 'o:' .. id), r[1] or '', r[2] or '0'}`,
  },
  // Expiry (by = '') or cancellation by the caller of a waiting request; releases its offers.
  // KEYS: request. ARGV: D, P, id, new state, now, by
  // → {1, caller, skill, released agents…} | {0, state} not waiting | {-1} no request | {-5} not the caller
  sbDispatchClose: {
    keys: 1,
    lua: `${LUA_AGENT_REFRESH}${LUA_RELEASE_OFFERS}
      local D, P, id = ARGV[1], ARGV[2], ARGV[3]
      local r = redis.call('HMGET', KEYS[1], 'state', 'caller', 'skill')
      if not r[1] then return {-1} end
      if ARGV[6] ~= '' and ARGV[6] ~= r[2] then return {-5} end
      if r[1] ~= 'waiting' then return {0, r[1]} end
      redis.call('HSET', KEYS[1], 'state', ARGV[4], 'endedAt', ARGV[5], 'endReason', ARGV[4])
      redis.call('ZREM', D .. 'w:' .. r[3], id)
      redis.call('SREM', D .. 'u:' .. r[2], id)
      local out = {1, r[2], r[3]}
      for _, a in ipairs(releaseOffers(D, P, id, '')) do out[#out + 1] = a end
      return out`,
  },
  // The conversation begins (accepted → active); idempotent. KEYS: request. ARGV: uid, expected agent ('' any), now
  // → {1 begun | 2 already active, caller, agent, startedAt} | {-1} none | {-3} expired/cancelled | {-5} not a party
  //   | {-6} not accepted yet | {-7} another agent accepted | {-8} ended
  sbConvBegin: {
    keys: 1,
    lua: `
      local r = redis.call('HMGET', KEYS[1], 'state', 'caller', 'agent', 'startedAt')
      if not r[1] then return {-1} end
      if ARGV[1] ~= r[2] and ARGV[1] ~= r[3] then return {-5} end
      if r[1] == 'waiting' then return {-6} end
      if r[1] == 'expired' or r[1] == 'cancelled' then return {-3} end
      if ARGV[2] ~= '' and ARGV[2] ~= r[3] then return {-7} end
      if r[1] == 'ended' then return {-8} end
      if r[1] == 'active' then return {2, r[2], r[3], r[4]} end
      redis.call('HSET', KEYS[1], 'state', 'active', 'startedAt', ARGV[3])
      return {1, r[2], r[3], ARGV[3]}`,
  },
  // The conversation ends (accepted|active → ended): the agent's slot is free again (back
  // online when it was online). KEYS: request. ARGV: D, P, id, uid ('' = the system), now, reason
  // ('' = ended-by-caller / ended-by-agent, from uid)
  // → {1 ended now | 0 had ended, caller, agent, startedAt, endedAt, reason[, agent status, capacity, load, offers]}
  //   | {-1} | {-3} | {-5} | {-6} as for begin
  sbConvEnd: {
    keys: 1,
    lua: `${LUA_AGENT_REFRESH}
      local D, P, id, uid = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
      local r = redis.call('HMGET', KEYS[1], 'state', 'caller', 'agent', 'startedAt', 'endedAt', 'endReason')
      if not r[1] then return {-1} end
      if uid ~= '' and uid ~= r[2] and uid ~= r[3] then return {-5} end
      if r[1] == 'waiting' then return {-6} end
      if r[1] == 'expired' or r[1] == 'cancelled' then return {-3} end
      if r[1] == 'ended' then return {0, r[2], r[3], r[4] or '', r[5] or '', r[6] or ''} end
      if ARGV[7] == '1' and r[1] ~= 'accepted' then return {-9} end
      local reason = ARGV[6]
      if reason == '' then
        reason = 'ended-by-caller'
        if uid == r[3] then reason = 'ended-by-agent' end
      end
      redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[5], 'endReason', reason)
      redis.call('SREM', D .. 'u:' .. r[2], id)
      redis.call('SREM', D .. 'u:' .. r[3], id)
      local ak = P .. 'a:' .. r[3]
      if redis.call('HINCRBY', ak, 'load', -1) <= 0 then redis.call('HSET', ak, 'load', '0', 'idleSince', ARGV[5]) end
      agentRefresh(P, r[3])
      local a = redis.call('HMGET', ak, 'status', 'capacity', 'load', 'offers')
      return {1, r[2], r[3], r[4] or '', ARGV[5], reason, a[1] or 'offline', a[2] or '1', a[3] or '0', a[4] or '0'}`,
  },
  // For each skill of the given agents: the oldest waiting request that no agent holds an
  // offer of and whose first round has run (to run its next round now that an agent is free).
  // KEYS: any key of the app (slot). ARGV: D, P, uid… → {id, round, …}
  sbDispatchStalled: {
    keys: 1,
    lua: `
      local D, P = ARGV[1], ARGV[2]
      local out, done = {}, {}
      for i = 3, #ARGV do
        for skill in string.gmatch(redis.call('HGET', P .. 'a:' .. ARGV[i], 'skills') or '', '[^,]+') do
          if not done[skill] then
            done[skill] = true
            for _, id in ipairs(redis.call('ZRANGE', D .. 'w:' .. skill, 0, 9)) do
              local round = redis.call('HGET', D .. 'r:' .. id, 'round') or '0'
              if round ~= '0' and redis.call('SCARD', D .. 'o:' .. id) == 0 then
                out[#out + 1] = id
                out[#out + 1] = round
                break
              end
            end
          end
        end
      end
      return out`,
  },
} as const;

export type DispatchStore = ReturnType<typeof createDispatchStore>;

export function createDispatchStore(redis: RedisClient, keys: Keys, presencePrefix: (appid: string) => string) {
  const run = defineScripts(redis, scripts);
  const D = (appid: string) => keys.scoped(appid, 'dispatch', '');
  const req = (appid: string, id: string) => keys.scoped(appid, 'dispatch', 'r', id);
  const list = (r: unknown) => (r as Array<string | number>).map(String);

  return {
    async create(appid: string, caller: string, skill: string, now: number, expiresAt: number, data: string, offerAll = false): Promise<string> {
      return String(
        await run('sbDispatchCreate', [keys.scoped(appid, 'dispatch', 'seq')], [D(appid), caller, skill, now, expiresAt, data, offerAll ? '1' : '0']),
      );
    },
    async round(appid: string, id: string, round: number, count: number) {
      const r = list(await run('sbDispatchRound', [req(appid, id)], [D(appid), presencePrefix(appid), id, round, count]));
      const code = Number(r[0]);
      if (code <= 0) return { code, position: 0, agents: [] as string[], state: r[1] ?? '', caller: '', skill: '', expiresAt: 0, data: '' };
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
    ): Promise<{ code: number; caller: string; round: number; others: string[]; winner: string }> {
      const r = list(await run('sbDispatchAccept', [req(appid, id)], [D(appid), presencePrefix(appid), id, uid, now]));
      const code = Number(r[0]);
      return {
        code,
        caller: code > 0 ? r[1]! : '',
        round: code > 0 ? Number(r[2]) : 0,
        others: code === 1 ? r.slice(3) : [],
        winner: code === -2 ? r[1]! : code > 0 ? uid : '',
      };
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
      const r = list(await run('sbConvBegin', [req(appid, id)], [uid, agent, now]));
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
      };
    },
    async stalled(appid: string, uids: string[]): Promise<Array<{ id: string; round: number }>> {
      if (uids.length === 0) return [];
      const r = list(await run('sbDispatchStalled', [keys.scoped(appid, 'dispatch', 'seq')], [D(appid), presencePrefix(appid), ...uids]));
      const out: Array<{ id: string; round: number }> = [];
      for (let i = 0; i + 1 < r.length; i += 2) out.push({ id: r[i]!, round: Number(r[i + 1]) });
      return out;
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
    /** Ids of the skill's requests still waiting, oldest first. */
    waitingOf: (appid: string, skill: string) => redis.zrange(keys.scoped(appid, 'dispatch', 'w', skill), '0', '-1'),
  };
}
