// Redis layout of push settings, in the app's slot:
//   sw:{app}:push:apns   hash: keyId, teamId, bundleId, key (PKCS#8 PEM), environment,
//                        host ('' none), rev (new random id at every write), updatedAt
// The device ids themselves are third-party users' (sw:{app}:tp:device, modules/thirdparty).
// `rev` is how worker processes notice a change made on another node: a cached provider
// whose rev differs from the stored one is closed and built again (service.ts).
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import type { ApnsSettings } from '../../providers/apns/index.js';

export type StoredApns = ApnsSettings & { rev: string; updatedAt: number };

export function createPushStore(redis: RedisClient, keys: Keys) {
  const k = (appid: string) => keys.scoped(appid, 'push', 'apns');
  return {
    async getApns(appid: string): Promise<StoredApns | null> {
      const h = await redis.hgetall(k(appid));
      if (!h.key) return null;
      return {
        keyId: h.keyId ?? '',
        teamId: h.teamId ?? '',
        bundleId: h.bundleId ?? '',
        key: h.key,
        environment: h.environment === 'production' ? 'production' : 'sandbox',
        host: h.host || null,
        rev: h.rev ?? '',
        updatedAt: Number(h.updatedAt ?? 0),
      };
    },
    /** Replaces the settings at once (DEL + HSET in one transaction: no half-written record). */
    async setApns(appid: string, s: ApnsSettings): Promise<StoredApns> {
      const stored: StoredApns = { ...s, host: s.host ?? null, rev: randomUUID(), updatedAt: Date.now() };
      const fields = {
        keyId: s.keyId,
        teamId: s.teamId,
        bundleId: s.bundleId,
        key: s.key,
        environment: s.environment,
        host: s.host ?? '',
        rev: stored.rev,
        updatedAt: String(stored.updatedAt),
      };
      await redis.multi().del(k(appid)).hset(k(appid), fields).exec();
      return stored;
    },
    async deleteApns(appid: string): Promise<boolean> {
      return (await redis.del(k(appid))) === 1;
    },
    /** The cheap check before enqueueing: one EXISTS. */
    async hasApns(appid: string): Promise<boolean> {
      return (await redis.exists(k(appid))) === 1;
    },
  };
}
