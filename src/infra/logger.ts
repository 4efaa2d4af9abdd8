// pino, with every secret-bearing field redacted wherever it appears in a log line.
import { pino, type Logger, type LoggerOptions } from 'pino';

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-app-secret"]',
  'headers.authorization',
  'password',
  '*.password',
  'pwd',
  '*.pwd',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'adminToken',
  '*.adminToken',
  'key',
  '*.key',
  'secretKey',
  '*.secretKey',
  'userSig',
  '*.userSig',
];

export function loggerOptions(level: string, name: string): LoggerOptions {
  return {
    level,
    name,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Query strings can carry tokens (dialects): log the path only.
    serializers: {
      req(req: { method?: string; url?: string; id?: string; ip?: string }) {
        return { id: req.id, method: req.method, path: req.url?.split('?')[0], ip: req.ip };
      },
    },
  };
}

export function createLogger(level: string, name: string): Logger {
  return pino(loggerOptions(level, name));
}
