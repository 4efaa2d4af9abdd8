// Redis layout of conferences (all under the app's hash tag, like rooms):
//   sw:{app}:conf:c:<confId>      hash: uid (creator), vid, name, time (as given), startAt, createdAt,
//                                 state (scheduled|live|ended), pwd, endedAt, reason, emptySince,
//                                 pseq (participant order), callseq (leg counter)
//   sw:{app}:conf:p:<confId>      hash participant key → JSON {key, id?, number?, name?, state 0|1|2,
//                                 callid?, call, via, muted, dialOnStart?, n}
//   sw:{app}:conf:calls:<confId>  hash callid → participant key (every leg ever dialled or joined)
//   sw:{app}:conf:u:<uid>         zset confId → createdAt: the conferences a user created
//   sw:{app}:conf:sub:<id>        hash: the sub-account of user id (sid, token, voip, voipPwd)
//   sw:{app}:conf:voipseq         counter of VoIP account numbers
// The conference id is the id of its room (rooms module, kind `conference`).
//
// Every change of a participant is one script below, which also keeps `emptySince`: set when
// a live conference has nobody in (state 1) and no call ringing, cleared otherwise. The
// script returns it while the conference is empty, and the service (re-)enqueues the
// empty-timeout job (deterministic id from that time, so re-adding is a no-op, and a job lost
// to a crash is re-created by the next change); the job ends the conference only if
// `emptySince` is still that time (sbConfEnd), so anyone arriving meanwhile cancels it.
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import type { ProbeItem } from '../../infra/sessions.js';

// C.now (ms) and C.ring (TELEPHONY_RING_TIMEOUT_MS) are set by each script from its ARGV: a leg
// dialled longer ago than the ring timeout no longer counts as ringing (it can be dialled again
// and does not keep an empty conference alive), even if its ring-timeout job was lost.
const LIB = `
local C = {now = 0, ring = 0}
local function getp(parts, key)
  local j = redis.call('HGET', parts, key)
  if j then return cjson.decode(j) end
  return nil
end
local function putp(parts, p) redis.call('HSET', parts, p.key, cjson.encode(p)) end
local function leg(p) return p.state == 1 or p.call == 'dialling' or p.call == 'ringing' end
local function active(p)
  if p.state == 1 then return true end
  return (p.call == 'dialling' or p.call == 'ringing') and (tonumber(p.dialAt) or 0) + C.ring > C.now
end
local function incount(parts)
  local n = 0
  for _, j in ipairs(redis.call('HVALS', parts)) do if cjson.decode(j).state == 1 then n = n + 1 end end
  return n
end
-- One pass over the participants: how many are in (state 1), and the emptiness rule — while
-- live, emptySince is cleared if anyone is active, else set (kept if set) and returned ('' otherwise).
local function tally(conf, parts, now)
  local n, busy = 0, false
  for _, j in ipairs(redis.call('HVALS', parts)) do
    local p = cjson.decode(j)
    if p.state == 1 then n = n + 1 end
    if not busy and active(p) then busy = true end
  end
  if redis.call('HGET', conf, 'state') ~= 'live' then return '', n end
  if busy then
    redis.call('HDEL', conf, 'emptySince')
    return '', n
  end
  redis.call('HSETNX', conf, 'emptySince', now)
  return redis.call('HGET', conf, 'emptySince'), n
end
local function dial(conf, calls, confId, p)
  local n = redis.call('HINCRBY', conf, 'callseq', 1)
  local cid = confId .. '-' .. n
  p.callid = cid
  p.dialAt = C.now
  p.call = 'dialling'
  p.state = 0
  p.via = 'phone'
  p.dialOnStart = nil
  redis.call('HSET', calls, cid, p.key)
  return cid
end
local function newp(conf, key)
  return {key = key, state = 0, call = 'none', via = 'none', muted = false, n = redis.call('HINCRBY', conf, 'pseq', 1)}
end
`;

const scripts = {
  // Adds participants (or updates their id/number/name); with dial=1 dials those with a number
  // who are not in and not ringing — at once when live, at the start when scheduled.
  // KEYS: conf, parts, calls. ARGV: confId, now, max participants, dial 0|1, entries JSON [{key,id?,number?,name?}], ring ms
  sbConfAdd: {
    keys: 3,
    lua: `${LIB}
      C.now, C.ring = tonumber(ARGV[2]), tonumber(ARGV[6])
      local st = redis.call('HGET', KEYS[1], 'state')
      if not st then return cjson.encode({code = -1}) end
      if st == 'ended' then return cjson.encode({code = -2}) end
      local entries = cjson.decode(ARGV[5])
      local fresh = 0
      for _, e in ipairs(entries) do if redis.call('HEXISTS', KEYS[2], e.key) == 0 then fresh = fresh + 1 end end
      if redis.call('HLEN', KEYS[2]) + fresh > tonumber(ARGV[3]) then return cjson.encode({code = -3}) end
      local changed, dials = {}, {}
      for _, e in ipairs(entries) do
        local p = getp(KEYS[2], e.key) or newp(KEYS[1], e.key)
        if e.id then p.id = e.id end
        if e.number then p.number = e.number end
        if e.name then p.name = e.name end
        local action = 'added'
        if ARGV[4] == '1' and p.number and not active(p) then
          if st == 'live' then
            dials[#dials + 1] = dial(KEYS[1], KEYS[3], ARGV[1], p)
            action = 'dialling'
          else
            p.dialOnStart = true
          end
        end
        putp(KEYS[2], p)
        changed[#changed + 1] = {action = action, p = p}
      end
      local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[2])
      return cjson.encode({code = 1, changed = changed, dials = dials, armed = armed, inCount = inCount})`,
  },
  // Dials every participant with a number who is not in and not ringing.
  // KEYS: conf, parts, calls. ARGV: confId, now, ring ms
  sbConfCallAll: {
    keys: 3,
    lua: `${LIB}
      C.now, C.ring = tonumber(ARGV[2]), tonumber(ARGV[3])
      local st = redis.call('HGET', KEYS[1], 'state')
      if not st then return cjson.encode({code = -1}) end
      if st == 'ended' then return cjson.encode({code = -2}) end
      if st ~= 'live' then return cjson.encode({code = -4}) end
      local changed, dials = {}, {}
      for _, j in ipairs(redis.call('HVALS', KEYS[2])) do
        local p = cjson.decode(j)
        if p.number and not active(p) then
          dials[#dials + 1] = dial(KEYS[1], KEYS[3], ARGV[1], p)
          putp(KEYS[2], p)
          changed[#changed + 1] = {action = 'dialling', p = p}
        end
      end
      local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[2])
      return cjson.encode({code = 1, changed = changed, dials = dials, armed = armed, inCount = inCount})`,
  },
  // A provider reports a leg's state. Only the participant's current leg moves; a report for a
  // superseded or finished leg changes nothing (reports may repeat or arrive late).
  // KEYS: conf, parts, calls. ARGV: confId, callid, state (ringing|answered|failed|hungup), now, ring ms
  sbConfCallState: {
    keys: 3,
    lua: `${LIB}
      C.now, C.ring = tonumber(ARGV[4]), tonumber(ARGV[5])
      local key = redis.call('HGET', KEYS[3], ARGV[2])
      if not key then return cjson.encode({code = -6}) end
      local p = getp(KEYS[2], key)
      if not p or p.callid ~= ARGV[2] then return cjson.encode({code = 0}) end
      local st = redis.call('HGET', KEYS[1], 'state')
      local s, action, hangup = ARGV[3], nil, false
      local ringing = p.call == 'dialling' or p.call == 'ringing'
      if s == 'ringing' then
        if p.call == 'dialling' then p.call = 'ringing'; action = 'ringing' end
      elseif s == 'answered' then
        if ringing and st == 'live' then p.call = 'connected'; p.state = 1; action = 'answered'
        elseif ringing then hangup = true end
      elseif s == 'failed' then
        if ringing then p.call = 'failed'; p.state = 0; action = 'failed' end
      elseif s == 'hungup' then
        if p.call == 'connected' then p.call = 'ended'; p.state = 2; action = 'hungup'
        elseif ringing then p.call = 'failed'; p.state = 0; action = 'failed' end
      end
      if not action then return cjson.encode({code = 0, hangup = hangup}) end
      putp(KEYS[2], p)
      local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[4])
      return cjson.encode({code = 1, action = action, p = p, armed = armed, inCount = inCount})`,
  },
  // kick / mute / unmute a batch of legs. Every callid must be a leg of this conference, else
  // nothing changes (code -6 with the unknown ones). Only a participant's current leg acts.
  // KEYS: conf, parts, calls. ARGV: confId, op, now, callids JSON, ring ms
  sbConfControl: {
    keys: 3,
    lua: `${LIB}
      C.now, C.ring = tonumber(ARGV[3]), tonumber(ARGV[5])
      local st = redis.call('HGET', KEYS[1], 'state')
      if not st then return cjson.encode({code = -1}) end
      if st == 'ended' then return cjson.encode({code = -2}) end
      local cids = cjson.decode(ARGV[4])
      local unknown = {}
      for _, cid in ipairs(cids) do if redis.call('HEXISTS', KEYS[3], cid) == 0 then unknown[#unknown + 1] = cid end end
      if #unknown > 0 then return cjson.encode({code = -6, unknown = unknown}) end
      local op = ARGV[2]
      local changed, hangups, apps, mutes = {}, {}, {}, {}
      for _, cid in ipairs(cids) do
        local p = getp(KEYS[2], redis.call('HGET', KEYS[3], cid))
        if p and p.callid == cid then
          if op == 'kick' then
            if leg(p) then
              p.state = 2
              p.call = 'ended'
              if p.via == 'phone' then hangups[#hangups + 1] = cid else apps[#apps + 1] = p.key end
              putp(KEYS[2], p)
              changed[#changed + 1] = {action = 'kicked', p = p}
            end
          else
            local m = op == 'mute'
            if p.muted ~= m then
              p.muted = m
              putp(KEYS[2], p)
              changed[#changed + 1] = {action = op .. 'd', p = p}
              if p.via == 'phone' and p.call == 'connected' then mutes[#mutes + 1] = cid end
            end
          end
        end
      end
      local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[3])
      return cjson.encode({code = 1, changed = changed, hangups = hangups, apps = apps, mutes = mutes, armed = armed, inCount = inCount})`,
  },
  // A scheduled conference starts: live, and those invited before the start are dialled.
  // KEYS: conf, parts, calls. ARGV: confId, now, ring ms
  sbConfStart: {
    keys: 3,
    lua: `${LIB}
      C.now, C.ring = tonumber(ARGV[2]), tonumber(ARGV[3])
      local st = redis.call('HGET', KEYS[1], 'state')
      if not st then return cjson.encode({code = -1}) end
      if st ~= 'scheduled' then return cjson.encode({code = 0}) end
      redis.call('HSET', KEYS[1], 'state', 'live', 'startedAt', ARGV[2])
      local changed, dials = {}, {}
      for _, j in ipairs(redis.call('HVALS', KEYS[2])) do
        local p = cjson.decode(j)
        if p.dialOnStart then
          if p.number and not active(p) then
            dials[#dials + 1] = dial(KEYS[1], KEYS[3], ARGV[1], p)
            changed[#changed + 1] = {action = 'dialling', p = p}
          end
          p.dialOnStart = nil
          putp(KEYS[2], p)
        end
      end
      local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[2])
      return cjson.encode({code = 1, changed = changed, dials = dials, armed = armed, inCount = inCount})`,
  },
  // Ends the conference: everyone in is out (state 2), ringing legs end; returns the legs to hang
  // up and the app participants to take out of the room. With ARGV[3] (the empty-timeout job's
  // time) it ends only a live conference still empty since then.
  // KEYS: conf, parts. ARGV: now, reason, since or '', ring ms
  sbConfEnd: {
    keys: 2,
    lua: `${LIB}
      C.now, C.ring = tonumber(ARGV[1]), tonumber(ARGV[4])
      local st = redis.call('HGET', KEYS[1], 'state')
      if not st then return cjson.encode({code = -1}) end
      if st == 'ended' then return cjson.encode({code = 0, prev = 'ended'}) end
      if ARGV[3] ~= '' and (st ~= 'live' or redis.call('HGET', KEYS[1], 'emptySince') ~= ARGV[3]) then return cjson.encode({code = 0}) end
      redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[1], 'reason', ARGV[2])
      redis.call('HDEL', KEYS[1], 'emptySince')
      local changed, hangups, apps = {}, {}, {}
      for _, j in ipairs(redis.call('HVALS', KEYS[2])) do
        local p = cjson.decode(j)
        local touched = false
        if leg(p) then
          if p.state == 1 then p.state = 2 end
          p.call = 'ended'
          if p.via == 'phone' then hangups[#hangups + 1] = p.callid else apps[#apps + 1] = p.key end
          changed[#changed + 1] = {action = 'ended', p = p}
          touched = true
        end
        if p.dialOnStart then p.dialOnStart = nil; touched = true end
        if touched then putp(KEYS[2], p) end
      end
      return cjson.encode({code = 1, prev = st, changed = changed, hangups = hangups, apps = apps})`,
  },
  // A user enters from the app: the password unless they created it; a new app leg (callid);
  // a phone leg of the same participant still up is superseded (returned to hang up).
  // KEYS: conf, parts, calls. ARGV: confId, uid, pwd, now, max participants, name, ring ms
  sbConfAppJoin: {
    keys: 3,
    lua: `${LIB}
      C.now, C.ring = tonumber(ARGV[4]), tonumber(ARGV[7])
      local c = redis.call('HMGET', KEYS[1], 'state', 'uid', 'pwd')
      if not c[1] then return cjson.encode({code = -1}) end
      if c[1] == 'ended' then return cjson.encode({code = -2}) end
      if c[1] ~= 'live' then return cjson.encode({code = -4}) end
      if ARGV[2] ~= c[2] and (c[3] or '') ~= '' and ARGV[3] ~= c[3] then return cjson.encode({code = -5}) end
      local p = getp(KEYS[2], ARGV[2])
      if p and p.state == 1 and p.via == 'app' then return cjson.encode({code = 0, p = p, inCount = incount(KEYS[2])}) end
      if not p then
        if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[5]) then return cjson.encode({code = -3}) end
        p = newp(KEYS[1], ARGV[2])
        p.id = ARGV[2]
      end
      local old = ''
      if p.via == 'phone' and (leg(p) or p.call == 'connected') then old = p.callid end
      local n = redis.call('HINCRBY', KEYS[1], 'callseq', 1)
      p.callid = ARGV[1] .. '-' .. n
      p.call = 'connected'
      p.state = 1
      p.via = 'app'
      p.dialOnStart = nil
      if not p.name and ARGV[6] ~= '' then p.name = ARGV[6] end
      redis.call('HSET', KEYS[3], p.callid, p.key)
      putp(KEYS[2], p)
      local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[4])
      return cjson.encode({code = 1, p = p, hangup = old, armed = armed, inCount = inCount})`,
  },
  // Sets or clears the password of a conference that has not ended. KEYS: conf. ARGV: pwd
  sbConfSetPwd: {
    keys: 1,
    lua: `
      local st = redis.call('HGET', KEYS[1], 'state')
      if not st then return -1 end
      if st == 'ended' then return -2 end
      redis.call('HSET', KEYS[1], 'pwd', ARGV[1])
      return 1`,
  },
  // The sub-account of a user, created once: a second call (or a concurrent first one) gets the same.
  // KEYS: sub, voipseq. ARGV: sid, token, voipPwd, now → {sid, token, voip, voipPwd}
  sbConfSubAccount: {
    keys: 2,
    lua: `
      local h = redis.call('HMGET', KEYS[1], 'sid', 'token', 'voip', 'voipPwd')
      if h[1] then return h end
      local voip = string.format('8%013d', redis.call('INCR', KEYS[2]))
      redis.call('HSET', KEYS[1], 'sid', ARGV[1], 'token', ARGV[2], 'voip', voip, 'voipPwd', ARGV[3], 'createdAt', ARGV[4])
      return {ARGV[1], ARGV[2], voip, ARGV[3]}`,
  },
} as const;

/** A stored participant (the JSON of sw:{app}:conf:p:<confId>). */
export interface StoredParticipant {
  key: string;
  id?: string;
  number?: string;
  name?: string;
  state: 0 | 1 | 2;
  callid?: string;
  call: 'none' | 'dialling' | 'ringing' | 'connected' | 'ended' | 'failed';
  via: 'phone' | 'app' | 'none';
  muted: boolean;
  dialOnStart?: boolean;
  /** unix ms of the current leg's dial */
  dialAt?: number;
  n: number;
}

export interface Change {
  action: string;
  p: StoredParticipant;
}

/** What the participant scripts answer (cjson writes an empty array as {}: list() repairs that). */
export interface ScriptResult {
  code: number;
  changed?: Change[];
  dials?: string[];
  hangups?: string[];
  apps?: string[];
  mutes?: string[];
  unknown?: string[];
  armed?: string;
  inCount?: number;
  action?: string;
  p?: StoredParticipant;
  hangup?: string | boolean;
  prev?: string;
}

export const list = <T>(x: T[] | Record<string, never> | undefined): T[] => (Array.isArray(x) ? x : []);

const sortParts = (vals: string[]) => vals.map((j) => JSON.parse(j) as StoredParticipant).sort((a, b) => a.n - b.n);

export type ConferencesStore = ReturnType<typeof createConferencesStore>;

export function createConferencesStore(redis: RedisClient, keys: Keys, ringMs: number) {
  const run = defineScripts(redis, scripts);
  const k = (appid: string, confId: string) => ({
    conf: keys.scoped(appid, 'conf', 'c', confId),
    parts: keys.scoped(appid, 'conf', 'p', confId),
    calls: keys.scoped(appid, 'conf', 'calls', confId),
  });
  const userConfs = (appid: string, uid: string) => keys.scoped(appid, 'conf', 'u', uid);
  const json = async (p: Promise<unknown>) => JSON.parse(String(await p)) as ScriptResult;

  return {
    async create(appid: string, confId: string, fields: Record<string, string>): Promise<void> {
      await redis.multi().hset(k(appid, confId).conf, fields).zadd(userConfs(appid, fields.uid!), Number(fields.createdAt), confId).exec();
    },
    async get(appid: string, confId: string): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(k(appid, confId).conf);
      return Object.keys(h).length ? h : null;
    },
    /** The hashes of several conferences in one round trip (null where there is none). */
    async getMany(appid: string, confIds: string[]): Promise<Array<Record<string, string> | null>> {
      if (confIds.length === 0) return [];
      const p = redis.pipeline();
      for (const id of confIds) p.hgetall(k(appid, id).conf);
      return ((await p.exec()) ?? []).map(([err, h]) => {
        if (err) throw err;
        return h && Object.keys(h as object).length ? (h as Record<string, string>) : null;
      });
    },
    /** The creator of a conference (undefined when there is none). */
    creator: async (appid: string, confId: string) => (await redis.hget(k(appid, confId).conf, 'uid')) ?? undefined,
    async participants(appid: string, confId: string): Promise<StoredParticipant[]> {
      return sortParts(await redis.hvals(k(appid, confId).parts));
    },
    /** The participants of several conferences in one round trip. */
    async participantsMany(appid: string, confIds: string[]): Promise<StoredParticipant[][]> {
      if (confIds.length === 0) return [];
      const p = redis.pipeline();
      for (const id of confIds) p.hvals(k(appid, id).parts);
      return ((await p.exec()) ?? []).map(([err, vals]) => {
        if (err) throw err;
        return sortParts(vals as string[]);
      });
    },
    async participant(appid: string, confId: string, key: string): Promise<StoredParticipant | null> {
      const j = await redis.hget(k(appid, confId).parts, key);
      return j ? (JSON.parse(j) as StoredParticipant) : null;
    },
    /** Conference ids a user created, newest first. */
    userConfIds: (appid: string, uid: string, limit: number) => redis.zrevrange(userConfs(appid, uid), 0, limit - 1),
    /** What session.snapshot reads: the user's conferences. */
    probe: (appid: string, uid: string): ProbeItem[] => [{ key: userConfs(appid, uid) }],

    add(
      appid: string,
      confId: string,
      now: number,
      max: number,
      dial: boolean,
      entries: Array<{ key: string; id?: string; number?: string; name?: string }>,
    ) {
      const x = k(appid, confId);
      return json(run('sbConfAdd', [x.conf, x.parts, x.calls], [confId, now, max, dial ? 1 : 0, JSON.stringify(entries), ringMs]));
    },
    callAll(appid: string, confId: string, now: number) {
      const x = k(appid, confId);
      return json(run('sbConfCallAll', [x.conf, x.parts, x.calls], [confId, now, ringMs]));
    },
    callState(appid: string, confId: string, callid: string, state: string, now: number) {
      const x = k(appid, confId);
      return json(run('sbConfCallState', [x.conf, x.parts, x.calls], [confId, callid, state, now, ringMs]));
    },
    control(appid: string, confId: string, op: 'kick' | 'mute' | 'unmute', now: number, callids: string[]) {
      const x = k(appid, confId);
      return json(run('sbConfControl', [x.conf, x.parts, x.calls], [confId, op, now, JSON.stringify(callids), ringMs]));
    },
    start(appid: string, confId: string, now: number) {
      const x = k(appid, confId);
      return json(run('sbConfStart', [x.conf, x.parts, x.calls], [confId, now, ringMs]));
    },
    end(appid: string, confId: string, now: number, reason: string, since: number | null) {
      const x = k(appid, confId);
      return json(run('sbConfEnd', [x.conf, x.parts], [now, reason, since === null ? '' : since, ringMs]));
    },
    appJoin(appid: string, confId: string, uid: string, pwd: string, now: number, max: number, name: string) {
      const x = k(appid, confId);
      return json(run('sbConfAppJoin', [x.conf, x.parts, x.calls], [confId, uid, pwd, now, max, name, ringMs]));
    },
    async setPassword(appid: string, confId: string, pwd: string): Promise<number> {
      return Number(await run('sbConfSetPwd', [k(appid, confId).conf], [pwd]));
    },
    /** The participant key of a leg, or null. */
    legOwner: (appid: string, confId: string, callid: string) => redis.hget(k(appid, confId).calls, callid),

    async subAccount(
      appid: string,
      id: string,
      fresh: { sid: string; token: string; voipPwd: string },
      now: number,
    ): Promise<{ sid: string; token: string; voip: string; voipPwd: string }> {
      const r = (await run(
        'sbConfSubAccount',
        [keys.scoped(appid, 'conf', 'sub', id), keys.scoped(appid, 'conf', 'voipseq')],
        [fresh.sid, fresh.token, fresh.voipPwd, now],
      )) as string[];
      return { sid: r[0]!, token: r[1]!, voip: r[2]!, voipPwd: r[3]! };
    },
  };
}
