// The pure parts of the APNs provider: what each answer means, the 4 KB fit, key checks.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apnsKeyFingerprint, buildAlertPayload, classifyApnsAnswer, clip, normaliseApnsKey, parseApnsKey } from '../../src/providers/apns/index.js';

describe('APNs answers', () => {
  it('classifies each answer into what the job does', () => {
    expect(classifyApnsAnswer(200, undefined).outcome).toBe('sent');
    expect(classifyApnsAnswer(410, 'Unregistered').outcome).toBe('unregistered');
    expect(classifyApnsAnswer(410, 'ExpiredToken').outcome).toBe('unregistered');
    expect(classifyApnsAnswer(400, 'BadDeviceToken').outcome).toBe('unregistered');
    expect(classifyApnsAnswer(403, 'InvalidProviderToken')).toEqual({
      outcome: 'auth',
      status: 403,
      reason: 'InvalidProviderToken',
      retryable: false,
    });
    expect(classifyApnsAnswer(403, 'ExpiredProviderToken').retryable).toBe(true);
    for (const reason of ['BadTopic', 'PayloadTooLarge', 'DeviceTokenNotForTopic', 'BadCollapseId'])
      expect(classifyApnsAnswer(400, reason).outcome).toBe('rejected');
    expect(classifyApnsAnswer(413, 'PayloadTooLarge').outcome).toBe('rejected');
    for (const status of [429, 500, 503, undefined]) expect(classifyApnsAnswer(status, undefined).outcome).toBe('retry');
  });
});

describe('alert payload', () => {
  const custom = { type: 'im', from: '800001', id: 'm1' };
  it('keeps a short body whole, with aps and the custom keys', () => {
    expect(buildAlertPayload({ title: 'Alice', body: 'hi', sound: 'default', threadId: 'im.800001', custom })).toEqual({
      aps: { alert: { title: 'Alice', body: 'hi' }, sound: 'default', 'thread-id': 'im.800001' },
      ...custom,
    });
  });
  it('shortens a body to fit the byte limit, counting UTF-8 and JSON escapes, never splitting a character', () => {
    for (const unit of ['a', '长', '😀', '"', '\u0001']) {
      const p = buildAlertPayload({ body: unit.repeat(5000), custom }, 1024);
      const size = Buffer.byteLength(JSON.stringify(p));
      expect(size, unit).toBeLessThanOrEqual(1024);
      expect(size, unit).toBeGreaterThan(1024 - 12);
      const body = (p.aps as { alert: { body: string } }).alert.body;
      expect(body.endsWith('…')).toBe(true);
      expect(
        Array.from(body.slice(0, -1)).every((c) => c === unit),
        unit,
      ).toBe(true);
    }
  });
  it('clips by code points', () => {
    expect(clip('😀😀😀', 2)).toBe('😀…');
    expect(clip('abc', 3)).toBe('abc');
  });
});

describe('APNs key', () => {
  it('takes PKCS#8 and SEC1 P-256 keys, stores PKCS#8, and names what is wrong with others', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(normaliseApnsKey(sec1)).toBe(pkcs8);
    expect(apnsKeyFingerprint(pkcs8)).toBe(apnsKeyFingerprint(sec1));
    expect(() => parseApnsKey('hello')).toThrow(/not a PEM private key/);
    const enc = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    expect(() => parseApnsKey(enc)).toThrow(/encrypted/);
    expect(() => parseApnsKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).toThrow(/does not parse/);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => parseApnsKey(ed)).toThrow(/ed25519 key/);
  });
});
