// The live classroom (seed 002): teachers create courses (rooms of kind `classroom`),
// start and end them; students enter, heartbeat and leave through the rooms module;
// courseware and videos are bound to a course; a recording turns an ended course into
// a playback (state 3). Native routes, socket events and the index.php dialect all call
// these methods, so every path leaves the same state.
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import { throwOnScriptCode } from '../../infra/lua.js';
import { CLASSROOM_CODES } from './lua/codes.js';
import type { AccountsService, UserSession } from '../accounts/service.js';
import type { RtcService } from '../rtc/service.js';
import type { RoomsService } from '../rooms/service.js';
import { roomKeys } from '../rooms/store.js';
import {
  COURSE_STATE_NAMES,
  type BindFileT,
  type CourseListQueryT,
  type CourseState,
  type CourseViewT,
  type CreateCourseInput,
  type EndReason,
} from './schemas.js';
import { createClassroomStore } from './store.js';

export const CLASSROOM_KIND = 'classroom';

/** Accounts roles of the classroom; seed role 1 ↔ teacher, 0 ↔ student. */
export type ClassroomRole = 'teacher' | 'student';
export const seedRoleOf = (role: string): 0 | 1 => (role === 'teacher' ? 1 : 0);

const nowSeconds = () => Math.floor(Date.now() / 1000);
const bindKey = (f: { type: number; url: string }) => `${f.type}|${f.url}`;

export type ClassroomService = ReturnType<typeof createClassroomService>;

export function createClassroomService(core: Core, deps: { accounts: AccountsService; rtc: RtcService; rooms: RoomsService }) {
  const store = createClassroomStore(core.redis, core.keys);
  const { accounts, rtc, rooms } = deps;

  function toView(h: Record<string, string>, room: { groupid: string; memsize: number }): CourseViewT {
    return {
      host_uid: h.host_uid ?? '',
      title: h.title ?? '',
      state: Number(h.state ?? 0) as CourseState,
      roomnum: Number(h.roomnum),
      groupid: room.groupid,
      cover: h.cover ?? '',
      memsize: room.memsize,
      playback_idx_url: h.playback_idx_url ?? '',
      begin_time: Number(h.begin_time ?? 0),
      begin_imseq: Number(h.begin_imseq ?? 0),
      end_time: Number(h.end_time ?? 0),
      end_imseq: Number(h.end_imseq ?? 0),
    };
  }

  async function course(appid: string, roomnum: number): Promise<Record<string, string>> {
    const h = await store.get(appid, roomnum);
    if (!h) throw new AppError('ROOM_NOT_FOUND', `no course ${roomnum}`);
    return h;
  }

  async function get(appid: string, roomnum: number): Promise<CourseViewT> {
    const h = await course(appid, roomnum);
    const room = await rooms.get(appid, String(roomnum));
    return toView(h, room);
  }

  async function assertTeacher(appid: string, uid: string): Promise<void> {
    const user = await accounts.getUser(appid, uid);
    if (user.role !== 'teacher') throw new AppError('FORBIDDEN', 'only teachers may do this');
  }

  /** The course, when `uid` is a teacher and its host. */
  async function hostedCourse(appid: string, uid: string, roomnum: number): Promise<Record<string, string>> {
    await assertTeacher(appid, uid);
    const h = await course(appid, roomnum);
    if (h.host_uid !== uid) throw new AppError('FORBIDDEN', `course ${roomnum} belongs to another teacher`);
    return h;
  }

  /** Ends the course (idempotent) and closes its room: exitroom, host timeout, generic room end. */
  async function end(appid: string, roomnum: number, _reason: EndReason): Promise<CourseViewT> {
    const h = await course(appid, roomnum);
    const roomId = String(roomnum);
    const r = await store.move(appid, roomnum, h.host_uid ?? '', roomKeys(core.keys, appid, roomId).room, 'end', nowSeconds());
    throwOnScriptCode(CLASSROOM_CODES.sbCourseMove, r.code, { ROOM_NOT_FOUND: `no course ${roomnum}` });
    const view = await get(appid, roomnum);
    // Retried after a crash between the two steps, the course is already ended but the room
    // still open: closing again is what finishes the job.
    await rooms.close(appid, roomId, COURSE_STATE_NAMES[view.state] ?? 'ended', { ...view, memsize: 0 });
    return { ...view, memsize: 0 };
  }

  // A course ends the same way whoever ends its room: the teacher's exitroom, the teacher
  // timing out (after the grace), or the generic room end.
  rooms.onEnd(CLASSROOM_KIND, async (appid, roomId, reason) => void (await end(appid, Number(roomId), reason)));

  return {
    get,

    async register(appid: string, input: { id: string; password: string; role: ClassroomRole }) {
      return accounts.register({ appid, id: input.id, password: input.password, role: input.role });
    },

    /** Token + IM UserSig + role, as the seed's login answers. */
    async login(appid: string, id: string, password: string): Promise<{ token: string; expiresAt: number; userSig: string; role: 0 | 1 }> {
      const session = await accounts.login(appid, id, password);
      const sig = await rtc.userSig(appid, id);
      return { token: session.token, expiresAt: session.expiresAt, userSig: sig.userSig, role: seedRoleOf(session.user.role) };
    },

    logout: (session: UserSession) => accounts.logout(session),

    /** A teacher publishes a course: a new room (roomnum, groupid), state 0. */
    async create(appid: string, uid: string, input: CreateCourseInput): Promise<CourseViewT> {
      await assertTeacher(appid, uid);
      // A course is not live until the teacher starts it: room.started is published then.
      const room = await rooms.create(appid, { kind: CLASSROOM_KIND, host: uid, label: COURSE_STATE_NAMES[0], started: false });
      const roomnum = Number(room.roomId);
      const created = Date.now();
      const fields = {
        roomnum: room.roomId,
        host_uid: uid,
        title: input.title,
        cover: input.cover ?? '',
        state: '0',
        created: String(created),
        begin_time: '0',
        begin_imseq: '0',
        end_time: '0',
        end_imseq: '0',
        playback_idx_url: '',
      };
      if (!(await store.create(appid, roomnum, uid, created, fields))) throw new AppError('INTERNAL', `course ${roomnum} exists`);
      return toView(fields, room);
    },

    /** State 1; begin_imseq = the room's chat sequence now. Starting a live course again is a no-op. */
    async start(appid: string, uid: string, roomnum: number): Promise<CourseViewT> {
      const h = await hostedCourse(appid, uid, roomnum);
      const roomId = String(roomnum);
      const r = await store.move(appid, roomnum, h.host_uid ?? '', roomKeys(core.keys, appid, roomId).room, 'start', nowSeconds());
      throwOnScriptCode(CLASSROOM_CODES.sbCourseMove, r.code, { ROOM_NOT_FOUND: `no course ${roomnum}`, ROOM_CLOSED: `course ${roomnum} has ended` });
      const view = await get(appid, roomnum);
      if (r.code === 1) {
        await rooms.announceState(appid, roomId, COURSE_STATE_NAMES[1], view);
        await rooms.publishStarted(
          appid,
          { roomId, kind: CLASSROOM_KIND, host: view.host_uid },
          { roomnum, title: view.title, beginImseq: view.begin_imseq },
        );
      }
      return view;
    },

    /** The teacher ends the course (seed exitroom): state 2 (3 if already recorded), members released. */
    async exit(appid: string, uid: string, roomnum: number): Promise<CourseViewT> {
      await hostedCourse(appid, uid, roomnum);
      return end(appid, roomnum, 'exitroom');
    },

    end,

    /** Seed reportmemid: operate 0 enter, 1 leave. */
    async enter(appid: string, uid: string, roomnum: number) {
      await course(appid, roomnum);
      return rooms.join(appid, String(roomnum), uid);
    },
    async leave(appid: string, uid: string, roomnum: number) {
      await course(appid, roomnum);
      return rooms.leave(appid, String(roomnum), uid);
    },
    async heartbeat(appid: string, uid: string, roomnum: number) {
      await course(appid, roomnum);
      return rooms.heartbeat(appid, String(roomnum), uid);
    },

    /** Seed roomlist: filters, newest first, with the total matching. */
    async list(appid: string, q: CourseListQueryT): Promise<{ total: number; rooms: CourseViewT[] }> {
      const from = q.from_time !== undefined ? q.from_time * 1000 : 0;
      const to = q.to_time !== undefined ? q.to_time * 1000 + 999 : ('+inf' as const);
      let total: number;
      let roomnums: number[];
      if (q.roomnum !== undefined) {
        // One course: the other filters still apply.
        const h = await store.get(appid, q.roomnum);
        const created = Number(h?.created ?? 0);
        const match =
          h !== null &&
          (q.host_uid === undefined || h.host_uid === q.host_uid) &&
          (q.state === undefined || Number(h.state) === q.state) &&
          created >= from &&
          (to === '+inf' || created <= to);
        total = match ? 1 : 0;
        roomnums = match && q.index === 0 ? [q.roomnum] : [];
      } else {
        ({ total, roomnums } = await store.page(
          appid,
          { ...(q.host_uid !== undefined ? { host: q.host_uid } : {}), ...(q.state !== undefined ? { state: q.state } : {}), from, to },
          q.index,
          q.size,
        ));
      }
      const ids = roomnums.map(String);
      const [hashes, roomViews] = await Promise.all([
        store.getMany(appid, roomnums),
        Promise.all(ids.map((id) => rooms.get(appid, id).catch(() => null))),
      ]);
      const list: CourseViewT[] = [];
      hashes.forEach((h, i) => {
        const room = roomViews[i];
        if (h && room) list.push(toView(h, room));
      });
      return { total, rooms: list };
    },

    /** Seed roomidlist: members with seed roles (1 the teacher hosting, 0 the others). */
    async members(
      appid: string,
      roomnum: number,
      index: number,
      size: number,
    ): Promise<{ total: number; idlist: Array<{ id: string; role: 0 | 1 }> }> {
      await course(appid, roomnum);
      const r = await rooms.members(appid, String(roomnum), index, size);
      return { total: r.total, idlist: r.members.map((m) => ({ id: m.uid, role: m.role === 'host' ? 1 : 0 })) };
    },

    /** Seed reportbind: the course's teacher binds (or unbinds) courseware (type 0) or a video (type 1). */
    async bind(appid: string, uid: string, roomnum: number, file: BindFileT, op: 'bind' | 'unbind'): Promise<{ changed: boolean }> {
      await hostedCourse(appid, uid, roomnum);
      const r = await store.bind(
        appid,
        roomnum,
        op,
        bindKey(file),
        JSON.stringify({ type: file.type, file_name: file.file_name, url: file.url }),
        Date.now(),
      );
      throwOnScriptCode(CLASSROOM_CODES.sbCourseBind, r, { ROOM_NOT_FOUND: `no course ${roomnum}` });
      return { changed: r === 1 };
    },

    /** Seed querybind: bound files in bind order, paged, with the total. */
    async binds(appid: string, roomnum: number, index: number, size: number): Promise<{ total: number; bind_files: BindFileT[] }> {
      await course(appid, roomnum);
      const r = await store.binds(appid, roomnum, index, size);
      return { total: r.total, bind_files: r.files.map((f) => JSON.parse(f) as BindFileT) };
    },

    /**
     * A recording of the course arrived (media's onRecording, or the app's backend):
     * playback_idx_url is set and an ended course becomes a playback (state 3). An index
     * file (m3u8) wins over a plain file. Replays change nothing. Unknown course → 404.
     */
    async markRecorded(appid: string, roomnum: number, rec: { playbackUrl: string; isIndex?: boolean }): Promise<CourseViewT> {
      const h = await course(appid, roomnum);
      const roomId = String(roomnum);
      const r = await store.move(
        appid,
        roomnum,
        h.host_uid ?? '',
        roomKeys(core.keys, appid, roomId).room,
        'recorded',
        nowSeconds(),
        rec.playbackUrl,
        rec.isIndex ?? true,
      );
      throwOnScriptCode(CLASSROOM_CODES.sbCourseMove, r.code, { ROOM_NOT_FOUND: `no course ${roomnum}` });
      const view = await get(appid, roomnum);
      if (r.code === 1) await rooms.announceState(appid, roomId, COURSE_STATE_NAMES[view.state] ?? 'ended', view);
      return view;
    },
  };
}
