import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cosV4FileId, cosV4MultiSign, cosV4SingleSign, cosV5Authorization, decodeCosV4Sign, splitBucket } from '../../src/providers/tencent/cos.js';

const require = createRequire(import.meta.url);
interface CosInstance {
  getV4Auth(p: { Bucket: string; Key?: string; Expires?: number }): string;
}
const COS = require('cos-nodejs-sdk-v5') as {
  new (o: { SecretId: string; SecretKey: string }): CosInstance;
  getAuthorization(o: Record<string, unknown>): string;
};

const SECRET_ID = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA';
const SECRET_KEY = 'Gu5t9xGARNpq86cd98joQYCN3Cozk1qA';
const NOW = 1700000000;

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('COS v4 signature', () => {
  it('is base64(HMAC-SHA1(SecretKey, original) ‖ original), multi-effect with e > t and f empty', () => {
    const sign = cosV4MultiSign({
      appId: '1250000000',
      bucket: 'docs',
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      now: NOW,
      random: 12345,
      expiresAt: NOW + 3600,
    });
    const d = decodeCosV4Sign(sign);
    expect(d.original).toBe(`a=1250000000&b=docs&k=${SECRET_ID}&t=${NOW}&e=${NOW + 3600}&r=12345&f=`);
    expect(d.mac.equals(createHmac('sha1', SECRET_KEY).update(d.original).digest())).toBe(true);
    expect(() => cosV4MultiSign({ appId: '1', bucket: 'b', secretId: 'i', secretKey: 'k', now: NOW, random: 1, expiresAt: NOW })).toThrow(RangeError);
  });

  it('single-effect: e=0 and f=/<appid>/<bucket>/<path> with everything but / URL-encoded', () => {
    const sign = cosV4SingleSign({
      appId: '1250000000',
      bucket: 'docs',
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      now: NOW,
      random: 7,
      path: '/课件/a b+c.ppt',
    });
    const d = decodeCosV4Sign(sign);
    expect(d.fields.e).toBe('0');
    expect(d.fields.f).toBe('/1250000000/docs/%E8%AF%BE%E4%BB%B6/a%20b%2Bc.ppt');
    expect(d.mac.equals(createHmac('sha1', SECRET_KEY).update(d.original).digest())).toBe(true);
    expect(() => cosV4SingleSign({ appId: '1', bucket: 'b', secretId: 'i', secretKey: 'k', now: NOW, random: 1, path: '' })).toThrow(RangeError);
  });

  it('equals cos-nodejs-sdk-v5 getV4Auth byte for byte (time and random pinned)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW * 1000);
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    const official = new COS({ SecretId: SECRET_ID, SecretKey: SECRET_KEY }).getV4Auth({
      Bucket: 'docs-1250000000',
      Key: 'dir/课件 1.pdf',
      Expires: 600,
    });
    const ours = cosV4MultiSign({
      appId: '1250000000',
      bucket: 'docs',
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      now: NOW,
      random: Math.round(0.25 * 2 ** 32),
      expiresAt: NOW + 600,
      path: 'dir/课件 1.pdf',
    });
    expect(ours).toBe(official);
    expect(cosV4FileId('1250000000', 'docs', '/dir/课件 1.pdf')).toBe(decodeCosV4Sign(official).fields.f);
  });

  it('splits v5 bucket names', () => {
    expect(splitBucket('examplebucket-1250000000')).toEqual({ name: 'examplebucket', appId: '1250000000' });
    expect(splitBucket('my-docs-1250000000')).toEqual({ name: 'my-docs', appId: '1250000000' });
    expect(splitBucket('nodigits')).toBeNull();
  });
});

describe('COS v5 Authorization', () => {
  it('equals cos-nodejs-sdk-v5 getAuthorization (key time pinned), with query and signed headers', () => {
    const start = NOW;
    const end = NOW + 900;
    const official = COS.getAuthorization({
      SecretId: SECRET_ID,
      SecretKey: SECRET_KEY,
      Method: 'PUT',
      Key: 'dir/a b(1).jpg',
      KeyTime: `${start};${end}`,
      Query: { 'response-content-type': 'image/jpeg', prefix: 'x' },
      Headers: {
        Host: 'docs-1250000000.cos.ap-shanghai.myqcloud.com',
        'Content-Type': 'image/jpeg',
        'x-cos-meta-a': 'A',
        'User-Agent': 'not signed',
      },
    });
    const ours = cosV5Authorization({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      method: 'PUT',
      pathname: '/dir/a b(1).jpg',
      start,
      end,
      query: { 'response-content-type': 'image/jpeg', prefix: 'x' },
      headers: { Host: 'docs-1250000000.cos.ap-shanghai.myqcloud.com', 'Content-Type': 'image/jpeg', 'x-cos-meta-a': 'A' },
    });
    expect(ours).toBe(official);
    expect(ours).toMatch(
      /^q-sign-algorithm=sha1&q-ak=AKID[^&]+&q-sign-time=\d+;\d+&q-key-time=\d+;\d+&q-header-list=content-type;host;x-cos-meta-a&q-url-param-list=prefix;response-content-type&q-signature=[0-9a-f]{40}$/,
    );
  });

  it('equals the SDK for a bare GET too', () => {
    const official = COS.getAuthorization({ SecretId: SECRET_ID, SecretKey: SECRET_KEY, Method: 'get', Key: '/', KeyTime: `${NOW};${NOW + 60}` });
    expect(cosV5Authorization({ secretId: SECRET_ID, secretKey: SECRET_KEY, method: 'GET', pathname: '/', start: NOW, end: NOW + 60 })).toBe(
      official,
    );
  });
});
