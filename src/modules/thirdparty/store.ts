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
import { loadScripts } from '../../infra/lua.js';

/** Platform user ids look like the seed's (800101, 805076): a base plus a per-app counter. */
export const VTC_UID_BASE = 800000;

const scripts = loadScripts('modules/thirdparty', ['tpReserve', 'tpRename', 'tpRemove', 'tpClearDeviceIf'] as const);

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
