// The webhook carrier bridge: every command is POSTed as JSON to TELEPHONY_WEBHOOK_URL,
// signed, and must be answered 2xx (anything else throws, so the command job retries).
// The bridge reports call states back to POST /v1/telephony/callbacks, signed the same way.
//
// Signature (both directions): headers
//   x-switchboard-timestamp: <unix seconds>
//   x-switchboard-signature: v1=<lowercase hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
// The receiver recomputes it over the raw body, compares in constant time and refuses a
// timestamp further than TELEPHONY_CALLBACK_MAX_AGE_SECONDS from its clock (replays).
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../infra/errors.js';
import { OutboundError, outboundRequest } from '../../infra/outbound.js';
import { SIGNATURE_HEADER, signPayload } from '../../infra/signing.js';
import type { TelephonyCommand, TelephonyProvider } from './index.js';

export const TIMESTAMP_HEADER = 'x-switchboard-timestamp';

export const signBody = (secret: string, timestamp: number | string, body: string): string => `v1=${signPayload(secret, timestamp, body)}`;

/** Throws CALLBACK_SIGN_INVALID / CALLBACK_EXPIRED unless the raw body is signed by `secret` recently. */
export function verifySignedBody(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  maxAgeSeconds: number,
  nowMs = Date.now(),
): void {
  const ts = headers[TIMESTAMP_HEADER];
  const sig = headers[SIGNATURE_HEADER];
  if (typeof ts !== 'string' || !/^[0-9]{1,12}$/.test(ts) || typeof sig !== 'string')
    throw new AppError('CALLBACK_SIGN_INVALID', `${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} are required`);
  const expected = Buffer.from(signBody(secret, ts, body));
  const given = Buffer.from(sig.trim().toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new AppError('CALLBACK_SIGN_INVALID', 'the signature does not match the body');
  if (Math.abs(nowMs / 1000 - Number(ts)) > maxAgeSeconds)
    throw new AppError('CALLBACK_EXPIRED', `the timestamp is more than ${maxAgeSeconds} s away from the server's clock`);
}

/** The JSON body of a command as the bridge receives it. */
export function commandBody(cmd: TelephonyCommand): Record<string, unknown> {
  const { leg } = cmd;
  const base = { action: cmd.action, appid: leg.appid, confId: leg.confId, vid: leg.vid, callid: leg.callid };
  return cmd.action === 'dial' ? { ...base, number: cmd.number, ...(cmd.name ? { name: cmd.name } : {}) } : base;
}

export function createWebhookTelephony(o: { url: string; secret: string; timeoutMs: number }): TelephonyProvider {
  return {
    name: 'webhook',
    async execute(cmd) {
      const body = JSON.stringify(commandBody(cmd));
      const ts = Math.floor(Date.now() / 1000);
      let status: number;
      try {
        // TELEPHONY_WEBHOOK_URL is the operator's bridge: private addresses allowed. Its answer's body is not read.
        ({ status } = await outboundRequest(o.url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: signBody(o.secret, ts, body) },
          timeoutMs: o.timeoutMs,
          allowPrivate: true,
          maxResponseBytes: 65536,
          truncate: true,
        }));
      } catch (err) {
        if (!(err instanceof OutboundError)) throw err;
        throw new AppError('VENDOR_FAILED', `telephony webhook did not answer: ${err.kind === 'timeout' ? 'timeout' : 'unreachable'}`);
      }
      // 5xx and 429 are worth retrying; any other refusal too (the job's attempts bound it), but say which.
      if (status < 200 || status >= 300) throw new Error(`telephony webhook answered HTTP ${status} to ${cmd.action} ${cmd.leg.callid}`);
    },
  };
}
