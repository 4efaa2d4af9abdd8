// The error codes of the accounts module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const ACCOUNTS_ERRORS = defineErrors({
  SECRET_NOT_FOUND: { status: 404, message: 'the app has no working secret with this id' },
  SECRET_IS_CURRENT: { status: 409, message: 'this is the current secret: rotate it instead' },
  APP_NOT_FOUND: { status: 404, message: 'no such app' },
  APP_EXISTS: { status: 409, message: 'an app with this appid exists' },
  USER_EXISTS: { status: 409, message: 'a user with this id exists' },
  USER_NOT_FOUND: { status: 404, message: 'no such user' },
  WRONG_PASSWORD: { status: 401, message: 'the password is wrong' },
  REGISTRATION_CLOSED: { status: 403, message: 'this app does not allow self-registration' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    accounts: typeof ACCOUNTS_ERRORS;
  }
}
