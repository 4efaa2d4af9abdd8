// Apps (tenants), users, login sessions and the three ways of authenticating:
// user token, app secret, admin token.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import { hashPassword, verifyPassword } from '../../infra/passwords.js';
import { createAccountsStore } from './store.js';
import type { AppViewT, CreateAppInput, RegisterInput, SessionViewT, TencentSettings, UpdateAppInput, User } from './schemas.js';

export interface AppRecord {
  appid: string;
  name: string;
  secret: string;
  prevSecret?: string;
  prevSecretUntil?: number;
  tencent: TencentSettings | null;
  selfRegister: boolean;
  createdAt: number;
}

export interface UserSession {
  appid: string;
  uid: string;
  tokenHash: string;
  expiresAt: number;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

const newSecret = () => randomBytes(24).toString('base64url');

/** Tokens are `<appid>.<random>`: the appid routes the lookup to the app's keys. */
function parseToken(token: string): { appid: string } | null {
  const dot = token.indexOf('.');
  if (dot < 3 || dot > 32 || token.length > 200) return null;
  return { appid: token.slice(0, dot) };
}

function toApp(appid: string, h: Record<string, string>): AppRecord {
  return {
    appid,
    name: h.name ?? '',
    secret: h.secret ?? '',
    ...(h.prevSecret ? { prevSecret: h.prevSecret, prevSecretUntil: Number(h.prevSecretUntil ?? 0) } : {}),
    tencent: h.tencent ? (JSON.parse(h.tencent) as TencentSettings) : null,
    selfRegister: h.selfRegister !== '0',
    createdAt: Number(h.createdAt ?? 0),
  };
}

function toUser(h: Record<string, string>): User {
  return {
    id: h.id ?? '',
    role: h.role ?? 'user',
    name: h.name ?? '',
    profile: h.profile ? (JSON.parse(h.profile) as Record<string, unknown>) : {},
    createdAt: Number(h.createdAt ?? 0),
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(core: Core) {
  const store = createAccountsStore(core.redis, core.keys);
  const { config } = core;

  async function getApp(appid: string): Promise<AppRecord> {
    const h = await store.getApp(appid);
    if (!h) throw new AppError('APP_NOT_FOUND', `no app ${appid}`);
    return toApp(appid, h);
  }

  async function getUser(appid: string, uid: string): Promise<User> {
    const h = await store.getUser(appid, uid);
    if (!h) throw new AppError('USER_NOT_FOUND', `no user ${uid} in app ${appid}`);
    return toUser(h);
  }

  async function openSession(appid: string, user: User, ttlSeconds = config.TOKEN_TTL_SECONDS): Promise<SessionViewT> {
    const token = `${appid}.${randomBytes(24).toString('base64url')}`;
    const expiresAt = Date.now() + ttlSeconds * 1000;
    await store.createSession(appid, user.id, sha256(token), expiresAt);
    return { token, expiresAt, user };
  }

  async function createUser(appid: string, input: Omit<RegisterInput, 'appid' | 'password'>, pwdHash: string): Promise<User> {
    const now = Date.now();
    const user: User = { id: input.id, role: input.role ?? 'user', name: input.name ?? input.id, profile: input.profile ?? {}, createdAt: now };
    const fields: Record<string, string> = { id: user.id, role: user.role, name: user.name, profile: JSON.stringify(user.profile), createdAt: String(now) };
    if (pwdHash) fields.pwd = pwdHash;
    if (!(await store.createUser(appid, user.id, fields, now))) throw new AppError('USER_EXISTS', `user ${input.id} exists in app ${appid}`);
    return user;
  }

  /** One SdkAppID belongs to one app: the dialects find the app by it. */
  async function assertSdkAppIdFree(sdkAppId: number, appid: string): Promise<void> {
    const owner = await store.appidBySdkAppId(sdkAppId);
    if (owner && owner !== appid) throw new AppError('APP_EXISTS', `SdkAppID ${sdkAppId} is already used by app ${owner}`);
  }

  return {
    getApp,
    getUser,

    /** The app whose Tencent SdkAppID this is (seed 002's `appid` field). */
    async getAppBySdkAppId(sdkAppId: number): Promise<AppRecord> {
      const appid = await store.appidBySdkAppId(sdkAppId);
      if (!appid) throw new AppError('APP_NOT_FOUND', `no app has SdkAppID ${sdkAppId}`);
      return getApp(appid);
    },

    viewApp(app: AppRecord): AppViewT {
      const t = app.tencent;
      return {
        appid: app.appid,
        name: app.name,
        createdAt: app.createdAt,
        selfRegister: app.selfRegister,
        tencent: t
          ? { sdkAppId: t.sdkAppId, ...(t.secretId ? { secretId: t.secretId } : {}), ...(t.cosBucket ? { cosBucket: t.cosBucket } : {}), ...(t.cosRegion ? { cosRegion: t.cosRegion } : {}), hasCallbackKey: Boolean(t.callbackKey) }
          : null,
      };
    },

    /** Admin: a new tenant. `secret` may be given (bootstrap reuses a persisted one). */
    async createApp(input: CreateAppInput, secret = newSecret()): Promise<{ appid: string; secret: string }> {
      const appid = input.appid ?? `app${randomBytes(5).toString('hex')}`;
      const fields: Record<string, string> = {
        name: input.name ?? appid,
        secret,
        selfRegister: input.selfRegister === false ? '0' : '1',
        createdAt: String(Date.now()),
      };
      if (input.tencent) fields.tencent = JSON.stringify(input.tencent);
      if (input.tencent) await assertSdkAppIdFree(input.tencent.sdkAppId, appid);
      if (!(await store.createApp(appid, fields))) throw new AppError('APP_EXISTS', `app ${appid} exists`);
      if (input.tencent) await store.indexSdkAppId(input.tencent.sdkAppId, appid);
      return { appid, secret };
    },

    async updateApp(appid: string, patch: UpdateAppInput): Promise<AppRecord> {
      const before = await getApp(appid);
      if (patch.tencent) await assertSdkAppIdFree(patch.tencent.sdkAppId, appid);
      const fields: Record<string, string> = {};
      const remove: string[] = [];
      if (patch.name !== undefined) fields.name = patch.name;
      if (patch.selfRegister !== undefined) fields.selfRegister = patch.selfRegister ? '1' : '0';
      if (patch.tencent === null) remove.push('tencent');
      else if (patch.tencent !== undefined) fields.tencent = JSON.stringify(patch.tencent);
      if (Object.keys(fields).length === 0 && remove.length === 0) return getApp(appid);
      if (!(await store.updateApp(appid, fields, remove))) {
        throw new AppError('APP_NOT_FOUND', `no app ${appid}`);
      }
      if (patch.tencent !== undefined && before.tencent && before.tencent.sdkAppId !== patch.tencent?.sdkAppId) await store.unindexSdkAppId(before.tencent.sdkAppId);
      if (patch.tencent) await store.indexSdkAppId(patch.tencent.sdkAppId, appid);
      return getApp(appid);
    },

    /** New secret; the previous one keeps working for `graceSeconds`. */
    async rotateSecret(appid: string, graceSeconds = 0): Promise<{ appid: string; secret: string }> {
      const app = await getApp(appid);
      const secret = newSecret();
      const fields: Record<string, string> = { secret };
      if (graceSeconds > 0) Object.assign(fields, { prevSecret: app.secret, prevSecretUntil: String(Date.now() + graceSeconds * 1000) });
      if (!(await store.updateApp(appid, fields, graceSeconds > 0 ? [] : ['prevSecret', 'prevSecretUntil']))) throw new AppError('APP_NOT_FOUND');
      return { appid, secret };
    },

    async listApps(): Promise<AppRecord[]> {
      const ids = (await store.listAppIds()).sort();
      const apps = await Promise.all(ids.map(async (id) => store.getApp(id).then((h) => (h ? toApp(id, h) : null))));
      return apps.filter((a): a is AppRecord => a !== null);
    },

    /** Server-to-server: the app's backend proves itself with its secret. */
    async verifyAppSecret(appid: string, secret: string): Promise<AppRecord> {
      const h = await store.getApp(appid);
      if (!h) throw new AppError('APP_AUTH_FAILED', 'unknown appid or wrong secret');
      const app = toApp(appid, h);
      const current = safeEqual(secret, app.secret);
      const previous = app.prevSecret !== undefined && (app.prevSecretUntil ?? 0) > Date.now() && safeEqual(secret, app.prevSecret);
      if (!current && !previous) throw new AppError('APP_AUTH_FAILED', 'unknown appid or wrong secret');
      return app;
    },

    async register(input: RegisterInput): Promise<User> {
      const app = await getApp(input.appid);
      if (!app.selfRegister) throw new AppError('REGISTRATION_CLOSED');
      return createUser(input.appid, input, await hashPassword(input.password, config.PASSWORD_SCRYPT_N));
    },

    async login(appid: string, uid: string, password: string): Promise<SessionViewT> {
      await getApp(appid);
      const h = await store.getUser(appid, uid);
      if (!h) throw new AppError('USER_NOT_FOUND', `no user ${uid} in app ${appid}`);
      if (!h.pwd || !(await verifyPassword(password, h.pwd))) throw new AppError('WRONG_PASSWORD');
      return openSession(appid, toUser(h));
    },

    /**
     * A session issued by the app's backend for one of its users (apps with their own
     * login): creates the user, without a password, on first sight.
     */
    async issueToken(appid: string, input: { uid: string; role?: string; name?: string; profile?: Record<string, unknown>; ttlSeconds?: number }): Promise<SessionViewT> {
      let user: User;
      try {
        user = await getUser(appid, input.uid);
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'USER_NOT_FOUND')) throw err;
        try {
          user = await createUser(appid, { id: input.uid, ...(input.role ? { role: input.role } : {}), ...(input.name ? { name: input.name } : {}), ...(input.profile ? { profile: input.profile } : {}) }, '');
        } catch (e) {
          if (!(e instanceof AppError && e.code === 'USER_EXISTS')) throw e;
          user = await getUser(appid, input.uid); // created concurrently: fine
        }
      }
      return openSession(appid, user, input.ttlSeconds);
    },

    /** Resolves a bearer token or throws TOKEN_INVALID / TOKEN_EXPIRED / TOKEN_REVOKED. */
    async authenticate(token: string): Promise<UserSession> {
      const parsed = parseToken(token);
      if (!parsed) throw new AppError('TOKEN_INVALID');
      const tokenHash = sha256(token);
      const s = await store.getSession(parsed.appid, tokenHash);
      if (!s) throw new AppError('TOKEN_INVALID');
      if (s.revoked) throw new AppError('TOKEN_REVOKED');
      if (s.exp <= Date.now()) throw new AppError('TOKEN_EXPIRED');
      return { appid: parsed.appid, uid: s.uid, tokenHash, expiresAt: s.exp };
    },

    /** Revokes the session and closes the sockets opened with it, on every node. */
    async logout(session: UserSession): Promise<void> {
      const r = await store.revokeSession(session.appid, session.uid, session.tokenHash);
      if (r === -1) throw new AppError('TOKEN_REVOKED');
      await core.emitter.disconnectUser(session.appid, session.uid, { code: 'TOKEN_REVOKED', message: 'logged out' }, session.tokenHash);
    },

    /** Revokes every session of the user and disconnects all their sockets. */
    async revokeAll(appid: string, uid: string, reason = 'signed out by the app'): Promise<number> {
      const hashes = await store.listUserSessions(appid, uid);
      await Promise.all(hashes.map((h) => store.revokeSession(appid, uid, h)));
      await core.emitter.disconnectUser(appid, uid, { code: 'TOKEN_REVOKED', message: reason });
      return hashes.length;
    },

    async listUsers(appid: string, offset: number, limit: number): Promise<{ users: User[]; total: number; offset: number }> {
      const { ids, total } = await store.listUserIds(appid, offset, limit);
      const users = await Promise.all(ids.map((id) => store.getUser(appid, id)));
      return { users: users.filter((u): u is Record<string, string> => u !== null).map(toUser), total, offset };
    },
  };
}
