// Live streams (seed 004 §3.2.3–3.2.4). A live video is a room of kind `live` of the rooms
// module (videoID = room id), so viewers are room members (join / heartbeat / leave, timed
// out by the sweep) and dashboards see live rooms; room.started / room.ended come from the
// rooms module (room.started carries the video's title and share model).
// The media server is outside Switchboard: start answers where to push (host, port) and the
// RTSP/HLS URLs built from the LIVE_* templates. Live groups (with a token each, managed by
// the app's backend) gather videos for listVideoConditional; pictures are posted by URL.
import { randomBytes } from 'node:crypto';
import { AppError, isAppError } from '../../infra/errors.js';
import { safeEqual } from '../../infra/passwords.js';
import { DEFAULT_DESCRIPTION, DEFAULT_TITLE } from './schemas.js';
import { createLiveStore } from './store.js';
export const LIVE_KIND = 'live';
/** Fills {appid} {uid} {videoID} {host} {port} in a media-server URL template. */
export function fillTemplate(template, vars) {
    return template.replace(/\{(appid|uid|videoID|host|port)\}/g, (_, name) => encodeURIComponent(String(vars[name] ?? '')));
}
const groupToken = () => randomBytes(15).toString('base64url').slice(0, 20);
export function createLiveService(core, deps) {
    const store = createLiveStore(core.redis, core.keys);
    const { accounts, rooms } = deps;
    const { config } = core;
    function toView(videoID, h, viewers) {
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
    async function views(appid, ids) {
        const [records, sizes] = await Promise.all([store.getVideos(appid, ids), rooms.memsizes(appid, ids)]);
        const out = [];
        records.forEach((h, i) => {
            if (h)
                out.push(toView(ids[i], h, sizes[i] ?? 0));
        });
        return out;
    }
    async function get(appid, videoID) {
        const [v] = await views(appid, [videoID]);
        if (!v)
            throw new AppError('VIDEO_NOT_FOUND', `no video ${videoID}`);
        return v;
    }
    /** Who may watch: public; private = the author; circle = its live group; password = whoever knows it. */
    async function mayWatch(appid, h, uid, password) {
        if (uid !== null && h.author === uid)
            return true;
        switch (h.shareModel) {
            case '1':
                return true;
            case '3':
                return uid !== null && !!h.groupId && (await store.isGroupMember(appid, h.groupId, uid));
            case '4':
                return password !== undefined && !!h.password && safeEqual(password, h.password);
            default:
                return false;
        }
    }
    async function page(appid, sources, q, publicOnly = false) {
        const state = q.liveFlag === 1 ? 'now' : q.liveFlag === 0 ? 'hist' : 'listed';
        const { total, ids } = await store.query(appid, sources, state, (q.pageNumber - 1) * q.pageSize, q.pageSize, publicOnly);
        return { total, pageNumber: q.pageNumber, pageSize: q.pageSize, videos: await views(appid, ids) };
    }
    async function stopVideo(appid, videoID) {
        const r = await store.stop(appid, videoID, Date.now());
        if (r === -1)
            throw new AppError('VIDEO_NOT_FOUND', `no video ${videoID}`);
        // The room's close is idempotent (a second stop closes nothing and publishes nothing).
        await rooms.close(appid, videoID, 'ended').catch((err) => {
            if (!isAppError(err, 'ROOM_NOT_FOUND'))
                throw err;
        });
        return r === 1;
    }
    function pictureView(id, h) {
        return { pictureId: id, author: h.author ?? '', url: h.url ?? '', title: h.title ?? DEFAULT_TITLE, description: h.description ?? '', shareModel: Number(h.shareModel ?? 1), createdAt: Number(h.createdAt ?? 0) };
    }
    async function pictures(appid, index, pageNumber, pageSize) {
        const { total, ids } = await store.pagePictures(appid, index, (pageNumber - 1) * pageSize, pageSize);
        const hs = await Promise.all(ids.map((id) => store.getPicture(appid, id)));
        return { total, pageNumber, pageSize, pictures: hs.flatMap((h, i) => (h ? [pictureView(ids[i], h)] : [])) };
    }
    return {
        get,
        /** Starts a live video: a `live` room hosted by the author, and where to push / watch it. */
        async start(appid, uid, input) {
            const shareModel = input.shareModel ?? 1;
            if (shareModel === 4 && !input.password)
                throw new AppError('VALIDATION_FAILED', 'shareModel 4 (password) needs a password');
            if (input.groupId) {
                if (!(await store.getGroup(appid, input.groupId)))
                    throw new AppError('LIVE_GROUP_NOT_FOUND', `no live group ${input.groupId}`);
                if (!(await store.isGroupMember(appid, input.groupId, uid)))
                    throw new AppError('FORBIDDEN', `not a member of live group ${input.groupId}`);
            }
            const title = input.title?.trim() ? input.title : DEFAULT_TITLE;
            const room = await rooms.create(appid, { kind: LIVE_KIND, host: uid, label: 'live', started: false });
            const videoID = room.roomId;
            const vars = { appid, uid, videoID, host: config.LIVE_RTP_HOST, port: config.LIVE_RTP_PORT };
            const now = Date.now();
            const fields = {
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
            await store.createVideo(appid, videoID, fields, { author: uid, ...(input.groupId ? { groupId: input.groupId } : {}), public: shareModel === 1 });
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
        async stop(appid, videoID, uid) {
            const h = await store.getVideo(appid, videoID);
            if (!h)
                throw new AppError('VIDEO_NOT_FOUND', `no video ${videoID}`);
            if (uid !== null && h.author !== uid)
                throw new AppError('FORBIDDEN', 'only the author stops the stream');
            await stopVideo(appid, videoID);
            return get(appid, videoID);
        },
        /** The room ended another way (POST /v1/rooms/:id/end by its host, the host timed out): the video stops. */
        async endedByRoom(appid, roomId, _reason) {
            await stopVideo(appid, roomId);
        },
        /** A viewer enters (room member `viewer`); heartbeats go to room.heartbeat / /v1/rooms/:id/heartbeat. */
        async join(appid, videoID, uid, password) {
            const h = await store.getVideo(appid, videoID);
            if (!h)
                throw new AppError('VIDEO_NOT_FOUND', `no video ${videoID}`);
            if (h.liveFlag !== '1')
                throw new AppError('VIDEO_ENDED', `video ${videoID} is not live`);
            if (!(await mayWatch(appid, h, uid, password)))
                throw new AppError('FORBIDDEN', h.shareModel === '4' ? 'wrong or missing password' : 'this video is not shared with you');
            const r = await rooms.join(appid, videoID, uid, h.author === uid ? 'host' : 'viewer');
            return { video: toView(videoID, h, r.memsize), joined: r.joined, memsize: r.memsize };
        },
        async leave(appid, videoID, uid) {
            const r = await rooms.leave(appid, videoID, uid);
            return { left: r.left, memsize: r.memsize };
        },
        /** Reading one video: the same rule as watching (a stopped saved video is its recording). */
        async view(appid, videoID, uid, password) {
            const h = await store.getVideo(appid, videoID);
            if (!h || !(await mayWatch(appid, h, uid, password)))
                throw new AppError('VIDEO_NOT_FOUND', `no video ${videoID}`);
            const [viewers] = await rooms.memsizes(appid, [videoID]);
            return toView(videoID, h, viewers ?? 0);
        },
        /** m_listVideoByUid: the author's videos, live (1) or history (0). */
        byUser: (appid, uid, q) => page(appid, [store.k(appid, 'u', uid)], q),
        /**
         * listVideoConditional: group → that group's videos; author → the author's own and
         * their live groups' videos; neither → all the app's videos (the caller proved the app).
         */
        async list(appid, q, opts = {}) {
            let sources;
            if (q.groupId !== undefined)
                sources = [store.k(appid, 'g', q.groupId)];
            else if (q.author !== undefined)
                sources = [store.k(appid, 'u', q.author), ...(await store.userGroups(appid, q.author)).map((g) => store.k(appid, 'g', g))];
            else
                sources = [store.k(appid, 'all')];
            return page(appid, sources, q, opts.publicOnly ?? false);
        },
        /** A user's listing: their own and their groups' videos, or one group they belong to. */
        async listFor(appid, uid, q) {
            if (q.groupId !== undefined && !(await store.isGroupMember(appid, q.groupId, uid)))
                throw new AppError('FORBIDDEN', `not a member of live group ${q.groupId}`);
            if (q.author !== undefined && q.author !== uid)
                throw new AppError('FORBIDDEN', "another user's videos are listed by the app's backend (or the public hall)");
            return this.list(appid, q.groupId !== undefined ? q : { ...q, author: uid });
        },
        /** The video hall: public videos, live and saved. */
        publicVideos: (appid, q) => page(appid, [store.k(appid, 'public')], q),
        // ── live groups (the app's backend) ──
        async createGroup(appid, input) {
            await accounts.getApp(appid);
            const members = [...new Set(input.members ?? [])];
            const token = groupToken();
            const now = Date.now();
            const groupId = await store.createGroup(appid, input.name ?? '', token, members, now);
            return { groupId, name: input.name ?? '', token, members: members.sort(), createdAt: now };
        },
        async getGroup(appid, groupId) {
            const g = await store.getGroup(appid, groupId);
            if (!g)
                throw new AppError('LIVE_GROUP_NOT_FOUND', `no live group ${groupId}`);
            return { groupId, name: g.fields.name ?? '', token: g.fields.token ?? '', members: g.members, createdAt: Number(g.fields.createdAt ?? 0) };
        },
        async changeGroupMembers(appid, groupId, change) {
            await this.getGroup(appid, groupId);
            await store.changeMembers(appid, groupId, change.add ?? [], change.remove ?? []);
            return this.getGroup(appid, groupId);
        },
        async rotateGroupToken(appid, groupId) {
            await this.getGroup(appid, groupId);
            await store.setGroupToken(appid, groupId, groupToken());
            return this.getGroup(appid, groupId);
        },
        async deleteGroup(appid, groupId) {
            await this.getGroup(appid, groupId);
            await store.deleteGroup(appid, groupId);
            return { deleted: true };
        },
        /** listVideoConditional with video.groupId: the group's token is its secret (constant-time). */
        async verifyGroupToken(appid, groupId, token) {
            const g = await store.getGroup(appid, groupId);
            return !!g && safeEqual(token, g.fields.token ?? '');
        },
        // ── pictures ──
        async postPicture(appid, uid, input) {
            const fields = { author: uid, url: input.url, title: input.title?.trim() ? input.title : DEFAULT_TITLE, description: input.description ?? '', shareModel: String(input.shareModel ?? 1), createdAt: String(Date.now()) };
            const id = await store.addPicture(appid, fields, (input.shareModel ?? 1) === 1);
            return pictureView(id, fields);
        },
        async getPicture(appid, id, uid) {
            const h = /^[1-9][0-9]{0,15}$/.test(id) ? await store.getPicture(appid, id) : null;
            if (!h || (h.shareModel !== '1' && h.author !== uid))
                throw new AppError('PICTURE_NOT_FOUND', `no picture ${id}`);
            return pictureView(id, h);
        },
        async deletePicture(appid, id, uid) {
            const p = await this.getPicture(appid, id, uid);
            if (p.author !== uid)
                throw new AppError('FORBIDDEN', 'only the author deletes a picture');
            await store.deletePicture(appid, id, uid);
            return { deleted: true };
        },
        publicPictures: (appid, pageNumber, pageSize) => pictures(appid, store.k(appid, 'pics', 'public'), pageNumber, pageSize),
        myPictures: (appid, uid, pageNumber, pageSize) => pictures(appid, store.k(appid, 'pics', 'u', uid), pageNumber, pageSize),
    };
}
//# sourceMappingURL=service.js.map