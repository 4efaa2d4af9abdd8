// One way to validate untrusted data outside Fastify routes (socket payloads, job
// payloads, config): compiled TypeBox validators whose errors name the field.
import { Compile, type Validator } from 'typebox/compile';
import type { Static, TSchema } from 'typebox';
import { AppError } from './errors.js';

interface Compiled {
  validator: Validator;
  /** Whether any part of the schema names a default: parse skips the defaults pass otherwise (most socket events). */
  hasDefaults: boolean;
}

const cache = new WeakMap<TSchema, Compiled>();

function compiledFor(schema: TSchema): Compiled {
  let c = cache.get(schema);
  if (!c) {
    c = { validator: Compile(schema) as unknown as Validator, hasDefaults: namesDefault(schema, new Set()) };
    cache.set(schema, c);
  }
  return c;
}

const validatorFor = (schema: TSchema): Validator => compiledFor(schema).validator;

/** True when `node` or anything below it carries a `default` keyword. */
function namesDefault(node: unknown, seen: Set<object>): boolean {
  if (node === null || typeof node !== 'object' || seen.has(node)) return false;
  seen.add(node);
  if (!Array.isArray(node) && Object.hasOwn(node, 'default')) return true;
  return Object.values(node).some((v) => namesDefault(v, seen));
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
  const { validator: v, hasDefaults } = compiledFor(schema);
  // The defaults pass walks the value against the schema (interpreted, not compiled): a
  // few microseconds per event that a schema without defaults does not need.
  const withDefaults = hasDefaults && value !== null && typeof value === 'object' ? v.Default(value) : value;
  if (v.Check(withDefaults)) return withDefaults as Static<T>;
  throw new AppError('VALIDATION_FAILED', `invalid ${what}: ${describeErrors(schema, withDefaults).join('; ')}`);
}
