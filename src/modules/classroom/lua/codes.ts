// Result codes of the classroom scripts that are errors → AppError code, by script (each code as
// its script's header says). Callers turn them into errors with throwOnScriptCode (infra/lua.ts).
import type { ScriptCodes } from '../../../infra/lua.js';

export const CLASSROOM_CODES = {
  sbCourseMove: { [-1]: 'ROOM_NOT_FOUND', [-2]: 'ROOM_CLOSED', [-3]: 'ROOM_CLOSED' },
  sbCourseBind: { [-1]: 'ROOM_NOT_FOUND' },
} as const satisfies Record<string, ScriptCodes>;
