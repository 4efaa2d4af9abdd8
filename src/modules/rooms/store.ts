// Redis layout of rooms (all in the app's hash tag, so every script in lua/ runs in one
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
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';
import type { ProbeItem } from '../../infra/sessions.js';

const scripts = loadScripts('modules/rooms', [
  'sbRoomEnter',
  'sbRoomBeat',
  'sbRoomLeave',
  'sbRoomSweep',
  'sbRoomHostTimeout',
  'sbRoomClose',
  'sbRoomMessage',
  'sbRoomSet',
] as const);

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
      // Two plain reads, not a MULTI: they leave with the caller's other commands in one write (infra/redis.ts coalesceWrites).
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
      const args: Array<string | number> = [deadline, prefix(appid)];
      for (const b of beats) args.push(b.uid, b.roomId);
      const r = (await run('sbRoomBeat', [due(appid)], args)) as Array<string | number>;
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

    /** Apps whose deadlines the sweep visits. */
    activeApps: activeApps.members,
    /** Drops an app without deadlines from the sweep; re-adds it if a member entered meanwhile. */
    retireIfIdle: (appid: string) => activeApps.retireIfIdle(appid, async () => (await redis.exists(due(appid), hostGone(appid))) > 0),
    /**
     * Removes up to `limit` members past their deadline; also reads the rooms whose host timed
     * out before `goneBefore` and whether the app has deadlines or timed-out hosts left (`busy`).
     */
    async sweep(
      appid: string,
      now: number,
      limit: number,
      goneBefore: number,
    ): Promise<{ examined: number; removed: SweptMember[]; hostGone: Array<{ roomId: string; since: number }>; busy: boolean }> {
      const r = (await run('sbRoomSweep', [due(appid)], [now, limit, prefix(appid), goneBefore])) as Array<string | number>;
      const hostGone: Array<{ roomId: string; since: number }> = [];
      const membersAt = 3 + 2 * Number(r[2]);
      for (let i = 3; i + 1 < membersAt; i += 2) hostGone.push({ roomId: String(r[i]), since: Number(r[i + 1]) });
      const removed: SweptMember[] = [];
      for (let i = membersAt; i + 7 < r.length; i += 8) {
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
      return { examined: Number(r[0]), removed, hostGone, busy: Number(r[1]) === 1 };
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
