// Live streams (seed 004 §3.2.3–3.2.4) on the rooms module: start with the seed's defaults
// and URLs from the media-server templates, viewers as room members under the share model,
// stop (by the author, or by ending the room), business events once each, listings.
import type { Socket } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/infra/events.js';
import { call, collect, connect, createApp, issueToken, startServer, startTestWorkers, until, useStack } from '../helpers.js';

const APPID = 'liveapp';
const stack = useStack(
  {
    LIVE_RTP_HOST: 'rtp.media.test',
    LIVE_RTP_PORT: 6000,
    LIVE_RTSP_URL_TEMPLATE: 'rtsp://{host}:554/{appid}/{videoID}',
    LIVE_HLS_URL_TEMPLATE: 'https://hls.media.test/streams/{uid}/{videoID}/live.m3u8',
  },
  { workers: false, app: { appid: APPID } },
);
const tokens: Record<string, string> = {};
const sockets: Record<string, Socket> = {};
const events: DomainEvent[] = [];

beforeAll(async () => {
  const { srv, app } = stack;
  srv.app.core.events.onPublish((e) => {
    if (e.appid === APPID) events.push(e);
  });
  for (const id of ['star', 'fan', 'friend', 'stranger']) {
    tokens[id] = await issueToken(srv.url, app, id);
    sockets[id] = stack.track((await connect(srv.url, tokens[id])).socket);
  }
});

const ack = async (who: string, event: string, payload: unknown) => sockets[who]!.emitWithAck(event, payload);

describe('live streams', () => {
  it('starts with the seed defaults and the templated URLs; room.started once, with the video', async () => {
    const r = await ack('star', 'live.start', {});
    expect(r.ok).toBe(true);
    const v = r.data;
    expect(v).toMatchObject({
      author: 'star',
      title: '无标题',
      description: '作者有点懒,没有提供该视频的描述信息',
      save: 0,
      calltype: '',
      shareModel: 1,
      content: 3,
      liveFlag: 1,
      host: 'rtp.media.test',
      port: 6000,
      rtspURL: `rtsp://rtp.media.test:554/${APPID}/${v.videoID}`,
      url: `https://hls.media.test/streams/star/${v.videoID}/live.m3u8`,
      viewers: 0,
    });
    const room = await call(stack.url, 'GET', `/v1/rooms/${v.videoID}`, { token: tokens.fan });
    expect(room.body).toMatchObject({ roomId: v.videoID, kind: 'live', host: 'star', state: 'open' });
    const started = events.filter((e) => e.name === 'room.started' && e.data.roomId === v.videoID);
    expect(started).toHaveLength(1);
    expect(started[0]!.data).toMatchObject({ kind: 'live', host: 'star', videoID: v.videoID, title: '无标题', shareModel: 1 });
    const full = await ack('star', 'live.start', { title: 'DT show', description: 'd', save: 1, calltype: 'DT', content: 2 });
    expect(full.data).toMatchObject({ title: 'DT show', description: 'd', save: 1, calltype: 'DT', content: 2 });
    expect((await ack('star', 'live.start', { shareModel: 5 })).error.code).toBe('VALIDATION_FAILED');
    expect((await ack('star', 'live.start', { shareModel: 4 })).error.message).toMatch(/password/);
  });

  it('viewers join and leave as room members; the stop closes the room for them; room.ended once', async () => {
    const v = (await ack('star', 'live.start', { title: 'watch me', save: 1 })).data;
    const fanMembers = collect(sockets.fan!, 'room.member');
    const fanStates = collect(sockets.fan!, 'room.state');
    const j1 = await ack('fan', 'live.join', { videoID: v.videoID });
    expect(j1.data).toMatchObject({ joined: true, memsize: 1, video: { videoID: v.videoID, viewers: 1 } });
    const j2 = await call(stack.url, 'POST', `/v1/live/videos/${v.videoID}/join`, { token: tokens.stranger, body: {} });
    expect(j2.body).toMatchObject({ joined: true, memsize: 2 });
    await until(() => fanMembers.some((m) => m.uid === 'stranger' && m.action === 'joined'), 5000, 'stranger joined at fan');
    expect(
      (await call(stack.url, 'GET', `/v1/rooms/${v.videoID}/members`, { token: tokens.fan })).body.members
        .map((m: { uid: string; role: string }) => [m.uid, m.role])
        .sort(),
    ).toEqual([
      ['fan', 'viewer'],
      ['stranger', 'viewer'],
    ]);
    // Viewers heartbeat like any room member.
    expect((await ack('fan', 'room.heartbeat', { roomId: v.videoID })).ok).toBe(true);
    expect((await ack('stranger', 'live.leave', { videoID: v.videoID })).data).toEqual({ left: true, memsize: 1 });
    await until(() => fanMembers.some((m) => m.uid === 'stranger' && m.action === 'left'), 5000, 'stranger left at fan');

    expect((await ack('fan', 'live.stop', { videoID: v.videoID })).error.code).toBe('FORBIDDEN');
    const stopped = await ack('star', 'live.stop', { videoID: v.videoID });
    expect(stopped.data).toMatchObject({ liveFlag: 0, viewers: 0 });
    expect(stopped.data.endedAt).toBeGreaterThanOrEqual(stopped.data.startedAt);
    await until(() => fanStates.some((s) => s.roomId === v.videoID && s.state === 'ended'), 5000, 'room closed at fan');
    expect((await ack('fan', 'live.join', { videoID: v.videoID })).error.code).toBe('VIDEO_ENDED');
    // Stopping again changes nothing and publishes nothing.
    expect((await ack('star', 'live.stop', { videoID: v.videoID })).data.liveFlag).toBe(0);
    expect(events.filter((e) => e.name === 'room.ended' && e.data.roomId === v.videoID)).toHaveLength(1);
    expect(events.filter((e) => e.name === 'room.member.joined' && e.data.roomId === v.videoID)).toHaveLength(2);
  });

  it('ending the room (generic rooms API, by its host) stops the video', async () => {
    const v = (await ack('star', 'live.start', { title: 'ended by room' })).data;
    expect((await call(stack.url, 'POST', `/v1/rooms/${v.videoID}/end`, { token: tokens.star })).status).toBe(200);
    expect((await ack('star', 'live.get', { videoID: v.videoID })).data.liveFlag).toBe(0);
    expect(events.filter((e) => e.name === 'room.ended' && e.data.roomId === v.videoID)).toHaveLength(1);
  });

  it("heartbeat: true — the author is the room's host; a silent author stops the stream (rooms sweep + host timeout, real workers)", async () => {
    const quick = await startServer({ ROOM_MEMBER_TIMEOUT_MS: 300, ROOM_SWEEP_INTERVAL_MS: 100, ROOM_HOST_GRACE_MS: 0 });
    const workers = await startTestWorkers(quick.config);
    try {
      const qa = await createApp(quick.url, { appid: 'quicklive' });
      const t = (await call(quick.url, 'POST', '/v1/apps/quicklive/tokens', { basic: ['quicklive', qa.secret], body: { uid: 'caster' } })).body.token;
      const beating = await call(quick.url, 'POST', '/v1/live/videos', { token: t, body: { title: 'kept alive', heartbeat: true } });
      expect(beating.body).toMatchObject({ liveFlag: 1, viewers: 1 });
      const plain = await call(quick.url, 'POST', '/v1/live/videos', { token: t, body: { title: 'no heartbeat' } });
      const members = await call(quick.url, 'GET', `/v1/rooms/${beating.body.videoID}/members`, { token: t });
      expect(members.body.members.map((m: { uid: string; role: string }) => [m.uid, m.role])).toEqual([['caster', 'host']]);
      // The author goes silent: the stream stops by itself; the one without heartbeat stays live.
      await until(
        async () => (await call(quick.url, 'GET', `/v1/live/videos/${beating.body.videoID}`, { token: t })).body.liveFlag === 0,
        10_000,
        'the silent stream to stop',
      );
      expect((await call(quick.url, 'GET', `/v1/live/videos/${plain.body.videoID}`, { token: t })).body.liveFlag).toBe(1);
    } finally {
      await workers.close();
      await quick.close();
    }
  });

  it('share models: private (author only), circle (its live group), password', async () => {
    const g = await call(stack.url, 'POST', `/v1/apps/${APPID}/live-groups`, {
      basic: [APPID, stack.app.secret],
      body: { name: 'circle', members: ['star', 'friend'] },
    });
    const priv = (await ack('star', 'live.start', { shareModel: 2 })).data;
    const circle = (await ack('star', 'live.start', { shareModel: 3, groupId: g.body.groupId })).data;
    const pass = (await ack('star', 'live.start', { shareModel: 4, password: 'open sesame' })).data;
    expect((await ack('fan', 'live.join', { videoID: priv.videoID })).error.code).toBe('FORBIDDEN');
    expect((await ack('fan', 'live.get', { videoID: priv.videoID })).error.code).toBe('VIDEO_NOT_FOUND');
    expect((await ack('friend', 'live.join', { videoID: circle.videoID })).ok).toBe(true);
    expect((await ack('fan', 'live.join', { videoID: circle.videoID })).error.code).toBe('FORBIDDEN');
    expect((await ack('fan', 'live.join', { videoID: pass.videoID, password: 'wrong' })).error.message).toMatch(/password/);
    expect((await ack('fan', 'live.join', { videoID: pass.videoID, password: 'open sesame' })).ok).toBe(true);
    expect((await ack('fan', 'live.start', { groupId: g.body.groupId })).error.code).toBe('FORBIDDEN');
    expect((await ack('star', 'live.start', { groupId: '999' })).error.code).toBe('LIVE_GROUP_NOT_FOUND');
    // The group's token lists its videos; a new token replaces it.
    const rotated = await call(stack.url, 'POST', `/v1/apps/${APPID}/live-groups/${g.body.groupId}/token`, { basic: [APPID, stack.app.secret] });
    expect(rotated.body.token).not.toBe(g.body.token);
    expect(await stack.srv.app.services.live.verifyGroupToken(APPID, g.body.groupId, g.body.token)).toBe(false);
    expect(await stack.srv.app.services.live.verifyGroupToken(APPID, g.body.groupId, rotated.body.token)).toBe(true);
    const members = await call(stack.url, 'POST', `/v1/apps/${APPID}/live-groups/${g.body.groupId}/members`, {
      basic: [APPID, stack.app.secret],
      body: { add: ['fan'], remove: ['friend'] },
    });
    expect(members.body.members).toEqual(['fan', 'star']);
    const mine = await call(stack.url, 'GET', `/v1/live/videos?groupId=${g.body.groupId}`, { token: tokens.fan });
    // The group's videos: the one started in it, and its members' public and circle ones;
    // never a member's private or password video (the list carries the stream URLs).
    const listed = mine.body.videos.map((x: { videoID: string }) => x.videoID);
    expect(listed).toContain(circle.videoID);
    expect(listed).not.toContain(priv.videoID);
    expect(listed).not.toContain(pass.videoID);
    expect(
      mine.body.videos.every(
        (x: { videoID: string; shareModel: number }) => x.videoID === circle.videoID || x.shareModel === 1 || x.shareModel === 3,
      ),
    ).toBe(true);
    // A circle video started in no group: the author's groups' members may watch it, and it is listed there.
    const loose = (await ack('star', 'live.start', { shareModel: 3 })).data;
    expect((await ack('fan', 'live.join', { videoID: loose.videoID })).ok).toBe(true);
    expect((await ack('friend', 'live.join', { videoID: loose.videoID })).error.code).toBe('FORBIDDEN'); // left the group above
    expect(
      (await call(stack.url, 'GET', `/v1/live/videos?groupId=${g.body.groupId}`, { token: tokens.fan })).body.videos.map(
        (x: { videoID: string }) => x.videoID,
      ),
    ).toContain(loose.videoID);
    expect((await call(stack.url, 'GET', `/v1/live/videos?groupId=${g.body.groupId}`, { token: tokens.friend })).body.error.code).toBe('FORBIDDEN');
  });

  it("lists: mine, the app's (live / history), and the public hall without login", async () => {
    const mine = await call(stack.url, 'GET', '/v1/live/videos?liveFlag=0', { token: tokens.star });
    expect(mine.body.videos.map((x: { title: string }) => x.title)).toEqual(['watch me']); // saved and stopped; 'ended by room' was not saved
    const live = await call(stack.url, 'GET', `/v1/apps/${APPID}/live/videos?liveFlag=1&author=star&pageSize=2`, {
      basic: [APPID, stack.app.secret],
    });
    expect(live.body).toMatchObject({ pageNumber: 1, pageSize: 2 });
    expect(live.body.total).toBe(6); // 无标题, DT show, private, circle, password, circle in no group
    expect(live.body.videos).toHaveLength(2);
    const hall = await call(stack.url, 'GET', `/v1/public/${APPID}/videos`);
    expect(hall.body.videos.map((x: { title: string }) => x.title).sort()).toEqual(['DT show', 'watch me', '无标题']);
    expect((await call(stack.url, 'GET', `/v1/apps/${APPID}/live/videos`, { basic: [APPID, 'wrong'] })).status).toBe(401);
  });
});
