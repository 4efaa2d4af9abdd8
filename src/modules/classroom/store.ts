// Redis layout of courses (the course is a room of kind `classroom`; membership, chat and
// heartbeats are the rooms module's):
//   sw:{app}:classroom:c:<roomnum>            hash: roomnum, host_uid, title, cover, state, created (ms),
//                                             begin_time, begin_imseq, end_time, end_imseq, playback_idx_url
//   sw:{app}:classroom:idx                    zset roomnum → created (ms): every course
//   sw:{app}:classroom:idx:s:<state>          the same, per state
//   sw:{app}:classroom:idx:h:<uid>            per teacher
//   sw:{app}:classroom:idx:h:<uid>:s:<state>  per teacher and state
//   sw:{app}:classroom:binds:<roomnum>        zset "<type>|<url>" → bound at (ms): order of the binds
//   sw:{app}:classroom:bindf:<roomnum>        hash "<type>|<url>" → bind_file JSON
// Every list filter of `roomlist` (teacher, state, both, neither) is one index, so a page
// is one ZREVRANGEBYSCORE over the time window and `total` one ZCOUNT. State changes move
// the course between indexes in the same script that changes the state.
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';

const scripts = loadScripts('modules/classroom', ['sbCourseCreate', 'sbCourseMove', 'sbCourseBind'] as const);

export type CourseOp = 'start' | 'end' | 'recorded';

export type ClassroomStore = ReturnType<typeof createClassroomStore>;

export function createClassroomStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const k = (appid: string, ...parts: Array<string | number>) => keys.scoped(appid, 'classroom', ...parts);
  const course = (appid: string, roomnum: number) => k(appid, 'c', roomnum);
  const index = (appid: string, host?: string, state?: number) =>
    host !== undefined
      ? state !== undefined
        ? k(appid, 'idx', 'h', host, 's', state)
        : k(appid, 'idx', 'h', host)
      : state !== undefined
        ? k(appid, 'idx', 's', state)
        : k(appid, 'idx');

  return {
    async create(appid: string, roomnum: number, host: string, created: number, fields: Record<string, string>): Promise<boolean> {
      const ks = [course(appid, roomnum), index(appid), index(appid, undefined, 0), index(appid, host), index(appid, host, 0)];
      return (await run('sbCourseCreate', ks, [created, roomnum, ...Object.entries(fields).flat()])) === 1;
    },
    async get(appid: string, roomnum: number): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(course(appid, roomnum));
      return Object.keys(h).length ? h : null;
    },
    async getMany(appid: string, roomnums: number[]): Promise<Array<Record<string, string> | null>> {
      if (roomnums.length === 0) return [];
      const m = redis.multi();
      for (const n of roomnums) m.hgetall(course(appid, n));
      return ((await m.exec()) ?? []).map(([, h]) => (h && Object.keys(h as object).length ? (h as Record<string, string>) : null));
    },
    /** Runs one transition; `host` and `roomKey` (the rooms hash) are needed to name the keys. */
    async move(
      appid: string,
      roomnum: number,
      host: string,
      roomKey: string,
      op: CourseOp,
      now: number,
      url = '',
      overwrite = false,
    ): Promise<{ code: number; state: number }> {
      const ks = [
        course(appid, roomnum),
        ...[0, 1, 2, 3].map((s) => index(appid, undefined, s)),
        ...[0, 1, 2, 3].map((s) => index(appid, host, s)),
        roomKey,
      ];
      const r = (await run('sbCourseMove', ks, [op, now, roomnum, url, overwrite ? '1' : '0'])) as number[];
      return { code: Number(r[0]), state: Number(r[1] ?? -1) };
    },
    /** Newest first within [from, to] (ms) of the index chosen by host/state. */
    async page(
      appid: string,
      filter: { host?: string; state?: number; from: number; to: number | '+inf' },
      offset: number,
      limit: number,
    ): Promise<{ total: number; roomnums: number[] }> {
      const key = index(appid, filter.host, filter.state);
      const max = String(filter.to);
      const min = String(filter.from);
      const [[, ids], [, total]] = (await redis.multi().zrevrangebyscore(key, max, min, 'LIMIT', offset, limit).zcount(key, min, max).exec()) as [
        [null, string[]],
        [null, number],
      ];
      return { total, roomnums: ids.map(Number) };
    },
    async bind(appid: string, roomnum: number, op: 'bind' | 'unbind', key: string, json: string, now: number): Promise<number> {
      return Number(
        await run('sbCourseBind', [course(appid, roomnum), k(appid, 'binds', roomnum), k(appid, 'bindf', roomnum)], [op, key, json, now]),
      );
    },
    async binds(appid: string, roomnum: number, offset: number, limit: number): Promise<{ total: number; files: string[] }> {
      const order = k(appid, 'binds', roomnum);
      const [[, ids], [, total]] = (await redis
        .multi()
        .zrange(order, String(offset), String(offset + limit - 1))
        .zcard(order)
        .exec()) as [[null, string[]], [null, number]];
      const files = ids.length ? await redis.hmget(k(appid, 'bindf', roomnum), ...ids) : [];
      return { total, files: files.filter((f): f is string => f !== null) };
    },
  };
}
