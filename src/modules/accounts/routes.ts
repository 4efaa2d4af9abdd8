import { Type } from 'typebox';
import { ErrorResponse, security, type RoutePlugin } from '../../infra/http.js';
import {
  AppCredentials, AppIdSchema, AppView, CreateAppBody, IssueTokenBody, LoginBody, MeView, Paging, RegisterBody,
  RotateSecretBody, SessionView, UpdateAppBody, UserIdSchema, UserList, UserView,
} from './schemas.js';

const AppParams = Type.Object({ appid: AppIdSchema });
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export const accountsRoutes: RoutePlugin = async (app, { services, auth }) => {
  const { accounts } = services;

  // ── apps (tenants) ──────────────────────────────────────────────────────────
  app.post('/v1/apps', {
    schema: { tags: ['apps'], summary: 'Create an app (tenant)', security: security.admin, body: CreateAppBody, response: { 201: AppCredentials, ...errors } },
  }, async (req, reply) => {
    auth.admin(req);
    return reply.code(201).send(await accounts.createApp(req.body));
  });

  app.get('/v1/apps', {
    schema: { tags: ['apps'], summary: 'List apps', security: security.admin, response: { 200: Type.Object({ apps: Type.Array(AppView) }), ...errors } },
  }, async (req) => {
    auth.admin(req);
    return { apps: (await accounts.listApps()).map(accounts.viewApp) };
  });

  app.get('/v1/apps/:appid', {
    schema: { tags: ['apps'], summary: 'Read an app', security: security.appOrAdmin, params: AppParams, response: { 200: AppView, ...errors } },
  }, async (req) => {
    await auth.appOrAdmin(req, req.params.appid);
    return accounts.viewApp(await accounts.getApp(req.params.appid));
  });

  app.patch('/v1/apps/:appid', {
    schema: { tags: ['apps'], summary: 'Update an app (name, Tencent settings, self-registration)', security: security.appOrAdmin, params: AppParams, body: UpdateAppBody, response: { 200: AppView, ...errors } },
  }, async (req) => {
    await auth.appOrAdmin(req, req.params.appid);
    return accounts.viewApp(await accounts.updateApp(req.params.appid, req.body));
  });

  app.post('/v1/apps/:appid/secret', {
    schema: { tags: ['apps'], summary: 'Rotate the app secret', security: security.appOrAdmin, params: AppParams, body: Type.Optional(RotateSecretBody), response: { 200: AppCredentials, ...errors } },
  }, async (req) => {
    await auth.appOrAdmin(req, req.params.appid);
    return accounts.rotateSecret(req.params.appid, req.body?.graceSeconds ?? 0);
  });

  // ── users, seen by the app's backend ────────────────────────────────────────
  app.get('/v1/apps/:appid/users', {
    schema: { tags: ['users'], summary: "List the app's users", security: security.appOrAdmin, params: AppParams, querystring: Paging, response: { 200: UserList, ...errors } },
  }, async (req) => {
    await auth.appOrAdmin(req, req.params.appid);
    return accounts.listUsers(req.params.appid, req.query.offset, req.query.limit);
  });

  app.get('/v1/apps/:appid/users/:uid', {
    schema: { tags: ['users'], summary: 'Read a user', security: security.appOrAdmin, params: Type.Object({ appid: AppIdSchema, uid: UserIdSchema }), response: { 200: UserView, ...errors } },
  }, async (req) => {
    await auth.appOrAdmin(req, req.params.appid);
    return accounts.getUser(req.params.appid, req.params.uid);
  });

  app.post('/v1/apps/:appid/users/:uid/revoke', {
    schema: { tags: ['users'], summary: "Revoke all the user's tokens and disconnect their sockets", security: security.appOrAdmin, params: Type.Object({ appid: AppIdSchema, uid: UserIdSchema }), response: { 200: Type.Object({ revoked: Type.Integer() }), ...errors } },
  }, async (req) => {
    await auth.appOrAdmin(req, req.params.appid);
    await accounts.getUser(req.params.appid, req.params.uid);
    return { revoked: await accounts.revokeAll(req.params.appid, req.params.uid) };
  });

  app.post('/v1/apps/:appid/tokens', {
    schema: { tags: ['auth'], summary: 'Issue a session for a user (server to server; creates the user on first sight)', security: security.app, params: AppParams, body: IssueTokenBody, response: { 200: SessionView, ...errors } },
  }, async (req) => {
    await auth.app(req, req.params.appid);
    return accounts.issueToken(req.params.appid, req.body);
  });

  // ── users themselves ────────────────────────────────────────────────────────
  app.post('/v1/auth/register', {
    schema: { tags: ['auth'], summary: 'Register a user', body: RegisterBody, response: { 201: Type.Object({ user: UserView }), ...errors } },
  }, async (req, reply) => reply.code(201).send({ user: await accounts.register(req.body) }));

  app.post('/v1/auth/login', {
    schema: { tags: ['auth'], summary: 'Log in for a token (qav: true also returns qav_id and qav_sig)', body: LoginBody, response: { 200: SessionView, ...errors } },
  }, async (req) => {
    const session = await accounts.login(req.body.appid, req.body.id, req.body.password);
    if (!req.body.qav) return session;
    const qav = await services.signals.credentials(req.body.appid, session.user.id);
    return { ...session, qav_id: qav.qav_id, qav_sig: qav.qav_sig };
  });

  app.post('/v1/auth/logout', {
    schema: { tags: ['auth'], summary: "Revoke this token and close the sockets opened with it", security: security.user, response: { 200: Type.Object({ revoked: Type.Boolean() }), ...errors } },
  }, async (req) => {
    await accounts.logout(await auth.user(req));
    return { revoked: true };
  });

  app.get('/v1/me', {
    schema: { tags: ['auth'], summary: 'The logged-in user', security: security.user, response: { 200: MeView, ...errors } },
  }, async (req) => {
    const s = await auth.user(req);
    return { appid: s.appid, user: await accounts.getUser(s.appid, s.uid), expiresAt: s.expiresAt };
  });
};
