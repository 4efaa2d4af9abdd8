// The error codes of the conferences module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const CONFERENCES_ERRORS = defineErrors({
  CONFERENCE_NOT_FOUND: { status: 404, message: 'no such conference' },
  CONFERENCE_ENDED: { status: 409, message: 'the conference has ended' },
  CONFERENCE_NOT_STARTED: { status: 409, message: 'the conference has not started yet' },
  CONFERENCE_PASSWORD: { status: 403, message: 'the conference password is missing or wrong' },
  CONFERENCE_FULL: { status: 409, message: 'the conference has as many participants as it may' },
  PARTICIPANT_NOT_FOUND: { status: 404, message: 'no such call in this conference' },
  INVALID_NUMBER: { status: 422, message: 'a phone number is not valid' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    conferences: typeof CONFERENCES_ERRORS;
  }
}
