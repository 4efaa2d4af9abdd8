import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VOD_SIGN_MAX_LIFETIME, vodClientOriginal, vodClientSign } from '../../src/providers/tencent/vod.js';

const base = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3Cozk1qA',
  now: 1700000000,
  lifetime: 86400,
  random: 220625,
};

describe('VOD client upload signature', () => {
  it('is base64(HMAC-SHA1(SecretKey, original) ‖ original) over the URL-encoded query string', () => {
    const original = vodClientOriginal({ ...base, extra: { procedure: 'QCVB_SimpleProcessFile(1, 1)', classId: 3 } });
    expect(original).toBe(
      'secretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&currentTimeStamp=1700000000&expireTime=1700086400&random=220625&procedure=QCVB_SimpleProcessFile(1%2C%201)&classId=3',
    );
    const raw = Buffer.from(vodClientSign({ ...base, extra: { procedure: 'QCVB_SimpleProcessFile(1, 1)', classId: 3 } }), 'base64');
    expect(raw.subarray(20).toString()).toBe(original);
    expect(raw.subarray(0, 20).equals(createHmac('sha1', base.secretKey).update(original).digest())).toBe(true);
  });

  it('refuses lifetimes beyond 90 days', () => {
    expect(() => vodClientSign({ ...base, lifetime: VOD_SIGN_MAX_LIFETIME + 1 })).toThrow(RangeError);
    expect(() => vodClientSign({ ...base, lifetime: 0 })).toThrow(RangeError);
    expect(() => vodClientSign({ ...base, lifetime: VOD_SIGN_MAX_LIFETIME })).not.toThrow();
  });
});
