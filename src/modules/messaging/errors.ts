// The error codes of the messaging module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const MESSAGING_ERRORS = defineErrors({
  SENSITIVE_WORD: { status: 422, message: 'the content contains a sensitive word' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    messaging: typeof MESSAGING_ERRORS;
  }
}
