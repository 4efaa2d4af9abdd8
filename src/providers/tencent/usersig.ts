// Tencent TLSSigAPIv2 UserSig and PrivateMapKey (VENDORS.md § UserSig).
// Byte-for-byte the official algorithm; tested against the `tls-sig-api-v2` package.
import { createHmac } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { safeEqual } from '../../infra/passwords.js';

export interface UserSigInput {
  sdkAppId: number;
  key: string;
  identifier: string;
  expireSeconds: number;
  /** unix seconds; defaults to now */
  now?: number;
}

export interface PrivateMapKeyInput extends UserSigInput {
  /** numeric room id (0 when using a string room id) or a string room id */
  room: number | string;
  /** privilege bitmap: 1 create, 2 enter, 4 send audio, 8 recv audio, 16 send video, 32 recv video, 64 send sub, 128 recv sub; 255 = all */
  privilege: number;
}

function hmacBase64(key: string, identifier: string, sdkAppId: number, time: number, expire: number, userbuf?: string): string {
  let content = `TLS.identifier:${identifier}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
  if (userbuf !== undefined) content += `TLS.userbuf:${userbuf}\n`;
  // The key is used as its UTF-8 bytes, not hex-decoded (VENDORS.md).
  return createHmac('sha256', key).update(content).digest('base64');
}

/** base64 with the URL-safe swap Tencent uses: + → *, / → -, = → _ */
function escape(b64: string): string {
  return b64.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}
function unescape(s: string): string {
  return s.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
}

function encode(fields: Record<string, string | number>): string {
  return escape(deflateSync(Buffer.from(JSON.stringify(fields))).toString('base64'));
}

function build(input: UserSigInput, userbuf?: string): string {
  const time = input.now ?? Math.floor(Date.now() / 1000);
  const fields: Record<string, string | number> = {
    'TLS.ver': '2.0',
    'TLS.identifier': input.identifier,
    'TLS.sdkappid': input.sdkAppId,
    'TLS.time': time,
    'TLS.expire': input.expireSeconds,
  };
  if (userbuf !== undefined) fields['TLS.userbuf'] = userbuf;
  fields['TLS.sig'] = hmacBase64(input.key, input.identifier, input.sdkAppId, time, input.expireSeconds, userbuf);
  return encode(fields);
}

export function genUserSig(input: UserSigInput): string {
  return build(input);
}

/** The binary userbuf of a PrivateMapKey, big-endian, base64 (VENDORS.md layout). */
export function buildUserBuf(input: PrivateMapKeyInput): string {
  const time = input.now ?? Math.floor(Date.now() / 1000);
  const account = Buffer.from(input.identifier, 'utf8');
  const stringRoom = typeof input.room === 'string' ? Buffer.from(input.room, 'utf8') : null;
  const size = 1 + 2 + account.length + 4 * 5 + (stringRoom ? 2 + stringRoom.length : 0);
  const buf = Buffer.alloc(size);
  let o = 0;
  o = buf.writeUInt8(stringRoom ? 1 : 0, o);
  o = buf.writeUInt16BE(account.length, o);
  o += account.copy(buf, o);
  o = buf.writeUInt32BE(input.sdkAppId >>> 0, o);
  o = buf.writeUInt32BE(typeof input.room === 'number' ? input.room >>> 0 : 0, o);
  o = buf.writeUInt32BE((time + input.expireSeconds) >>> 0, o);
  o = buf.writeUInt32BE(input.privilege >>> 0, o);
  o = buf.writeUInt32BE(0, o); // accountType
  if (stringRoom) {
    o = buf.writeUInt16BE(stringRoom.length, o);
    stringRoom.copy(buf, o);
  }
  return buf.toString('base64');
}

export function genPrivateMapKey(input: PrivateMapKeyInput): string {
  return build(input, buildUserBuf(input));
}

export interface DecodedUserSig {
  identifier: string;
  sdkAppId: number;
  time: number;
  expire: number;
  userbuf?: string;
  sig: string;
}

export function decodeUserSig(sig: string): DecodedUserSig {
  const json = JSON.parse(inflateSync(Buffer.from(unescape(sig), 'base64')).toString('utf8')) as Record<string, unknown>;
  return {
    identifier: String(json['TLS.identifier']),
    sdkAppId: Number(json['TLS.sdkappid']),
    time: Number(json['TLS.time']),
    expire: Number(json['TLS.expire']),
    ...(json['TLS.userbuf'] !== undefined ? { userbuf: String(json['TLS.userbuf']) } : {}),
    sig: String(json['TLS.sig']),
  };
}

/** Verifies a UserSig/PrivateMapKey: fields, expiry and HMAC (constant time). */
export function verifyUserSig(
  sig: string,
  expected: { sdkAppId: number; key: string; identifier: string; now?: number },
): { ok: true; decoded: DecodedUserSig } | { ok: false; reason: string } {
  let d: DecodedUserSig;
  try {
    d = decodeUserSig(sig);
  } catch {
    return { ok: false, reason: 'not a UserSig' };
  }
  if (d.sdkAppId !== expected.sdkAppId) return { ok: false, reason: 'sdkappid mismatch' };
  if (d.identifier !== expected.identifier) return { ok: false, reason: 'identifier mismatch' };
  const now = expected.now ?? Math.floor(Date.now() / 1000);
  if (now > d.time + d.expire) return { ok: false, reason: 'expired' };
  if (!safeEqual(d.sig, hmacBase64(expected.key, d.identifier, d.sdkAppId, d.time, d.expire, d.userbuf)))
    return { ok: false, reason: 'bad signature' };
  return { ok: true, decoded: d };
}
