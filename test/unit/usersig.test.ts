import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildUserBuf, decodeUserSig, genPrivateMapKey, genUserSig, verifyUserSig } from '../../src/providers/tencent/usersig.js';

const require = createRequire(import.meta.url);
const { Api } = require('tls-sig-api-v2') as {
  Api: new (
    sdkappid: number,
    key: string,
  ) => {
    genUserSig(id: string, expire: number): string;
    genPrivateMapKey(id: string, expire: number, room: number, priv: number): string;
    genPrivateMapKeyWithStringRoomID(id: string, expire: number, room: string, priv: number): string;
  };
};

// VENDORS.md vector
const SDKAPPID = 1400000000;
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const TIME = 1600000000;
const EXPIRE = 15552000;

afterEach(() => vi.useRealTimers());

describe('UserSig (TLSSigAPIv2)', () => {
  it('matches the VENDORS.md vector', () => {
    const sig = genUserSig({ sdkAppId: SDKAPPID, key: KEY, identifier: 'xiaojun', expireSeconds: EXPIRE, now: TIME });
    const d = decodeUserSig(sig);
    expect(d).toMatchObject({ identifier: 'xiaojun', sdkAppId: SDKAPPID, time: TIME, expire: EXPIRE });
    expect(d.sig).toBe('1Z5PngDjGaufeSiPoBuxdHY7EK3JTdAjMP93S4KvV3M=');
    expect(sig).not.toMatch(/[+/=]/);
  });

  it('agrees with the official tls-sig-api-v2 package field by field', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(TIME * 1000);
    const official = decodeUserSig(new Api(SDKAPPID, KEY).genUserSig('xiaojun', EXPIRE));
    const ours = decodeUserSig(genUserSig({ sdkAppId: SDKAPPID, key: KEY, identifier: 'xiaojun', expireSeconds: EXPIRE }));
    expect(ours).toEqual(official);
  });

  it('verifies its own and the official signatures, and refuses tampering and expiry', () => {
    const official = new Api(SDKAPPID, KEY).genUserSig('alice', 3600);
    expect(verifyUserSig(official, { sdkAppId: SDKAPPID, key: KEY, identifier: 'alice' }).ok).toBe(true);
    const ours = genUserSig({ sdkAppId: SDKAPPID, key: KEY, identifier: 'alice', expireSeconds: 3600 });
    expect(verifyUserSig(ours, { sdkAppId: SDKAPPID, key: KEY, identifier: 'alice' }).ok).toBe(true);
    expect(verifyUserSig(ours, { sdkAppId: SDKAPPID, key: 'other', identifier: 'alice' })).toEqual({ ok: false, reason: 'bad signature' });
    expect(verifyUserSig(ours, { sdkAppId: SDKAPPID, key: KEY, identifier: 'bob' })).toEqual({ ok: false, reason: 'identifier mismatch' });
    expect(verifyUserSig(ours, { sdkAppId: SDKAPPID, key: KEY, identifier: 'alice', now: Math.floor(Date.now() / 1000) + 3601 })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyUserSig('garbage', { sdkAppId: SDKAPPID, key: KEY, identifier: 'alice' }).ok).toBe(false);
  });

  it('PrivateMapKey for numeric and string rooms equals the official one', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(TIME * 1000);
    const api = new Api(SDKAPPID, KEY);
    const numeric = decodeUserSig(
      genPrivateMapKey({ sdkAppId: SDKAPPID, key: KEY, identifier: 'alice', expireSeconds: 300, room: 1234, privilege: 255 }),
    );
    expect(numeric).toEqual(decodeUserSig(api.genPrivateMapKey('alice', 300, 1234, 255)));
    const str = decodeUserSig(
      genPrivateMapKey({ sdkAppId: SDKAPPID, key: KEY, identifier: 'alice', expireSeconds: 300, room: 'room-x', privilege: 42 }),
    );
    expect(str).toEqual(decodeUserSig(api.genPrivateMapKeyWithStringRoomID('alice', 300, 'room-x', 42)));
    // userbuf layout: ver, account, sdkappid, room, expiry, privilege, accountType, [room string]
    const buf = Buffer.from(
      buildUserBuf({ sdkAppId: SDKAPPID, key: KEY, identifier: 'alice', expireSeconds: 300, room: 'room-x', privilege: 42, now: TIME }),
      'base64',
    );
    expect(buf[0]).toBe(1);
    expect(buf.readUInt16BE(1)).toBe(5);
    expect(buf.subarray(3, 8).toString()).toBe('alice');
    expect(buf.readUInt32BE(8)).toBe(SDKAPPID);
    expect(buf.readUInt32BE(12)).toBe(0);
    expect(buf.readUInt32BE(16)).toBe(TIME + 300);
    expect(buf.readUInt32BE(20)).toBe(42);
    expect(buf.readUInt32BE(24)).toBe(0);
    expect(buf.readUInt16BE(28)).toBe(6);
    expect(buf.subarray(30).toString()).toBe('room-x');
    // and the HMAC covers the userbuf
    const content = `TLS.identifier:alice\nTLS.sdkappid:${SDKAPPID}\nTLS.time:${TIME}\nTLS.expire:300\nTLS.userbuf:${str.userbuf}\n`;
    expect(str.sig).toBe(createHmac('sha256', KEY).update(content).digest('base64'));
  });
});
