import { Type } from 'typebox';
import { ErrorResponse, security } from '../../infra/http.js';
import type { RoutePlugin } from '../deps.js';
import {
  AppCredentials,
  AppIdSchema,
  AppView,
  CreateAppBody,
  IssueTokenBody,
  LoginBody,
  MeView,
  Paging,
  RegisterBody,
  RotateSecretBody,
  SessionView,
  UpdateAppBody,
  UserIdSchema,
  UserList,
  UserView,
  DisconnectBody,
  DisconnectResult,
  RotatedSecret,
  SecretList,
  UserFilter,
} from './schemas.js';
import { assertOwnApp } from './auth-plugin.js';

const AppParams = Type.Object({ appid: AppIdSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const accountsRoutes: RoutePlugin = async (app, { services }) => {
  const { accounts } = services;

  // ── apps (tenants) ──────────────────────────────────────────────────────────
  app.post(
    '/v1/apps',
    {
      schema: {
        tags: ['apps'],
        summary: 'Create an app (tenant)',
        security: security.admin,
        body: CreateAppBody,
        response: { 201: AppCredentials, ...errors },
      },
    },
    async (req, reply) => {
      return reply.code(201).send(await accounts.createApp(req.body));
    },
  );

  app.get(
    '/v1/apps',
    {
      schema: {
        tags: ['apps'],
        summary: 'List apps',
        security: security.admin,
        response: { 200: Type.Object({ apps: Type.Array(AppView) }), ...errors },
      },
    },
    async () => {
      return { apps: (await accounts.listApps()).map(accounts.viewApp) };
    },
  );

  app.put(
    '/v1/apps/:appid/login-limit',
    {
      schema: {
        tags: ['apps'],
        summary:
          "The app's own limit of failed credential checks per account per LOGIN_LIMIT_WINDOW_SECONDS (null: the deployment's LOGIN_LIMIT_PER_ACCOUNT)",
        security: security.admin,
        params: AppParams,
        body: Type.Object({ perAccount: Type.Union([Type.Integer({ minimum: 1, maximum: 1000000 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Type.Object({ perAccount: Type.Union([Type.Integer(), Type.Null()]) }), ...errors },
      },
    },
    async (req) => {
      return accounts.setLoginLimit(req.params.appid, req.body.perAccount);
    },
  );

  app.get(
    '/v1/apps/:appid',
    {
      schema: { tags: ['apps'], summary: 'Read an app', security: security.appOrAdmin, params: AppParams, response: { 200: AppView, ...errors } },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return accounts.viewApp(await accounts.getApp(req.params.appid));
    },
  );

  app.patch(
    '/v1/apps/:appid',
    {
      schema: {
        tags: ['apps'],
        summary: 'Update an app (name, Tencent settings, self-registration)',
        security: security.appOrAdmin,
        params: AppParams,
        body: UpdateAppBody,
        response: { 200: AppView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return accounts.viewApp(await accounts.updateApp(req.params.appid, req.body));
    },
  );

  app.post(
    '/v1/apps/:appid/secret',
    {
      schema: {
        tags: ['apps'],
        summary: 'Rotate the app secret (the old one works graceSeconds longer, default 0)',
        security: security.appOrAdmin,
        params: AppParams,
        body: Type.Optional(RotateSecretBody),
        response: { 200: RotatedSecret, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return accounts.rotateSecret(req.params.appid, req.body?.graceSeconds ?? 0);
    },
  );

  app.get(
    '/v1/apps/:appid/secrets',
    {
      schema: {
        tags: ['apps'],
        summary: 'The working secrets of the app: ids, creation, end of grace (never the values)',
        security: security.appOrAdmin,
        params: AppParams,
        response: { 200: SecretList, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return { appid: req.params.appid, secrets: accounts.listSecrets(await accounts.getApp(req.params.appid)) };
    },
  );

  app.delete(
    '/v1/apps/:appid/secrets/:id',
    {
      schema: {
        tags: ['apps'],
        summary: "End a previous secret's grace now (the current one cannot be deleted: rotate it)",
        security: security.appOrAdmin,
        params: Type.Object({ appid: AppIdSchema, id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      assertOwnApp(req, req.params.appid);
      await accounts.revokeSecret(req.params.appid, req.params.id);
      return reply.code(204).send(null);
    },
  );

  // ── users, seen by the app's backend ────────────────────────────────────────
  app.get(
    '/v1/apps/:appid/users',
    {
      schema: {
        tags: ['users'],
        summary: "List the app's users in creation order (?offset&limit, filters role and prefix; continue from next)",
        security: security.appOrAdmin,
        params: AppParams,
        querystring: Type.Object({ ...Paging.properties, ...UserFilter.properties }),
        response: { 200: UserList, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      const { offset, limit, role, prefix } = req.query;
      return accounts.listUsers(req.params.appid, offset, limit, {
        ...(role !== undefined ? { role } : {}),
        ...(prefix !== undefined ? { prefix } : {}),
      });
    },
  );

  app.post(
    '/v1/apps/:appid/users/:uid/disconnect',
    {
      schema: {
        tags: ['users'],
        summary: "Close the user's sockets on every node (session.revoked with the reason first); revoke: also their tokens",
        security: security.appOrAdmin,
        params: Type.Object({ appid: AppIdSchema, uid: UserIdSchema }),
        body: Type.Optional(DisconnectBody),
        response: { 200: DisconnectResult, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return accounts.forceDisconnect(req.params.appid, req.params.uid, {
        ...(req.body?.reason !== undefined ? { reason: req.body.reason } : {}),
        ...(req.body?.revoke !== undefined ? { revoke: req.body.revoke } : {}),
      });
    },
  );

  app.get(
    '/v1/apps/:appid/users/:uid',
    {
      schema: {
        tags: ['users'],
        summary: 'Read a user',
        security: security.appOrAdmin,
        params: Type.Object({ appid: AppIdSchema, uid: UserIdSchema }),
        response: { 200: UserView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return accounts.getUser(req.params.appid, req.params.uid);
    },
  );

  app.post(
    '/v1/apps/:appid/users/:uid/revoke',
    {
      schema: {
        tags: ['users'],
        summary: "Revoke all the user's tokens and disconnect their sockets",
        security: security.appOrAdmin,
        params: Type.Object({ appid: AppIdSchema, uid: UserIdSchema }),
        response: { 200: Type.Object({ revoked: Type.Integer() }), ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      await accounts.getUser(req.params.appid, req.params.uid);
      return { revoked: await accounts.revokeAll(req.params.appid, req.params.uid) };
    },
  );

  app.post(
    '/v1/apps/:appid/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Issue a session for a user (server to server; creates the user on first sight)',
        security: security.app,
        params: AppParams,
        body: IssueTokenBody,
        response: { 200: SessionView, ...errors },
      },
    },
    async (req) => {
      assertOwnApp(req, req.params.appid);
      return accounts.issueToken(req.params.appid, req.body);
    },
  );

  // ── users themselves ────────────────────────────────────────────────────────
  app.post(
    '/v1/auth/register',
    {
      schema: { tags: ['auth'], summary: 'Register a user', body: RegisterBody, response: { 201: Type.Object({ user: UserView }), ...errors } },
    },
    async (req, reply) => reply.code(201).send({ user: await accounts.register(req.body) }),
  );

  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in for a token (qav: true also returns qav_id and qav_sig)',
        body: LoginBody,
        response: { 200: SessionView, ...errors },
      },
    },
    async (req) => {
      const session = await app.guardCredentials(req, { appid: req.body.appid, account: req.body.id }, () =>
        accounts.login(req.body.appid, req.body.id, req.body.password),
      );
      if (!req.body.qav) return session;
      const qav = await services.signals.credentials(req.body.appid, session.user.id);
      return { ...session, qav_id: qav.qav_id, qav_sig: qav.qav_sig };
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke this token and close the sockets opened with it',
        security: security.user,
        response: { 200: Type.Object({ revoked: Type.Boolean() }), ...errors },
      },
    },
    async (req) => {
      await accounts.logout(req.session);
      return { revoked: true };
    },
  );

  app.get(
    '/v1/me',
    {
      schema: { tags: ['auth'], summary: 'The logged-in user', security: security.user, response: { 200: MeView, ...errors } },
    },
    async (req) => {
      const s = req.session;
      return { appid: s.appid, user: await accounts.getUser(s.appid, s.uid), expiresAt: s.expiresAt };
    },
  );
};
