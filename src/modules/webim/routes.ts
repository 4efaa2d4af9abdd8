import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { AppIdSchema, UserIdSchema } from '../accounts/schemas.js';
import {
  ContactPairBody,
  ImMessage,
  ImPresence,
  SendBody,
  SendResult,
  SetStatusBody,
  SetStatusResult,
  SubscribeBody,
  SubscribeResult,
  Subscriptions,
} from './schemas.js';
import { assertOwnApp } from '../accounts/auth-plugin.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const webImRoutes: RoutePlugin = async (app, { services }) => {
  const { webim } = services;
  app.put(
    '/v1/webim/status',
    {
      schema: {
        tags: ['webim'],
        summary: 'Set my status (any string): im.presence to my subscribers',
        security: security.user,
        body: SetStatusBody,
        response: { 200: SetStatusResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return webim.setStatus(s.appid, s.uid, req.body.status);
    },
  );
  app.post(
    '/v1/webim/messages',
    {
      schema: {
        tags: ['webim'],
        summary: 'Send a text message to a platform user id (every socket of theirs, or kept until they connect)',
        security: security.user,
        body: SendBody,
        response: { 200: SendResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return webim.send(s.appid, s.uid, req.body.to, req.body.body);
    },
  );
  app.get(
    '/v1/webim/offline',
    {
      schema: {
        tags: ['webim'],
        summary: 'Take the messages kept for me (they are removed; a connecting socket gets them as im.message)',
        security: security.user,
        response: { 200: Type.Object({ messages: Type.Array(ImMessage) }), ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return { messages: await webim.takeOffline(s.appid, s.uid) };
    },
  );
  app.post(
    '/v1/webim/subscriptions',
    {
      schema: {
        tags: ['webim'],
        summary: "Receive a user's presence",
        security: security.user,
        body: SubscribeBody,
        response: { 200: SubscribeResult, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return webim.subscribe(s.appid, s.uid, req.body.uid);
    },
  );
  app.delete(
    '/v1/webim/subscriptions/:uid',
    {
      schema: {
        tags: ['webim'],
        summary: "Stop receiving a user's presence",
        security: security.user,
        params: Type.Object({ uid: UserIdSchema }),
        response: { 200: Type.Object({ removed: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return webim.unsubscribe(s.appid, s.uid, req.params.uid);
    },
  );
  app.get(
    '/v1/webim/subscriptions',
    {
      schema: { tags: ['webim'], summary: 'Whom I follow, who follows me', security: security.user, response: { 200: Subscriptions, ...errors } },
    },
    async (req) => {
      const s = req.session;
      return webim.subscriptions(s.appid, s.uid);
    },
  );
  app.post(
    '/v1/apps/:appid/webim/contacts',
    {
      schema: {
        tags: ['webim'],
        summary: "Make two users contacts: each receives the other's presence",
        security: security.app,
        params: Type.Object({ appid: AppIdSchema }),
        body: ContactPairBody,
        response: { 200: ContactPairBody, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      const [a, b] = req.body.uids as [string, string];
      return webim.connectContacts(req.params.appid, a, b);
    },
  );
  app.post(
    '/v1/apps/:appid/webim/contacts/remove',
    {
      schema: {
        tags: ['webim'],
        summary: 'Two users stop being contacts (both subscriptions removed)',
        security: security.app,
        params: Type.Object({ appid: AppIdSchema }),
        body: ContactPairBody,
        response: { 200: Type.Object({ removed: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      const [a, b] = req.body.uids as [string, string];
      return webim.disconnectContacts(req.params.appid, a, b);
    },
  );
  app.get(
    '/v1/webim/presence/:uid',
    {
      schema: {
        tags: ['webim'],
        summary: "A user's presence now",
        security: security.user,
        params: Type.Object({ uid: UserIdSchema }),
        response: { 200: ImPresence, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      await services.accounts.getUser(s.appid, req.params.uid);
      return webim.presenceOf(s.appid, req.params.uid);
    },
  );
};
