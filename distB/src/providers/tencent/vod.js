// Tencent VOD client upload signature (VENDORS.md § VOD client upload), the seed's
// `vod get_client_sign`. Pure: time and randomness are inputs.
import { stringify } from 'node:querystring';
import { sealV4 } from './cos.js';
/** The vendor refuses signatures living longer than 90 days. */
export const VOD_SIGN_MAX_LIFETIME = 7776000;
/** `secretId, currentTimeStamp, expireTime, random[, extra…]` as a URL-encoded query string. */
export function vodClientOriginal(i) {
    if (!(i.lifetime > 0 && i.lifetime <= VOD_SIGN_MAX_LIFETIME))
        throw new RangeError(`VOD signature lifetime must be 1..${VOD_SIGN_MAX_LIFETIME} s`);
    // node:querystring encodes like the vendor's own Node sample (space as %20, not +).
    return stringify({ secretId: i.secretId, currentTimeStamp: i.now, expireTime: i.now + i.lifetime, random: i.random, ...i.extra });
}
/** base64(HMAC-SHA1(SecretKey, original) ‖ original) */
export function vodClientSign(i) {
    return sealV4(i.secretKey, vodClientOriginal(i));
}
//# sourceMappingURL=vod.js.map