// The three callers of the HTTP API and how each proves itself:
//   user     Authorization: Bearer <token from /v1/auth/login>
//   app      Authorization: Basic base64(<appid>:<app secret>)   (server to server)
//   admin    Authorization: Bearer <ADMIN_TOKEN>
// Handlers call these explicitly, so every route says in its first line who may call it.
import type { FastifyRequest } from 'fastify';
import type { AccountsService, AppRecord, UserSession } from '../modules/accounts/service.js';
import { safeEqual } from './passwords.js';
import { AppError } from './errors.js';
import './credential-guard.js'; // the guardCredentials decorator's type

export type Caller = { kind: 'admin' } | { kind: 'app'; app: AppRecord };
/** The app's backend (app secret) or one of its users (token). */
export type AppOrUser = { kind: 'app'; app: AppRecord } | { kind: 'user'; session: UserSession };

export interface Auth {
  user(req: FastifyRequest): Promise<UserSession>;
  app(req: FastifyRequest, appid?: string): Promise<AppRecord>;
  admin(req: FastifyRequest): void;
  /** The admin, or the app `appid` itself. */
  appOrAdmin(req: FastifyRequest, appid: string): Promise<Caller>;
  /** The app secret (Basic appid:secret) or a user token (Bearer). */
  appOrUser(req: FastifyRequest): Promise<AppOrUser>;
}

export function parseAuthorization(
  header: string | undefined,
): { scheme: 'bearer'; token: string } | { scheme: 'basic'; user: string; pass: string } | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === 'bearer') return { scheme: 'bearer', token: value.trim() };
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return null;
    return { scheme: 'basic', user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
  }
  return null;
}

/** Throws unless `given` is the ADMIN_TOKEN: ADMIN_DISABLED when none is set, else ADMIN_AUTH_FAILED. */
export function checkAdminToken(adminToken: string | undefined, given: string | undefined): void {
  if (adminToken === undefined) throw new AppError('ADMIN_DISABLED');
  if (given === undefined || !safeEqual(given, adminToken)) throw new AppError('ADMIN_AUTH_FAILED');
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
    if (appid !== undefined && appid !== record.appid)
      throw new AppError('CROSS_TENANT', `these credentials are for app ${record.appid}, not ${appid}`);
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
