// The error codes of the thirdparty module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const THIRD_PARTY_ERRORS = defineErrors({
  THIRDPARTY_ID_EXISTS: { status: 409, message: 'a user with this third-party id exists in the app' },
  THIRDPARTY_ID_NOT_FOUND: { status: 404, message: 'no user with this third-party id' },
  USER_QUOTA_EXCEEDED: { status: 409, message: 'the app has reached its third-party user quota' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    thirdparty: typeof THIRD_PARTY_ERRORS;
  }
}
