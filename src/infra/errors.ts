// The one error family of Switchboard. Every failure a caller can see has a stable
// code from this table; transports (REST, socket acks, dialects, jobs) map codes to
// their own envelopes, never the other way round.
import { isRedisUnavailable } from './redis.js';

export const ERROR_TABLE = {
  VALIDATION_FAILED: { status: 400, message: 'the request is invalid' },
  BAD_JSON: { status: 400, message: 'the body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'unsupported content type' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the payload is too large' },
  NOT_FOUND: { status: 404, message: 'no such resource' },
  UNKNOWN_EVENT: { status: 404, message: 'no such event' },
  ROOM_NOT_FOUND: { status: 404, message: 'no such room' },
  ROOM_CLOSED: { status: 409, message: 'the room is closed' },
  NOT_IN_ROOM: { status: 409, message: 'the user is not in this room' },

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
  SECRET_NOT_FOUND: { status: 404, message: 'the app has no working secret with this id' },
  SECRET_IS_CURRENT: { status: 409, message: 'this is the current secret: rotate it instead' },
  FORBIDDEN: { status: 403, message: 'not allowed' },
  CROSS_TENANT: { status: 403, message: 'that belongs to another app' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'this origin is not allowed' },
  APP_SIGNATURE_INVALID: { status: 401, message: 'the app signature (md5 of appId, timestamp and appToken) is not valid' },
  APP_TIMESTAMP_SKEW: { status: 401, message: 'the timestamp is more than a minute away from server time' },
  APP_SIGNATURE_REPLAYED: { status: 401, message: 'this signature was already used' },
  THIRDPARTY_ID_EXISTS: { status: 409, message: 'a user with this third-party id exists in the app' },
  THIRDPARTY_ID_NOT_FOUND: { status: 404, message: 'no user with this third-party id' },
  USER_QUOTA_EXCEEDED: { status: 409, message: 'the app has reached its third-party user quota' },
  VIDEO_NOT_FOUND: { status: 404, message: 'no such video' },
  VIDEO_ENDED: { status: 409, message: 'the live stream has stopped' },
  LIVE_GROUP_NOT_FOUND: { status: 404, message: 'no such live group' },
  PICTURE_NOT_FOUND: { status: 404, message: 'no such picture' },

  APP_NOT_FOUND: { status: 404, message: 'no such app' },
  APP_EXISTS: { status: 409, message: 'an app with this appid exists' },
  USER_EXISTS: { status: 409, message: 'a user with this id exists' },
  USER_NOT_FOUND: { status: 404, message: 'no such user' },
  WRONG_PASSWORD: { status: 401, message: 'the password is wrong' },
  REGISTRATION_CLOSED: { status: 403, message: 'this app does not allow self-registration' },
  TENCENT_NOT_CONFIGURED: { status: 409, message: 'the app has no Tencent SdkAppID and key' },
  VENDOR_NOT_CONFIGURED: { status: 409, message: 'the app has no Tencent SecretId/SecretKey or COS bucket configured' },
  VENDOR_HOST_NOT_ALLOWED: { status: 403, message: 'this vendor host is not allowed' },
  VENDOR_FAILED: { status: 502, message: 'the vendor did not answer' },
  CALLBACK_SIGN_INVALID: { status: 401, message: 'the callback sign is not valid' },
  CALLBACK_EXPIRED: { status: 401, message: 'the callback has expired' },
  STREAM_NOT_LINKED: { status: 422, message: 'the stream names no app or room' },
  NO_RECORDING_HANDLER: { status: 409, message: 'nothing links recordings to rooms on this node' },

  AGENT_NO_SKILLS: { status: 409, message: 'the agent has no skills: set skills before going online' },
  REQUEST_NOT_FOUND: { status: 404, message: 'no such request or conversation' },
  ALREADY_TAKEN: { status: 409, message: 'another agent already accepted this request' },
  REQUEST_CLOSED: { status: 409, message: 'the request expired or was cancelled' },
  NOT_OFFERED: { status: 409, message: 'this request was not offered to you' },
  NOT_A_PARTY: { status: 403, message: 'you are not a party of this conversation' },
  WRONG_AGENT: { status: 409, message: 'another agent accepted this conversation' },
  CONVERSATION_NOT_ACCEPTED: { status: 409, message: 'no agent has accepted this request yet' },
  CONVERSATION_ENDED: { status: 409, message: 'the conversation has ended' },
  FEEDBACK_GIVEN: { status: 409, message: 'this side already gave feedback for this conversation' },
  MESSAGE_SIGN_INVALID: { status: 401, message: 'the message sign is not valid' },

  INSUFFICIENT_BALANCE: { status: 402, message: 'the balance does not cover this' },
  CALL_NOT_FOUND: { status: 404, message: 'no such metered call' },
  CALL_ENDED: { status: 409, message: 'the metered call has ended' },
  CALL_ACTIVE: { status: 409, message: 'the metered call is still running' },
  CALL_EXISTS: { status: 409, message: 'a metered call with this id exists between other users' },
  PRICE_NOT_FOUND: { status: 404, message: 'no price for this key and no default price' },
  IDEMPOTENCY_CONFLICT: { status: 409, message: 'this idempotency reference was used for another operation' },

  SENSITIVE_WORD: { status: 422, message: 'the content contains a sensitive word' },
  TRANSLATION_NOT_CONFIGURED: { status: 503, message: 'no translation provider is configured' },
  TRANSLATION_FAILED: { status: 502, message: 'the translation provider failed' },

  PAIR_NOT_FOUND: { status: 404, message: 'no such ask' },
  PAIR_BUSY: { status: 409, message: 'the user already has an open ask, answered one or is in a call' },
  PAIR_TAKEN: { status: 409, message: 'another candidate already answered this ask' },
  PAIR_CLOSED: { status: 409, message: 'the ask has ended' },
  PAIR_NOT_OFFERED: { status: 409, message: 'this ask was not offered to you in this round' },
  PAIR_STALE_ROUND: { status: 409, message: 'this round of the ask is over' },
  PAIR_NOT_ANSWERED: { status: 409, message: 'nobody has answered this ask yet' },
  PAIR_WRONG_PEER: { status: 409, message: 'another candidate answered this ask' },
  PAIR_NOT_IN_CALL: { status: 409, message: 'the ask is not in a call' },

  CONFERENCE_NOT_FOUND: { status: 404, message: 'no such conference' },
  CONFERENCE_ENDED: { status: 409, message: 'the conference has ended' },
  CONFERENCE_NOT_STARTED: { status: 409, message: 'the conference has not started yet' },
  CONFERENCE_PASSWORD: { status: 403, message: 'the conference password is missing or wrong' },
  CONFERENCE_FULL: { status: 409, message: 'the conference has as many participants as it may' },
  PARTICIPANT_NOT_FOUND: { status: 404, message: 'no such call in this conference' },
  INVALID_NUMBER: { status: 422, message: 'a phone number is not valid' },
  TELEPHONY_NOT_CONFIGURED: { status: 503, message: 'the telephony provider is not configured' },
  SMS_NOT_CONFIGURED: { status: 503, message: 'the SMS provider is not configured' },

  APNS_NOT_CONFIGURED: { status: 404, message: 'the app has no APNs settings' },
  APNS_KEY_INVALID: { status: 422, message: 'the APNs key is not a PEM EC P-256 private key (the .p8 file)' },
  // The next three are outcomes of push/send jobs (never REST answers): below 500 = final, no retry.
  APNS_AUTH_FAILED: { status: 424, message: "APNs refused the app's provider token: check its key id, team id and key" },
  APNS_REJECTED: { status: 422, message: 'APNs refused the notification' },
  APNS_UNAVAILABLE: { status: 502, message: 'APNs did not take the notification this time' },

  CS_NOT_ENABLED: { status: 409, message: 'the app has no customer-service robot: create it first' },
  NOT_A_SEAT: { status: 403, message: 'you are not a customer-service seat of this app' },
  SEAT_EXISTS: { status: 409, message: 'a seat with this nickname (or user) exists' },
  SEAT_NOT_FOUND: { status: 404, message: 'no such seat' },
  CS_TAKEN: { status: 409, message: 'another seat already took this customer over' },
  CS_NO_CONSULTATION: { status: 404, message: 'this customer has no open consultation' },

  WEBHOOK_NOT_FOUND: { status: 404, message: 'no such webhook endpoint' },
  WEBHOOK_URL_NOT_ALLOWED: { status: 422, message: 'the webhook URL is not a public address' },
  WEBHOOK_LIMIT: { status: 409, message: 'the app has as many webhook endpoints as it may' },
  WEBHOOK_DISABLED: { status: 409, message: 'the webhook endpoint is disabled' },
  DELIVERY_NOT_FOUND: { status: 404, message: 'no such webhook delivery' },
  DELIVERY_NOT_DEAD: { status: 409, message: 'the webhook delivery is not a dead letter' },

  NO_SOCKET: { status: 409, message: 'open a socket first: what this enables arrives over it' },
  RATE_LIMITED: { status: 429, message: 'too many requests' },
  UNAVAILABLE: { status: 503, message: 'a dependency is unavailable' },
  REDIS_UNAVAILABLE: { status: 503, message: 'the data store is unreachable or failing over: retry in a moment' },
  REDIS_OUT_OF_MEMORY: { status: 503, message: 'the data store is full (maxmemory): nothing was written; retry later' },
  LOGIN_THROTTLED: { status: 429, message: 'too many sign-in attempts: wait before trying again' },
  INTERNAL: { status: 500, message: 'internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_TABLE[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
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

/** The error codes of a module (its errors.ts): HTTP status and default message. */
export type ErrorDefs = Record<string, { status: number; message: string }>;
