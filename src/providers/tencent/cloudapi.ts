// Tencent Cloud API v2 signature (VENDORS.md § Cloud API v2), used by the seed's
// `vod get_sign` and `vod cmd_proxy`. Pure: the caller supplies every parameter.
import { createHmac } from 'node:crypto';

export type CloudApiParams = Record<string, string | number>;
export type SignatureMethod = 'HmacSHA1' | 'HmacSHA256';

/** HmacSHA256 only when the params ask for it; HmacSHA1 is the API's default. */
export function signatureMethodOf(params: CloudApiParams): SignatureMethod {
  return params.SignatureMethod === 'HmacSHA256' ? 'HmacSHA256' : 'HmacSHA1';
}

/**
 * METHOD + host + path + `?` + params sorted by key (byte order of the keys as given,
 * like the PHP SDK's ksort), `k=v` joined by `&`, values raw, `_` in a key written as
 * `.`; `Signature` itself is left out.
 */
export function cloudApiSource(method: string, host: string, path: string, params: CloudApiParams): string {
  const keys = Object.keys(params).filter((k) => k !== 'Signature');
  keys.sort((a, b) => (a === b ? 0 : a < b ? -1 : 1)); // plain UTF-16 order = byte order for ASCII keys
  return `${method.toUpperCase()}${host}${path}?${keys.map((k) => `${k.replace(/_/g, '.')}=${params[k]}`).join('&')}`;
}

/** base64 signature, not URL-encoded (encode it when sending). */
export function cloudApiSign(
  secretKey: string,
  method: string,
  host: string,
  path: string,
  params: CloudApiParams,
): { signature: string; signatureMethod: SignatureMethod; source: string } {
  const signatureMethod = signatureMethodOf(params);
  const source = cloudApiSource(method, host, path, params);
  const signature = createHmac(signatureMethod === 'HmacSHA256' ? 'sha256' : 'sha1', secretKey)
    .update(source)
    .digest('base64');
  return { signature, signatureMethod, source };
}
