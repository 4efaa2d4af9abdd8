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
};
export function createThirdPartyStore(redis, keys) {
    const run = defineScripts(redis, scripts);
    const k = (appid, part) => keys.scoped(appid, 'tp', part);
    return {
        async reserve(appid, thirdPartyId, quota) {
            const [code, uid] = (await run('tpReserve', [k(appid, 'ids'), k(appid, 'uids'), k(appid, 'seq')], [thirdPartyId, quota, VTC_UID_BASE]));
            return { code: code, ...(uid !== undefined ? { uid: String(uid) } : {}) };
        },
        async rename(appid, oldId, newId) {
            const r = (await run('tpRename', [k(appid, 'ids'), k(appid, 'uids')], [oldId, newId]));
            return r === -1 || r === -2 ? r : String(r);
        },
        async remove(appid, thirdPartyId) {
            const r = (await run('tpRemove', [k(appid, 'ids'), k(appid, 'uids'), k(appid, 'device')], [thirdPartyId]));
            return r ? String(r) : null;
        },
        uidOf: (appid, thirdPartyId) => redis.hget(k(appid, 'ids'), thirdPartyId),
        count: (appid) => redis.hlen(k(appid, 'ids')),
        async getQuota(appid) {
            const q = await redis.get(k(appid, 'quota'));
            return q === null ? null : Number(q);
        },
        async setQuota(appid, quota) {
            if (quota === null)
                await redis.del(k(appid, 'quota'));
            else
                await redis.set(k(appid, 'quota'), String(quota));
        },
        getDevice: (appid, uid) => redis.hget(k(appid, 'device'), uid),
        async setDevice(appid, uid, deviceId) {
            if (deviceId === null)
                await redis.hdel(k(appid, 'device'), uid);
            else
                await redis.hset(k(appid, 'device'), uid, deviceId);
        },
    };
}
//# sourceMappingURL=store.js.map