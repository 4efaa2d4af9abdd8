// Redis layout of live streams (seed 004 §3.2.3–3.2.4), in the app's slot. A video is a
// room of kind `live` (rooms module: members = viewers, dashboards); its videoID is the room id.
//   sw:{app}:live:v:<videoID>      hash: author, title, description, save, calltype, shareModel,
//                                  password, content, groupId, liveFlag, host, port, rtspURL, url,
//                                  startedAt, endedAt
//   sw:{app}:live:all              zset videoID → startedAt: every listed video
//   sw:{app}:live:u:<uid>          zset: the author's videos
//   sw:{app}:live:g:<groupId>      zset: videos started in that live group
//   sw:{app}:live:public           zset: public videos (shareModel 1) — the video hall
//   sw:{app}:live:circle           zset: public (1) and circle (3) videos: a live group lists its members' ones
//   sw:{app}:live:now              zset: live now
//   sw:{app}:live:hist             zset: stopped and saved (save=1): history
//   sw:{app}:live:listed           zset: now ∪ hist (a stopped unsaved stream has no file: unlisted)
//   sw:{app}:live:groups:seq       counter of live group ids
//   sw:{app}:live:grp:<groupId>    hash: name, token, createdAt
//   sw:{app}:live:grpm:<groupId>   set of member uids
//   sw:{app}:live:ug:<uid>         set of the user's live group ids
//   sw:{app}:live:pics:seq         counter of picture ids
//   sw:{app}:live:pic:<id>         hash: author, url, title, description, shareModel, createdAt
//   sw:{app}:live:pics             zset id → createdAt (all);  live:pics:public, live:pics:u:<uid>
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';

const scripts = loadScripts('modules/live', ['liveStop'] as const);

export function createLiveStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const k = (appid: string, ...parts: Array<string | number>) => keys.scoped(appid, 'live', ...parts);

  return {
    k,
    async createVideo(
      appid: string,
      videoID: string,
      fields: Record<string, string>,
      indexes: { author: string; groupId?: string; public: boolean; circle: boolean },
    ): Promise<void> {
      const at = Number(fields.startedAt);
      const m = redis
        .multi()
        .hset(k(appid, 'v', videoID), fields)
        .zadd(k(appid, 'all'), at, videoID)
        .zadd(k(appid, 'u', indexes.author), at, videoID)
        .zadd(k(appid, 'now'), at, videoID)
        .zadd(k(appid, 'listed'), at, videoID);
      if (indexes.groupId) m.zadd(k(appid, 'g', indexes.groupId), at, videoID);
      if (indexes.public) m.zadd(k(appid, 'public'), at, videoID);
      if (indexes.circle) m.zadd(k(appid, 'circle'), at, videoID);
      await m.exec();
    },
    async getVideo(appid: string, videoID: string): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(k(appid, 'v', videoID));
      return Object.keys(h).length ? h : null;
    },
    async getVideos(appid: string, ids: string[]): Promise<Array<Record<string, string> | null>> {
      if (ids.length === 0) return [];
      const p = redis.pipeline();
      for (const id of ids) p.hgetall(k(appid, 'v', id));
      const r = (await p.exec()) ?? [];
      return r.map(([, h]) => (h && Object.keys(h as object).length ? (h as Record<string, string>) : null));
    },
    async stop(appid: string, videoID: string, endedAt: number): Promise<number> {
      return Number(await run('liveStop', [k(appid, 'v', videoID), k(appid, 'now'), k(appid, 'hist'), k(appid, 'listed')], [videoID, endedAt]));
    },

    /**
     * Videos in the union of `sources` and of the public and circle videos of
     * `circleSources`, restricted to `state`, newest first, one page. One MULTI over
     * temporary keys of the app's slot: atomic, and legal on Cluster.
     */
    async query(
      appid: string,
      sel: { sources: string[]; circleSources?: string[] },
      state: 'now' | 'hist' | 'listed',
      offset: number,
      limit: number,
      publicOnly = false,
    ): Promise<{ total: number; ids: string[] }> {
      const circle = sel.circleSources ?? [];
      if (sel.sources.length === 0 && circle.length === 0) return { total: 0, ids: [] };
      const tag = randomBytes(6).toString('hex');
      const union = k(appid, 'tmp', tag, 'u');
      const members = k(appid, 'tmp', tag, 'm');
      const result = k(appid, 'tmp', tag, 'r');
      const m = redis.multi();
      const parts = [...sel.sources];
      if (circle.length) {
        m.zunionstore(members, circle.length, ...circle, 'AGGREGATE', 'MAX').zinterstore(members, 2, members, k(appid, 'circle'), 'WEIGHTS', 1, 0);
        parts.push(members);
      }
      m.zunionstore(union, parts.length, ...parts, 'AGGREGATE', 'MAX')
        .zinterstore(
          result,
          publicOnly ? 3 : 2,
          union,
          k(appid, state),
          ...(publicOnly ? [k(appid, 'public')] : []),
          'WEIGHTS',
          1,
          0,
          ...(publicOnly ? [0] : []),
        )
        .zcard(result)
        .zrevrange(result, offset, offset + limit - 1)
        .del(union, members, result);
      const r = (await m.exec()) as Array<[Error | null, unknown]>;
      const at = r.length - 3; // zcard's place
      return { total: Number(r[at]?.[1] ?? 0), ids: (r[at + 1]?.[1] as string[]) ?? [] };
    },

    // ── live groups ──
    async createGroup(appid: string, name: string, token: string, members: string[], now: number): Promise<string> {
      const gid = String(await redis.incr(k(appid, 'groups', 'seq')));
      const m = redis.multi().hset(k(appid, 'grp', gid), { name, token, createdAt: String(now) });
      if (members.length) m.sadd(k(appid, 'grpm', gid), ...members);
      for (const u of members) m.sadd(k(appid, 'ug', u), gid);
      await m.exec();
      return gid;
    },
    async getGroup(appid: string, gid: string): Promise<{ fields: Record<string, string>; members: string[] } | null> {
      const [h, members] = await Promise.all([redis.hgetall(k(appid, 'grp', gid)), redis.smembers(k(appid, 'grpm', gid))]);
      return Object.keys(h).length ? { fields: h, members: members.sort() } : null;
    },
    async changeMembers(appid: string, gid: string, add: string[], remove: string[]): Promise<void> {
      const m = redis.multi();
      if (add.length) m.sadd(k(appid, 'grpm', gid), ...add);
      if (remove.length) m.srem(k(appid, 'grpm', gid), ...remove);
      for (const u of add) m.sadd(k(appid, 'ug', u), gid);
      for (const u of remove) m.srem(k(appid, 'ug', u), gid);
      await m.exec();
    },
    setGroupToken: (appid: string, gid: string, token: string) => redis.hset(k(appid, 'grp', gid), 'token', token),
    async deleteGroup(appid: string, gid: string): Promise<void> {
      const members = await redis.smembers(k(appid, 'grpm', gid));
      const m = redis.multi().del(k(appid, 'grp', gid), k(appid, 'grpm', gid));
      for (const u of members) m.srem(k(appid, 'ug', u), gid);
      await m.exec();
    },
    isGroupMember: async (appid: string, gid: string, uid: string) => (await redis.sismember(k(appid, 'grpm', gid), uid)) === 1,
    userGroups: (appid: string, uid: string) => redis.smembers(k(appid, 'ug', uid)),
    groupMembers: (appid: string, gid: string) => redis.smembers(k(appid, 'grpm', gid)),
    shareAGroup: async (appid: string, a: string, b: string) => (await redis.sinter(k(appid, 'ug', a), k(appid, 'ug', b))).length > 0,

    // ── pictures ──
    async addPicture(appid: string, fields: Record<string, string>, isPublic: boolean): Promise<string> {
      const id = String(await redis.incr(k(appid, 'pics', 'seq')));
      const at = Number(fields.createdAt);
      const m = redis
        .multi()
        .hset(k(appid, 'pic', id), fields)
        .zadd(k(appid, 'pics'), at, id)
        .zadd(k(appid, 'pics', 'u', fields.author ?? ''), at, id);
      if (isPublic) m.zadd(k(appid, 'pics', 'public'), at, id);
      await m.exec();
      return id;
    },
    async getPicture(appid: string, id: string): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(k(appid, 'pic', id));
      return Object.keys(h).length ? h : null;
    },
    async deletePicture(appid: string, id: string, author: string): Promise<void> {
      await redis
        .multi()
        .del(k(appid, 'pic', id))
        .zrem(k(appid, 'pics'), id)
        .zrem(k(appid, 'pics', 'public'), id)
        .zrem(k(appid, 'pics', 'u', author), id)
        .exec();
    },
    async pagePictures(appid: string, index: string, offset: number, limit: number): Promise<{ total: number; ids: string[] }> {
      const [total, ids] = await Promise.all([redis.zcard(index), redis.zrevrange(index, offset, offset + limit - 1)]);
      return { total, ids };
    },
  };
}
