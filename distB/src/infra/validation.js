// One way to validate untrusted data outside Fastify routes (socket payloads, job
// payloads, config): compiled TypeBox validators whose errors name the field.
import { Compile } from 'typebox/compile';
import { AppError } from './errors.js';
const cache = new WeakMap();
function validatorFor(schema) {
    let v = cache.get(schema);
    if (!v) {
        v = Compile(schema);
        cache.set(schema, v);
    }
    return v;
}
/** "field: message" for each problem, e.g. `to.user: expected string`. */
export function describeErrors(schema, value, max = 5) {
    const errors = validatorFor(schema).Errors(value);
    return errors.slice(0, max).map((e) => {
        let path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
        if (e.keyword === 'required') {
            const missing = e.params.requiredProperties ?? [];
            path = [path, missing.join(',')].filter(Boolean).join('.');
            return `${path || '(root)'}: is required`;
        }
        if (e.keyword === 'additionalProperties') {
            const extra = e.params.additionalProperties ?? [];
            return `${[path, extra.join(',')].filter(Boolean).join('.')}: is not allowed`;
        }
        return `${path || '(root)'}: ${e.message}`;
    });
}
/** True when `value` matches `schema`. */
export function check(schema, value) {
    return validatorFor(schema).Check(value);
}
/**
 * Returns `value` typed by `schema`, with defaults applied, or throws
 * AppError VALIDATION_FAILED whose message names every failing field.
 * Defaults are written into `value` itself: callers pass freshly decoded payloads
 * (socket args, job data), and not copying keeps the per-event cost down.
 */
export function parse(schema, value, what = 'payload') {
    const v = validatorFor(schema);
    const withDefaults = value !== null && typeof value === 'object' ? v.Default(value) : value;
    if (v.Check(withDefaults))
        return withDefaults;
    throw new AppError('VALIDATION_FAILED', `invalid ${what}: ${describeErrors(schema, withDefaults).join('; ')}`);
}
//# sourceMappingURL=validation.js.map