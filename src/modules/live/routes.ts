import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { AppIdSchema } from '../accounts/schemas.js';
import {
  CreateGroupBody,
  GroupMembersBody,
  JoinBody,
  JoinResult,
  ListQuery,
  LiveGroupIdSchema,
  LiveGroupView,
  PageQuery,
  PictureList,
  PictureView,
  PostPictureBody,
  StartBody,
  VideoIdSchema,
  VideoList,
  VideoView,
} from './schemas.js';
import { assertOwnApp } from '../accounts/auth-plugin.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const VideoParams = Type.Object({ videoID: VideoIdSchema });
const AppParams = Type.Object({ appid: AppIdSchema });
const GroupParams = Type.Object({ appid: AppIdSchema, groupId: LiveGroupIdSchema });
const PictureParams = Type.Object({ pictureId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) });
const PublicVideoQuery = Type.Object(
  {
    liveFlag: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1)])),
    pageNumber: Type.Integer({ minimum: 1, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
  },
  { additionalProperties: false },
);

export const liveRoutes: RoutePlugin = async (app, { services }) => {
  const { live } = services;

  // ── the streamer and viewers ───────────────────────────────────────────────
  app.post(
    '/v1/live/videos',
    {
      schema: {
        tags: ['live'],
        summary: 'Start a live video → videoID, host, port, rtspURL, url (HLS)',
        security: security.user,
        body: StartBody,
        response: { 201: VideoView, ...errors },
      },
    },
    async (req, reply) => {
      const s = req.session;
      return reply.code(201).send(await live.start(s.appid, s.uid, req.body));
    },
  );
  app.get(
    '/v1/live/videos',
    {
      schema: {
        tags: ['live'],
        summary: "My videos and my live groups' (or one group's), newest first",
        security: security.user,
        querystring: ListQuery,
        response: { 200: VideoList, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return live.listFor(s.appid, s.uid, req.query);
    },
  );
  app.get(
    '/v1/live/videos/:videoID',
    {
      schema: {
        tags: ['live'],
        summary: 'A video I may watch (?password= for shareModel 4)',
        security: security.user,
        params: VideoParams,
        querystring: Type.Object({ password: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: VideoView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return live.view(s.appid, req.params.videoID, s.uid, req.query.password);
    },
  );
  app.post(
    '/v1/live/videos/:videoID/stop',
    {
      schema: {
        tags: ['live'],
        summary: 'The author stops the stream',
        security: security.user,
        params: VideoParams,
        response: { 200: VideoView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return live.stop(s.appid, req.params.videoID, s.uid);
    },
  );
  app.post(
    '/v1/live/videos/:videoID/join',
    {
      schema: {
        tags: ['live'],
        summary: 'Watch: enter the room as a viewer (heartbeat it like any room)',
        security: security.user,
        params: VideoParams,
        body: Type.Optional(JoinBody),
        response: { 200: JoinResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return live.join(s.appid, req.params.videoID, s.uid, req.body?.password);
    },
  );
  app.post(
    '/v1/live/videos/:videoID/leave',
    {
      schema: {
        tags: ['live'],
        summary: 'Stop watching',
        security: security.user,
        params: VideoParams,
        response: { 200: Type.Object({ left: Type.Boolean(), memsize: Type.Integer() }), ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return live.leave(s.appid, req.params.videoID, s.uid);
    },
  );

  // ── the app's backend ──────────────────────────────────────────────────────
  app.get(
    '/v1/apps/:appid/live/videos',
    {
      schema: {
        tags: ['live'],
        summary: "The app's videos: all, an author's (own + their live groups'), or a group's; liveFlag 1 live / 0 history",
        security: security.appOrAdmin,
        params: AppParams,
        querystring: ListQuery,
        response: { 200: VideoList, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return live.list(req.params.appid, req.query);
    },
  );
  app.post(
    '/v1/apps/:appid/live/videos/:videoID/stop',
    {
      schema: {
        tags: ['live'],
        summary: 'The app stops a stream',
        security: security.appOrAdmin,
        params: Type.Object({ appid: AppIdSchema, videoID: VideoIdSchema }),
        response: { 200: VideoView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return live.stop(req.params.appid, req.params.videoID, null);
    },
  );
  app.post(
    '/v1/apps/:appid/live-groups',
    {
      schema: {
        tags: ['live'],
        summary: 'Create a live group (its token lists its videos)',
        security: security.app,
        params: AppParams,
        body: CreateGroupBody,
        response: { 201: LiveGroupView, ...errors },
      },
    },
    async (req, reply) => {
      assertOwnApp(req, req.params.appid);
      return reply.code(201).send(await live.createGroup(req.params.appid, req.body));
    },
  );
  app.get(
    '/v1/apps/:appid/live-groups/:groupId',
    {
      schema: {
        tags: ['live'],
        summary: 'A live group with its token and members',
        security: security.appOrAdmin,
        params: GroupParams,
        response: { 200: LiveGroupView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return live.getGroup(req.params.appid, req.params.groupId);
    },
  );
  app.post(
    '/v1/apps/:appid/live-groups/:groupId/members',
    {
      schema: {
        tags: ['live'],
        summary: 'Add / remove members',
        security: security.app,
        params: GroupParams,
        body: GroupMembersBody,
        response: { 200: LiveGroupView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return live.changeGroupMembers(req.params.appid, req.params.groupId, req.body);
    },
  );
  app.post(
    '/v1/apps/:appid/live-groups/:groupId/token',
    {
      schema: {
        tags: ['live'],
        summary: 'A new token (the old one stops working)',
        security: security.app,
        params: GroupParams,
        response: { 200: LiveGroupView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return live.rotateGroupToken(req.params.appid, req.params.groupId);
    },
  );
  app.delete(
    '/v1/apps/:appid/live-groups/:groupId',
    {
      schema: {
        tags: ['live'],
        summary: 'Delete a live group (its videos stay)',
        security: security.app,
        params: GroupParams,
        response: { 200: Type.Object({ deleted: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return live.deleteGroup(req.params.appid, req.params.groupId);
    },
  );

  // ── pictures ───────────────────────────────────────────────────────────────
  app.post(
    '/v1/pictures',
    {
      schema: {
        tags: ['live'],
        summary: 'Post a picture by URL (shareModel 1: in the public picture hall)',
        security: security.user,
        body: PostPictureBody,
        response: { 201: PictureView, ...errors },
      },
    },
    async (req, reply) => {
      const s = req.session;
      return reply.code(201).send(await live.postPicture(s.appid, s.uid, req.body));
    },
  );
  app.get(
    '/v1/pictures',
    {
      schema: { tags: ['live'], summary: 'My pictures', security: security.user, querystring: PageQuery, response: { 200: PictureList, ...errors } },
    },
    async (req) => {
      const s = req.session;
      return live.myPictures(s.appid, s.uid, req.query.pageNumber, req.query.pageSize);
    },
  );
  app.delete(
    '/v1/pictures/:pictureId',
    {
      schema: {
        tags: ['live'],
        summary: 'Delete my picture',
        security: security.user,
        params: PictureParams,
        response: { 200: Type.Object({ deleted: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return live.deletePicture(s.appid, req.params.pictureId, s.uid);
    },
  );

  // ── public, no login (the video and picture halls) ─────────────────────────
  app.get(
    '/v1/public/:appid/videos',
    {
      schema: {
        tags: ['live'],
        summary: 'Public videos (shareModel 1), live and saved; no login',
        params: AppParams,
        querystring: PublicVideoQuery,
        response: { 200: VideoList, ...errors },
      },
    },
    async (req) => {
      await services.accounts.getApp(req.params.appid);
      return live.publicVideos(req.params.appid, req.query);
    },
  );
  app.get(
    '/v1/public/:appid/pictures',
    {
      schema: {
        tags: ['live'],
        summary: 'Public pictures; no login',
        params: AppParams,
        querystring: PageQuery,
        response: { 200: PictureList, ...errors },
      },
    },
    async (req) => {
      await services.accounts.getApp(req.params.appid);
      return live.publicPictures(req.params.appid, req.query.pageNumber, req.query.pageSize);
    },
  );
  app.get(
    '/v1/public/:appid/pictures/:pictureId',
    {
      schema: {
        tags: ['live'],
        summary: 'A public picture; no login',
        params: Type.Object({ appid: AppIdSchema, pictureId: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) }),
        response: { 200: PictureView, ...errors },
      },
    },
    async (req) => live.getPicture(req.params.appid, req.params.pictureId, null),
  );
};
