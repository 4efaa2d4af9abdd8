import { Type } from 'typebox';
import { AppTokenBody, AppTokenView } from '../appauth/service.js';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import { AppIdSchema, SessionView } from '../accounts/schemas.js';
import {
  AddThirdPartyUserBody,
  DeviceBody,
  DeviceView,
  ModifyThirdPartyUserBody,
  QuotaBody,
  QuotaView,
  ThirdPartyIdSchema,
  ThirdPartyLoginBody,
  ThirdPartyUserView,
} from './schemas.js';
import { assertOwnApp } from '../accounts/auth-plugin.js';

const AppParams = Type.Object({ appid: AppIdSchema });
const UserParams = Type.Object({ appid: AppIdSchema, thirdPartyId: ThirdPartyIdSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const thirdPartyRoutes: RoutePlugin = async (app, { services }) => {
  const { thirdParty, appAuth } = services;

  // ── the appToken seed-004 clients sign with ──────────────────────────────────
  app.get(
    '/v1/apps/:appid/app-token',
    {
      schema: {
        tags: ['third-party'],
        summary: "Which appToken signs seed-004 requests: the app's own (shown) or its app secret (not shown)",
        security: security.appOrAdmin,
        params: AppParams,
        response: {
          200: Type.Object({
            appid: AppIdSchema,
            source: Type.Union([Type.Literal('own'), Type.Literal('secret')]),
            appToken: Type.Optional(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      const t = await appAuth.getAppToken(req.params.appid);
      return t.source === 'own' ? { appid: req.params.appid, source: t.source, appToken: t.appToken } : { appid: req.params.appid, source: t.source };
    },
  );

  app.post(
    '/v1/apps/:appid/app-token',
    {
      schema: {
        tags: ['third-party'],
        summary: "Set (or generate) the app's own appToken",
        security: security.appOrAdmin,
        params: AppParams,
        body: Type.Optional(AppTokenBody),
        response: { 200: AppTokenView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return appAuth.setAppToken(req.params.appid, req.body?.appToken);
    },
  );

  app.delete(
    '/v1/apps/:appid/app-token',
    {
      schema: {
        tags: ['third-party'],
        summary: "Drop the app's own appToken: the app secret signs again",
        security: security.appOrAdmin,
        params: AppParams,
        response: { 200: Type.Object({ source: Type.Literal('secret') }), ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      await appAuth.clearAppToken(req.params.appid);
      return { source: 'secret' as const };
    },
  );

  // ── the app's third-party users ────────────────────────────────────────────
  app.get(
    '/v1/apps/:appid/third-party/quota',
    {
      schema: {
        tags: ['third-party'],
        summary: 'User quota and count',
        security: security.appOrAdmin,
        params: AppParams,
        response: { 200: QuotaView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return thirdParty.quota(req.params.appid);
    },
  );

  app.put(
    '/v1/apps/:appid/third-party/quota',
    {
      schema: {
        tags: ['third-party'],
        summary: 'Set the user quota (admin only: it is what the operator grants)',
        security: security.admin,
        params: AppParams,
        body: QuotaBody,
        response: { 200: QuotaView, ...errors },
      },
    },
    async (req) => {
      return thirdParty.setQuota(req.params.appid, req.body.quota);
    },
  );

  app.post(
    '/v1/apps/:appid/third-party/users',
    {
      schema: {
        tags: ['third-party'],
        summary: 'Add a third-party user (USER_QUOTA_EXCEEDED, THIRDPARTY_ID_EXISTS)',
        security: security.app,
        params: AppParams,
        body: AddThirdPartyUserBody,
        response: { 201: ThirdPartyUserView, ...errors },
      },
    },
    async (req, reply) => {
      assertOwnApp(req, req.params.appid);
      return reply.code(201).send(await thirdParty.register(req.params.appid, req.body.thirdPartyId, req.body.password));
    },
  );

  app.get(
    '/v1/apps/:appid/third-party/users/:thirdPartyId',
    {
      schema: {
        tags: ['third-party'],
        summary: 'A third-party user: platform user id, device id',
        security: security.appOrAdmin,
        params: UserParams,
        response: { 200: ThirdPartyUserView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return thirdParty.get(req.params.appid, req.params.thirdPartyId);
    },
  );

  app.patch(
    '/v1/apps/:appid/third-party/users/:thirdPartyId',
    {
      schema: {
        tags: ['third-party'],
        summary: 'New password or new third-party id (exactly one)',
        security: security.app,
        params: UserParams,
        body: ModifyThirdPartyUserBody,
        response: { 200: ThirdPartyUserView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return thirdParty.modify(req.params.appid, req.params.thirdPartyId, req.body);
    },
  );

  app.delete(
    '/v1/apps/:appid/third-party/users/:thirdPartyId',
    {
      schema: {
        tags: ['third-party'],
        summary: 'Delete a third-party user (sessions revoked, sockets closed)',
        security: security.app,
        params: UserParams,
        response: { 200: ThirdPartyUserView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return thirdParty.remove(req.params.appid, req.params.thirdPartyId);
    },
  );

  // ── the users themselves ───────────────────────────────────────────────────
  app.post(
    '/v1/third-party/login',
    {
      schema: {
        tags: ['third-party'],
        summary: 'Log in by third-party id: a session (token for sockets) and the platform user id',
        body: ThirdPartyLoginBody,
        response: { 200: Type.Intersect([SessionView, Type.Object({ userId: Type.String(), thirdPartyId: ThirdPartyIdSchema })]), ...errors },
      },
    },
    async (req) =>
      app.guardCredentials(req, { appid: req.body.appid, account: `3p:${req.body.thirdPartyId}` }, () =>
        thirdParty.login(req.body.appid, req.body.thirdPartyId, req.body.password),
      ),
  );

  app.put(
    '/v1/me/device',
    {
      schema: {
        tags: ['third-party'],
        summary: 'Set (or, without deviceId, clear) my APNS device id',
        security: security.user,
        body: DeviceBody,
        response: { 200: DeviceView, ...errors },
      },
    },
    async (req) => {
      const s = req.session;
      return thirdParty.setDevice(s.appid, s.uid, req.body.deviceId ?? null);
    },
  );

  app.get(
    '/v1/me/device',
    {
      schema: { tags: ['third-party'], summary: 'My APNS device id', security: security.user, response: { 200: DeviceView, ...errors } },
    },
    async (req) => {
      const s = req.session;
      return thirdParty.getDevice(s.appid, s.uid);
    },
  );
};
