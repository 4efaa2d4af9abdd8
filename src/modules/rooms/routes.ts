import { Type } from 'typebox';
import { AppError } from '../../infra/errors.js';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import {
  CreateRoomBody,
  EnterResult,
  GroupIdBody,
  LeaveResult,
  MemberList,
  MembersQuery,
  MessageList,
  MessagesQuery,
  RoomIdSchema,
  RoomMessage,
  RoomView,
  SendMessageBody,
} from './schemas.js';

const Params = Type.Object({ roomId: RoomIdSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const roomsRoutes: RoutePlugin = async (app, { services }) => {
  const { rooms } = services;

  app.post(
    '/v1/rooms',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Create a generic room hosted by the caller (courses are created through /v1/courses)',
        security: security.user,
        body: Type.Optional(CreateRoomBody),
        response: { 201: RoomView, ...errors },
      },
    },
    async (req, reply) => {
      const s = req.session;
      const kind = req.body?.kind ?? 'room';
      // Rooms of a feature (classroom …) carry that feature's state: only the feature creates them.
      if (rooms.ownsKind(kind)) throw new AppError('FORBIDDEN', `rooms of kind ${kind} are created by their feature`);
      return reply.code(201).send(await rooms.create(s.appid, { kind, host: s.uid, ...(req.body?.groupid ? { groupid: req.body.groupid } : {}) }));
    },
  );

  app.get(
    '/v1/rooms/:roomId',
    {
      schema: { tags: ['rooms'], summary: 'Read a room', security: security.user, params: Params, response: { 200: RoomView, ...errors } },
    },
    async (req) => {
      const s = req.session;
      return rooms.get(s.appid, req.params.roomId);
    },
  );

  app.post(
    '/v1/rooms/:roomId/join',
    {
      schema: {
        tags: ['rooms'],
        summary: "Enter the room (the caller's sockets follow it)",
        security: security.user,
        params: Params,
        response: { 200: EnterResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return { roomId: req.params.roomId, ...(await rooms.join(s.appid, req.params.roomId, s.uid)) };
    },
  );

  app.post(
    '/v1/rooms/:roomId/heartbeat',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Still here (every few seconds; silent members are removed after ROOM_MEMBER_TIMEOUT_MS)',
        security: security.user,
        params: Params,
        response: { 200: EnterResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return { roomId: req.params.roomId, ...(await rooms.heartbeat(s.appid, req.params.roomId, s.uid)) };
    },
  );

  app.post(
    '/v1/rooms/:roomId/leave',
    {
      schema: { tags: ['rooms'], summary: 'Leave the room', security: security.user, params: Params, response: { 200: LeaveResult, ...errors } },
    },
    async (req) => {
      const s = req.session;
      return rooms.leave(s.appid, req.params.roomId, s.uid);
    },
  );

  app.post(
    '/v1/rooms/:roomId/end',
    {
      schema: {
        tags: ['rooms'],
        summary: 'The host ends the room (a course ends as by exitroom)',
        security: security.user,
        params: Params,
        response: { 200: RoomView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return rooms.end(s.appid, req.params.roomId, s.uid);
    },
  );

  app.put(
    '/v1/rooms/:roomId/groupid',
    {
      schema: {
        tags: ['rooms'],
        summary: 'The host reports the IM group id actually created for the room',
        security: security.user,
        params: Params,
        body: GroupIdBody,
        response: { 200: RoomView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return rooms.setGroupId(s.appid, req.params.roomId, s.uid, req.body.groupid);
    },
  );

  app.get(
    '/v1/rooms/:roomId/members',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Members with their roles, in order of entry',
        security: security.user,
        params: Params,
        querystring: MembersQuery,
        response: { 200: MemberList, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return rooms.members(s.appid, req.params.roomId, req.query.offset, req.query.limit);
    },
  );

  app.post(
    '/v1/rooms/:roomId/messages',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Send a chat message to the room (members only)',
        security: security.user,
        params: Params,
        body: SendMessageBody,
        response: { 201: RoomMessage, ...errors },
      },
    },
    async (req, reply) => {
      const s = req.session;
      return reply.code(201).send(await rooms.send(s.appid, req.params.roomId, s.uid, req.body));
    },
  );

  app.get(
    '/v1/rooms/:roomId/messages',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Stored chat messages with after < seq ≤ to (playback: begin_imseq … end_imseq)',
        security: security.user,
        params: Params,
        querystring: MessagesQuery,
        response: { 200: MessageList, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return rooms.messages(s.appid, req.params.roomId, {
        after: req.query.after,
        limit: req.query.limit,
        ...(req.query.to !== undefined ? { to: req.query.to } : {}),
      });
    },
  );
};
