import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cloudApiSign, cloudApiSource, signatureMethodOf } from '../../src/providers/tencent/cloudapi.js';

const KEY = 'Gu5t9xGARNpq86cd98joQYCN3Cozk1qA';
const PARAMS = { Action: 'DescribeInstances', Nonce: 345122, Region: 'gz', SecretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA', Timestamp: 1408704141 };

describe('Cloud API v2 signature', () => {
  it('matches the VENDORS.md vector (HmacSHA1)', () => {
    // keys given out of order: the source sorts them
    const shuffled = { Timestamp: PARAMS.Timestamp, Region: 'gz', Action: PARAMS.Action, SecretId: PARAMS.SecretId, Nonce: PARAMS.Nonce };
    const r = cloudApiSign(KEY, 'get', 'cvm.api.qcloud.com', '/v2/index.php', shuffled);
    expect(r.source).toBe(
      'GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&Nonce=345122&Region=gz&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&Timestamp=1408704141',
    );
    expect(r.signatureMethod).toBe('HmacSHA1');
    expect(r.signature).toBe('HgIYOPcx5lN6gz8JsCFBNAWp2oQ=');
  });

  it('uses HmacSHA256 only when SignatureMethod=HmacSHA256 is among the params', () => {
    const params = { ...PARAMS, SignatureMethod: 'HmacSHA256' };
    const r = cloudApiSign(KEY, 'GET', 'cvm.api.qcloud.com', '/v2/index.php', params);
    expect(r.signatureMethod).toBe('HmacSHA256');
    expect(r.signature).toBe(createHmac('sha256', KEY).update(r.source).digest('base64'));
    expect(signatureMethodOf({ SignatureMethod: 'HmacSHA1' })).toBe('HmacSHA1');
    expect(signatureMethodOf({ SignatureMethod: 'MD5' })).toBe('HmacSHA1');
  });

  it('writes _ in keys as ., keeps values raw and leaves Signature out', () => {
    const src = cloudApiSource('POST', 'vod.api.qcloud.com', '/v2/index.php', { instanceIds_0: 'ins-1', b: 'a b&c', Signature: 'x', a: 1 });
    expect(src).toBe('POSTvod.api.qcloud.com/v2/index.php?a=1&b=a b&c&instanceIds.0=ins-1');
  });
});
