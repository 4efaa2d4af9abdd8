// The per-feature set of apps a periodic sweep visits (`sw:g:<feature>:apps`): an app is
// added after a script gives it work, and retired once it has none, so the sweep's cost
// follows the apps in use, not every app ever seen.
import type { RedisClient } from './redis.js';

export function createAppIndex(redis: RedisClient, key: string) {
  return {
    /** The app has work for the sweep (idempotent). */
    add: (appid: string) => redis.sadd(key, appid),
    /** Apps the sweep visits. */
    members: () => redis.smembers(key),
    /** Drops the app unless `busy`; re-adds it if it became busy meanwhile (its add raced the removal). */
    async retireIfIdle(appid: string, busy: () => Promise<boolean>): Promise<void> {
      if (await busy()) return;
      await redis.srem(key, appid);
      if (await busy()) await redis.sadd(key, appid);
    },
  };
}
