// Courses of the live classroom (seed 002). Field names of the views are the seed's
// (snake_case), in the native API too, so a course reads the same everywhere.
import { Type } from 'typebox';
import { UserIdSchema } from '../accounts/schemas.js';
export const RoomnumSchema = Type.Integer({ minimum: 1, maximum: 9007199254740991, description: 'room number (server-allocated, unique per app)' });
/** 0 created, 1 in class, 2 ended (no playback), 3 playback available. */
export const CourseStateSchema = Type.Integer({ minimum: 0, maximum: 3, description: '0 created, 1 live, 2 ended, 3 playback' });
export const COURSE_STATE_NAMES = ['created', 'live', 'ended', 'playback'];
export const CourseView = Type.Object({
    host_uid: UserIdSchema,
    title: Type.String(),
    state: CourseStateSchema,
    roomnum: RoomnumSchema,
    groupid: Type.String(),
    cover: Type.String(),
    memsize: Type.Integer({ minimum: 0, description: 'members in the room now' }),
    playback_idx_url: Type.String(),
    begin_time: Type.Integer({ description: 'unix seconds; 0 before the course starts' }),
    begin_imseq: Type.Integer({ description: 'room chat sequence number when the course started' }),
    end_time: Type.Integer({ description: 'unix seconds; 0 before the course ends' }),
    end_imseq: Type.Integer({ description: 'room chat sequence number when the course ended' }),
});
export const CreateCourseBody = Type.Object({
    title: Type.String({ minLength: 1, maxLength: 256 }),
    cover: Type.Optional(Type.String({ maxLength: 2048 })),
}, { additionalProperties: false });
export const CreatedCourse = Type.Object({ roomnum: RoomnumSchema, groupid: Type.String() });
export const CourseListQuery = Type.Object({
    index: Type.Integer({ minimum: 0, default: 0, description: 'position of the first course (newest first)' }),
    size: Type.Integer({ minimum: 1, maximum: 500, default: 10 }),
    roomnum: Type.Optional(RoomnumSchema),
    from_time: Type.Optional(Type.Integer({ minimum: 0, description: 'created at or after (unix seconds)' })),
    to_time: Type.Optional(Type.Integer({ minimum: 0, description: 'created at or before (unix seconds)' })),
    host_uid: Type.Optional(UserIdSchema),
    state: Type.Optional(CourseStateSchema),
}, { additionalProperties: false });
export const CourseList = Type.Object({ total: Type.Integer(), rooms: Type.Array(CourseView) });
export const PageQuery = Type.Object({ index: Type.Integer({ minimum: 0, default: 0 }), size: Type.Integer({ minimum: 1, maximum: 500, default: 10 }) }, { additionalProperties: false });
/** Seed role numbers: 1 teacher (host), 0 student (audience). */
export const SeedRole = Type.Integer({ minimum: 0, maximum: 1, description: '1 teacher (host), 0 student' });
export const IdList = Type.Object({ total: Type.Integer(), idlist: Type.Array(Type.Object({ id: UserIdSchema, role: SeedRole })) });
export const BindFile = Type.Object({
    type: Type.Integer({ minimum: 0, maximum: 1, description: '0 courseware, 1 video' }),
    file_name: Type.String({ minLength: 1, maxLength: 512 }),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
}, { additionalProperties: false });
export const BindList = Type.Object({ total: Type.Integer(), bind_files: Type.Array(BindFile) });
/** Unbinding names the file by type and url. */
export const UnbindQuery = Type.Object({ type: Type.Integer({ minimum: 0, maximum: 1 }), url: Type.String({ minLength: 1, maxLength: 2048 }) }, { additionalProperties: false });
export const RecordedBody = Type.Object({ playbackUrl: Type.String({ pattern: '^https?://', maxLength: 2048, description: 'playback index (m3u8) or file URL' }) }, { additionalProperties: false });
// ── socket requests ───────────────────────────────────────────────────────────
export const CourseRef = Type.Object({ roomnum: RoomnumSchema }, { additionalProperties: false });
export const CoursePageRequest = Type.Object({ roomnum: RoomnumSchema, index: Type.Integer({ minimum: 0, default: 0 }), size: Type.Integer({ minimum: 1, maximum: 500, default: 10 }) }, { additionalProperties: false });
export const BindRequest = Type.Object({ roomnum: RoomnumSchema, operate: Type.Enum(['bind', 'unbind']), bind_file: BindFile }, { additionalProperties: false });
export const BindResult = Type.Object({ changed: Type.Boolean() });
//# sourceMappingURL=schemas.js.map