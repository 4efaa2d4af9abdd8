// The error codes of the signals module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const SIGNALS_ERRORS = defineErrors({
  MESSAGE_SIGN_INVALID: { status: 401, message: 'the message sign is not valid' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    signals: typeof SIGNALS_ERRORS;
  }
}
