import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { AppError, ERROR_TABLE, toPublicError } from '../../src/infra/errors.js';
import { parse } from '../../src/infra/validation.js';
// The error table is composed from the modules: each module's codes are added as the list loads them.
import '../../src/modules/index.js';

describe('error mapping', () => {
  it('keeps the code, status and message of an AppError', () => {
    expect(toPublicError(new AppError('USER_EXISTS', 'user x exists'))).toEqual({
      status: 409,
      body: { code: 'USER_EXISTS', message: 'user x exists' },
    });
    expect(toPublicError(new AppError('TOKEN_EXPIRED'))).toEqual({
      status: 401,
      body: { code: 'TOKEN_EXPIRED', message: ERROR_TABLE.TOKEN_EXPIRED.message },
    });
  });

  it('gives a refusal (4xx) no stack trace and a server fault (5xx) its own, leaving the global limit as it was', () => {
    const limit = Error.stackTraceLimit;
    const refusal = new AppError('NOT_FOUND', 'no request 7');
    expect(refusal.stack).toBe('AppError: no request 7');
    expect(refusal).toBeInstanceOf(Error);
    expect(new AppError('REDIS_UNAVAILABLE').stack).toMatch(/\n\s+at .*errors\.test\.ts/);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('x').stack).toMatch(/\n\s+at /);
  });

  it('turns anything else into INTERNAL without leaking it', () => {
    const r = toPublicError(new Error('cannot read x of undefined at db=10.0.0.5 password=hunter2'));
    expect(r).toEqual({ status: 500, body: { code: 'INTERNAL', message: 'internal error' } });
    expect(toPublicError('a string').status).toBe(500);
  });

  it('turns Redis being unreachable or failing over into REDIS_UNAVAILABLE (503), without leaking it', () => {
    const cases = [
      new Error('connect ECONNREFUSED 10.0.0.5:6379 password=hunter2'),
      new Error('CLUSTERDOWN The cluster is down'),
      new Error('Too many Cluster redirections. Last error: Error: Connection is closed.'),
      Object.assign(new Error('Failed to refresh slots cache.'), { name: 'ClusterAllFailedError' }),
    ];
    for (const err of cases) {
      const r = toPublicError(err);
      expect(r.status, err.message).toBe(503);
      expect(r.body.code).toBe('REDIS_UNAVAILABLE');
      expect(r.body.message).not.toMatch(/10\.0|hunter2|CLUSTER/);
    }
  });

  it('gives every code a distinct-purpose HTTP status', () => {
    for (const [code, def] of Object.entries(ERROR_TABLE)) {
      expect(def.status, code).toBeGreaterThanOrEqual(400);
      expect(def.message.length, code).toBeGreaterThan(0);
    }
  });

  it('validation errors name the field', () => {
    const schema = Type.Object(
      { appid: Type.String(), to: Type.Object({ user: Type.String() }), n: Type.Optional(Type.Integer({ default: 3 })) },
      { additionalProperties: false },
    );
    expect(() => parse(schema, { appid: 1, to: { user: 'u' } })).toThrow(/appid: /);
    expect(() => parse(schema, { appid: 'a' })).toThrow(/to: is required/);
    expect(() => parse(schema, { appid: 'a', to: {} })).toThrow(/to\.user: is required/);
    expect(() => parse(schema, { appid: 'a', to: { user: 'u' }, extra: 1 })).toThrow(/extra: is not allowed/);
    expect(parse(schema, { appid: 'a', to: { user: 'u' } })).toEqual({ appid: 'a', to: { user: 'u' }, n: 3 });
    try {
      parse(schema, null, 'notify job');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('VALIDATION_FAILED');
      expect((e as AppError).message).toMatch(/^invalid notify job: /);
    }
  });

  it('applies defaults named anywhere in the schema, and leaves a value alone when the schema names none', () => {
    // parse skips the defaults pass for schemas without a default: one nested in an array
    // item inside a union must still be found.
    const nested = Type.Object({
      items: Type.Array(Type.Union([Type.Object({ kind: Type.Literal('a'), n: Type.Optional(Type.Integer({ default: 7 })) }), Type.String()])),
    });
    expect(parse(nested, { items: [{ kind: 'a' }, 'x'] })).toEqual({ items: [{ kind: 'a', n: 7 }, 'x'] });
    const plain = Type.Object({ roomId: Type.String(), n: Type.Optional(Type.Integer()) });
    const value = { roomId: 'r1' };
    expect(parse(plain, value)).toBe(value);
    expect(value).toEqual({ roomId: 'r1' });
    expect(() => parse(plain, { roomId: 1 })).toThrow(/roomId: /);
  });
});
