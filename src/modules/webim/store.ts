// Redis layout of web IM (seed 004 §3.2.2), in the app's slot:
//   sw:{app}:im:subs:<uid>     set: users subscribed to uid's presence
//   sw:{app}:im:follows:<uid>  set: users whose presence uid receives
//   sw:{app}:im:status         hash uid → JSON {status, at} (the last status; dropped at the last socket's close)
//   sw:{app}:im:offline:<uid>  list of JSON messages kept while uid had no socket (newest first, capped)
//   sw:{app}:im:socks:<uid>    set of the user's open socket ids (any node): keys.userSockets, written
//                              by the gateway's session registry (infra/sessions.ts) on connect
//   sw:{app}:im:online         hash uid → 1 while the user has a socket (keys.online; set on connect by
//                              the registry): flipped back once per going offline, here
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';
import type { ProbeItem } from '../../infra/sessions.js';

const scripts = loadScripts('modules/webim', ['imDrain', 'imSocketClosed', 'imForceOffline'] as const);

export function createWebImStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const k = (appid: string, ...parts: string[]) => keys.scoped(appid, 'im', ...parts);
  return {
    async subscribe(appid: string, follower: string, target: string): Promise<void> {
      await redis
        .multi()
        .sadd(k(appid, 'subs', target), follower)
        .sadd(k(appid, 'follows', follower), target)
        .exec();
    },
    async unsubscribe(appid: string, follower: string, target: string): Promise<boolean> {
      const r = (await redis
        .multi()
        .srem(k(appid, 'subs', target), follower)
        .srem(k(appid, 'follows', follower), target)
        .exec()) as [[unknown, number], [unknown, number]];
      return r[0][1] === 1;
    },
    subscribers: (appid: string, uid: string) => redis.smembers(k(appid, 'subs', uid)),
    hasSubscribers: async (appid: string, uid: string) => (await redis.scard(k(appid, 'subs', uid))) > 0,
    following: (appid: string, uid: string) => redis.smembers(k(appid, 'follows', uid)),
    async setStatus(appid: string, uid: string, status: string, at: number): Promise<void> {
      await redis.hset(k(appid, 'status'), uid, JSON.stringify({ status, at }));
    },
    async getStatus(appid: string, uid: string): Promise<{ status: string; at: number } | null> {
      const v = await redis.hget(k(appid, 'status'), uid);
      return v ? (JSON.parse(v) as { status: string; at: number }) : null;
    },
    clearStatus: (appid: string, uid: string) => redis.hdel(k(appid, 'status'), uid),
    async keep(appid: string, uid: string, message: string, max: number, ttlSeconds: number): Promise<void> {
      const key = k(appid, 'offline', uid);
      await redis
        .multi()
        .lpush(key, message)
        .ltrim(key, 0, max - 1)
        .expire(key, ttlSeconds)
        .exec();
    },
    /** Who went offline is decided here, atomically, not by racing node-local counts (the gateway's registry adds sockets: infra/sessions.ts). */
    async socketClosed(appid: string, uid: string, socketId: string): Promise<number> {
      return Number(await run('imSocketClosed', [keys.userSockets(appid, uid), keys.online(appid)], [socketId, uid]));
    },
    async forceOffline(appid: string, uid: string): Promise<boolean> {
      return Number(await run('imForceOffline', [keys.userSockets(appid, uid), keys.online(appid)], [uid])) === 1;
    },
    /** What session.snapshot reads: the messages kept while the user was away. */
    probe: (appid: string, uid: string): ProbeItem[] => [{ key: k(appid, 'offline', uid) }],
    async drain(appid: string, uid: string): Promise<string[]> {
      return (await run('imDrain', [k(appid, 'offline', uid)], [])) as string[];
    },
  };
}
