// pino, with every secret-bearing field redacted wherever it appears in a log line.
import { pino } from 'pino';
const REDACT_PATHS = [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-app-secret"]',
    'headers.authorization',
    'password', '*.password', 'pwd', '*.pwd',
    'secret', '*.secret',
    'token', '*.token',
    'adminToken', '*.adminToken',
    'key', '*.key',
    'secretKey', '*.secretKey',
    'userSig', '*.userSig',
];
export function loggerOptions(level, name) {
    return {
        level,
        name,
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
        // Query strings can carry tokens (dialects): log the path only.
        serializers: {
            req(req) {
                return { id: req.id, method: req.method, path: req.url?.split('?')[0], ip: req.ip };
            },
        },
    };
}
export function createLogger(level, name) {
    return pino(loggerOptions(level, name));
}
//# sourceMappingURL=logger.js.map