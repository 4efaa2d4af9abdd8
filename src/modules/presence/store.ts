// Redis layout of presence (all in the app's hash tag; scripts derive per-agent and
// per-skill keys from the prefix "sw:{app}:presence:" passed in ARGV — same slot):
//   sw:{app}:presence:a:<uid>      hash: status (online|offline), skills ("CN>EN,EN>CN"), capacity,
//                                  load (conversations), offers (pending), idleSince (ms), rating,
//                                  ratingSum, ratingCount, updatedAt
//   sw:{app}:presence:idle:<skill> zset uid → rank score: the agents with a free slot for that
//                                  skill, best first (see LUA_AGENT_REFRESH)
//   sw:{app}:presence:due          zset uid → deadline (ms) of online agents: heartbeats only move scores
//   sw:g:presence:apps             set of appids with online agents — what the sweep visits
import type { RedisClient } from '../../infra/redis.js';
import { createAppIndex } from '../../infra/app-index.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import type { ProbeItem } from '../../infra/sessions.js';

/**
 * Lua: puts an agent into (or takes it out of) the idle set of each of its skills, from its
 * hash. An agent is idle for dispatch when online with capacity − load − offers > 0. Score =
 * round((5 − rating) × 100) × 1e13 + idleSince: ascending order is highest rating first, then
 * longest idle (idleSince < 1e13 ms; the score stays an exact integer below 2^53). Every
 * script that changes status, skills, load, offers or rating calls it (dispatch too).
 */
export const LUA_AGENT_REFRESH = `
local function agentRefresh(P, uid)
  local a = redis.call('HMGET', P .. 'a:' .. uid, 'status', 'skills', 'capacity', 'load', 'offers', 'idleSince', 'rating')
  if not a[1] then return end
  local slots = (tonumber(a[3]) or 1) - (tonumber(a[4]) or 0) - (tonumber(a[5]) or 0)
  local free = a[1] == 'online' and slots > 0
  local score = '0'
  if free then
    local r = tonumber(a[7]) or 4
    score = string.format('%.0f', math.floor((5 - r) * 100 + 0.5) * 1e13 + (tonumber(a[6]) or 0))
  end
  for skill in string.gmatch(a[2] or '', '[^,]+') do
    if free then redis.call('ZADD', P .. 'idle:' .. skill, score, uid) else redis.call('ZREM', P .. 'idle:' .. skill, uid) end
  end
end
`;

const scripts = {
  // Sets an agent online/offline, optionally replacing skills and capacity.
  // KEYS: agent, due. ARGV: uid, status, now, deadline, skills ('' = keep), capacity ('' = keep), default rating, prefix
  // → {1, previous status} | {-1} online without skills
  sbPresenceSet: {
    keys: 2,
    lua: `${LUA_AGENT_REFRESH}
      local P = ARGV[8]
      local prev = redis.call('HMGET', KEYS[1], 'status', 'skills', 'load', 'capacity')
      local skills = ARGV[5]
      if skills == '' then skills = prev[2] or '' end
      if ARGV[2] == 'online' and skills == '' then return {-1} end
      if prev[2] and prev[2] ~= skills then
        for s in string.gmatch(prev[2], '[^,]+') do redis.call('ZREM', P .. 'idle:' .. s, ARGV[1]) end
      end
      local f = {'status', ARGV[2], 'skills', skills, 'updatedAt', ARGV[3]}
      if ARGV[6] ~= '' then f[#f + 1] = 'capacity'; f[#f + 1] = ARGV[6] elseif not prev[4] then f[#f + 1] = 'capacity'; f[#f + 1] = '1' end
      if not prev[3] then
        for _, kv in ipairs({'load', '0', 'offers', '0', 'rating', ARGV[7], 'ratingSum', '0', 'ratingCount', '0'}) do f[#f + 1] = kv end
      end
      if ARGV[2] == 'online' then
        if prev[1] ~= 'online' then f[#f + 1] = 'idleSince'; f[#f + 1] = ARGV[3] end
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
      else
        redis.call('ZREM', KEYS[2], ARGV[1])
      end
      redis.call('HSET', KEYS[1], unpack(f))
      agentRefresh(P, ARGV[1])
      return {1, prev[1] or 'offline'}`,
  },
  // Stores skills/capacity of an agent (the app's backend), without changing its status.
  // KEYS: agent. ARGV: uid, skills, capacity ('' = keep), now, default rating, prefix → 1
  sbPresenceConfigure: {
    keys: 1,
    lua: `${LUA_AGENT_REFRESH}
      local P = ARGV[6]
      local prev = redis.call('HMGET', KEYS[1], 'status', 'skills', 'load', 'capacity')
      if prev[2] and prev[2] ~= ARGV[2] then
        for s in string.gmatch(prev[2], '[^,]+') do redis.call('ZREM', P .. 'idle:' .. s, ARGV[1]) end
      end
      local f = {'skills', ARGV[2], 'updatedAt', ARGV[4]}
      if ARGV[3] ~= '' then f[#f + 1] = 'capacity'; f[#f + 1] = ARGV[3] elseif not prev[4] then f[#f + 1] = 'capacity'; f[#f + 1] = '1' end
      if not prev[1] then f[#f + 1] = 'status'; f[#f + 1] = 'offline' end
      if not prev[3] then
        for _, kv in ipairs({'load', '0', 'offers', '0', 'rating', ARGV[5], 'ratingSum', '0', 'ratingCount', '0'}) do f[#f + 1] = kv end
      end
      redis.call('HSET', KEYS[1], unpack(f))
      agentRefresh(P, ARGV[1])
      return 1`,
  },
  // Takes agents past their deadline offline: read and change in one script, so two workers
  // sweeping at once never both announce the same agent.
  // KEYS: due. ARGV: now, limit, prefix → {entries examined, uid…}
  sbPresenceSweep: {
    keys: 1,
    lua: `${LUA_AGENT_REFRESH}
      local P = ARGV[3]
      local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
      local out = {#due}
      for _, uid in ipairs(due) do
        redis.call('ZREM', KEYS[1], uid)
        local k = P .. 'a:' .. uid
        if redis.call('HGET', k, 'status') == 'online' then
          redis.call('HSET', k, 'status', 'offline', 'updatedAt', ARGV[1])
          agentRefresh(P, uid)
          out[#out + 1] = uid
        end
      end
      return out`,
  },
} as const;

export interface AgentRecord {
  status: 'online' | 'offline';
  skills: string[];
  capacity: number;
  load: number;
  offers: number;
  rating: number;
  ratings: number;
  deadline: number | null;
}

const RECORD_FIELDS = ['status', 'skills', 'capacity', 'load', 'offers', 'rating', 'ratingCount'] as const;

function toRecord(h: Array<string | null>, score: string | null): AgentRecord | null {
  if (!h[0]) return null;
  return {
    status: h[0] === 'online' ? 'online' : 'offline',
    skills: h[1] ? h[1].split(',') : [],
    capacity: Number(h[2] ?? 1),
    load: Number(h[3] ?? 0),
    offers: Number(h[4] ?? 0),
    rating: Number(h[5] ?? 0),
    ratings: Number(h[6] ?? 0),
    deadline: score === null ? null : Number(score),
  };
}

export type PresenceStore = ReturnType<typeof createPresenceStore>;

export function createPresenceStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const agent = (appid: string, uid: string) => keys.scoped(appid, 'presence', 'a', uid);
  const due = (appid: string) => keys.scoped(appid, 'presence', 'due');
  const prefix = (appid: string) => keys.scoped(appid, 'presence', '');
  const activeApps = createAppIndex(redis, keys.global('presence', 'apps'));

  return {
    prefix,
    async set(
      appid: string,
      uid: string,
      status: 'online' | 'offline',
      now: number,
      deadline: number,
      skills: string[] | null,
      capacity: number | null,
      defaultRating: number,
    ): Promise<{ code: number; prev: string }> {
      const r = (await run(
        'sbPresenceSet',
        [agent(appid, uid), due(appid)],
        [uid, status, now, deadline, skills ? skills.join(',') : '', capacity ?? '', defaultRating, prefix(appid)],
      )) as Array<string | number>;
      if (Number(r[0]) === 1 && status === 'online') await activeApps.add(appid); // another slot: after the script, idempotent
      return { code: Number(r[0]), prev: String(r[1] ?? '') };
    },
    async configure(appid: string, uid: string, skills: string[], capacity: number | null, now: number, defaultRating: number): Promise<void> {
      await run('sbPresenceConfigure', [agent(appid, uid)], [uid, skills.join(','), capacity ?? '', now, defaultRating, prefix(appid)]);
    },
    async get(appid: string, uid: string): Promise<AgentRecord | null> {
      // Two plain reads, not a MULTI: they batch with the caller's other commands (auto-pipelining).
      const [h, score] = await Promise.all([redis.hmget(agent(appid, uid), ...RECORD_FIELDS), redis.zscore(due(appid), uid)]);
      return toRecord(h, score);
    },
    /** What session.snapshot reads: the agent record (users who never were agents have none). */
    probe: (appid: string, uid: string): ProbeItem[] => [{ key: agent(appid, uid) }],
    /** Online agents (those with a deadline), soonest deadline first, with their records (dashboards). */
    async online(appid: string, limit: number): Promise<{ total: number; agents: Array<AgentRecord & { uid: string }> }> {
      const [[, flat], [, total]] = (await redis
        .multi()
        .zrange(due(appid), '0', String(limit - 1), 'WITHSCORES')
        .zcard(due(appid))
        .exec()) as [[null, string[]], [null, number]];
      const m = redis.multi();
      for (let i = 0; i < flat.length; i += 2) m.hmget(agent(appid, flat[i]!), ...RECORD_FIELDS);
      const res = flat.length ? ((await m.exec()) ?? []) : [];
      const agents: Array<AgentRecord & { uid: string }> = [];
      res.forEach(([, h], j) => {
        const rec = toRecord(h as Array<string | null>, flat[2 * j + 1] ?? null);
        if (rec) agents.push({ uid: flat[2 * j]!, ...rec });
      });
      return { total, agents };
    },
    /** Moves the deadline of an online agent (XX: never brings an offline one back). */
    async beat(appid: string, uid: string, deadline: number): Promise<void> {
      await redis.zadd(due(appid), 'XX', 'GT', deadline, uid);
    },
    /** The agent's socket dropped: its deadline comes in to `deadline` unless it is already sooner. */
    async pullIn(appid: string, uid: string, deadline: number): Promise<void> {
      await redis.zadd(due(appid), 'XX', 'LT', deadline, uid);
    },
    /** Agents with a free slot for `skill`, best first. */
    idle: (appid: string, skill: string, limit: number) => redis.zrange(keys.scoped(appid, 'presence', 'idle', skill), '0', String(limit - 1)),
    activeApps: activeApps.members,
    retireIfIdle: (appid: string) => activeApps.retireIfIdle(appid, async () => (await redis.zcard(due(appid))) > 0),
    async sweep(appid: string, now: number, limit: number): Promise<{ examined: number; offline: string[] }> {
      const r = (await run('sbPresenceSweep', [due(appid)], [now, limit, prefix(appid)])) as Array<string | number>;
      return { examined: Number(r[0]), offline: r.slice(1).map(String) };
    },
  };
}
