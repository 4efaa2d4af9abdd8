// The raw text body of a seed dialect (its plugin reads every body as a string, so bad
// JSON is answered in the dialect's envelope) parsed as one JSON object.
import { AppError } from '../infra/errors.js';
/**
 * The body as a JSON object, else BAD_JSON. An empty body and a JSON `null` are BAD_JSON
 * too, or `{}` with `emptyIsObject` (seed 003, whose clients send `param: null`).
 */
export function readJsonObject(raw, opts = {}) {
    const notObject = () => new AppError('BAD_JSON', 'the body must be a JSON object');
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
        if (opts.emptyIsObject)
            return {};
        throw notObject();
    }
    if (typeof raw !== 'string')
        throw notObject();
    let body;
    try {
        body = JSON.parse(raw);
    }
    catch (err) {
        throw new AppError('BAD_JSON', `the body is not valid JSON: ${err.message}`);
    }
    if (body === null && opts.emptyIsObject)
        return {};
    if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw notObject();
    return body;
}
//# sourceMappingURL=json-body.js.map