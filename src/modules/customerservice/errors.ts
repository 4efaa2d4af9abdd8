// The error codes of the customerservice module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const CUSTOMER_SERVICE_ERRORS = defineErrors({
  CS_NOT_ENABLED: { status: 409, message: 'the app has no customer-service robot: create it first' },
  NOT_A_SEAT: { status: 403, message: 'you are not a customer-service seat of this app' },
  SEAT_EXISTS: { status: 409, message: 'a seat with this nickname (or user) exists' },
  SEAT_NOT_FOUND: { status: 404, message: 'no such seat' },
  CS_TAKEN: { status: 409, message: 'another seat already took this customer over' },
  CS_NO_CONSULTATION: { status: 404, message: 'this customer has no open consultation' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    customerservice: typeof CUSTOMER_SERVICE_ERRORS;
  }
}
