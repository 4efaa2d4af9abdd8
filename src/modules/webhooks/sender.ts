// One webhook POST through the outbound client (infra/outbound.ts): a total deadline,
// redirects never followed (a 3xx is a failed attempt), and — unless
// WEBHOOK_ALLOW_PRIVATE_URLS — no connection to a non-public address, checked on the
// address actually connected to. The response body is read and discarded (at most 64 KiB).
import { OutboundError, outboundRequest } from '../../infra/outbound.js';

const MAX_READ_BYTES = 65536;

export interface SendResult {
  ok: boolean;
  /** HTTP status, when an answer came. */
  status: number | null;
  /** Why it failed (status text, timeout, refused …). */
  error: string;
}

export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  try {
    const res = await outboundRequest(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      body,
      timeoutMs: opts.timeoutMs,
      allowPrivate: opts.allowPrivate,
      maxResponseBytes: MAX_READ_BYTES,
      truncate: true,
    });
    const { status } = res;
    if (status >= 200 && status < 300) return { ok: true, status, error: '' };
    if (status >= 300 && status < 400) return { ok: false, status, error: `redirect to ${String(res.headers.location ?? '?')} not followed` };
    return { ok: false, status, error: `HTTP ${status}` };
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    // The dead-letter text keeps the system code in front (ECONNREFUSED: …, EPRIVATEADDRESS: …).
    return { ok: false, status: null, error: err.code ? `${err.code}: ${err.message}` : err.message };
  }
}
