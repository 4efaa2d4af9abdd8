// Tencent live / recording callback authentication (VENDORS.md § callbacks):
// `t` is the expiry (unix seconds) and `sign = md5hex(callbackKey + t)`.
import { createHash, timingSafeEqual } from 'node:crypto';

export function callbackSign(callbackKey: string, t: number | string): string {
  return createHash('md5').update(`${callbackKey}${t}`).digest('hex');
}

export type CallbackCheck = { ok: true } | { ok: false; reason: 'bad sign' | 'expired' | 'bad t' };

/**
 * Checks the sign first (an attacker learns nothing about `t` handling without the
 * key), then that `t` is not in the past. Constant-time compare.
 */
export function verifyCallbackSign(callbackKey: string, t: number | string, sign: string, nowSeconds: number): CallbackCheck {
  const tText = String(t);
  if (!/^\d{1,12}$/.test(tText)) return { ok: false, reason: 'bad t' };
  const want = Buffer.from(callbackSign(callbackKey, tText), 'utf8');
  const got = Buffer.from(sign.toLowerCase(), 'utf8');
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: 'bad sign' };
  if (Number(tText) < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true };
}
