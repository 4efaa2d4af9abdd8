// Tencent live / recording callback authentication (VENDORS.md § callbacks):
// `t` is the expiry (unix seconds) and `sign = md5hex(callbackKey + t)`.
import { createHash } from 'node:crypto';
import { safeEqual } from '../../infra/passwords.js';
export function callbackSign(callbackKey, t) {
    return createHash('md5').update(`${callbackKey}${t}`).digest('hex');
}
/**
 * Checks the sign first (an attacker learns nothing about `t` handling without the
 * key), then that `t` is not in the past. Constant-time compare.
 */
export function verifyCallbackSign(callbackKey, t, sign, nowSeconds) {
    const tText = String(t);
    if (!/^\d{1,12}$/.test(tText))
        return { ok: false, reason: 'bad t' };
    if (!safeEqual(sign.toLowerCase(), callbackSign(callbackKey, tText)))
        return { ok: false, reason: 'bad sign' };
    if (Number(tText) < nowSeconds)
        return { ok: false, reason: 'expired' };
    return { ok: true };
}
//# sourceMappingURL=callback.js.map