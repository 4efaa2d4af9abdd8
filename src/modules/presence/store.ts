// Redis layout of presence (all in the app's hash tag; scripts derive per-agent and
// per-skill keys from the prefix "sw:{app}:presence:" passed in ARGV — same slot):
//   sw:{app}:presence:a:<uid>      hash: status (online|offline), skills ("CN>EN,EN>CN"), capacity,
//                                  load (conversations), offers (pending), idleSince (ms), rating,
//                                  ratingSum, ratingCount, updatedAt
//   sw:{app}:presence:idle:<skill> zset uid → rank score: the agents with a free slot for that
//                                  skill, best first (see lua/includes/agent-refresh.lua)
//   sw:{app}:presence:due          zset uid → deadline (ms) of online agents: heartbeats only move scores
//   sw:g:presence:apps             set of appids with online agents — what the sweep visits
import type { RedisClient } from '../../infra/redis.js';
import { createAppIndex } from '../../infra/app-index.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';
import type { ProbeItem } from '../../infra/sessions.js';

const scripts = loadScripts('modules/presence', ['sbPresenceSet', 'sbPresenceConfigure', 'sbPresenceSweep'] as const);

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
      // Two plain reads, not a MULTI: they leave with the caller's other commands in one write (infra/redis.ts coalesceWrites).
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
    retireIfIdle: (appid: string) => activeApps.retireIfIdle(appid, async () => (await redis.exists(due(appid))) > 0),
    /** Takes up to `limit` agents past their deadline offline; `busy`: online agents are left to watch. */
    async sweep(appid: string, now: number, limit: number): Promise<{ examined: number; busy: boolean; offline: string[] }> {
      const r = (await run('sbPresenceSweep', [due(appid)], [now, limit, prefix(appid)])) as Array<string | number>;
      return { examined: Number(r[0]), busy: Number(r[1]) === 1, offline: r.slice(2).map(String) };
    },
  };
}
