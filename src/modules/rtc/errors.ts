// The error codes of the rtc module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const RTC_ERRORS = defineErrors({
  TENCENT_NOT_CONFIGURED: { status: 409, message: 'the app has no Tencent SdkAppID and key' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    rtc: typeof RTC_ERRORS;
  }
}
