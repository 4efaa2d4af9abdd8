// The error codes of the media module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const MEDIA_ERRORS = defineErrors({
  VENDOR_NOT_CONFIGURED: { status: 409, message: 'the app has no Tencent SecretId/SecretKey or COS bucket configured' },
  STREAM_NOT_LINKED: { status: 422, message: 'the stream names no app or room' },
  NO_RECORDING_HANDLER: { status: 409, message: 'nothing links recordings to rooms on this node' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    media: typeof MEDIA_ERRORS;
  }
}
