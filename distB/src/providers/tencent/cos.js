// Tencent COS signatures (VENDORS.md § COS v4): the v4 "sign" the seed's
// `cos get_sign` returns, multi-effect and single-effect, and the v5 XML-API
// Authorization current COS clients send. Pure functions: time and randomness are
// inputs so tests can compare byte for byte with `cos-nodejs-sdk-v5`.
import { createHash, createHmac } from 'node:crypto';
/** A v5 bucket name is `<name>-<APPID>`; v4 signs the two parts separately. */
export function splitBucket(bucket) {
    const m = /^(.+)-(\d+)$/.exec(bucket);
    return m ? { name: m[1], appId: m[2] } : null;
}
/** `/<appid>/<bucket>/<path>`, every character of the path but `/` URL-encoded. */
export function cosV4FileId(appId, bucket, path) {
    const key = path.replace(/^\/+/, '');
    return `/${appId}/${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
}
/** sign = base64(HMAC-SHA1(SecretKey, original) ‖ original) (COS V4; VOD's client sign too). */
export function sealV4(secretKey, original) {
    const mac = createHmac('sha1', secretKey).update(original).digest();
    return Buffer.concat([mac, Buffer.from(original, 'utf8')]).toString('base64');
}
// Field order is free (the original travels inside the sign); this is the order of
// cos-nodejs-sdk-v5's getV4Auth, so our output can be compared with it byte for byte.
function originalV4(i, expiresAt, fileId) {
    return `a=${i.appId}&b=${i.bucket}&k=${i.secretId}&t=${i.now}&e=${expiresAt}&r=${i.random}&f=${fileId}`;
}
/**
 * Multi-effect (多次) signature: valid for any file of the bucket until `expiresAt`
 * (must be later than `now`). `path` optionally binds it to one file, as the v5 SDK's
 * getV4Auth does; the classic multi-effect sign leaves `f` empty.
 */
export function cosV4MultiSign(i) {
    if (!(i.expiresAt > i.now))
        throw new RangeError('a multi-effect COS signature needs expiresAt > now');
    return sealV4(i.secretKey, originalV4(i, i.expiresAt, i.path === undefined ? '' : cosV4FileId(i.appId, i.bucket, i.path)));
}
/** Single-effect (单次) signature: e=0, bound to one file (deleting/overwriting it once). */
export function cosV4SingleSign(i) {
    if (!i.path)
        throw new RangeError('a single-effect COS signature needs a file path');
    return sealV4(i.secretKey, originalV4(i, 0, cosV4FileId(i.appId, i.bucket, i.path)));
}
/** Splits a v4 sign into its MAC and original fields (for verification and tests). */
export function decodeCosV4Sign(sign) {
    const raw = Buffer.from(sign, 'base64');
    const original = raw.subarray(20).toString('utf8');
    const fields = {};
    for (const part of original.split('&')) {
        const i = part.indexOf('=');
        if (i > 0)
            fields[part.slice(0, i)] = part.slice(i + 1);
    }
    return { mac: raw.subarray(0, 20), original, fields };
}
// ── v5 (XML API) Authorization ──────────────────────────────────────────────────
/** COS's URL encoding: encodeURIComponent plus !'()* escaped. */
function camSafeUrlEncode(s) {
    return encodeURIComponent(s).replace(/!/g, '%21').replace(/'/g, '%27').replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\*/g, '%2A');
}
/** Lower-cased, encoded keys sorted; `k=v` pairs of the same order, values encoded. */
function canonical(obj) {
    const entries = Object.entries(obj).map(([k, v]) => [camSafeUrlEncode(k).toLowerCase(), camSafeUrlEncode(v)]);
    entries.sort(([a], [b]) => (a === b ? 0 : a > b ? 1 : -1));
    return { list: entries.map(([k]) => k).join(';'), str: entries.map(([k, v]) => `${k}=${v}`).join('&') };
}
/** `q-sign-algorithm=sha1&q-ak=…&q-sign-time=…&q-key-time=…&q-header-list=…&q-url-param-list=…&q-signature=…` */
export function cosV5Authorization(i) {
    const keyTime = `${i.start};${i.end}`;
    const q = canonical(i.query ?? {});
    const h = canonical(i.headers ?? {});
    const signKey = createHmac('sha1', i.secretKey).update(keyTime).digest('hex');
    const formatString = [i.method.toLowerCase(), i.pathname, q.str, h.str, ''].join('\n');
    const stringToSign = ['sha1', keyTime, createHash('sha1').update(formatString, 'utf8').digest('hex'), ''].join('\n');
    const signature = createHmac('sha1', signKey).update(stringToSign).digest('hex');
    return [
        'q-sign-algorithm=sha1',
        `q-ak=${i.secretId}`,
        `q-sign-time=${keyTime}`,
        `q-key-time=${keyTime}`,
        `q-header-list=${h.list}`,
        `q-url-param-list=${q.list}`,
        `q-signature=${signature}`,
    ].join('&');
}
//# sourceMappingURL=cos.js.map