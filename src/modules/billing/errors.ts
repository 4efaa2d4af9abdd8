// The error codes of the billing module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const BILLING_ERRORS = defineErrors({
  INSUFFICIENT_BALANCE: { status: 402, message: 'the balance does not cover this' },
  CALL_NOT_FOUND: { status: 404, message: 'no such metered call' },
  CALL_ENDED: { status: 409, message: 'the metered call has ended' },
  CALL_ACTIVE: { status: 409, message: 'the metered call is still running' },
  CALL_EXISTS: { status: 409, message: 'a metered call with this id exists between other users' },
  PRICE_NOT_FOUND: { status: 404, message: 'no price for this key and no default price' },
  IDEMPOTENCY_CONFLICT: { status: 409, message: 'this idempotency reference was used for another operation' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    billing: typeof BILLING_ERRORS;
  }
}
