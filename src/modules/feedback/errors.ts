// The error codes of the feedback module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const FEEDBACK_ERRORS = defineErrors({
  FEEDBACK_GIVEN: { status: 409, message: 'this side already gave feedback for this conversation' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    feedback: typeof FEEDBACK_ERRORS;
  }
}
