// The error codes of the push module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const PUSH_ERRORS = defineErrors({
  APNS_NOT_CONFIGURED: { status: 404, message: 'the app has no APNs settings' },
  APNS_KEY_INVALID: { status: 422, message: 'the APNs key is not a PEM EC P-256 private key (the .p8 file)' },
  // The next three are outcomes of push/send jobs (never REST answers): below 500 = final, no retry.
  APNS_AUTH_FAILED: { status: 424, message: "APNs refused the app's provider token: check its key id, team id and key" },
  APNS_REJECTED: { status: 422, message: 'APNs refused the notification' },
  APNS_UNAVAILABLE: { status: 502, message: 'APNs did not take the notification this time' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    push: typeof PUSH_ERRORS;
  }
}
