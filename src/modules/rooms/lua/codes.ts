// Result codes of the rooms scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const ROOMS_CODES = {
  sbRoomEnter: { [-1]: 'ROOM_NOT_FOUND', [-2]: 'ROOM_CLOSED', [-3]: 'FORBIDDEN' },
  sbRoomClose: { [-1]: 'ROOM_NOT_FOUND' },
  sbRoomLeave: { [-1]: 'ROOM_NOT_FOUND' },
  sbRoomMessage: { [-1]: 'ROOM_NOT_FOUND', [-2]: 'ROOM_CLOSED', [-3]: 'NOT_IN_ROOM' },
} as const satisfies Record<string, ScriptCodes>;
