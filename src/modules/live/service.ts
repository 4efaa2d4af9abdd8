// Live streams (seed 004 §3.2.3–3.2.4). A live video is a room of kind `live` of the rooms
// module (videoID = room id), so viewers are room members (join / heartbeat / leave, timed
// out by the sweep) and dashboards see live rooms; room.started / room.ended come from the
// rooms module (room.started carries the video's title and share model).
// The media server is outside Switchboard: start answers where to push (host, port) and the
// RTSP/HLS URLs built from the LIVE_* templates. Live groups (with a token each, managed by
// the app's backend) gather videos for listVideoConditional; pictures are posted by URL.
import { randomBytes } from 'node:crypto';
import type { Core } from '../../infra/core.js';
import { AppError, isAppError } from '../../infra/errors.js';
import { throwOnScriptCode } from '../../infra/lua.js';
import { LIVE_CODES } from './lua/codes.js';
import { safeEqual } from '../../infra/passwords.js';
import type { AccountsService } from '../accounts/service.js';
import type { RoomsService } from '../rooms/service.js';
import { DEFAULT_DESCRIPTION, DEFAULT_TITLE, type ListQueryT, type PictureViewT, type StartInput, type VideoViewT } from './schemas.js';
import { createLiveStore } from './store.js';

export const LIVE_KIND = 'live';

/** Fills {appid} {uid} {videoID} {host} {port} in a media-server URL template. */
export function fillTemplate(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(appid|uid|videoID|host|port)\}/g, (_, name: string) => encodeURIComponent(String(vars[name] ?? '')));
}

const groupToken = () => randomBytes(15).toString('base64url').slice(0, 20);

export type LiveService = ReturnType<typeof createLiveService>;

export function createLiveService(core: Core, deps: { accounts: AccountsService; rooms: RoomsService }) {
  const store = createLiveStore(core.redis, core.keys);
  const { accounts, rooms } = deps;
  const { config } = core;

  function toView(videoID: string, h: Record<string, string>, viewers: number): VideoViewT {
    return {
      videoID,
      author: h.author ?? '',
      title: h.title ?? DEFAULT_TITLE,
      description: h.description ?? DEFAULT_DESCRIPTION,
      save: Number(h.save ?? 0),
      calltype: h.calltype ?? '',
      shareModel: Number(h.shareModel ?? 1),
      content: Number(h.content ?? 3),
      ...(h.groupId ? { groupId: h.groupId } : {}),
      liveFlag: Number(h.liveFlag ?? 0),
      host: h.host ?? '',
      port: Number(h.port ?? 0),
      rtspURL: h.rtspURL ?? '',
      url: h.url ?? '',
      startedAt: Number(h.startedAt ?? 0),
      ...(h.endedAt ? { endedAt: Number(h.endedAt) } : {}),
      viewers: Number(h.liveFlag) === 1 ? viewers : 0,
    };
  }

  async function views(appid: string, ids: string[]): Promise<VideoViewT[]> {
    const [records, sizes] = await Promise.all([store.getVideos(appid, ids), rooms.memsizes(appid, ids)]);
    const out: VideoViewT[] = [];
    records.forEach((h, i) => {
      if (h) out.push(toView(ids[i] as string, h, sizes[i] ?? 0));
    });
    return out;
  }

  async function get(appid: string, videoID: string): Promise<VideoViewT> {
    const [v] = await views(appid, [videoID]);
    if (!v) throw new AppError('VIDEO_NOT_FOUND', `no video ${videoID}`);
    return v;
  }

  /**
   * Who may watch: public; private = the author; circle = its live group (or, started in
   * no group, anyone sharing a live group with the author); password = whoever knows it.
   */
  async function mayWatch(appid: string, h: Record<string, string>, uid: string | null, password?: string): Promise<boolean> {
    if (uid !== null && h.author === uid) return true;
    switch (h.shareModel) {
      case '1':
        return true;
      case '3':
        if (uid === null) return false;
        return h.groupId ? store.isGroupMember(appid, h.groupId, uid) : store.shareAGroup(appid, h.author ?? '', uid);
      case '4':
        return password !== undefined && !!h.password && safeEqual(password, h.password);
      default:
        return false;
    }
  }

  async function page(
    appid: string,
    sel: { sources: string[]; circleSources?: string[] },
    q: { liveFlag?: 0 | 1; pageNumber: number; pageSize: number },
    publicOnly = false,
  ) {
    const state = q.liveFlag === 1 ? 'now' : q.liveFlag === 0 ? 'hist' : 'listed';
    const { total, ids } = await store.query(appid, sel, state, (q.pageNumber - 1) * q.pageSize, q.pageSize, publicOnly);
    return { total, pageNumber: q.pageNumber, pageSize: q.pageSize, videos: await views(appid, ids) };
  }

  async function stopVideo(appid: string, videoID: string): Promise<boolean> {
    const r = await store.stop(appid, videoID, Date.now());
    throwOnScriptCode(LIVE_CODES.liveStop, r, { VIDEO_NOT_FOUND: `no video ${videoID}` });
    // The room's close is idempotent (a second stop closes nothing and publishes nothing).
    await rooms.close(appid, videoID, 'ended').catch((err: unknown) => {
      if (!isAppError(err, 'ROOM_NOT_FOUND')) throw err;
    });
    return r === 1;
  }

  /**
   * A live group's videos: those started in it (groupId) and its current members' public
   * and circle videos (seed 004's vtcvideoweb.start names no group: a member's video
   * belongs to the groups of its author). Private and password videos are not listed to a
   * group: the list carries the stream URLs.
   */
  async function groupsSelection(appid: string, gids: string[]): Promise<{ sources: string[]; circleSources: string[] }> {
    const members = new Set((await Promise.all(gids.map((g) => store.groupMembers(appid, g)))).flat());
    return { sources: gids.map((g) => store.k(appid, 'g', g)), circleSources: [...members].map((u) => store.k(appid, 'u', u)) };
  }

  function pictureView(id: string, h: Record<string, string>): PictureViewT {
    return {
      pictureId: id,
      author: h.author ?? '',
      url: h.url ?? '',
      title: h.title ?? DEFAULT_TITLE,
      description: h.description ?? '',
      shareModel: Number(h.shareModel ?? 1),
      createdAt: Number(h.createdAt ?? 0),
    };
  }
  async function pictures(appid: string, index: string, pageNumber: number, pageSize: number) {
    const { total, ids } = await store.pagePictures(appid, index, (pageNumber - 1) * pageSize, pageSize);
    const hs = await Promise.all(ids.map((id) => store.getPicture(appid, id)));
    return { total, pageNumber, pageSize, pictures: hs.flatMap((h, i) => (h ? [pictureView(ids[i] as string, h)] : [])) };
  }

  return {
    get,

    /** Starts a live video: a `live` room hosted by the author, and where to push / watch it. */
    async start(appid: string, uid: string, input: StartInput): Promise<VideoViewT> {
      const shareModel = input.shareModel ?? 1;
      if (shareModel === 4 && !input.password) throw new AppError('VALIDATION_FAILED', 'shareModel 4 (password) needs a password');
      if (input.groupId) {
        if (!(await store.getGroup(appid, input.groupId))) throw new AppError('LIVE_GROUP_NOT_FOUND', `no live group ${input.groupId}`);
        if (!(await store.isGroupMember(appid, input.groupId, uid))) throw new AppError('FORBIDDEN', `not a member of live group ${input.groupId}`);
      }
      const title = input.title?.trim() ? input.title : DEFAULT_TITLE;
      const room = await rooms.create(appid, { kind: LIVE_KIND, host: uid, label: 'live', started: false });
      const videoID = room.roomId;
      const vars = { appid, uid, videoID, host: config.LIVE_RTP_HOST, port: config.LIVE_RTP_PORT };
      const now = Date.now();
      const fields: Record<string, string> = {
        author: uid,
        title,
        description: input.description?.trim() ? input.description : DEFAULT_DESCRIPTION,
        save: input.save === 1 ? '1' : '0',
        calltype: input.calltype ?? '',
        shareModel: String(shareModel),
        content: String(input.content ?? 3),
        liveFlag: '1',
        host: config.LIVE_RTP_HOST,
        port: String(config.LIVE_RTP_PORT),
        rtspURL: fillTemplate(config.LIVE_RTSP_URL_TEMPLATE, vars),
        url: fillTemplate(config.LIVE_HLS_URL_TEMPLATE, vars),
        startedAt: String(now),
        ...(input.groupId ? { groupId: input.groupId } : {}),
        ...(shareModel === 4 && input.password ? { password: input.password } : {}),
      };
      await store.createVideo(appid, videoID, fields, {
        author: uid,
        ...(input.groupId ? { groupId: input.groupId } : {}),
        public: shareModel === 1,
        circle: shareModel === 1 || shareModel === 3,
      });
      await rooms.publishStarted(appid, { roomId: videoID, kind: LIVE_KIND, host: uid }, { videoID, title, shareModel });
      // Opt-in liveness: the author as the room's host member; the rooms sweep and its
      // host-timeout job then end a stream whose author went silent (endedByRoom below).
      if (input.heartbeat) {
        const r = await rooms.join(appid, videoID, uid, 'host');
        return toView(videoID, fields, r.memsize);
      }
      return toView(videoID, fields, 0);
    },

    /** The author (or, uid null, the app) stops the stream; its viewers hear room.state closed. */
    async stop(appid: string, videoID: string, uid: string | null): Promise<VideoViewT> {
      const h = await store.getVideo(appid, videoID);
      if (!h) throw new AppError('VIDEO_NOT_FOUND', `no video ${videoID}`);
      if (uid !== null && h.author !== uid) throw new AppError('FORBIDDEN', 'only the author stops the stream');
      await stopVideo(appid, videoID);
      return get(appid, videoID);
    },

    /** The room ended another way (POST /v1/rooms/:id/end by its host, the host timed out): the video stops. */
    async endedByRoom(appid: string, roomId: string, _reason: string): Promise<void> {
      await stopVideo(appid, roomId);
    },

    /** A viewer enters (room member `viewer`); heartbeats go to room.heartbeat / /v1/rooms/:id/heartbeat. */
    async join(appid: string, videoID: string, uid: string, password?: string) {
      const h = await store.getVideo(appid, videoID);
      if (!h) throw new AppError('VIDEO_NOT_FOUND', `no video ${videoID}`);
      if (h.liveFlag !== '1') throw new AppError('VIDEO_ENDED', `video ${videoID} is not live`);
      if (!(await mayWatch(appid, h, uid, password)))
        throw new AppError('FORBIDDEN', h.shareModel === '4' ? 'wrong or missing password' : 'this video is not shared with you');
      const r = await rooms.join(appid, videoID, uid, h.author === uid ? 'host' : 'viewer');
      return { video: toView(videoID, h, r.memsize), joined: r.joined, memsize: r.memsize };
    },
    async leave(appid: string, videoID: string, uid: string) {
      const r = await rooms.leave(appid, videoID, uid);
      return { left: r.left, memsize: r.memsize };
    },

    /** Reading one video: the same rule as watching (a stopped saved video is its recording). */
    async view(appid: string, videoID: string, uid: string | null, password?: string): Promise<VideoViewT> {
      const h = await store.getVideo(appid, videoID);
      if (!h || !(await mayWatch(appid, h, uid, password))) throw new AppError('VIDEO_NOT_FOUND', `no video ${videoID}`);
      const [viewers] = await rooms.memsizes(appid, [videoID]);
      return toView(videoID, h, viewers ?? 0);
    },

    /** m_listVideoByUid: the author's videos, live (1) or history (0). */
    byUser: (appid: string, uid: string, q: { liveFlag?: 0 | 1; pageNumber: number; pageSize: number }) =>
      page(appid, { sources: [store.k(appid, 'u', uid)] }, q),

    /**
     * listVideoConditional: group → that group's videos (see groupsSelection); author →
     * the author's own and their live groups' videos; neither → all the app's videos (the
     * caller proved the app).
     */
    async list(appid: string, q: ListQueryT, opts: { publicOnly?: boolean } = {}) {
      let sel: { sources: string[]; circleSources?: string[] };
      if (q.groupId !== undefined) sel = await groupsSelection(appid, [q.groupId]);
      else if (q.author !== undefined) {
        const groups = await groupsSelection(appid, await store.userGroups(appid, q.author));
        sel = { sources: [store.k(appid, 'u', q.author), ...groups.sources], circleSources: groups.circleSources };
      } else sel = { sources: [store.k(appid, 'all')] };
      return page(appid, sel, q, opts.publicOnly ?? false);
    },

    /** A user's listing: their own and their groups' videos, or one group they belong to. */
    async listFor(appid: string, uid: string, q: ListQueryT) {
      if (q.groupId !== undefined && !(await store.isGroupMember(appid, q.groupId, uid)))
        throw new AppError('FORBIDDEN', `not a member of live group ${q.groupId}`);
      if (q.author !== undefined && q.author !== uid)
        throw new AppError('FORBIDDEN', "another user's videos are listed by the app's backend (or the public hall)");
      return this.list(appid, q.groupId !== undefined ? q : { ...q, author: uid });
    },

    /** The video hall: public videos, live and saved. */
    publicVideos: (appid: string, q: { liveFlag?: 0 | 1; pageNumber: number; pageSize: number }) =>
      page(appid, { sources: [store.k(appid, 'public')] }, q),

    // ── live groups (the app's backend) ──
    async createGroup(appid: string, input: { name?: string; members?: string[] }) {
      await accounts.getApp(appid);
      const members = [...new Set(input.members ?? [])];
      const token = groupToken();
      const now = Date.now();
      const groupId = await store.createGroup(appid, input.name ?? '', token, members, now);
      return { groupId, name: input.name ?? '', token, members: members.sort(), createdAt: now };
    },
    async getGroup(appid: string, groupId: string) {
      const g = await store.getGroup(appid, groupId);
      if (!g) throw new AppError('LIVE_GROUP_NOT_FOUND', `no live group ${groupId}`);
      return { groupId, name: g.fields.name ?? '', token: g.fields.token ?? '', members: g.members, createdAt: Number(g.fields.createdAt ?? 0) };
    },
    async changeGroupMembers(appid: string, groupId: string, change: { add?: string[]; remove?: string[] }) {
      await this.getGroup(appid, groupId);
      await store.changeMembers(appid, groupId, change.add ?? [], change.remove ?? []);
      return this.getGroup(appid, groupId);
    },
    async rotateGroupToken(appid: string, groupId: string) {
      await this.getGroup(appid, groupId);
      await store.setGroupToken(appid, groupId, groupToken());
      return this.getGroup(appid, groupId);
    },
    async deleteGroup(appid: string, groupId: string) {
      await this.getGroup(appid, groupId);
      await store.deleteGroup(appid, groupId);
      return { deleted: true };
    },
    /** listVideoConditional with video.groupId: the group's token is its secret (constant-time). */
    async verifyGroupToken(appid: string, groupId: string, token: string): Promise<boolean> {
      const g = await store.getGroup(appid, groupId);
      return !!g && safeEqual(token, g.fields.token ?? '');
    },

    // ── pictures ──
    async postPicture(
      appid: string,
      uid: string,
      input: { url: string; title?: string; description?: string; shareModel?: 1 | 2 },
    ): Promise<PictureViewT> {
      const fields = {
        author: uid,
        url: input.url,
        title: input.title?.trim() ? input.title : DEFAULT_TITLE,
        description: input.description ?? '',
        shareModel: String(input.shareModel ?? 1),
        createdAt: String(Date.now()),
      };
      const id = await store.addPicture(appid, fields, (input.shareModel ?? 1) === 1);
      return pictureView(id, fields);
    },
    async getPicture(appid: string, id: string, uid: string | null): Promise<PictureViewT> {
      const h = /^[1-9][0-9]{0,15}$/.test(id) ? await store.getPicture(appid, id) : null;
      if (!h || (h.shareModel !== '1' && h.author !== uid)) throw new AppError('PICTURE_NOT_FOUND', `no picture ${id}`);
      return pictureView(id, h);
    },
    async deletePicture(appid: string, id: string, uid: string): Promise<{ deleted: boolean }> {
      const p = await this.getPicture(appid, id, uid);
      if (p.author !== uid) throw new AppError('FORBIDDEN', 'only the author deletes a picture');
      await store.deletePicture(appid, id, uid);
      return { deleted: true };
    },
    publicPictures: (appid: string, pageNumber: number, pageSize: number) => pictures(appid, store.k(appid, 'pics', 'public'), pageNumber, pageSize),
    myPictures: (appid: string, uid: string, pageNumber: number, pageSize: number) =>
      pictures(appid, store.k(appid, 'pics', 'u', uid), pageNumber, pageSize),
  };
}
