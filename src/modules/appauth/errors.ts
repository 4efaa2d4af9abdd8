// The error codes of the appauth module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const APP_AUTH_ERRORS = defineErrors({
  APP_SIGNATURE_INVALID: { status: 401, message: 'the app signature (md5 of appId, timestamp and appToken) is not valid' },
  APP_TIMESTAMP_SKEW: { status: 401, message: 'the timestamp is more than a minute away from server time' },
  APP_SIGNATURE_REPLAYED: { status: 401, message: 'this signature was already used' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    appauth: typeof APP_AUTH_ERRORS;
  }
}
