// Seed 004 (VTC video cloud) dialect plumbing shared by its routes: the base path, the
// request parameters (query and form body, GET and POST, Struts names such as
// `video.groupId`), the `result` words, the XML answers, and the web session cookie.
//
// Answers: HTTP 200 with JSON `{"result": "<word>", …}` or, where the seed says XML,
// `<?xml version="1.0" encoding="UTF-8"?><response><result>…</result>…</response>`.
// Words the seed names are used as written (OK, Exceed, IdNotFound, good, init,
// NotAuthenticate, Busy, NotFound, Error); for "其它 - 失败,并表示失败原因" the word is one of
// the table below and `reason` carries the message (and `code`, the Switchboard code).
import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, fromFrameworkError, toPublicError } from '../../infra/errors.js';

export const VTC_BASE = '/LiveVideoServer/';
/** The Tomcat session cookie of the original: here it carries the login token. */
export const SESSION_COOKIE = 'JSESSIONID';

/** query ∪ form body (the body wins); repeated keys: the first value. */
export function params(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const src of [req.query, req.body]) {
    if (!src || typeof src !== 'object') continue;
    for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
      const val = Array.isArray(v) ? v[0] : v;
      if (typeof val === 'string' || typeof val === 'number') out[k] = String(val);
    }
  }
  return out;
}

/** Result words for failures the seed leaves to "other" (result = word, reason = message). */
const WORDS: Partial<Record<ErrorCode, string>> = {
  APP_AUTH_FAILED: 'NotAuthenticate',
  APP_SIGNATURE_INVALID: 'NotAuthenticate',
  APP_TIMESTAMP_SKEW: 'NotAuthenticate',
  APP_SIGNATURE_REPLAYED: 'NotAuthenticate',
  APP_NOT_FOUND: 'NotAuthenticate',
  USER_QUOTA_EXCEEDED: 'Exceed',
  THIRDPARTY_ID_EXISTS: 'IdExists',
  THIRDPARTY_ID_NOT_FOUND: 'NotFound',
  WRONG_PASSWORD: 'WrongPassword',
  RATE_LIMITED: 'Busy',
  LOGIN_THROTTLED: 'Busy',
  VALIDATION_FAILED: 'Invalid',
  BAD_JSON: 'Invalid',
  UNSUPPORTED_MEDIA_TYPE: 'Invalid',
  PAYLOAD_TOO_LARGE: 'Invalid',
  AUTH_REQUIRED: 'init',
  TOKEN_INVALID: 'init',
  TOKEN_EXPIRED: 'init',
  TOKEN_REVOKED: 'init',
  LIVE_GROUP_NOT_FOUND: 'NotAuthenticate',
  FORBIDDEN: 'Forbidden',
  USER_NOT_FOUND: 'NotFound',
  VIDEO_NOT_FOUND: 'NotFound',
};

export interface Failure {
  result: string;
  code: string;
  reason: string;
}

/** Any error → {result word, code, reason}; unknown errors → Error (internals never leak). */
export function failure(err: unknown, overrides: Partial<Record<ErrorCode, string>> = {}): Failure {
  const e = fromFrameworkError(err as Error);
  const { body } = toPublicError(e);
  const word = e instanceof AppError ? (overrides[e.code] ?? WORDS[e.code] ?? 'Error') : 'Error';
  return { result: word, code: body.code, reason: body.message };
}

const xml = new XMLBuilder({ ignoreAttributes: false, processEntities: true, suppressEmptyNode: false });

/** The seed's XML answer: <response> with one element per field (undefined fields left out). */
export function sendXml(reply: FastifyReply, fields: Record<string, string | number | undefined>): FastifyReply {
  const response = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const body = xml.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, response });
  return reply.code(200).type('application/xml; charset=utf-8').send(body);
}

export function sendJson(reply: FastifyReply, fields: Record<string, unknown>): FastifyReply {
  return reply.code(200).type('application/json; charset=utf-8').send(fields);
}

/** The login token of a web session: the JSESSIONID cookie, a `token` parameter or a Bearer header. */
export function sessionToken(req: FastifyRequest, p: Record<string, string>): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  if (p.token) return p.token;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function sessionCookie(token: string, expiresAt: number): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=${VTC_BASE.slice(0, -1)}; HttpOnly; SameSite=Lax; Expires=${new Date(expiresAt).toUTCString()}`;
}
export const clearSessionCookie = `${SESSION_COOKIE}=; Path=${VTC_BASE.slice(0, -1)}; HttpOnly; SameSite=Lax; Max-Age=0`;

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
