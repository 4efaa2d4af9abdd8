// Seed 003 (IM + video speed pairing) — what every route of the dialect shares: the envelope
// `{code, data, err, time}`, the one table from Switchboard error codes to the seed's
// numbers, the two callers, and `seed003Plugin`, which mounts a list of routes as one
// encapsulated Fastify plugin with its own body parser and error handler (a request that
// cannot be parsed or validated is still answered in the envelope, never the native body).
// Translation only: parse → services → answer. pairing.ts and messaging.ts each export one
// plugin built with it.
//
// Callers (the seed names none; docs/dialects/seed-003-pairing-im.md):
//   /api/v1/…      the user: Authorization: Bearer <token from /v1/auth/login>
//   /api/server/…  the app's backend: Authorization: Basic base64(<appid>:<app secret>)
// Anything else is answered with a non-zero code (1002).
//
// Requests: POST with a JSON body (the seed's `param`; an empty or `null` body is `{}`),
// whatever the content type. Answers: HTTP 200 and the envelope, success or not.
import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Core } from '../../infra/core.js';
import { AppError, type ErrorCode } from '../../infra/errors.js';
import type { RouteDeps, RoutePlugin } from '../../modules/deps.js';
import type { AppRecord, UserSession } from '../../modules/accounts/service.js';
import type { Services } from '../../services.js';
import { answerErrorsWith, command, readBodiesAsText, readJsonObject, runCommand, type Command } from '../kit.js';

// ── the seed's numbers ─────────────────────────────────────────────────────────────────
export const SEED3_OK = 0;
export const SEED3_INTERNAL = 1000; // not in the seed: server error (no internals leak)
export const SEED3_BAD_REQUEST = 1001; // not in the seed: bad JSON, a field missing or invalid
export const SEED3_AUTH = 1002; // not in the seed: no / bad / expired token or app secret
export const SEED3_NO_BALANCE = 1003; // 余额不足
export const SEED3_FORBIDDEN = 1004; // not in the seed: not allowed (another user's ask …)
export const SEED3_NOT_FOUND = 1005; // not in the seed: no such ask / record / user
export const SEED3_CONFLICT = 1006; // not in the seed: wrong state (stale round, ask taken, ended)
export const SEED3_RATE_LIMITED = 1007; // not in the seed: too many requests
export const SEED3_SENSITIVE = 100002; // 包含敏感词
export const SEED3_CONFIG_FAILED = 200003; // 获取配置信息失败: a configured provider failed
export const SEED3_NO_CONFIG = 200004; // 无配置信息: nothing configured for this

/**
 * Switchboard code → seed number. Codes not listed fall back by HTTP status: 401 → 1002,
 * 402 → 1003, 403 → 1004, 404 → 1005, 409/410/422 → 1006, 429 → 1007, other 4xx → 1001,
 * 5xx → 1000 — so a new module's codes land somewhere sensible without editing this table.
 */
export const SEED3_CODES: Partial<Record<ErrorCode, number>> = {
  // the request itself
  BAD_JSON: SEED3_BAD_REQUEST,
  VALIDATION_FAILED: SEED3_BAD_REQUEST,
  UNSUPPORTED_MEDIA_TYPE: SEED3_BAD_REQUEST,
  PAYLOAD_TOO_LARGE: SEED3_BAD_REQUEST,
  NOT_FOUND: SEED3_NOT_FOUND,
  // callers
  AUTH_REQUIRED: SEED3_AUTH,
  TOKEN_INVALID: SEED3_AUTH,
  TOKEN_EXPIRED: SEED3_AUTH,
  TOKEN_REVOKED: SEED3_AUTH,
  APP_AUTH_FAILED: SEED3_AUTH,
  APP_NOT_FOUND: SEED3_AUTH, // Basic credentials naming no app
  CROSS_TENANT: SEED3_FORBIDDEN,
  FORBIDDEN: SEED3_FORBIDDEN,
  USER_NOT_FOUND: SEED3_NOT_FOUND,
  // money
  INSUFFICIENT_BALANCE: SEED3_NO_BALANCE,
  PRICE_NOT_FOUND: SEED3_NO_CONFIG, // nothing priced (and no default price)
  // messaging
  SENSITIVE_WORD: SEED3_SENSITIVE,
  TRANSLATION_NOT_CONFIGURED: SEED3_NO_CONFIG,
  TRANSLATION_FAILED: SEED3_CONFIG_FAILED,
  TENCENT_NOT_CONFIGURED: SEED3_NO_CONFIG,
  VENDOR_NOT_CONFIGURED: SEED3_NO_CONFIG,
  VENDOR_FAILED: SEED3_CONFIG_FAILED,
  // the server's side
  RATE_LIMITED: SEED3_RATE_LIMITED,
  UNAVAILABLE: SEED3_INTERNAL,
  REDIS_UNAVAILABLE: SEED3_INTERNAL,
  REDIS_OUT_OF_MEMORY: SEED3_INTERNAL,
  LOGIN_THROTTLED: SEED3_RATE_LIMITED,
  INTERNAL: SEED3_INTERNAL,
};

function byStatus(status: number): number {
  if (status >= 500) return SEED3_INTERNAL;
  if (status === 401) return SEED3_AUTH;
  if (status === 402) return SEED3_NO_BALANCE;
  if (status === 403) return SEED3_FORBIDDEN;
  if (status === 404) return SEED3_NOT_FOUND;
  if (status === 409 || status === 410 || status === 422) return SEED3_CONFLICT;
  if (status === 429) return SEED3_RATE_LIMITED;
  return SEED3_BAD_REQUEST;
}

/** code and err text for any thrown value; internals never leak. */
export function seed3Error(err: unknown, overrides: Partial<Record<ErrorCode, number>> = {}): { code: number; err: string } {
  if (err instanceof AppError) {
    const code = overrides[err.code] ?? SEED3_CODES[err.code] ?? byStatus(err.status);
    return { code, err: err.status >= 500 && err.code === 'INTERNAL' ? 'internal error' : err.message };
  }
  return { code: SEED3_INTERNAL, err: 'internal error' };
}

export interface Seed3Envelope {
  code: number;
  data: unknown;
  err: string | null;
  /** Unix seconds. */
  time: number;
}

/** The seed's envelope; `data` is null when there is none. */
export function envelope(code: number, data: unknown = null, err: string | null = null): Seed3Envelope {
  return { code, data: data === undefined ? null : data, err, time: Math.floor(Date.now() / 1000) };
}

// ── callers ────────────────────────────────────────────────────────────────────────────
/** uids travel as numbers in the seed (`peer_uid: 12`) and as strings natively. */
export const uidOf = (v: string | number): string => String(v);

// ── routes ─────────────────────────────────────────────────────────────────────────────
interface BaseCtx {
  services: Services;
  core: Core;
  req: FastifyRequest;
}
export interface UserCtx extends BaseCtx {
  session: UserSession;
  appid: string;
  uid: string;
}
export interface ServerCtx extends BaseCtx {
  app: AppRecord;
  appid: string;
}

/** A route: its command resolves to `data` (undefined → null). */
export type Seed3Route = Command<UserCtx | ServerCtx, unknown> & {
  /** Full path, e.g. `/api/v1/im/before/check`. */
  path: string;
  caller: 'user' | 'server';
  /** Per-route overrides of SEED3_CODES. */
  codes?: Partial<Record<ErrorCode, number>>;
  summary?: string;
};

/** A `/api/v1/…` route: the body is validated by `schema` (errors name the field). */
export function userRoute<S extends TSchema>(
  path: string,
  schema: S,
  run: (ctx: UserCtx, body: Static<S>) => Promise<unknown>,
  opts: { codes?: Partial<Record<ErrorCode, number>>; summary?: string } = {},
): Seed3Route {
  return { path, caller: 'user', ...opts, ...command(schema, (ctx, body) => run(ctx as UserCtx, body)) };
}

/** A `/api/server/…` route (app secret). */
export function serverRoute<S extends TSchema>(
  path: string,
  schema: S,
  run: (ctx: ServerCtx, body: Static<S>) => Promise<unknown>,
  opts: { codes?: Partial<Record<ErrorCode, number>>; summary?: string } = {},
): Seed3Route {
  return { path, caller: 'server', ...opts, ...command(schema, (ctx, body) => run(ctx as ServerCtx, body)) };
}

/**
 * One encapsulated plugin mounting `routes(deps)`: bodies read as text whatever the
 * content type (so bad JSON is 1001 in the envelope), validation by each route's schema
 * with `parse` (the message names the field), every error through seed3Error, HTTP 200.
 */
export function seed003Plugin(routes: (deps: RouteDeps) => Seed3Route[]): RoutePlugin {
  return async (app, deps) => {
    const { services, core, auth } = deps;
    readBodiesAsText(app);
    answerErrorsWith(
      app,
      (err, thrown) => {
        const { code, err: text } = seed3Error(err);
        return { body: envelope(code, null, text), log: code === SEED3_INTERNAL && !(thrown instanceof AppError) };
      },
      { logMessage: 'seed-003 request failed' },
    );

    for (const route of routes(deps)) {
      app.route({
        method: 'POST',
        url: route.path,
        schema: { hide: true },
        handler: async (req, reply) => {
          try {
            const base = { services, core, req };
            const ctx: UserCtx | ServerCtx =
              route.caller === 'user'
                ? await auth.user(req).then((session) => ({ ...base, session, appid: session.appid, uid: session.uid }))
                : await auth.app(req).then((a) => ({ ...base, app: a, appid: a.appid }));
            const data = await runCommand(route, ctx, readJsonObject(req.body, { emptyIsObject: true }), `${route.path} request`);
            return reply.send(envelope(SEED3_OK, data));
          } catch (err) {
            const { code, err: text } = seed3Error(err, route.codes);
            if (code === SEED3_INTERNAL && !(err instanceof AppError)) req.log.error({ err, route: route.path }, 'seed-003 request failed');
            return reply.send(envelope(code, null, text));
          }
        },
      });
    }
  };
}
