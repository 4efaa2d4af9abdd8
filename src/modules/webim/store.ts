// Redis layout of web IM (seed 004 §3.2.2), in the app's slot:
//   sw:{app}:im:subs:<uid>     set: users subscribed to uid's presence
//   sw:{app}:im:follows:<uid>  set: users whose presence uid receives
//   sw:{app}:im:status         hash uid → JSON {status, at} (the last status; dropped at the last socket's close)
//   sw:{app}:im:offline:<uid>  list of JSON messages kept while uid had no socket (newest first, capped)
import type { Redis } from 'ioredis';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';

const scripts = {
  // Takes every kept message at once (nothing delivered twice by two connecting sockets).
  // KEYS: offline list → the JSON entries, newest first
  imDrain: {
    keys: 1,
    lua: `
      local all = redis.call('LRANGE', KEYS[1], 0, -1)
      redis.call('DEL', KEYS[1])
      return all`,
  },
} as const;

export function createWebImStore(redis: Redis, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const k = (appid: string, ...parts: string[]) => keys.scoped(appid, 'im', ...parts);
  return {
    async subscribe(appid: string, follower: string, target: string): Promise<void> {
      await redis.multi().sadd(k(appid, 'subs', target), follower).sadd(k(appid, 'follows', follower), target).exec();
    },
    async unsubscribe(appid: string, follower: string, target: string): Promise<boolean> {
      const r = (await redis.multi().srem(k(appid, 'subs', target), follower).srem(k(appid, 'follows', follower), target).exec()) as [[unknown, number], [unknown, number]];
      return r[0][1] === 1;
    },
    subscribers: (appid: string, uid: string) => redis.smembers(k(appid, 'subs', uid)),
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
      await redis.multi().lpush(key, message).ltrim(key, 0, max - 1).expire(key, ttlSeconds).exec();
    },
    async drain(appid: string, uid: string): Promise<string[]> {
      return (await run('imDrain', [k(appid, 'offline', uid)], [])) as string[];
    },
  };
}
