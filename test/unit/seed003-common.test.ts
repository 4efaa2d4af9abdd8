import { describe, expect, it } from 'vitest';
import { envelope, seed3Error } from '../../src/dialects/seed003/common.js';
import { AppError } from '../../src/infra/errors.js';
// The error table is composed from the modules: each module's codes are added as the list loads them.
import '../../src/modules/index.js';

describe('seed 003 envelope and codes', () => {
  it('maps the seed numbers', () => {
    expect(seed3Error(new AppError('INSUFFICIENT_BALANCE')).code).toBe(1003);
    expect(seed3Error(new AppError('SENSITIVE_WORD')).code).toBe(100002);
    expect(seed3Error(new AppError('TRANSLATION_FAILED')).code).toBe(200003);
    expect(seed3Error(new AppError('TRANSLATION_NOT_CONFIGURED')).code).toBe(200004);
    expect(seed3Error(new AppError('AUTH_REQUIRED')).code).toBe(1002);
    expect(seed3Error(new AppError('VALIDATION_FAILED', 'invalid x: content: is required'))).toEqual({
      code: 1001,
      err: 'invalid x: content: is required',
    });
    expect(seed3Error(new AppError('REQUEST_CLOSED')).code).toBe(1006); // by status (409)
    expect(seed3Error(new AppError('SENSITIVE_WORD'), { SENSITIVE_WORD: 7 }).code).toBe(7);
  });

  it('never leaks internals', () => {
    expect(seed3Error(new Error('ECONNREFUSED password=x'))).toEqual({ code: 1000, err: 'internal error' });
  });

  it('envelope is {code, data, err, time}', () => {
    const e = envelope(0);
    expect(e).toEqual({ code: 0, data: null, err: null, time: expect.any(Number) });
    expect(Math.abs(e.time - Date.now() / 1000)).toBeLessThan(2);
    expect(envelope(0, ['a']).data).toEqual(['a']);
  });
});
