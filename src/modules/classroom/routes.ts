import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { EnterResult, LeaveResult } from '../rooms/schemas.js';
import {
  BindFile,
  BindList,
  BindResult,
  CourseList,
  CourseListQuery,
  CourseView,
  CreateCourseBody,
  IdList,
  PageQuery,
  RecordedBody,
  RoomnumSchema,
  UnbindQuery,
} from './schemas.js';

const Params = Type.Object({ roomnum: RoomnumSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const classroomRoutes: RoutePlugin = async (app, { services }) => {
  const { classroom } = services;

  app.post(
    '/v1/courses',
    {
      schema: {
        tags: ['classroom'],
        summary: 'A teacher creates a course: a new room (roomnum, groupid), state 0',
        security: security.user,
        body: CreateCourseBody,
        response: { 201: CourseView, ...errors },
      },
    },
    async (req, reply) => {
      const s = req.session;
      return reply.code(201).send(await classroom.create(s.appid, s.uid, req.body));
    },
  );

  app.get(
    '/v1/courses',
    {
      schema: {
        tags: ['classroom'],
        summary: 'Courses, newest first, filtered (seed roomlist)',
        security: security.user,
        querystring: CourseListQuery,
        response: { 200: CourseList, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return classroom.list(s.appid, req.query);
    },
  );

  app.get(
    '/v1/courses/:roomnum',
    {
      schema: { tags: ['classroom'], summary: 'Read a course', security: security.user, params: Params, response: { 200: CourseView, ...errors } },
    },
    async (req) => {
      const s = req.session;
      return classroom.get(s.appid, req.params.roomnum);
    },
  );

  app.post(
    '/v1/courses/:roomnum/start',
    {
      schema: {
        tags: ['classroom'],
        summary: 'Its teacher starts the course: state 1, begin_time, begin_imseq',
        security: security.user,
        params: Params,
        response: { 200: CourseView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return classroom.start(s.appid, s.uid, req.params.roomnum);
    },
  );

  app.post(
    '/v1/courses/:roomnum/exit',
    {
      schema: {
        tags: ['classroom'],
        summary: 'Its teacher ends the course (seed exitroom): state 2, end_time, end_imseq, room closed',
        security: security.user,
        params: Params,
        response: { 200: CourseView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return classroom.exit(s.appid, s.uid, req.params.roomnum);
    },
  );

  app.post(
    '/v1/courses/:roomnum/enter',
    {
      schema: {
        tags: ['classroom'],
        summary: 'Enter the course room (seed reportmemid operate 0)',
        security: security.user,
        params: Params,
        response: { 200: EnterResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return { roomId: String(req.params.roomnum), ...(await classroom.enter(s.appid, s.uid, req.params.roomnum)) };
    },
  );

  app.post(
    '/v1/courses/:roomnum/leave',
    {
      schema: {
        tags: ['classroom'],
        summary: 'Leave the course room (seed reportmemid operate 1)',
        security: security.user,
        params: Params,
        response: { 200: LeaveResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return classroom.leave(s.appid, s.uid, req.params.roomnum);
    },
  );

  app.post(
    '/v1/courses/:roomnum/heartbeat',
    {
      schema: {
        tags: ['classroom'],
        summary: 'Heartbeat in the course room (seed heartbeat, every 3 s)',
        security: security.user,
        params: Params,
        response: { 200: EnterResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return { roomId: String(req.params.roomnum), ...(await classroom.heartbeat(s.appid, s.uid, req.params.roomnum)) };
    },
  );

  app.get(
    '/v1/courses/:roomnum/members',
    {
      schema: {
        tags: ['classroom'],
        summary: 'Members with seed roles (seed roomidlist)',
        security: security.user,
        params: Params,
        querystring: PageQuery,
        response: { 200: IdList, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return classroom.members(s.appid, req.params.roomnum, req.query.index, req.query.size);
    },
  );

  app.get(
    '/v1/courses/:roomnum/binds',
    {
      schema: {
        tags: ['classroom'],
        summary: 'Bound courseware and videos (seed querybind)',
        security: security.user,
        params: Params,
        querystring: PageQuery,
        response: { 200: BindList, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return classroom.binds(s.appid, req.params.roomnum, req.query.index, req.query.size);
    },
  );

  app.post(
    '/v1/courses/:roomnum/binds',
    {
      schema: {
        tags: ['classroom'],
        summary: 'Its teacher binds courseware (type 0) or a video (type 1) (seed reportbind operate 0)',
        security: security.user,
        params: Params,
        body: BindFile,
        response: { 200: BindResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return classroom.bind(s.appid, s.uid, req.params.roomnum, req.body, 'bind');
    },
  );

  app.delete(
    '/v1/courses/:roomnum/binds',
    {
      schema: {
        tags: ['classroom'],
        summary: 'Its teacher unbinds a file, named by type and url (seed reportbind operate 1)',
        security: security.user,
        params: Params,
        querystring: UnbindQuery,
        response: { 200: BindResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return classroom.bind(s.appid, s.uid, req.params.roomnum, { type: req.query.type, file_name: '-', url: req.query.url }, 'unbind');
    },
  );

  app.post(
    '/v1/courses/:roomnum/recording',
    {
      schema: {
        tags: ['classroom'],
        summary: "The app's backend reports a recording: playback_idx_url set, an ended course becomes state 3",
        security: security.app,
        params: Params,
        body: RecordedBody,
        response: { 200: CourseView, ...errors },
      },
    },
    async (req) => {
      const tenant = req.appRecord;
      return classroom.markRecorded(tenant.appid, req.params.roomnum, { playbackUrl: req.body.playbackUrl });
    },
  );
};
