import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { CreateRequestBody, DeclineResult, RequestIdSchema, RequestView } from './schemas.js';
import { UserIdSchema } from '../accounts/schemas.js';
import { assertOwnApp } from '../accounts/auth-plugin.js';

const ReqParams = Type.Object({ requestId: RequestIdSchema });
const ConvParams = Type.Object({ conversationId: RequestIdSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const dispatchRoutes: RoutePlugin = async (app, { services }) => {
  const { dispatch } = services;

  app.post(
    '/v1/dispatch/requests',
    {
      schema: {
        tags: ['dispatch'],
        summary: 'Ask for an agent with a skill (e.g. CN>EN); offered in rounds, first accept wins',
        security: security.user,
        body: CreateRequestBody,
        response: { 201: RequestView, ...errors },
      },
    },
    async (req, reply) => {
      const s = req.session;
      return reply.code(201).send(await dispatch.create(s.appid, s.uid, req.body));
    },
  );

  app.get(
    '/v1/dispatch/requests/:requestId',
    {
      schema: {
        tags: ['dispatch'],
        summary: 'Read a request (its caller, its agent, or an agent holding its offer)',
        security: security.user,
        params: ReqParams,
        response: { 200: RequestView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return dispatch.getFor(s.appid, req.params.requestId, s.uid);
    },
  );

  app.post(
    '/v1/dispatch/requests/:requestId/accept',
    {
      schema: {
        tags: ['dispatch'],
        summary: 'Accept an offer: first accept wins, the others get ALREADY_TAKEN',
        security: security.user,
        params: ReqParams,
        response: { 200: RequestView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return dispatch.accept(s.appid, req.params.requestId, s.uid);
    },
  );

  app.post(
    '/v1/dispatch/requests/:requestId/decline',
    {
      schema: {
        tags: ['dispatch'],
        summary: 'Decline an offer',
        security: security.user,
        params: ReqParams,
        response: { 200: DeclineResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return dispatch.decline(s.appid, req.params.requestId, s.uid);
    },
  );

  app.post(
    '/v1/dispatch/requests/:requestId/cancel',
    {
      schema: {
        tags: ['dispatch'],
        summary: 'The caller gives up a waiting request (offers are withdrawn)',
        security: security.user,
        params: ReqParams,
        response: { 200: RequestView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return dispatch.cancel(s.appid, req.params.requestId, s.uid);
    },
  );

  app.get(
    '/v1/conversations/:conversationId',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Read a conversation (= its request)',
        security: security.user,
        params: ConvParams,
        response: { 200: RequestView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return dispatch.getFor(s.appid, req.params.conversationId, s.uid);
    },
  );

  app.post(
    '/v1/conversations/:conversationId/begin',
    {
      schema: {
        tags: ['conversations'],
        summary: 'A party begins the accepted conversation (agent: the one expected; WRONG_AGENT otherwise)',
        security: security.user,
        params: ConvParams,
        body: Type.Optional(Type.Object({ agent: Type.Optional(UserIdSchema) }, { additionalProperties: false })),
        response: { 200: RequestView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return dispatch.begin(s.appid, req.params.conversationId, s.uid, req.body?.agent);
    },
  );

  app.post(
    '/v1/conversations/:conversationId/end',
    {
      schema: {
        tags: ['conversations'],
        summary: 'A party ends the conversation; the agent is free (online) again',
        security: security.user,
        params: ConvParams,
        response: { 200: RequestView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return dispatch.end(s.appid, req.params.conversationId, s.uid, '');
    },
  );

  app.post(
    '/v1/apps/:appid/conversations/:conversationId/end',
    {
      schema: {
        tags: ['conversations'],
        summary: "The app's backend ends a conversation",
        security: security.appOrAdmin,
        params: Type.Object({ appid: Type.String(), conversationId: RequestIdSchema }),
        response: { 200: RequestView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return dispatch.end(req.params.appid, req.params.conversationId, null, 'ended-by-app');
    },
  );
};
