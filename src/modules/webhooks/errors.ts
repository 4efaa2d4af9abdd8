// The error codes of the webhooks module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const WEBHOOKS_ERRORS = defineErrors({
  WEBHOOK_NOT_FOUND: { status: 404, message: 'no such webhook endpoint' },
  WEBHOOK_URL_NOT_ALLOWED: { status: 422, message: 'the webhook URL is not a public address' },
  WEBHOOK_LIMIT: { status: 409, message: 'the app has as many webhook endpoints as it may' },
  WEBHOOK_DISABLED: { status: 409, message: 'the webhook endpoint is disabled' },
  DELIVERY_NOT_FOUND: { status: 404, message: 'no such webhook delivery' },
  DELIVERY_NOT_DEAD: { status: 409, message: 'the webhook delivery is not a dead letter' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    webhooks: typeof WEBHOOKS_ERRORS;
  }
}
