// Native REST of conferences. Every route takes a user's token (acting as that user: creator
// checks apply) or the app secret (the app's backend: may read and control every conference).
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../infra/errors.js';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import type { AppOrUser } from '../accounts/auth-plugin.js';
import type { Actor } from './service.js';
import {
  AddParticipantsBody,
  CallIdsBody,
  ConferenceList,
  ConferenceView,
  ConfIdSchema,
  ControlResult,
  CreateConferenceBody,
  JoinBody,
  JoinResult,
  ListQuery,
  NoticeBody,
  NoticeResult,
  ParticipantList,
  PasswordBody,
  SubAccountBody,
  SubAccountView,
} from './schemas.js';

const Params = Type.Object({ confId: ConfIdSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };
const { userOrApp } = security;
const tags = ['conferences'];

/** The caller: a user (Bearer) or the app (Basic appid:secret). */
export function conferenceCaller(req: FastifyRequest): { appid: string; actor: Actor; uid?: string } {
  const c = req.caller as AppOrUser;
  if (c.kind === 'app') return { appid: c.app.appid, actor: { kind: 'app' } };
  return { appid: c.session.appid, actor: { kind: 'user', uid: c.session.uid }, uid: c.session.uid };
}

export const conferencesRoutes: RoutePlugin = async (app, { services }) => {
  const { conferences } = services;

  app.post(
    '/v1/conferences',
    {
      schema: {
        tags,
        summary: 'Create a conference now (no time) or scheduled (a future time); a user creates as themselves, the app names the creator in uid',
        security: userOrApp,
        body: CreateConferenceBody,
        response: { 201: ConferenceView, ...errors },
      },
    },
    async (req, reply) => {
      const c = conferenceCaller(req);
      const uid = c.uid ?? req.body.uid;
      if (!uid) throw new AppError('VALIDATION_FAILED', 'invalid body: uid: is required with the app secret (the creator)');
      if (c.uid && req.body.uid && req.body.uid !== c.uid) throw new AppError('FORBIDDEN', 'a user creates conferences as themselves');
      const { name, time, pwd } = req.body;
      return reply
        .code(201)
        .send(await conferences.create(c.appid, uid, { name, ...(time !== undefined ? { time } : {}), ...(pwd !== undefined ? { pwd } : {}) }));
    },
  );

  app.get(
    '/v1/conferences',
    {
      schema: {
        tags,
        summary: 'Conferences a user created, newest first (a user: their own; the app: ?uid=)',
        security: userOrApp,
        querystring: ListQuery,
        response: { 200: ConferenceList, ...errors },
      },
    },
    async (req) => {
      const c = conferenceCaller(req);
      const uid = c.uid ?? req.query.uid;
      if (!uid) throw new AppError('VALIDATION_FAILED', 'invalid query: uid: is required with the app secret');
      if (c.uid && req.query.uid && req.query.uid !== c.uid) throw new AppError('FORBIDDEN', 'a user lists their own conferences');
      return { conferences: await conferences.listByCreator(c.appid, uid) };
    },
  );

  app.get(
    '/v1/conferences/:confId',
    {
      schema: {
        tags,
        summary: 'Read a conference (creator, participants, app); pwd only to the creator and the app',
        security: userOrApp,
        params: Params,
        response: { 200: ConferenceView, ...errors },
      },
    },
    async (req) => {
      const c = conferenceCaller(req);
      return conferences.get(c.appid, req.params.confId, c.actor);
    },
  );

  app.get(
    '/v1/conferences/:confId/participants',
    {
      schema: {
        tags,
        summary: 'Participants with their state (0 not in, 1 in, 2 kicked or left), leg and mute flag',
        security: userOrApp,
        params: Params,
        response: { 200: ParticipantList, ...errors },
      },
    },
    async (req) => {
      const c = conferenceCaller(req);
      return conferences.participants(c.appid, req.params.confId, c.actor);
    },
  );

  app.post(
    '/v1/conferences/:confId/participants',
    {
      schema: {
        tags,
        summary: 'Add participants (creator); dial: true also dials those with a number (seed inviteConf), false only lists them (joinConf)',
        security: userOrApp,
        params: Params,
        body: AddParticipantsBody,
        response: { 200: ControlResult, ...errors },
      },
    },
    async (req) => {
      const c = conferenceCaller(req);
      return { confId: req.params.confId, participants: await conferences.add(c.appid, req.params.confId, c.actor, req.body.users, req.body.dial) };
    },
  );

  app.post(
    '/v1/conferences/:confId/call-all',
    {
      schema: {
        tags,
        summary: 'Dial every participant with a number who is not in (creator)',
        security: userOrApp,
        params: Params,
        response: { 200: ControlResult, ...errors },
      },
    },
    async (req) => {
      const c = conferenceCaller(req);
      return { confId: req.params.confId, participants: await conferences.callAll(c.appid, req.params.confId, c.actor) };
    },
  );

  for (const op of ['kick', 'mute', 'unmute'] as const) {
    app.post(
      `/v1/conferences/:confId/${op}`,
      {
        schema: {
          tags,
          summary: `${op[0]!.toUpperCase()}${op.slice(1)} a batch of legs by callid (creator); an unknown callid changes nothing (PARTICIPANT_NOT_FOUND)`,
          security: userOrApp,
          params: Params,
          body: CallIdsBody,
          response: { 200: ControlResult, ...errors },
        },
      },
      async (req) => {
        const c = conferenceCaller(req);
        return { confId: req.params.confId, participants: await conferences.control(c.appid, req.params.confId, c.actor, op, req.body.callids) };
      },
    );
  }

  app.put(
    '/v1/conferences/:confId/password',
    {
      schema: {
        tags,
        summary: 'Set the password, or clear it with "" (creator)',
        security: userOrApp,
        params: Params,
        body: PasswordBody,
        response: { 200: ConferenceView, ...errors },
      },
    },
    async (req) => {
      const c = conferenceCaller(req);
      return conferences.setPassword(c.appid, req.params.confId, c.actor, req.body.pwd);
    },
  );

  app.post(
    '/v1/conferences/:confId/stop',
    {
      schema: {
        tags,
        summary: 'End the conference and hang up every leg; a scheduled one never starts (creator)',
        security: userOrApp,
        params: Params,
        response: { 200: ConferenceView, ...errors },
      },
    },
    async (req) => {
      const c = conferenceCaller(req);
      return conferences.stop(c.appid, req.params.confId, c.actor);
    },
  );

  app.post(
    '/v1/conferences/:confId/join',
    {
      schema: {
        tags,
        summary: 'Enter from the app (its password unless you created it); your sockets get conference.member',
        security: security.user,
        params: Params,
        body: Type.Optional(JoinBody),
        response: { 200: JoinResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return conferences.join(s.appid, req.params.confId, s.uid, req.body?.pwd);
    },
  );

  app.post(
    '/v1/conferences/:confId/leave',
    {
      schema: {
        tags,
        summary: 'Leave the conference (state 2)',
        security: security.user,
        params: Params,
        response: { 200: Type.Object({ left: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return conferences.leave(s.appid, req.params.confId, s.uid);
    },
  );

  app.post(
    '/v1/conferences/subaccounts',
    {
      schema: {
        tags,
        summary: 'The sub-account (VoIP credentials) of a user, created on the first call and the same ever after (a user: their own)',
        security: userOrApp,
        body: SubAccountBody,
        response: { 200: SubAccountView, ...errors },
      },
    },
    async (req) => {
      const c = conferenceCaller(req);
      if (c.uid && req.body.id !== c.uid) throw new AppError('FORBIDDEN', 'a user reads their own sub-account');
      return conferences.subAccount(c.appid, req.body.id);
    },
  );

  app.post(
    '/v1/conferences/notices',
    {
      schema: {
        tags,
        summary: 'Send an SMS notice to numbers (each a job with retries); any invalid number refuses the whole request (INVALID_NUMBER)',
        security: userOrApp,
        body: NoticeBody,
        response: { 202: NoticeResult, ...errors },
      },
    },
    async (req, reply) => {
      const c = conferenceCaller(req);
      return reply.code(202).send(await conferences.sendNotice(c.appid, req.body));
    },
  );
};
