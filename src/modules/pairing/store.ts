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
import type { ProbeItem } from '../../infra/sessions.js';

const LUA_CLEAR_OFFERS = `
local function clearOffers(P, id, except)
  local o = P .. 'o:' .. id
  local out = {}
  for _, uid in ipairs(redis.call('SMEMBERS', o)) do
    redis.call('SREM', P .. 'co:' .. uid, id)
    if uid ~= except then out[#out + 1] = uid end
  end
  redis.call('DEL', o)
  return out
end
local function unbusy(P, uid, id)
  if uid and uid ~= '' and redis.call('HGET', P .. 'busy', uid) == id then redis.call('HDEL', P .. 'busy', uid) end
end
`;

const scripts = {
  // A new ask. KEYS: seq. ARGV: P, uid, scene, peer, now, fl, fg, ft, filters JSON
  // → {1, askNo} | {-1, askNo of the open ask or call of this user}
  sbPairAsk: {
    keys: 1,
    lua: `
      local P, uid = ARGV[1], ARGV[2]
      local open = redis.call('HGET', P .. 'busy', uid)
      if open then return {-1, open} end
      local id = tostring(redis.call('INCR', KEYS[1]))
      redis.call('HSET', P .. 'a:' .. id, 'askUid', uid, 'scene', ARGV[3], 'peer', ARGV[4], 'state', 'matching', 'round', '0',
        'startAt', ARGV[5], 'fl', ARGV[6], 'fg', ARGV[7], 'ft', ARGV[8], 'filters', ARGV[9])
      redis.call('HSET', P .. 'busy', uid, id)
      redis.call('ZADD', P .. 'h:' .. uid, ARGV[5], id)
      return {1, id}`,
  },
  // Round n of an ask (only right after round n-1, only while matching): withdraws the previous
  // round's offers and picks new candidates — available, not busy, not the asker, not asked
  // before by this ask, matching its filters, under their offer rate limit — least recently
  // offered first. Scene 0 offers the ask's peer (again) if available and not busy.
  // KEYS: ask. ARGV: P, id, round, want, now, window ms, max offers per window, scan
  // → {1, askUid, scene, candidates…} | {0, state} nothing to do | {-1} no ask
  sbPairRound: {
    keys: 1,
    lua: `${LUA_CLEAR_OFFERS}
      local P, id, n, want, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
      local r = redis.call('HMGET', KEYS[1], 'state', 'askUid', 'round', 'scene', 'peer', 'fl', 'fg', 'ft')
      if not r[1] then return {-1} end
      if r[1] ~= 'matching' or tonumber(r[3]) ~= n - 1 then return {0, r[1]} end
      redis.call('HSET', KEYS[1], 'round', n, 'roundAt', now)
      clearOffers(P, id, '')
      local out = {1, r[2], r[4]}
      local o, asked, busy, avail = P .. 'o:' .. id, P .. 'asked:' .. id, P .. 'busy', P .. 'avail'
      local function offer(uid)
        redis.call('SADD', o, uid)
        redis.call('SADD', asked, uid)
        redis.call('SADD', P .. 'co:' .. uid, id)
        local rl = P .. 'rl:' .. uid
        if redis.call('INCR', rl) == 1 then redis.call('PEXPIRE', rl, ARGV[6]) end
        redis.call('ZADD', avail, now, uid)
        out[#out + 1] = uid
      end
      if r[4] == '0' then
        if r[5] ~= '' and redis.call('ZSCORE', avail, r[5]) and redis.call('HEXISTS', busy, r[5]) == 0 then offer(r[5]) end
        return out
      end
      local max, fl, fg, ft = tonumber(ARGV[7]), r[6] or '', r[7] or '', r[8] or ''
      for _, uid in ipairs(redis.call('ZRANGE', avail, 0, tonumber(ARGV[8]) - 1)) do
        if #out - 3 >= want then break end
        if uid ~= r[2] and redis.call('HEXISTS', busy, uid) == 0 and redis.call('SISMEMBER', asked, uid) == 0
          and tonumber(redis.call('GET', P .. 'rl:' .. uid) or '0') < max then
          local ok = true
          if fl ~= '' or fg ~= '' or ft ~= '' then
            local c = redis.call('HMGET', P .. 'c:' .. uid, 'lang', 'gender', 'tags')
            if fl ~= '' and c[1] ~= fl then ok = false end
            if ok and fg ~= '' and c[2] ~= fg then ok = false end
            if ok and ft ~= '' then
              ok = false
              local have = c[3] or ''
              for t in string.gmatch(ft, '[^,]+') do
                if string.find(have, ',' .. t .. ',', 1, true) then ok = true break end
              end
            end
          end
          if ok then offer(uid) end
        end
      end
      return out`,
  },
  // A candidate answers round n: first pass wins; a refusal only drops its offer.
  // KEYS: ask. ARGV: P, id, uid, round, pass (1/0), now
  // → {1, askUid, other candidates…} won | {2} had already won | {0, offers left in the round} refused | {-1} no ask | {-2, winner} taken
  //   | {-3} ended | {-4} not offered | {-5, current round} stale round | {-6} busy with another ask
  sbPairAnswer: {
    keys: 1,
    lua: `${LUA_CLEAR_OFFERS}
      local P, id, uid = ARGV[1], ARGV[2], ARGV[3]
      local r = redis.call('HMGET', KEYS[1], 'state', 'askUid', 'round', 'winner')
      if not r[1] then return {-1} end
      if redis.call('SISMEMBER', P .. 'asked:' .. id, uid) == 0 then return {-4} end
      if r[1] == 'ended' then return {-3} end
      if r[1] ~= 'matching' then
        if r[4] == uid then return {2} end
        return {-2, r[4] or ''}
      end
      if r[3] ~= ARGV[4] then return {-5, r[3]} end
      if redis.call('SISMEMBER', P .. 'o:' .. id, uid) == 0 then return {-4} end
      if ARGV[5] ~= '1' then
        redis.call('SREM', P .. 'o:' .. id, uid)
        redis.call('SREM', P .. 'co:' .. uid, id)
        return {0, redis.call('SCARD', P .. 'o:' .. id)}
      end
      if redis.call('HEXISTS', P .. 'busy', uid) == 1 then return {-6} end
      redis.call('HSET', KEYS[1], 'state', 'answered', 'winner', uid, 'winnerRound', ARGV[4], 'answeredAt', ARGV[6])
      redis.call('HSET', P .. 'busy', uid, id)
      local out = {1, r[2]}
      for _, o in ipairs(clearOffers(P, id, uid)) do out[#out + 1] = o end
      return out`,
  },
  // The asker confirms the candidate that passed: like → in call; dislike → matching again.
  // KEYS: ask. ARGV: P, id, uid, peer, like (1/0), callId, now
  // → {1} in call | {2, callId} already in call with it | {0, round} back to matching | {-1} | {-3} ended
  //   | {-7} not the asker | {-8} nobody answered | {-9, winner} another peer
  sbPairConfirm: {
    keys: 1,
    lua: `${LUA_CLEAR_OFFERS}
      local P, id, uid, peer = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
      local r = redis.call('HMGET', KEYS[1], 'state', 'askUid', 'winner', 'callId', 'round', 'startAt')
      if not r[1] then return {-1} end
      if r[2] ~= uid then return {-7} end
      if r[1] == 'ended' then return {-3} end
      if r[1] == 'matching' then return {-8} end
      if r[3] ~= peer then return {-9, r[3] or ''} end
      if r[1] == 'incall' then return {2, r[4] or ''} end
      if ARGV[5] == '1' then
        redis.call('HSET', KEYS[1], 'state', 'incall', 'callId', ARGV[6], 'peerUid', peer, 'matchedAt', ARGV[7])
        redis.call('SET', P .. 'call:' .. ARGV[6], id)
        redis.call('ZADD', P .. 'h:' .. peer, r[6], id)
        return {1}
      end
      redis.call('HSET', KEYS[1], 'state', 'matching')
      redis.call('HDEL', KEYS[1], 'winner', 'winnerRound', 'answeredAt')
      unbusy(P, peer, id)
      return {0, r[5]}`,
  },
  // The ask ends (cancel by the asker, no match, balance, the call ended). With a round given
  // (the round timeout), only while still matching in that round.
  // KEYS: ask. ARGV: P, id, by ('' = the system), reason, now, round ('' any)
  // → {1, askUid, previous state, winner, callId, released candidates…} | {0, state} | {-1} | {-7} not the asker
  sbPairClose: {
    keys: 1,
    lua: `${LUA_CLEAR_OFFERS}
      local P, id = ARGV[1], ARGV[2]
      local r = redis.call('HMGET', KEYS[1], 'state', 'askUid', 'winner', 'callId', 'round')
      if not r[1] then return {-1} end
      if ARGV[3] ~= '' and ARGV[3] ~= r[2] then return {-7} end
      if r[1] == 'ended' then return {0, r[1]} end
      if ARGV[6] ~= '' and (r[1] ~= 'matching' or r[5] ~= ARGV[6]) then return {0, r[1]} end
      redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[5], 'endReason', ARGV[4])
      unbusy(P, r[2], id)
      unbusy(P, r[3], id)
      local out = {1, r[2], r[1], r[3] or '', r[4] or ''}
      for _, o in ipairs(clearOffers(P, id, '')) do out[#out + 1] = o end
      return out`,
  },
} as const;

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
