// One way to validate untrusted data outside Fastify routes (socket payloads, job
// payloads, config): compiled TypeBox validators whose errors name the field.
import { Compile, type Validator } from 'typebox/compile';
import type { Static, TSchema } from 'typebox';
import { AppError } from './errors.js';

const cache = new WeakMap<TSchema, Validator>();

function validatorFor(schema: TSchema): Validator {
  let v = cache.get(schema);
  if (!v) {
    v = Compile(schema) as unknown as Validator;
    cache.set(schema, v);
  }
  return v;
}

/** "field: message" for each problem, e.g. `to.user: expected string`. */
export function describeErrors(schema: TSchema, value: unknown, max = 5): string[] {
  const errors = validatorFor(schema).Errors(value);
  return errors.slice(0, max).map((e) => {
    let path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (e.keyword === 'required') {
      const missing = (e.params as { requiredProperties?: string[] }).requiredProperties ?? [];
      path = [path, missing.join(',')].filter(Boolean).join('.');
      return `${path || '(root)'}: is required`;
    }
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperties?: string[] }).additionalProperties ?? [];
      return `${[path, extra.join(',')].filter(Boolean).join('.')}: is not allowed`;
    }
    return `${path || '(root)'}: ${e.message}`;
  });
}

/** True when `value` matches `schema`. */
export function check<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return validatorFor(schema).Check(value);
}

/**
 * Returns `value` typed by `schema`, with defaults applied, or throws
 * AppError VALIDATION_FAILED whose message names every failing field.
 * Defaults are written into `value` itself: callers pass freshly decoded payloads
 * (socket args, job data), and not copying keeps the per-event cost down.
 */
export function parse<T extends TSchema>(schema: T, value: unknown, what = 'payload'): Static<T> {
  const v = validatorFor(schema);
  const withDefaults = value !== null && typeof value === 'object' ? v.Default(value) : value;
  if (v.Check(withDefaults)) return withDefaults as Static<T>;
  throw new AppError('VALIDATION_FAILED', `invalid ${what}: ${describeErrors(schema, withDefaults).join('; ')}`);
}
