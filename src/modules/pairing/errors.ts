// The error codes of the pairing module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const PAIRING_ERRORS = defineErrors({
  PAIR_NOT_FOUND: { status: 404, message: 'no such ask' },
  PAIR_BUSY: { status: 409, message: 'the user already has an open ask, answered one or is in a call' },
  PAIR_TAKEN: { status: 409, message: 'another candidate already answered this ask' },
  PAIR_CLOSED: { status: 409, message: 'the ask has ended' },
  PAIR_NOT_OFFERED: { status: 409, message: 'this ask was not offered to you in this round' },
  PAIR_STALE_ROUND: { status: 409, message: 'this round of the ask is over' },
  PAIR_NOT_ANSWERED: { status: 409, message: 'nobody has answered this ask yet' },
  PAIR_WRONG_PEER: { status: 409, message: 'another candidate answered this ask' },
  PAIR_NOT_IN_CALL: { status: 409, message: 'the ask is not in a call' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    pairing: typeof PAIRING_ERRORS;
  }
}
