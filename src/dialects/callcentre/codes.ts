// The one error table of the seed-000 dialect. The seed documents no response bodies and no
// error numbers, so the dialect answers the native codes (docs/architecture.md#errors) in its envelope
// `{status: 0, error: {code, message}}`; only the rows below are renamed. A 5xx never leaks
// internals.
import { AppError, type ErrorCode } from '../../infra/errors.js';

export const STATUS_OK = 1;
export const STATUS_FAILED = 0;

const RENAMED: Partial<Record<ErrorCode, string>> = {
  CROSS_TENANT: 'FORBIDDEN', // a token of another app than the one named
  NOT_FOUND: 'UNKNOWN_COMMAND', // a path of the dialect's prefix that the seed does not have
};

export function dialectError(err: unknown): { code: string; message: string } {
  if (err instanceof AppError) {
    if (err.status >= 500) return { code: err.code, message: err.code === 'INTERNAL' ? 'internal error' : err.message };
    return { code: RENAMED[err.code] ?? err.code, message: err.message };
  }
  return { code: 'INTERNAL', message: 'internal error' };
}
