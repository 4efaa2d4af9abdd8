// The error codes of the live module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const LIVE_ERRORS = defineErrors({
  VIDEO_NOT_FOUND: { status: 404, message: 'no such video' },
  VIDEO_ENDED: { status: 409, message: 'the live stream has stopped' },
  LIVE_GROUP_NOT_FOUND: { status: 404, message: 'no such live group' },
  PICTURE_NOT_FOUND: { status: 404, message: 'no such picture' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    live: typeof LIVE_ERRORS;
  }
}
