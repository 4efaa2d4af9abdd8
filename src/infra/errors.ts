// The one error family of Switchboard. Every failure a caller can see has a stable
// code from this table; transports (REST, socket acks, dialects, jobs) map codes to
// their own envelopes, never the other way round.
import { isRedisUnavailable } from './redis.js';

/** Error codes with their HTTP status and default message. */
export type ErrorDefs = Record<string, { status: number; message: string }>;

/**
 * The codes of no feature: transports, authentication, infrastructure and the providers
 * (src/providers). Each module declares its own in its errors.ts (defineErrors).
 */
const GENERIC_ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'the request is invalid' },
  BAD_JSON: { status: 400, message: 'the body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'unsupported content type' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the payload is too large' },
  NOT_FOUND: { status: 404, message: 'no such resource' },
  UNKNOWN_EVENT: { status: 404, message: 'no such event' },
  AUTH_REQUIRED: { status: 401, message: 'authentication is required' },
  TOKEN_INVALID: { status: 401, message: 'the token is not valid' },
  TOKEN_EXPIRED: { status: 401, message: 'the token has expired' },
  TOKEN_REVOKED: { status: 401, message: 'the token was revoked' },
  APP_AUTH_FAILED: { status: 401, message: 'the app credentials are not valid' },
  ADMIN_AUTH_FAILED: { status: 401, message: 'the admin token is not valid' },
  ADMIN_DISABLED: { status: 503, message: 'no ADMIN_TOKEN is configured' },
  METRICS_DISABLED: { status: 503, message: 'no METRICS_TOKEN or ADMIN_TOKEN is configured and METRICS_PUBLIC is off' },
  METRICS_AUTH_FAILED: { status: 401, message: 'the metrics token is not valid' },
  SESSION_CLOSED: { status: 401, message: 'the server closed this session' },
  FORBIDDEN: { status: 403, message: 'not allowed' },
  CROSS_TENANT: { status: 403, message: 'that belongs to another app' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'this origin is not allowed' },
  VENDOR_HOST_NOT_ALLOWED: { status: 403, message: 'this vendor host is not allowed' },
  VENDOR_FAILED: { status: 502, message: 'the vendor did not answer' },
  CALLBACK_SIGN_INVALID: { status: 401, message: 'the callback sign is not valid' },
  CALLBACK_EXPIRED: { status: 401, message: 'the callback has expired' },
  TRANSLATION_NOT_CONFIGURED: { status: 503, message: 'no translation provider is configured' },
  TRANSLATION_FAILED: { status: 502, message: 'the translation provider failed' },
  TELEPHONY_NOT_CONFIGURED: { status: 503, message: 'the telephony provider is not configured' },
  SMS_NOT_CONFIGURED: { status: 503, message: 'the SMS provider is not configured' },
  NO_SOCKET: { status: 409, message: 'open a socket first: what this enables arrives over it' },
  RATE_LIMITED: { status: 429, message: 'too many requests' },
  UNAVAILABLE: { status: 503, message: 'a dependency is unavailable' },
  REDIS_UNAVAILABLE: { status: 503, message: 'the data store is unreachable or failing over: retry in a moment' },
  REDIS_OUT_OF_MEMORY: { status: 503, message: 'the data store is full (maxmemory): nothing was written; retry later' },
  LOGIN_THROTTLED: { status: 429, message: 'too many sign-in attempts: wait before trying again' },
  INTERNAL: { status: 500, message: 'internal error' },
} as const satisfies ErrorDefs;

/** The error codes of every module, by module (each module's errors.ts adds its own: declaration merging). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModuleErrorCodes {}

type CodesOf<M> = { [K in keyof M]: keyof M[K] & string }[keyof M];
export type ErrorCode = keyof typeof GENERIC_ERRORS | CodesOf<ModuleErrorCodes>;

/** Every code: the generic ones, then each module's, added from the module list (src/modules/index.ts) when it loads. */
export const ERROR_TABLE: Record<ErrorCode, { status: number; message: string }> = { ...GENERIC_ERRORS } as Record<
  ErrorCode,
  { status: number; message: string }
>;

/** A module's error codes (its errors.ts), typed as given; its module.ts gives them to the list as `errors`. */
export const defineErrors = <const T extends ErrorDefs>(defs: T): T => defs;

/** Adds a module's codes to ERROR_TABLE (the module list does, for each module). A code may be defined once. */
export function addErrorCodes(owner: string, defs: ErrorDefs): void {
  for (const [code, def] of Object.entries(defs)) {
    if (Object.hasOwn(ERROR_TABLE, code)) throw new Error(`error code ${code} (module ${owner}) is defined twice`);
    (ERROR_TABLE as Record<string, { status: number; message: string }>)[code] = def;
  }
}

function definitionOf(code: ErrorCode): { status: number; message: string } {
  const def = ERROR_TABLE[code] as { status: number; message: string } | undefined;
  // A module's codes are added by the module list: a process (or test) that uses a module's code without loading the list misses them.
  if (!def) throw new Error(`error code ${code} is not in the error table: import src/modules/index.js first`);
  return def;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    const def = definitionOf(code);
    // A refusal the caller caused (4xx) is an answer, not a fault: no stack trace. Capturing
    // one was 1 % of the api's CPU in the dispatch benchmark, where two accepts in three lose
    // the race (ALREADY_TAKEN). Server faults (5xx) keep theirs.
    const stackTraceLimit = Error.stackTraceLimit;
    if (def.status < 500) Error.stackTraceLimit = 0;
    try {
      super(message ?? def.message);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.name = 'AppError';
    this.code = code;
    this.status = def.status;
    this.details = details;
  }
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/**
 * Any thrown value → the public error. AppErrors keep their code and message;
 * anything else becomes INTERNAL with a generic message so internals never leak.
 */
export function toPublicError(err: unknown): { status: number; body: ErrorBody } {
  err = countError(storeError(err) ?? err);
  if (err instanceof AppError) return { status: err.status, body: { code: err.code, message: err.message } };
  return { status: 500, body: { code: 'INTERNAL', message: ERROR_TABLE.INTERNAL.message } };
}

/**
 * Redis failures as answers, or null: unreachable or failing over → REDIS_UNAVAILABLE; at
 * maxmemory with noeviction (it refuses writes, keeps everything) → REDIS_OUT_OF_MEMORY.
 * Both 503 and retryable: every change is one script, so a refused one wrote nothing.
 */
function storeError(err: unknown): AppError | null {
  // A MULTI whose queued commands were refused fails as EXECABORT, with their errors beside it.
  const causes = [err, ...((err as { previousErrors?: unknown[] } | null)?.previousErrors ?? [])];
  if (causes.some((e) => e instanceof Error && /\bOOM command not allowed\b/.test(e.message))) return new AppError('REDIS_OUT_OF_MEMORY');
  if (isRedisUnavailable(err)) return new AppError('REDIS_UNAVAILABLE');
  return null;
}

type ErrorObserver = (code: ErrorCode) => void;
const observers = new Set<ErrorObserver>();
/** Calls `fn` with the code of every error answered (metrics: errors by code). Returns the unsubscribe. */
export function observeErrors(fn: ErrorObserver): () => void {
  observers.add(fn);
  return () => observers.delete(fn);
}
/**
 * Tells the observers an error is being answered; returns it unchanged. toPublicError does
 * it; the dialects, which answer in their own shapes, call it once per answered error.
 */
export function countError<T>(err: T): T {
  const code: ErrorCode = err instanceof AppError ? err.code : 'INTERNAL';
  for (const fn of observers) fn(code);
  return err;
}

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/**
 * Fastify's own failures (schema validation, content-type parsing, body limits, other
 * 4xx) as AppErrors, so the native error handler and every dialect's map the same way.
 * AppErrors and unknown errors pass through unchanged (unknown → INTERNAL later).
 */
export function fromFrameworkError(err: Error & { validation?: unknown; statusCode?: number; code?: string }): unknown {
  if (err instanceof AppError) return err;
  if (err.validation) {
    // Ajv's additionalProperties message does not say which property: name it.
    const first = (err.validation as Array<{ keyword?: string; params?: { additionalProperty?: string } }>)[0];
    const extra = first?.keyword === 'additionalProperties' && first.params?.additionalProperty ? `: ${first.params.additionalProperty}` : '';
    return new AppError('VALIDATION_FAILED', `invalid request: ${err.message}${extra}`);
  }
  if (
    err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    (err instanceof SyntaxError && err.statusCode === 400)
  )
    return new AppError('BAD_JSON', err.message);
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError('UNSUPPORTED_MEDIA_TYPE', err.message);
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE');
  if (err.statusCode && err.statusCode < 500) return new AppError('VALIDATION_FAILED', err.message);
  return storeError(err) ?? err;
}
