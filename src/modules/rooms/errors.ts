// The error codes of the rooms module: HTTP status and default message (composed into the error table).
import { defineErrors } from '../../infra/errors.js';

export const ROOMS_ERRORS = defineErrors({
  ROOM_NOT_FOUND: { status: 404, message: 'no such room' },
  ROOM_CLOSED: { status: 409, message: 'the room is closed' },
  NOT_IN_ROOM: { status: 409, message: 'the user is not in this room' },
});

declare module '../../infra/errors.js' {
  interface ModuleErrorCodes {
    rooms: typeof ROOMS_ERRORS;
  }
}
