// Redis layout of third-party users (seed 004), all in the app's slot:
//   sw:{app}:tp:ids      hash thirdPartyId → platform user id
//   sw:{app}:tp:uids     hash platform user id → thirdPartyId
//   sw:{app}:tp:seq      counter of platform user ids (ids are VTC_UID_BASE + n)
//   sw:{app}:tp:quota    the app's own user quota (absent: VTC_USER_QUOTA)
//   sw:{app}:tp:device   hash platform user id → APNS device id
// The platform user itself is an ordinary accounts user (password, sessions, sockets).
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';

/** Platform user ids look like the seed's (800101, 805076): a base plus a per-app counter. */
export const VTC_UID_BASE = 800000;

const scripts = {
  // Reserves a platform id for a new third-party id, under the quota.
  // KEYS: ids, uids, seq. ARGV: thirdPartyId, quota, base. → {1, uid} | {-1, uid} exists | {-2} quota
  tpReserve: {
    keys: 3,
    lua: `
      local existing = redis.call('HGET', KEYS[1], ARGV[1])
      if existing then return {-1, existing} end
      if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[2]) then return {-2} end
      local uid = tostring(tonumber(ARGV[3]) + redis.call('INCR', KEYS[3]))
      redis.call('HSET', KEYS[1], ARGV[1], uid)
      redis.call('HSET', KEYS[2], uid, ARGV[1])
      return {1, uid}`,
  },
  // Renames a third-party id. KEYS: ids, uids. ARGV: old, new. → uid | -1 no old | -2 new taken
  tpRename: {
    keys: 2,
    lua: `
      local uid = redis.call('HGET', KEYS[1], ARGV[1])
      if not uid then return -1 end
      if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then return -2 end
      redis.call('HDEL', KEYS[1], ARGV[1])
      redis.call('HSET', KEYS[1], ARGV[2], uid)
      redis.call('HSET', KEYS[2], uid, ARGV[2])
      return uid`,
  },
  // Removes a third-party id and what hangs on it. KEYS: ids, uids, device. ARGV: thirdPartyId → uid | false
  tpRemove: {
    keys: 3,
    lua: `
      local uid = redis.call('HGET', KEYS[1], ARGV[1])
      if not uid then return false end
      redis.call('HDEL', KEYS[1], ARGV[1])
      redis.call('HDEL', KEYS[2], uid)
      redis.call('HDEL', KEYS[3], uid)
      return uid`,
  },
  // Clears a device id only if it is still the one given: APNs said a token is dead, and a
  // new one stored since (updateDeviceid.do racing the push) must survive.
  // KEYS: device. ARGV: uid, deviceId → 1 cleared | 0 not that one (or none)
  tpClearDeviceIf: {
    keys: 1,
    lua: `
      if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
      return redis.call('HDEL', KEYS[1], ARGV[1])`,
  },
} as const;

export type ThirdPartyStore = ReturnType<typeof createThirdPartyStore>;

export function createThirdPartyStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const k = (appid: string, part: string) => keys.scoped(appid, 'tp', part);
  return {
    async reserve(appid: string, thirdPartyId: string, quota: number): Promise<{ code: 1 | -1 | -2; uid?: string }> {
      const [code, uid] = (await run('tpReserve', [k(appid, 'ids'), k(appid, 'uids'), k(appid, 'seq')], [thirdPartyId, quota, VTC_UID_BASE])) as [
        number,
        string?,
      ];
      return { code: code as 1 | -1 | -2, ...(uid !== undefined ? { uid: String(uid) } : {}) };
    },
    async rename(appid: string, oldId: string, newId: string): Promise<string | -1 | -2> {
      const r = (await run('tpRename', [k(appid, 'ids'), k(appid, 'uids')], [oldId, newId])) as string | number;
      return r === -1 || r === -2 ? r : String(r);
    },
    async remove(appid: string, thirdPartyId: string): Promise<string | null> {
      const r = (await run('tpRemove', [k(appid, 'ids'), k(appid, 'uids'), k(appid, 'device')], [thirdPartyId])) as string | null;
      return r ? String(r) : null;
    },
    uidOf: (appid: string, thirdPartyId: string) => redis.hget(k(appid, 'ids'), thirdPartyId),
    count: (appid: string) => redis.hlen(k(appid, 'ids')),
    async getQuota(appid: string): Promise<number | null> {
      const q = await redis.get(k(appid, 'quota'));
      return q === null ? null : Number(q);
    },
    async setQuota(appid: string, quota: number | null): Promise<void> {
      if (quota === null) await redis.del(k(appid, 'quota'));
      else await redis.set(k(appid, 'quota'), String(quota));
    },
    getDevice: (appid: string, uid: string) => redis.hget(k(appid, 'device'), uid),
    /** The device ids of several users in one read (null where none). */
    getDevices: (appid: string, uids: string[]) => (uids.length ? redis.hmget(k(appid, 'device'), ...uids) : Promise.resolve([])),
    async clearDeviceIf(appid: string, uid: string, deviceId: string): Promise<boolean> {
      return Number(await run('tpClearDeviceIf', [k(appid, 'device')], [uid, deviceId])) === 1;
    },
    async setDevice(appid: string, uid: string, deviceId: string | null): Promise<void> {
      if (deviceId === null) await redis.hdel(k(appid, 'device'), uid);
      else await redis.hset(k(appid, 'device'), uid, deviceId);
    },
  };
}
