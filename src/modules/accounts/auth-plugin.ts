// The three callers of the HTTP API and how each proves itself:
//   user     Authorization: Bearer <token from /v1/auth/login>
//   app      Authorization: Basic base64(<appid>:<app secret>)   (server to server)
//   admin    Authorization: Bearer <ADMIN_TOKEN>
// A route says who may call it once, in its `schema.security` (what the OpenAPI document
// shows): registerAuth gives every such route a preHandler that authenticates the caller
// accordingly and puts the result on the request (`req.caller`, and `req.session` or
// `req.appRecord`). A preHandler runs after validation, so a bad request is still answered
// 400 before the credentials are looked at. Checks that depend on a param (the `:appid`
// must be the caller's own) stay in the handler: `assertOwnApp(req, req.params.appid)`.
// Dialects, which name no security in their schemas, call `createAuth`'s functions themselves.
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { checkAdminToken, parseAuthorization } from '../../infra/auth.js';
import { AppError } from '../../infra/errors.js';
import { security, type SecurityName } from '../../infra/http.js';
import { safeEqual } from '../../infra/passwords.js';
import '../../infra/credential-guard.js'; // the guardCredentials decorator's type
import type { AccountsService, AppRecord, UserSession } from './service.js';

/** Who called: the admin, an app's backend (app secret) or one of its users (token). */
export type Caller = { kind: 'admin' } | { kind: 'app'; app: AppRecord } | { kind: 'user'; session: UserSession };
/** The app's backend (app secret) or one of its users (token). */
export type AppOrUser = Extract<Caller, { kind: 'app' | 'user' }>;
/** The admin, or an app's backend. */
export type AppOrAdmin = Extract<Caller, { kind: 'app' | 'admin' }>;

declare module '../../infra/module.js' {
  interface RouteDeps {
    /** For dialects, which authenticate by hand; native routes declare schema.security. */
    auth: Auth;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called, as the route's `schema.security` requires: set before the handler runs. */
    caller: Caller;
    /** The user's session: set when the caller is a user (routes whose security takes a user token). */
    session: UserSession;
    /** The app: set when the caller is the app's backend (routes whose security takes the app secret). */
    appRecord: AppRecord;
  }
}

export interface Auth {
  user(req: FastifyRequest): Promise<UserSession>;
  app(req: FastifyRequest, appid?: string): Promise<AppRecord>;
  admin(req: FastifyRequest): void;
  /** The admin, or the app `appid` itself. */
  appOrAdmin(req: FastifyRequest, appid?: string): Promise<AppOrAdmin>;
  /** The app secret (Basic appid:secret) or a user token (Bearer). */
  appOrUser(req: FastifyRequest): Promise<AppOrUser>;
}

function crossTenant(own: string, asked: string): AppError {
  return new AppError('CROSS_TENANT', `these credentials are for app ${own}, not ${asked}`);
}

export function createAuth(accounts: AccountsService, adminToken: string | undefined): Auth {
  function isAdmin(req: FastifyRequest): boolean {
    const a = parseAuthorization(req.headers.authorization);
    return a?.scheme === 'bearer' && adminToken !== undefined && safeEqual(a.token, adminToken);
  }
  async function app(req: FastifyRequest, appid?: string): Promise<AppRecord> {
    const a = parseAuthorization(req.headers.authorization);
    if (a?.scheme !== 'basic') throw new AppError('AUTH_REQUIRED', 'app credentials required: Authorization: Basic base64(appid:secret)');
    const record = await req.server.guardCredentials(
      req,
      { appid: a.user, account: '(app secret)' },
      () => accounts.verifyAppSecret(a.user, a.pass),
      { concurrent: true },
    );
    if (appid !== undefined && appid !== record.appid) throw crossTenant(record.appid, appid);
    return record;
  }
  return {
    async user(req) {
      const a = parseAuthorization(req.headers.authorization);
      if (a?.scheme !== 'bearer') throw new AppError('AUTH_REQUIRED', 'a user token is required: Authorization: Bearer <token>');
      return accounts.authenticate(a.token);
    },
    app,
    admin(req) {
      const a = parseAuthorization(req.headers.authorization);
      checkAdminToken(adminToken, a?.scheme === 'bearer' ? a.token : undefined);
    },
    async appOrAdmin(req, appid) {
      if (isAdmin(req)) return { kind: 'admin' };
      return { kind: 'app', app: await app(req, appid) };
    },
    async appOrUser(req) {
      const a = parseAuthorization(req.headers.authorization);
      if (a?.scheme === 'basic') return { kind: 'app', app: await app(req) };
      if (a?.scheme === 'bearer') return { kind: 'user', session: await accounts.authenticate(a.token) };
      throw new AppError('AUTH_REQUIRED', 'authenticate: Authorization: Bearer <user token>, or Basic base64(appid:secret) from the app backend');
    },
  };
}

/** The `security` entry a route declares, by name; null for none or one the route checks itself (metricsToken). */
function securityNameOf(declared: unknown): SecurityName | null {
  if (!Array.isArray(declared)) return null;
  const wanted = JSON.stringify(declared);
  const hit = (Object.keys(security) as SecurityName[]).find((name) => JSON.stringify(security[name]) === wanted);
  return hit ?? null;
}

/**
 * The caller must be the admin or the app `appid` itself, else CROSS_TENANT (after the
 * credentials were verified, as before: a wrong app is not a failed login).
 */
export function assertOwnApp(req: FastifyRequest, appid: string): void {
  if (req.caller.kind === 'app' && req.caller.app.appid !== appid) throw crossTenant(req.caller.app.appid, appid);
}

/**
 * Decorates requests with caller/session/appRecord and, for every route registered after
 * this call whose `schema.security` is one of infra/http.ts's `security` entries, appends a
 * preHandler authenticating the caller that way. Call on the root instance before the routes.
 */
export function registerAuth(app: FastifyInstance, auth: Auth): void {
  app.decorateRequest('caller');
  app.decorateRequest('session');
  app.decorateRequest('appRecord');

  const asUser = (req: FastifyRequest, session: UserSession) => {
    req.session = session;
    req.caller = { kind: 'user', session };
  };
  const asApp = (req: FastifyRequest, record: AppRecord) => {
    req.appRecord = record;
    req.caller = { kind: 'app', app: record };
  };
  const as = (req: FastifyRequest, caller: Caller) => {
    if (caller.kind === 'user') asUser(req, caller.session);
    else if (caller.kind === 'app') asApp(req, caller.app);
    else req.caller = caller;
  };
  const authenticators: Record<SecurityName, preHandlerHookHandler> = {
    user: async (req) => asUser(req, await auth.user(req)),
    app: async (req) => asApp(req, await auth.app(req)),
    admin: async (req) => {
      auth.admin(req);
      req.caller = { kind: 'admin' };
    },
    appOrAdmin: async (req) => as(req, await auth.appOrAdmin(req)),
    userOrApp: async (req) => as(req, await auth.appOrUser(req)),
  };

  app.addHook('onRoute', (route) => {
    const name = securityNameOf(route.schema?.security);
    if (name === null) return;
    const own = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    // Last: the route's own preHandlers (a rate limit) ran before the handler's auth call too.
    route.preHandler = [...own, authenticators[name]];
  });
}
