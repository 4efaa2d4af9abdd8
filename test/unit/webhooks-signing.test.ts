// Webhook signatures (as a receiver checks them) and the sender's refusal of non-public targets.
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress, isPrivateHost } from '../../src/infra/outbound.js';
import { postWebhook } from '../../src/modules/webhooks/sender.js';
import { newSigningSecret, signatureHeader, verifyWebhook } from '../../src/modules/webhooks/signing.js';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"e1","type":"room.started","time":"2026-01-01T00:00:00.000Z","appid":"app1","data":{"roomId":"1"}}';

  it('v1 is the hex HMAC-SHA256 of "<t>.<body>" keyed with the whole secret string', () => {
    const header = signatureHeader([secret], 1700000000, body);
    expect(header).toBe(`t=1700000000,v1=${createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex')}`);
  });

  it('verifies within the tolerance; refuses another secret, a changed body, an old timestamp, garbage', () => {
    const now = 1700000000;
    const header = signatureHeader([secret], now, body);
    expect(verifyWebhook(secret, header, body, { now })).toBe(true);
    expect(verifyWebhook(secret, header, body, { now: now + 299 })).toBe(true);
    expect(verifyWebhook(secret, header, body, { now: now + 301 })).toBe(false);
    expect(verifyWebhook('whsec_other', header, body, { now })).toBe(false);
    expect(verifyWebhook(secret, header, body.replace('"1"', '"2"'), { now })).toBe(false);
    expect(verifyWebhook(secret, undefined, body, { now })).toBe(false);
    expect(verifyWebhook(secret, 'v1=abc', body, { now })).toBe(false);
    expect(verifyWebhook(secret, `t=${now},v1=zz`, body, { now })).toBe(false);
  });

  it('during a rotation either secret verifies the two-signature header', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], 1700000000, body);
    expect(header.split(',')).toHaveLength(3);
    expect(verifyWebhook('whsec_new', header, body, { now: 1700000000 })).toBe(true);
    expect(verifyWebhook('whsec_old', header, body, { now: 1700000000 })).toBe(true);
  });

  it('secrets are 32 random bytes, base64url, prefixed', () => {
    const a = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newSigningSecret()).not.toBe(a);
  });
});

describe('non-public targets', () => {
  it('classifies addresses and host names', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
    for (const h of ['localhost', 'api.localhost', '127.0.0.1', '[::1]', 'metadata.google.internal', 'printer.local'])
      expect(isPrivateHost(h), h).toBe(true);
    for (const h of ['example.com', '8.8.8.8', '[2606:4700:4700::1111]']) expect(isPrivateHost(h), h).toBe(false);
  });

  it('refuses to connect to a literal private address or a name resolving to one, unless allowed', async () => {
    const opts = { timeoutMs: 2000, allowPrivate: false };
    expect(await postWebhook('http://127.0.0.1:9/x', '{}', {}, opts)).toEqual({
      ok: false,
      status: null,
      error: '127.0.0.1 is not a public address',
    });
    // A name that is not local by spelling but resolves to a private address (the machine's own
    // name: loopback or the container's address): refused by the lookup hook, before connecting.
    const own = hostname();
    const resolved = await lookup(own).catch(() => null);
    expect(resolved, `${own} should resolve`).not.toBeNull();
    if (isPrivateAddress(resolved!.address)) {
      expect(isPrivateHost(own)).toBe(false);
      const viaDns = await postWebhook(`http://${own}:9/x`, '{}', {}, opts);
      expect(viaDns).toMatchObject({
        ok: false,
        status: null,
        error: expect.stringMatching(/^EPRIVATEADDRESS: .* resolves to a non-public address/),
      });
    }
    // Allowed: it really connects (and nothing listens on port 9 of loopback).
    const allowed = await postWebhook('http://127.0.0.1:9/x', '{}', {}, { timeoutMs: 2000, allowPrivate: true });
    expect(allowed.error).toMatch(/ECONNREFUSED/);
  });
});
