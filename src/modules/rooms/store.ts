// Redis layout of rooms (all in the app's hash tag, so every script below runs in one
// Cluster slot):
//   sw:{app}:rooms:seq            counter: the last allocated room id (roomnum)
//   sw:{app}:rooms:r:<id>         hash: kind, host, state (open|closing|closed), label, groupid,
//                                 imseq, createdAt, closedAt, hostGoneAt, closingSince
//   sw:{app}:rooms:m:<id>         zset uid → joinedAt (ms): the members; ZCARD is memsize
//   sw:{app}:rooms:roles:<id>     hash uid → role in the room
//   sw:{app}:rooms:msg:<id>       zset seq → "<seq>:<json>": the last ROOM_MESSAGE_HISTORY chat messages
//   sw:{app}:rooms:u:<uid>        set of room ids the user is a member of (snapshot, cleanup)
//   sw:{app}:rooms:allow:<id>     set of uids admitted to a room whose `door` is `invite` (conferences
//                                 with a password): only they (and the host) may enter
//   sw:{app}:rooms:alive          zset roomId → createdAt: rooms not closed yet (dashboards list them)
//   sw:{app}:rooms:due            zset "<id>|<uid>" → deadline (ms): heartbeats only move scores here
//   sw:{app}:rooms:hostgone       zset roomId → hostGoneAt: rooms whose host timed out and whose
//                                 host-timeout job may not be enqueued yet (the sweep re-enqueues
//                                 these idempotently, so a worker dying between script and
//                                 enqueue loses nothing)
//   sw:g:rooms:apps               set of appids that have (or recently had) members — what the sweep visits
//
// The sweep and close scripts derive member/role/user keys of the rooms they touch from a
// key prefix passed in ARGV: those keys are only known once the script has read the
// deadlines. They carry the same `{app}` hash tag as KEYS[1], so on Redis Cluster they are
// in the same slot and the script stays atomic and legal there.
import type { RedisClient } from '../../infra/redis.js';
import { createAppIndex } from '../../infra/app-index.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts, runScript } from '../../infra/scripts.js';
import type { ProbeItem } from '../../infra/sessions.js';

const scripts = {
  // Enter a room, or refresh the deadline of a member (heartbeat). A non-member is (re)added
  // only while the room is open. The host coming back clears the pending host timeout.
  // A room whose `door` is `invite` admits only its host and the uids of its allow set.
  // Added, it also says how many sockets the user has open (any node: the gateway's registry),
  // so a caller holding all of them moves them itself instead of through the adapter, and
  // whether the app had no deadline before (only then the sweep's app index needs the app).
  // KEYS: room, members, roles, due, userRooms, userSockets. ARGV: uid, now, deadline, role, roomId, hostgone key, allow key
  // → {1 added | 0 already in, memsize, hostGoneAt or '', role, kind, host, label[, sockets, app was idle 1|0 when added]}
  //   | {-1} no room | {-2} not open | {-3} not admitted
  sbRoomEnter: {
    keys: 6,
    lua: `
      local r = redis.call('HMGET', KEYS[1], 'state', 'host', 'kind', 'label', 'door')
      if not r[1] then return {-1} end
      local entry = ARGV[5] .. '|' .. ARGV[1]
      if redis.call('ZSCORE', KEYS[2], ARGV[1]) then
        redis.call('ZADD', KEYS[4], ARGV[3], entry)
        return {0, redis.call('ZCARD', KEYS[2]), '', redis.call('HGET', KEYS[3], ARGV[1]) or '', r[3], r[2], r[4] or r[1]}
      end
      if r[1] ~= 'open' then return {-2} end
      if r[5] == 'invite' and r[2] ~= ARGV[1] and redis.call('SISMEMBER', ARGV[7], ARGV[1]) == 0 then return {-3} end
      local role = ARGV[4]
      local back = ''
      if r[2] == ARGV[1] then
        role = 'host'
        back = redis.call('HGET', KEYS[1], 'hostGoneAt') or ''
        redis.call('HDEL', KEYS[1], 'hostGoneAt')
        redis.call('ZREM', ARGV[6], ARGV[5])
      end
      local idle = 1 - redis.call('EXISTS', KEYS[4])
      redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
      redis.call('HSET', KEYS[3], ARGV[1], role)
      redis.call('ZADD', KEYS[4], ARGV[3], entry)
      redis.call('SADD', KEYS[5], ARGV[5])
      return {1, redis.call('ZCARD', KEYS[2]), back, role, r[3], r[2], r[4] or r[1], redis.call('SCARD', KEYS[6]), idle}`,
  },
  // Heartbeats of members already in, several rooms of one app at once: each moves its
  // deadline and answers its room's memsize and its role; anyone not a member (or a room
  // gone) is left to sbRoomEnter (-1), which knows every other case.
  // KEYS: due, then per beat: room, members, roles. ARGV: deadline, then per beat: uid, roomId
  // → per beat: memsize, role (memsize -1: not a member, or no room)
  sbRoomBeat: {
    keys: 0, // variable: 1 + 3 per beat
    lua: `
      local out = {}
      for i = 0, (#KEYS - 1) / 3 - 1 do
        local uid = ARGV[2 + 2 * i]
        local members = KEYS[3 + 3 * i]
        if redis.call('EXISTS', KEYS[2 + 3 * i]) == 1 and redis.call('ZSCORE', members, uid) then
          redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3 + 2 * i] .. '|' .. uid)
          out[#out + 1] = redis.call('ZCARD', members)
          out[#out + 1] = redis.call('HGET', KEYS[4 + 3 * i], uid) or ''
        else
          out[#out + 1] = -1
          out[#out + 1] = ''
        end
      end
      return out`,
  },
  // Leave a room; also says how many sockets the user has open (as sbRoomEnter).
  // KEYS: room, members, roles, due, userRooms, userSockets. ARGV: uid, roomId
  // → {1 left | 0 was not in, memsize, role, kind, host, label, sockets} | {-1} no room
  sbRoomLeave: {
    keys: 6,
    lua: `
      local r = redis.call('HMGET', KEYS[1], 'state', 'host', 'kind', 'label')
      if not r[1] then return {-1} end
      local sockets = redis.call('SCARD', KEYS[6])
      if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return {0, redis.call('ZCARD', KEYS[2]), '', r[3], r[2], r[4] or r[1], sockets} end
      local role = redis.call('HGET', KEYS[3], ARGV[1]) or ''
      redis.call('HDEL', KEYS[3], ARGV[1])
      redis.call('ZREM', KEYS[4], ARGV[2] .. '|' .. ARGV[1])
      redis.call('SREM', KEYS[5], ARGV[2])
      return {1, redis.call('ZCARD', KEYS[2]), role, r[3], r[2], r[4] or r[1], sockets}`,
  },
  // Removes members whose deadline passed: read and remove in one script, so two workers
  // sweeping at once never both see (and announce) the same member. A timed-out host of an
  // open room is marked with hostGoneAt = now (the host-timeout job checks it).
  // KEYS: due. ARGV: now, limit, key prefix "sw:{app}:rooms:"
  // → {entries examined, then per removed member: roomId, uid, role, memsize, isHost, kind, host, label}
  sbRoomSweep: {
    keys: 1,
    lua: `
      local P = ARGV[3]
      local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
      local out = {#due}
      for _, entry in ipairs(due) do
        redis.call('ZREM', KEYS[1], entry)
        local bar = string.find(entry, '|', 1, true)
        if bar then
          local rid = string.sub(entry, 1, bar - 1)
          local uid = string.sub(entry, bar + 1)
          if redis.call('ZREM', P .. 'm:' .. rid, uid) == 1 then
            local role = redis.call('HGET', P .. 'roles:' .. rid, uid) or ''
            redis.call('HDEL', P .. 'roles:' .. rid, uid)
            redis.call('SREM', P .. 'u:' .. uid, rid)
            local r = redis.call('HMGET', P .. 'r:' .. rid, 'state', 'host', 'kind', 'label')
            local isHost = 0
            if r[2] == uid and r[1] == 'open' then
              redis.call('HSET', P .. 'r:' .. rid, 'hostGoneAt', ARGV[1])
              redis.call('ZADD', P .. 'hostgone', ARGV[1], rid)
              isHost = 1
            end
            local n = #out
            out[n + 1] = rid
            out[n + 2] = uid
            out[n + 3] = role
            out[n + 4] = redis.call('ZCARD', P .. 'm:' .. rid)
            out[n + 5] = isHost
            out[n + 6] = r[3] or ''
            out[n + 7] = r[2] or ''
            out[n + 8] = r[4] or r[1] or ''
          end
        end
      end
      return out`,
  },
  // Claims the end of a room whose host timed out at ARGV[1]: only if the host is still
  // away (same hostGoneAt, not a member). The room turns 'closing' so the host can no
  // longer come back half-way; a retried job (same since) claims again.
  // KEYS: room, members. ARGV: since, hostgone key, roomId → kind | false
  sbRoomHostTimeout: {
    keys: 2,
    lua: `
      local r = redis.call('HMGET', KEYS[1], 'state', 'host', 'kind', 'hostGoneAt', 'closingSince')
      if not r[1] then return false end
      if r[1] == 'closing' and r[5] == ARGV[1] then return r[3] end
      if r[1] ~= 'open' or r[4] ~= ARGV[1] then
        if r[4] ~= ARGV[1] then redis.call('ZREM', ARGV[2], ARGV[3]) end
        return false
      end
      if redis.call('ZSCORE', KEYS[2], r[2]) then return false end
      redis.call('HSET', KEYS[1], 'state', 'closing', 'closingSince', ARGV[1])
      redis.call('HDEL', KEYS[1], 'hostGoneAt')
      redis.call('ZREM', ARGV[2], ARGV[3])
      return r[3]`,
  },
  // Closes a room and releases every member. KEYS: room, members, roles, due.
  // ARGV: now, roomId, key prefix, label → {1, uid…} closed now | {0} already closed | {-1} no room
  sbRoomClose: {
    keys: 4,
    lua: `
      local st = redis.call('HGET', KEYS[1], 'state')
      if not st then return {-1} end
      if st == 'closed' then return {0} end
      redis.call('HSET', KEYS[1], 'state', 'closed', 'closedAt', ARGV[1], 'label', ARGV[4])
      redis.call('HDEL', KEYS[1], 'hostGoneAt', 'closingSince')
      redis.call('ZREM', ARGV[3] .. 'hostgone', ARGV[2])
      redis.call('ZREM', ARGV[3] .. 'alive', ARGV[2])
      redis.call('DEL', ARGV[3] .. 'allow:' .. ARGV[2])
      local uids = redis.call('ZRANGE', KEYS[2], 0, -1)
      for _, uid in ipairs(uids) do
        redis.call('ZREM', KEYS[4], ARGV[2] .. '|' .. uid)
        redis.call('SREM', ARGV[3] .. 'u:' .. uid, ARGV[2])
      end
      redis.call('DEL', KEYS[2], KEYS[3])
      local out = {1}
      for i, uid in ipairs(uids) do out[i + 1] = uid end
      return out`,
  },
  // Appends a chat message: next sequence number, stored, history capped.
  // KEYS: room, members, messages. ARGV: uid, json, cap → seq | -1 no room | -2 not open | -3 not a member
  sbRoomMessage: {
    keys: 3,
    lua: `
      local st = redis.call('HGET', KEYS[1], 'state')
      if not st then return -1 end
      if st ~= 'open' then return -2 end
      if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return -3 end
      local seq = redis.call('HINCRBY', KEYS[1], 'imseq', 1)
      redis.call('ZADD', KEYS[3], seq, seq .. ':' .. ARGV[2])
      redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[3]) + 1))
      return seq`,
  },
  // Sets fields of an existing room. KEYS: room. ARGV: field, value, … → 1 | 0 no room
  sbRoomSet: {
    keys: 1,
    lua: `
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      redis.call('HSET', KEYS[1], unpack(ARGV))
      return 1`,
  },
} as const;

export interface RoomKeys {
  room: string;
  members: string;
  roles: string;
  messages: string;
}

/** Keys of one room; other features (classroom) pass `room` to their own scripts. */
export function roomKeys(keys: Keys, appid: string, roomId: string): RoomKeys {
  return {
    room: keys.scoped(appid, 'rooms', 'r', roomId),
    members: keys.scoped(appid, 'rooms', 'm', roomId),
    roles: keys.scoped(appid, 'rooms', 'roles', roomId),
    messages: keys.scoped(appid, 'rooms', 'msg', roomId),
  };
}

export interface SweptMember {
  roomId: string;
  uid: string;
  role: string;
  memsize: number;
  isHost: boolean;
  kind: string;
  host: string;
  label: string;
}

export type RoomsStore = ReturnType<typeof createRoomsStore>;

export function createRoomsStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const due = (appid: string) => keys.scoped(appid, 'rooms', 'due');
  const userRooms = (appid: string, uid: string) => keys.scoped(appid, 'rooms', 'u', uid);
  const prefix = (appid: string) => keys.scoped(appid, 'rooms', '');
  const activeApps = createAppIndex(redis, keys.global('rooms', 'apps'));
  const hostGone = (appid: string) => keys.scoped(appid, 'rooms', 'hostgone');
  const allowed = (appid: string, roomId: string) => keys.scoped(appid, 'rooms', 'allow', roomId);

  return {
    keysOf: (appid: string, roomId: string) => roomKeys(keys, appid, roomId),

    async allocate(appid: string): Promise<string> {
      return String(await redis.incr(keys.scoped(appid, 'rooms', 'seq')));
    },
    async create(appid: string, roomId: string, fields: Record<string, string>): Promise<void> {
      await redis
        .multi()
        .hset(roomKeys(keys, appid, roomId).room, fields)
        .zadd(keys.scoped(appid, 'rooms', 'alive'), Number(fields.createdAt ?? Date.now()), roomId)
        .exec();
    },
    /** Rooms not closed yet, newest first, with their fields and member counts (dashboards). */
    async listAlive(
      appid: string,
      limit: number,
    ): Promise<{ total: number; rooms: Array<{ roomId: string; fields: Record<string, string>; memsize: number }> }> {
      const alive = keys.scoped(appid, 'rooms', 'alive');
      const [[, ids], [, total]] = (await redis
        .multi()
        .zrevrange(alive, '0', String(limit - 1))
        .zcard(alive)
        .exec()) as [[null, string[]], [null, number]];
      if (ids.length === 0) return { total, rooms: [] };
      const m = redis.multi();
      for (const id of ids) m.hgetall(roomKeys(keys, appid, id).room).zcard(roomKeys(keys, appid, id).members);
      const res = (await m.exec()) ?? [];
      const rooms = ids.map((roomId, i) => ({
        roomId,
        fields: res[2 * i]?.[1] as Record<string, string>,
        memsize: Number(res[2 * i + 1]?.[1] ?? 0),
      }));
      return { total, rooms: rooms.filter((r) => r.fields && Object.keys(r.fields).length > 0 && r.fields.state !== 'closed') };
    },
    async get(appid: string, roomId: string): Promise<{ fields: Record<string, string>; memsize: number } | null> {
      const k = roomKeys(keys, appid, roomId);
      // Two plain reads, not a MULTI: they batch with the caller's other commands (auto-pipelining).
      const [h, n] = await Promise.all([redis.hgetall(k.room), redis.zcard(k.members)]);
      return Object.keys(h).length ? { fields: h, memsize: n } : null;
    },
    async memsizes(appid: string, roomIds: string[]): Promise<number[]> {
      if (roomIds.length === 0) return [];
      const m = redis.multi();
      for (const id of roomIds) m.zcard(roomKeys(keys, appid, id).members);
      return ((await m.exec()) ?? []).map(([, n]) => Number(n));
    },
    /** Lets `uid` into (admit) or keeps them out of (revoke) a room whose door is `invite`. */
    async admit(appid: string, roomId: string, uid: string, admitted: boolean): Promise<void> {
      if (admitted) await redis.sadd(allowed(appid, roomId), uid);
      else await redis.srem(allowed(appid, roomId), uid);
    },
    async set(appid: string, roomId: string, fields: Record<string, string>): Promise<boolean> {
      return (await run('sbRoomSet', [roomKeys(keys, appid, roomId).room], Object.entries(fields).flat())) === 1;
    },

    async enter(appid: string, roomId: string, uid: string, role: string, now: number, deadline: number) {
      const k = roomKeys(keys, appid, roomId);
      const r = (await run(
        'sbRoomEnter',
        [k.room, k.members, k.roles, due(appid), userRooms(appid, uid), keys.userSockets(appid, uid)],
        [uid, now, deadline, role, roomId, hostGone(appid), allowed(appid, roomId)],
      )) as Array<string | number>;
      const code = Number(r[0]);
      // Another slot: after the script, idempotent. Only when the app had no deadline: the
      // sweep retires an app only once its deadline set is empty (re-checking after the
      // removal), so an app with deadlines is in the index already.
      if (code === 1 && Number(r[8]) === 1) await activeApps.add(appid);
      return {
        code,
        memsize: Number(r[1] ?? 0),
        hostGoneAt: String(r[2] ?? ''),
        role: String(r[3] ?? ''),
        kind: String(r[4] ?? ''),
        host: String(r[5] ?? ''),
        label: String(r[6] ?? ''),
        /** Sockets the user has open on any node (when added). */
        sockets: Number(r[7] ?? 0),
      };
    },
    /** Moves the deadlines of members already in (one script for the app's batch); memsize -1: not a member, use enter. */
    async beat(appid: string, beats: Array<{ roomId: string; uid: string }>, deadline: number): Promise<Array<{ memsize: number; role: string }>> {
      const keyList = [due(appid)];
      const args: Array<string | number> = [deadline];
      for (const b of beats) {
        const k = roomKeys(keys, appid, b.roomId);
        keyList.push(k.room, k.members, k.roles);
        args.push(b.uid, b.roomId);
      }
      const r = (await runScript(redis, { keys: keyList.length, lua: scripts.sbRoomBeat.lua }, keyList, args)) as Array<string | number>;
      return beats.map((_, i) => ({ memsize: Number(r[2 * i]), role: String(r[2 * i + 1] ?? '') }));
    },
    async leave(appid: string, roomId: string, uid: string) {
      const k = roomKeys(keys, appid, roomId);
      const r = (await run(
        'sbRoomLeave',
        [k.room, k.members, k.roles, due(appid), userRooms(appid, uid), keys.userSockets(appid, uid)],
        [uid, roomId],
      )) as Array<string | number>;
      return {
        code: Number(r[0]),
        memsize: Number(r[1] ?? 0),
        role: String(r[2] ?? ''),
        kind: String(r[3] ?? ''),
        host: String(r[4] ?? ''),
        label: String(r[5] ?? ''),
        sockets: Number(r[6] ?? 0),
      };
    },
    async close(appid: string, roomId: string, now: number, label: string): Promise<{ code: number; uids: string[] }> {
      const k = roomKeys(keys, appid, roomId);
      const r = (await run('sbRoomClose', [k.room, k.members, k.roles, due(appid)], [now, roomId, prefix(appid), label])) as Array<string | number>;
      return { code: Number(r[0]), uids: r.slice(1).map(String) };
    },
    async claimHostTimeout(appid: string, roomId: string, since: number): Promise<string | null> {
      const k = roomKeys(keys, appid, roomId);
      const kind = await run('sbRoomHostTimeout', [k.room, k.members], [since, hostGone(appid), roomId]);
      return typeof kind === 'string' ? kind : null;
    },

    /** Rooms whose host timed out before `before` and whose grace has not been claimed yet. */
    async hostGoneBefore(appid: string, before: number): Promise<Array<{ roomId: string; since: number }>> {
      const flat = await redis.zrangebyscore(hostGone(appid), '-inf', String(before), 'WITHSCORES', 'LIMIT', 0, 1000);
      const out: Array<{ roomId: string; since: number }> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) out.push({ roomId: flat[i]!, since: Number(flat[i + 1]) });
      return out;
    },

    /** Apps whose deadlines the sweep visits. */
    activeApps: activeApps.members,
    /** Drops an app without deadlines from the sweep; re-adds it if a member entered meanwhile. */
    retireIfIdle: (appid: string) =>
      activeApps.retireIfIdle(appid, async () => (await redis.zcard(due(appid))) > 0 || (await redis.zcard(hostGone(appid))) > 0),
    async sweep(appid: string, now: number, limit: number): Promise<{ examined: number; removed: SweptMember[] }> {
      const r = (await run('sbRoomSweep', [due(appid)], [now, limit, prefix(appid)])) as Array<string | number>;
      const removed: SweptMember[] = [];
      for (let i = 1; i + 7 < r.length; i += 8) {
        removed.push({
          roomId: String(r[i]),
          uid: String(r[i + 1]),
          role: String(r[i + 2]),
          memsize: Number(r[i + 3]),
          isHost: Number(r[i + 4]) === 1,
          kind: String(r[i + 5]),
          host: String(r[i + 6]),
          label: String(r[i + 7]),
        });
      }
      return { examined: Number(r[0]), removed };
    },

    async members(
      appid: string,
      roomId: string,
      offset: number,
      limit: number,
    ): Promise<{ total: number; members: Array<{ uid: string; role: string; joinedAt: number }> }> {
      const k = roomKeys(keys, appid, roomId);
      const [[, flat], [, total]] = (await redis
        .multi()
        .zrange(k.members, String(offset), String(offset + limit - 1), 'WITHSCORES')
        .zcard(k.members)
        .exec()) as [[null, string[]], [null, number]];
      const uids: string[] = [];
      const joined: number[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        uids.push(flat[i]!);
        joined.push(Number(flat[i + 1]));
      }
      const roles = uids.length ? await redis.hmget(k.roles, ...uids) : [];
      return { total, members: uids.map((uid, i) => ({ uid, role: roles[i] ?? 'member', joinedAt: joined[i]! })) };
    },
    async roleOf(appid: string, roomId: string, uid: string): Promise<string | null> {
      return redis.hget(roomKeys(keys, appid, roomId).roles, uid);
    },
    userRoomIds: (appid: string, uid: string) => redis.smembers(userRooms(appid, uid)),
    /** What session.snapshot reads first: the user's room set. */
    probe: (appid: string, uid: string): ProbeItem[] => [{ key: userRooms(appid, uid) }],

    async appendMessage(appid: string, roomId: string, uid: string, json: string, cap: number): Promise<number> {
      const k = roomKeys(keys, appid, roomId);
      return Number(await run('sbRoomMessage', [k.room, k.members, k.messages], [uid, json, cap]));
    },
    /** Raw "<seq>:<json>" entries with after < seq ≤ to, oldest first. */
    async messages(appid: string, roomId: string, after: number, to: number | '+inf', limit: number): Promise<string[]> {
      return redis.zrangebyscore(roomKeys(keys, appid, roomId).messages, `(${after}`, String(to), 'LIMIT', 0, limit);
    },
  };
}
