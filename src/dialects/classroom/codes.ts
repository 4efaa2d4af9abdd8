// The one table from Switchboard error codes to the seed's errorCode numbers (seed 002,
// 通用字段 › 错误码). Codes not listed fall back by status: 4xx → 10001, 5xx → 90000.
import { AppError, type ErrorCode } from '../../infra/errors.js';

export const SEED_OK = 0;
export const SEED_BAD_REQUEST = 10001; // 请求有误
export const SEED_BAD_JSON = 10002; // 请求json错误
export const SEED_BAD_DATA = 10003; // 请求数据错误
export const SEED_INTERNAL = 90000; // 服务器内部错误

export const SEED_CODES: Partial<Record<ErrorCode, number>> = {
  // the request itself
  BAD_JSON: SEED_BAD_JSON,
  VALIDATION_FAILED: SEED_BAD_DATA,
  APP_NOT_FOUND: SEED_BAD_DATA, // the appid field names no app
  UNSUPPORTED_MEDIA_TYPE: SEED_BAD_REQUEST,
  PAYLOAD_TOO_LARGE: SEED_BAD_REQUEST,
  NOT_FOUND: SEED_BAD_REQUEST, // unknown svc/cmd
  RATE_LIMITED: SEED_BAD_REQUEST,
  FORBIDDEN: SEED_BAD_REQUEST, // a student calling a teacher-only command, another teacher's course
  REGISTRATION_CLOSED: SEED_BAD_REQUEST,
  // accounts
  USER_EXISTS: 10004, // 用户已经注册
  USER_NOT_FOUND: 10005, // 用户不存在
  WRONG_PASSWORD: 10006, // 密码有误
  // 10007 重复登录: never sent — a user may be logged in on several devices (README).
  // 10008 重复退出: logout with a token already logged out (per-command override in plugin.ts).
  AUTH_REQUIRED: 10009, // token过期: every token that no longer opens a session
  TOKEN_INVALID: 10009,
  TOKEN_EXPIRED: 10009,
  TOKEN_REVOKED: 10009,
  CROSS_TENANT: 10009, // a token of another app
  // rooms
  ROOM_NOT_FOUND: 10010, // 直播房间不存在
  NOT_IN_ROOM: 20001, // 用户没有av房间ID: leaving a room one is not in
  ROOM_CLOSED: 20002, // 用户没有在直播: the course has ended
  // media
  VENDOR_HOST_NOT_ALLOWED: SEED_BAD_DATA,
  CALLBACK_SIGN_INVALID: SEED_BAD_REQUEST,
  CALLBACK_EXPIRED: SEED_BAD_REQUEST,
  STREAM_NOT_LINKED: SEED_BAD_DATA,
  // the server's side
  TENCENT_NOT_CONFIGURED: SEED_INTERNAL,
  VENDOR_NOT_CONFIGURED: SEED_INTERNAL,
  VENDOR_FAILED: SEED_INTERNAL,
  UNAVAILABLE: SEED_INTERNAL,
  REDIS_UNAVAILABLE: SEED_INTERNAL,
  REDIS_OUT_OF_MEMORY: SEED_INTERNAL,
  LOGIN_THROTTLED: SEED_BAD_REQUEST,
  INTERNAL: SEED_INTERNAL,
};

/** errorCode and errorInfo for any thrown value; internals never leak. */
export function seedError(err: unknown, overrides: Partial<Record<ErrorCode, number>> = {}): { errorCode: number; errorInfo: string } {
  if (err instanceof AppError) {
    const code = overrides[err.code] ?? SEED_CODES[err.code] ?? (err.status < 500 ? SEED_BAD_REQUEST : SEED_INTERNAL);
    return { errorCode: code, errorInfo: code === SEED_INTERNAL && err.status >= 500 ? 'internal error' : err.message };
  }
  return { errorCode: SEED_INTERNAL, errorInfo: 'internal error' };
}
