import { AppError } from '../../infra/errors.js';
import { genPrivateMapKey, genUserSig } from '../../providers/tencent/usersig.js';
export function createRtcService(core, accounts) {
    async function tencentOf(appid) {
        const app = await accounts.getApp(appid);
        if (app.tencent)
            return { sdkAppId: app.tencent.sdkAppId, key: app.tencent.key };
        if (core.config.TENCENT_SDKAPPID && core.config.TENCENT_KEY)
            return { sdkAppId: core.config.TENCENT_SDKAPPID, key: core.config.TENCENT_KEY };
        throw new AppError('TENCENT_NOT_CONFIGURED', `app ${appid} has no Tencent sdkAppId/key and no TENCENT_SDKAPPID/TENCENT_KEY default is set`);
    }
    return {
        async userSig(appid, identifier, opts = {}) {
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
//# sourceMappingURL=service.js.map