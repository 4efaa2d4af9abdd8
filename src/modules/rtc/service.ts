// RTC credentials for the media cloud: Tencent UserSig (+ PrivateMapKey for one room),
// signed with the app's own SdkAppID and key, or the deployment's defaults.
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import { genPrivateMapKey, genUserSig } from '../../providers/tencent/usersig.js';
import type { AccountsService } from '../accounts/service.js';

export type RtcService = ReturnType<typeof createRtcService>;

export function createRtcService(core: Core, accounts: AccountsService) {
  async function tencentOf(appid: string): Promise<{ sdkAppId: number; key: string }> {
    const app = await accounts.getApp(appid);
    if (app.tencent) return { sdkAppId: app.tencent.sdkAppId, key: app.tencent.key };
    if (core.config.TENCENT_SDKAPPID && core.config.TENCENT_KEY) return { sdkAppId: core.config.TENCENT_SDKAPPID, key: core.config.TENCENT_KEY };
    throw new AppError('TENCENT_NOT_CONFIGURED', `app ${appid} has no Tencent sdkAppId/key and no TENCENT_SDKAPPID/TENCENT_KEY default is set`);
  }

  return {
    async userSig(appid: string, identifier: string, opts: { roomId?: number | string; privilege?: number; expire?: number } = {}) {
      const { sdkAppId, key } = await tencentOf(appid);
      const expireSeconds = opts.expire ?? core.config.USERSIG_EXPIRE_SECONDS;
      const now = Math.floor(Date.now() / 1000);
      const base = { sdkAppId, key, identifier, expireSeconds, now };
      return {
        userSig: genUserSig(base),
        sdkAppId,
        identifier,
        expire: expireSeconds,
        ...(opts.roomId !== undefined ? { privateMapKey: genPrivateMapKey({ ...base, room: opts.roomId, privilege: opts.privilege ?? 255 }) } : {}),
      };
    },
  };
}
