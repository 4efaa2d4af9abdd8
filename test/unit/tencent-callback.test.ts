import { describe, expect, it } from 'vitest';
import { callbackSign, verifyCallbackSign } from '../../src/providers/tencent/callback.js';

describe('live / recording callback sign', () => {
  it('matches the VENDORS.md vector', () => {
    expect(callbackSign('my_callback_key', 1545030873)).toBe('d2ba89544e934baf9842cad23205c5b4');
  });

  it('accepts a good sign until t, and names the reason otherwise', () => {
    const t = 1545030873;
    const sign = 'd2ba89544e934baf9842cad23205c5b4';
    expect(verifyCallbackSign('my_callback_key', t, sign, t - 10)).toEqual({ ok: true });
    expect(verifyCallbackSign('my_callback_key', String(t), sign.toUpperCase(), t)).toEqual({ ok: true });
    expect(verifyCallbackSign('my_callback_key', t, sign, t + 1)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyCallbackSign('other_key', t, sign, t - 10)).toEqual({ ok: false, reason: 'bad sign' });
    expect(verifyCallbackSign('my_callback_key', t, sign.slice(1), t - 10)).toEqual({ ok: false, reason: 'bad sign' });
    expect(verifyCallbackSign('my_callback_key', t + 1, sign, t - 10)).toEqual({ ok: false, reason: 'bad sign' });
    expect(verifyCallbackSign('my_callback_key', '1e9', sign, 0)).toEqual({ ok: false, reason: 'bad t' });
  });
});
