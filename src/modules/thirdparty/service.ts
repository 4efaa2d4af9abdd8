// Third-party users (seed 004 §3.1): an app's own user ids (thirdPartyId) mapped to
// platform users. A platform user is an ordinary accounts user whose id the server
// allocates (800001, 800002 … per app) and whose password is the one given at
// registration, so it logs in, opens sockets (web IM) and is revoked like any user.
// The app's backend manages them (add / rename / new password / delete) under a quota.
import type { Core } from '../../infra/core.js';
import { AppError, isAppError } from '../../infra/errors.js';
import { scriptErrorCode, scriptFailure } from '../../infra/lua.js';
import { THIRDPARTY_CODES } from './lua/codes.js';
import type { AccountsService } from '../accounts/service.js';
import type { SessionViewT } from '../accounts/schemas.js';
import { createThirdPartyStore } from './store.js';
import type { ThirdPartyUserT } from './schemas.js';

export type ThirdPartyService = ReturnType<typeof createThirdPartyService>;

export function createThirdPartyService(core: Core, accounts: AccountsService) {
  const store = createThirdPartyStore(core.redis, core.keys);

  async function quotaOf(appid: string): Promise<number> {
    return (await store.getQuota(appid)) ?? core.config.VTC_USER_QUOTA;
  }

  async function uidOf(appid: string, thirdPartyId: string): Promise<string> {
    const uid = await store.uidOf(appid, thirdPartyId);
    if (!uid) throw new AppError('THIRDPARTY_ID_NOT_FOUND', `no user with third-party id ${thirdPartyId}`);
    return uid;
  }

  return {
    /**
     * A new third-party user: reserves a platform id under the quota (one script), then
     * creates the platform user. A mapping whose user is missing (a node died in between)
     * is completed by the next registration of the same id.
     */
    async register(appid: string, thirdPartyId: string, password: string): Promise<ThirdPartyUserT> {
      await accounts.getApp(appid);
      for (let attempt = 0; attempt < 5; attempt++) {
        const r = await store.reserve(appid, thirdPartyId, await quotaOf(appid));
        const failed = scriptErrorCode(THIRDPARTY_CODES.tpReserve, r.code);
        if (failed === 'USER_QUOTA_EXCEEDED')
          throw new AppError(failed, `the app has reached its quota of ${await quotaOf(appid)} third-party users`);
        const uid = r.uid as string;
        // The id is reserved already: taken when its user exists, else a reservation left by a failed create.
        if (failed === 'THIRDPARTY_ID_EXISTS') {
          const user = await accounts.getUser(appid, uid).catch(() => null);
          if (user) throw new AppError('THIRDPARTY_ID_EXISTS', `third-party id ${thirdPartyId} exists`);
        }
        try {
          await accounts.createUserWithPassword(appid, { id: uid, name: thirdPartyId, role: 'user', profile: { thirdPartyId } }, password);
          await core.events.publish(appid, 'thirdparty.user.added', { thirdPartyId, userId: uid }, { orderKey: `tp:${uid}` });
          return { thirdPartyId, userId: uid };
        } catch (err) {
          // That platform id was taken by a user registered another way: give it back, take the next.
          if (!isAppError(err, 'USER_EXISTS')) throw err;
          if (r.code === 1) await store.remove(appid, thirdPartyId);
          else throw new AppError('THIRDPARTY_ID_EXISTS', `third-party id ${thirdPartyId} exists`);
        }
      }
      throw new AppError('INTERNAL', 'could not allocate a platform user id');
    },

    /** Logs the user in by third-party id and password: a session like /v1/auth/login. */
    async login(appid: string, thirdPartyId: string, password: string): Promise<SessionViewT & { userId: string; thirdPartyId: string }> {
      await accounts.getApp(appid);
      const uid = await uidOf(appid, thirdPartyId);
      const session = await accounts.login(appid, uid, password).catch((err: unknown) => {
        if (isAppError(err, 'USER_NOT_FOUND')) throw new AppError('THIRDPARTY_ID_NOT_FOUND', `no user with third-party id ${thirdPartyId}`);
        throw err;
      });
      return { ...session, userId: uid, thirdPartyId };
    },

    async get(appid: string, thirdPartyId: string): Promise<ThirdPartyUserT> {
      const uid = await uidOf(appid, thirdPartyId);
      const deviceId = await store.getDevice(appid, uid);
      return { thirdPartyId, userId: uid, ...(deviceId ? { deviceId } : {}) };
    },

    /** Exactly one of password / newId. */
    async modify(appid: string, thirdPartyId: string, change: { password?: string; newId?: string }): Promise<ThirdPartyUserT> {
      if ((change.password === undefined) === (change.newId === undefined))
        throw new AppError('VALIDATION_FAILED', 'give exactly one of password and newId');
      if (change.password !== undefined) {
        const uid = await uidOf(appid, thirdPartyId);
        await accounts.setPassword(appid, uid, change.password);
        await core.events.publish(appid, 'thirdparty.user.changed', { thirdPartyId, userId: uid, change: 'password' }, { orderKey: `tp:${uid}` });
        return { thirdPartyId, userId: uid };
      }
      const newId = change.newId as string;
      if (newId === thirdPartyId) return { thirdPartyId, userId: await uidOf(appid, thirdPartyId) };
      const r = await store.rename(appid, thirdPartyId, newId);
      if (typeof r === 'number')
        scriptFailure(THIRDPARTY_CODES.tpRename, r, {
          THIRDPARTY_ID_NOT_FOUND: `no user with third-party id ${thirdPartyId}`,
          THIRDPARTY_ID_EXISTS: `third-party id ${newId} exists`,
        });
      await core.events.publish(
        appid,
        'thirdparty.user.changed',
        { thirdPartyId: newId, previousId: thirdPartyId, userId: r, change: 'id' },
        { orderKey: `tp:${r}` },
      );
      return { thirdPartyId: newId, userId: r };
    },

    /** Deletes the user: sessions revoked, sockets closed, mapping and platform user removed. */
    async remove(appid: string, thirdPartyId: string): Promise<{ thirdPartyId: string; userId: string }> {
      const uid = await store.remove(appid, thirdPartyId);
      if (!uid) throw new AppError('THIRDPARTY_ID_NOT_FOUND', `no user with third-party id ${thirdPartyId}`);
      await accounts.deleteUser(appid, uid, 'the app deleted this user');
      await core.events.publish(appid, 'thirdparty.user.deleted', { thirdPartyId, userId: uid }, { orderKey: `tp:${uid}` });
      return { thirdPartyId, userId: uid };
    },

    async quota(appid: string): Promise<{ quota: number; own: boolean; users: number }> {
      await accounts.getApp(appid);
      const own = await store.getQuota(appid);
      return { quota: own ?? core.config.VTC_USER_QUOTA, own: own !== null, users: await store.count(appid) };
    },
    async setQuota(appid: string, quota: number | null) {
      await accounts.getApp(appid);
      await store.setQuota(appid, quota);
      return this.quota(appid);
    },

    /** The user's APNS device id (iPhone); null clears it. */
    async setDevice(appid: string, uid: string, deviceId: string | null): Promise<{ deviceId: string | null }> {
      await store.setDevice(appid, uid, deviceId);
      return { deviceId };
    },
    async getDevice(appid: string, uid: string): Promise<{ deviceId: string | null }> {
      return { deviceId: await store.getDevice(appid, uid) };
    },
    /** Device ids of several users, in order (null: none). */
    devicesOf: (appid: string, uids: string[]): Promise<Array<string | null>> => store.getDevices(appid, uids),
    /** Clears the device id if it is still `deviceId` (compare-and-delete); true when cleared. */
    clearDeviceIf: (appid: string, uid: string, deviceId: string): Promise<boolean> => store.clearDeviceIf(appid, uid, deviceId),
  };
}
