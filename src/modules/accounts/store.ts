// Redis layout of accounts:
//   sw:apps                      set of appids
//   sw:{app}:app                 hash: name, secret, prevSecret, prevSecretUntil, tencent(JSON), selfRegister, createdAt
//   sw:{app}:users               zset uid → createdAt
//   sw:{app}:user:<uid>          hash: id, role, name, profile(JSON), pwd(scrypt), createdAt
//   sw:{app}:sess:<sha256(tok)>  hash: uid, exp, [revoked]; kept SESSION_RETENTION past expiry
//                                so an expired token answers TOKEN_EXPIRED, not TOKEN_INVALID
//   sw:{app}:usess:<uid>         set of the user's token hashes
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';

/** How long an expired or revoked session is remembered, to name the reason. */
export const SESSION_RETENTION_SECONDS = 7 * 86400;

const scripts = loadScripts('modules/accounts', ['sbCreateIfAbsent', 'sbCreateHash', 'sbUpdateIfPresent', 'sbRevokeSession'] as const);

export type AccountsStore = ReturnType<typeof createAccountsStore>;

export function createAccountsStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const flatten = (fields: Record<string, string>) => Object.entries(fields).flat();

  return {
    async createApp(appid: string, fields: Record<string, string>): Promise<boolean> {
      // The app hash and its own index live in the app's slot; the global list of apps is
      // another slot, so it is added after (idempotent; an app missing from the list still works).
      const created = (await run('sbCreateHash', [keys.app(appid)], flatten(fields))) === 1;
      if (created) await redis.sadd(keys.apps(), appid);
      return created;
    },
    async getApp(appid: string): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(keys.app(appid));
      return Object.keys(h).length ? h : null;
    },
    async updateApp(appid: string, fields: Record<string, string>, remove: string[] = []): Promise<boolean> {
      const ok = Object.keys(fields).length
        ? (await run('sbUpdateIfPresent', [keys.app(appid)], flatten(fields))) === 1
        : (await redis.exists(keys.app(appid))) === 1;
      if (ok && remove.length) await redis.hdel(keys.app(appid), ...remove);
      return ok;
    },
    listAppIds: () => redis.smembers(keys.apps()),
    /** Global index sdkAppId → appid: the seed dialects address apps by their Tencent SdkAppID. */
    indexSdkAppId: (sdkAppId: number, appid: string) => redis.hset(keys.global('sdkappid'), String(sdkAppId), appid),
    unindexSdkAppId: (sdkAppId: number) => redis.hdel(keys.global('sdkappid'), String(sdkAppId)),
    appidBySdkAppId: (sdkAppId: number) => redis.hget(keys.global('sdkappid'), String(sdkAppId)),
    /** Every app with Tencent settings (the same index, its values). */
    appidsWithSdkAppId: () => redis.hvals(keys.global('sdkappid')),

    async createUser(appid: string, uid: string, fields: Record<string, string>, now: number): Promise<boolean> {
      return (await run('sbCreateIfAbsent', [keys.user(appid, uid), keys.users(appid)], [now, uid, ...flatten(fields)])) === 1;
    },
    async getUser(appid: string, uid: string): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(keys.user(appid, uid));
      return Object.keys(h).length ? h : null;
    },
    async updateUser(appid: string, uid: string, fields: Record<string, string>): Promise<boolean> {
      return (await run('sbUpdateIfPresent', [keys.user(appid, uid)], flatten(fields))) === 1;
    },
    async deleteUser(appid: string, uid: string): Promise<boolean> {
      const [[, n]] = (await redis.multi().del(keys.user(appid, uid)).zrem(keys.users(appid), uid).exec()) as [[unknown, number], [unknown, number]];
      return n === 1;
    },
    async listUserIds(appid: string, offset: number, limit: number): Promise<{ ids: string[]; total: number }> {
      const [ids, total] = await Promise.all([
        redis.zrange(keys.users(appid), String(offset), String(offset + limit - 1)),
        redis.zcard(keys.users(appid)),
      ]);
      return { ids, total };
    },

    async createSession(appid: string, uid: string, tokenHash: string, expiresAtMs: number): Promise<void> {
      const ttl = Math.ceil((expiresAtMs - Date.now()) / 1000) + SESSION_RETENTION_SECONDS;
      await redis
        .multi()
        .hset(keys.session(appid, tokenHash), 'uid', uid, 'exp', String(expiresAtMs))
        .expire(keys.session(appid, tokenHash), ttl)
        .sadd(keys.userSessions(appid, uid), tokenHash)
        .expire(keys.userSessions(appid, uid), ttl)
        .exec();
    },
    async getSession(appid: string, tokenHash: string): Promise<{ uid: string; exp: number; revoked: boolean } | null> {
      const h = await redis.hgetall(keys.session(appid, tokenHash));
      if (!h.uid || !h.exp) return null;
      return { uid: h.uid, exp: Number(h.exp), revoked: h.revoked === '1' };
    },
    /** 1 revoked now, -1 already revoked, 0 unknown. */
    async revokeSession(appid: string, uid: string, tokenHash: string): Promise<number> {
      return Number(await run('sbRevokeSession', [keys.session(appid, tokenHash), keys.userSessions(appid, uid)], [tokenHash]));
    },
    listUserSessions: (appid: string, uid: string) => redis.smembers(keys.userSessions(appid, uid)),
  };
}
