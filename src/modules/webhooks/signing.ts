// Webhook signatures. Each request carries
//   x-switchboard-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// with a second v1 while a rotated-out secret is in its grace period. The key is the
// endpoint's whole secret string (`whsec_…`) as UTF-8. `verifyWebhook` is what a receiver
// in Node does (docs/webhooks.md shows it standalone).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { signPayload } from '../../infra/signing.js';

export { SIGNATURE_HEADER, signPayload } from '../../infra/signing.js';

export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** The header value for `body` signed at `timestamp` (seconds) with every secret given. */
export function signatureHeader(secrets: string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signPayload(s, timestamp, body)}`)].join(',');
}

/**
 * A receiver's check: some v1 matches the secret and t is within `toleranceSeconds` of
 * now (a replayed old request fails). `body` must be the raw bytes received, not re-serialised JSON.
 */
export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t)) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(secret, t, body), 'hex');
  return parts.some(([k, v]) => {
    if (k !== 'v1' || !v || !/^[0-9a-f]{64}$/.test(v)) return false;
    return timingSafeEqual(Buffer.from(v, 'hex'), expected);
  });
}
