// Apple Push Notification service (APNs) through @parse/node-apn: HTTP/2 (node:http2), token
// auth (an ES256 JWT with kid = key id, iss = team id, signed by the app's .p8 key and renewed
// by the library before its hour runs out). One provider holds one HTTP/2 connection to
// APNs for one app's settings; src/modules/push/service.ts caches them per app.
//
// The library's own resend loop is turned off (connectionRetryLimit 0): a notification the
// APNs did not take is retried by the `push/send` job, with BullMQ's backoff, so a retry
// survives a worker restart and shows in the queue. Each answer is classified here
// (classifyApnsAnswer) into what the job does with it.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { Notification, Provider } from '@parse/node-apn';

/** Apple's limit for an alert's JSON payload (bytes). */
export const APNS_MAX_PAYLOAD_BYTES = 4096;
export const APNS_HOSTS = { production: 'api.push.apple.com', sandbox: 'api.sandbox.push.apple.com' } as const;

export interface ApnsSettings {
  keyId: string;
  teamId: string;
  /** The app's bundle id: the apns-topic of alert pushes. */
  bundleId: string;
  /** The .p8 key (PEM, PKCS#8 EC P-256). */
  key: string;
  environment: 'production' | 'sandbox';
  /** host or host:port in place of Apple's (a proxy; the tests' stand-in). */
  host?: string | null;
}

export interface ApnsNotification {
  deviceToken: string;
  payload: Record<string, unknown>;
  topic: string;
  /** Unix seconds: APNs keeps trying to reach the device until then. */
  expiration: number;
  /** At most 64 bytes: notifications with the same one replace each other on the device. */
  collapseId?: string;
}

/**
 * What an answer means for the job:
 *   sent          200: done
 *   unregistered  410, or 400 BadDeviceToken: the token is dead; clear it, done
 *   auth          403 provider-token problems (InvalidProviderToken, ExpiredProviderToken …):
 *                 the app's settings are wrong (or the clock is): no retry helps but Expired,
 *                 which the library answers by signing a new token — that one is retried
 *   rejected      any other 4xx (BadTopic, PayloadTooLarge, TopicDisallowed …): final
 *   retry         429, 5xx, no answer (network, timeout, TLS): try again later
 */
export type ApnsOutcome = 'sent' | 'unregistered' | 'auth' | 'rejected' | 'retry';
export interface ApnsResult {
  outcome: ApnsOutcome;
  status?: number;
  reason?: string;
  /** `auth` answers that a new token may fix (ExpiredProviderToken). */
  retryable?: boolean;
}

export function classifyApnsAnswer(status: number | undefined, reason: string | undefined): ApnsResult {
  const r = { ...(status !== undefined ? { status } : {}), ...(reason ? { reason } : {}) };
  if (status === 200) return { outcome: 'sent', ...r };
  if (status === 410 || (status === 400 && (reason === 'BadDeviceToken' || reason === 'Unregistered'))) return { outcome: 'unregistered', ...r };
  if (status === 403) return { outcome: 'auth', ...r, retryable: reason === 'ExpiredProviderToken' };
  if (status === undefined || status === 429 || status >= 500) return { outcome: 'retry', ...r };
  return { outcome: 'rejected', ...r };
}

/**
 * The APNs signing key, checked: a PEM private key on P-256 (what ES256 signs with; Apple's
 * .p8 files are PKCS#8 "BEGIN PRIVATE KEY"). Throws an Error saying what is wrong with it.
 */
export function parseApnsKey(pem: string): KeyObject {
  if (!/-----BEGIN (EC )?PRIVATE KEY-----/.test(pem)) {
    throw new Error(
      /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem)
        ? 'the key is encrypted: give the .p8 file as Apple issues it (unencrypted)'
        : 'not a PEM private key: give the .p8 file\'s text, "-----BEGIN PRIVATE KEY-----" … "-----END PRIVATE KEY-----"',
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new Error(`the PEM does not parse as a private key (${(err as Error).message})`, { cause: err });
  }
  if (key.asymmetricKeyType !== 'ec')
    throw new Error(`a ${key.asymmetricKeyType ?? 'non-EC'} key: APNs token auth needs the EC P-256 key of a .p8 file`);
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve !== 'prime256v1') throw new Error(`an EC key on ${curve ?? 'an unknown curve'}: APNs (ES256) needs P-256 (prime256v1)`);
  return key;
}

/** The key as stored: PKCS#8 PEM whatever form it came in (SEC1 "EC PRIVATE KEY" too). */
export function normaliseApnsKey(pem: string): string {
  return parseApnsKey(pem).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** What identifies a key without showing it: sha256 of its public half (DER). */
export function apnsKeyFingerprint(pem: string): string {
  const der = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** Cuts `s` to at most `max` code points (never half a surrogate pair), with … when cut. */
export function clip(s: string, max: number): string {
  const cps = Array.from(s);
  return cps.length <= max ? s : `${cps.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * The JSON of an alert push: `aps` (alert title/body, sound, thread-id) and the custom keys.
 * The body is shortened (…) until the whole JSON fits in `maxBytes` — UTF-8 bytes after JSON
 * escaping, which is what APNs counts.
 */
export function buildAlertPayload(
  input: { title?: string; body: string; sound?: string; threadId?: string; custom: Record<string, string | number> },
  maxBytes = APNS_MAX_PAYLOAD_BYTES,
): Record<string, unknown> {
  const make = (body: string) => ({
    aps: {
      alert: { ...(input.title ? { title: input.title } : {}), body },
      ...(input.sound ? { sound: input.sound } : {}),
      ...(input.threadId ? { 'thread-id': input.threadId } : {}),
    },
    ...input.custom,
  });
  const cps = Array.from(input.body);
  let payload = make(input.body);
  for (let size = Buffer.byteLength(JSON.stringify(payload)); size > maxBytes; size = Buffer.byteLength(JSON.stringify(payload))) {
    if (cps.length === 0) throw new Error('the push payload is too large even without a body');
    // Drop code points from the end until their bytes (as escaped in JSON) cover the excess
    // and the ellipsis' three; the loop checks again (the first cut adds the ellipsis).
    for (let drop = size - maxBytes + 3; drop > 0 && cps.length > 0;) drop -= Buffer.byteLength(JSON.stringify(cps.pop())) - 2;
    payload = make(`${cps.join('')}…`);
  }
  return payload;
}

export interface ApnsProvider {
  send(n: ApnsNotification): Promise<ApnsResult>;
  /** Closes the HTTP/2 connection (waits for the requests in flight). */
  close(): Promise<void>;
}

type SendFailure = { status?: number; response?: { reason?: string }; error?: Error };

export function createApnsProvider(settings: ApnsSettings, opts: { requestTimeoutMs: number; extraCa?: string }): ApnsProvider {
  const [address, port] = settings.host ? splitHost(settings.host) : [APNS_HOSTS[settings.environment], 443];
  const provider = new Provider({
    // A Buffer, never a string: the library reads a string that is not PEM as a file path.
    token: { key: Buffer.from(settings.key), keyId: settings.keyId, teamId: settings.teamId },
    production: settings.environment === 'production',
    address,
    port,
    // `ca` replaces Node's bundled roots: keep them and add the deployment's (APNS_CA_FILE).
    ...(opts.extraCa ? { ca: [...rootCertificates, opts.extraCa] } : {}),
    connectionRetryLimit: 0,
    requestTimeout: opts.requestTimeoutMs,
  });
  return {
    async send(n) {
      const note = new Notification();
      note.rawPayload = n.payload;
      note.topic = n.topic;
      note.pushType = 'alert';
      note.priority = 10;
      note.expiry = n.expiration;
      if (n.collapseId) note.collapseId = n.collapseId;
      // Tokens are hex; anything else a user stored must not bend the request path.
      const r = await provider.send(note, encodeURIComponent(n.deviceToken));
      if (r.sent.length > 0) return { outcome: 'sent', status: 200 };
      const f = (r.failed[0] ?? {}) as SendFailure;
      // The library folds some answers into an Error (403 ExpiredProviderToken, 500
      // InternalServerError): its message is then the reason.
      const reason = f.response?.reason ?? (f.status !== undefined ? f.error?.message : undefined) ?? undefined;
      const result = classifyApnsAnswer(f.status, reason);
      return f.status === undefined && f.error ? { ...result, reason: f.error.message } : result;
    },
    // Provider.shutdown does not return the client's promise: wait for its callback.
    close: () => new Promise<void>((resolve) => void provider.shutdown(() => resolve())),
  };
}

function splitHost(host: string): [string, number] {
  const m = /^(.*?)(?::(\d{1,5}))?$/.exec(host)!;
  return [m[1]!, m[2] ? Number(m[2]) : 443];
}
