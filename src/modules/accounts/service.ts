// Apps (tenants), users, login sessions and the three ways of authenticating:
// user token, app secret, admin token.
import { hash, randomBytes } from 'node:crypto';
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import { throwOnScriptCode } from '../../infra/lua.js';
import { ACCOUNTS_CODES } from './lua/codes.js';
import { hashPassword, safeEqual, verifyPassword } from '../../infra/passwords.js';
import { createAccountsStore } from './store.js';
import type {
  AppViewT,
  CreateAppInput,
  RegisterInput,
  RotatedSecretT,
  SecretInfoT,
  SessionViewT,
  TencentSettings,
  UpdateAppInput,
  User,
  UserFilterT,
  UserPageT,
} from './schemas.js';

export interface AppRecord {
  appid: string;
  name: string;
  secret: string;
  prevSecret?: string;
  prevSecretUntil?: number;
  /** When the current secret was issued (apps older than rotation tracking: their creation). */
  secretCreatedAt: number;
  prevSecretCreatedAt?: number;
  tencent: TencentSettings | null;
  selfRegister: boolean;
  createdAt: number;
  /** The app's own LOGIN_LIMIT_PER_ACCOUNT (failed credential checks per account per window), if set. */
  loginLimit?: number;
}

export interface UserSession {
  appid: string;
  uid: string;
  tokenHash: string;
  expiresAt: number;
}

export const sha256 = (s: string) => hash('sha256', s, 'base64url'); // one-shot: a third of createHash's cost, on every connect

/** The previous secret still works during its grace (until prevSecretUntil). */
export function inGrace(app: AppRecord, now = Date.now()): app is AppRecord & { prevSecret: string } {
  return app.prevSecret !== undefined && (app.prevSecretUntil ?? 0) > now;
}

const newSecret = () => randomBytes(24).toString('base64url');

/**
 * A secret's public id: the first 12 characters of its SHA-256 (base64url). Lists show it
 * instead of the secret, and whoever holds a secret can compute it to see which one it is.
 */
export const secretId = (secret: string) => sha256(secret).slice(0, 12);

/** How many users a filtered user list examines per request at most (the page says where to go on). */
export const USER_SCAN_LIMIT = 5000;

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
    ...(h.prevSecret
      ? {
          prevSecret: h.prevSecret,
          prevSecretUntil: Number(h.prevSecretUntil ?? 0),
          prevSecretCreatedAt: Number(h.prevSecretCreatedAt ?? h.createdAt ?? 0),
        }
      : {}),
    secretCreatedAt: Number(h.secretCreatedAt ?? h.createdAt ?? 0),
    tencent: h.tencent ? (JSON.parse(h.tencent) as TencentSettings) : null,
    selfRegister: h.selfRegister !== '0',
    createdAt: Number(h.createdAt ?? 0),
    ...(h.loginLimit ? { loginLimit: Number(h.loginLimit) } : {}),
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

  /** The user from its stored hash (empty or null: USER_NOT_FOUND). */
  function userFromRecord(appid: string, uid: string, h: Record<string, string> | null): User {
    if (!h || !Object.keys(h).length) throw new AppError('USER_NOT_FOUND', `no user ${uid} in app ${appid}`);
    return toUser(h);
  }

  async function getUser(appid: string, uid: string): Promise<User> {
    return userFromRecord(appid, uid, await store.getUser(appid, uid));
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
    const fields: Record<string, string> = {
      id: user.id,
      role: user.role,
      name: user.name,
      profile: JSON.stringify(user.profile),
      createdAt: String(now),
    };
    if (pwdHash) fields.pwd = pwdHash;
    if (!(await store.createUser(appid, user.id, fields, now))) throw new AppError('USER_EXISTS', `user ${input.id} exists in app ${appid}`);
    return user;
  }

  /** One SdkAppID belongs to one app: the dialects find the app by it. */
  /** Revokes every session of the user: one store result per session (1 revoked now). */
  async function revokeSessions(appid: string, uid: string): Promise<number[]> {
    const hashes = await store.listUserSessions(appid, uid);
    return Promise.all(hashes.map((h) => store.revokeSession(appid, uid, h)));
  }

  /** Revokes every session of the user and disconnects all their sockets. */
  async function revokeAll(appid: string, uid: string, reason = 'signed out by the app'): Promise<number> {
    const results = await revokeSessions(appid, uid);
    await core.emitter.disconnectUser(appid, uid, { code: 'TOKEN_REVOKED', message: reason });
    return results.length;
  }

  async function assertSdkAppIdFree(sdkAppId: number, appid: string): Promise<void> {
    const owner = await store.appidBySdkAppId(sdkAppId);
    if (owner && owner !== appid) throw new AppError('APP_EXISTS', `SdkAppID ${sdkAppId} is already used by app ${owner}`);
  }

  return {
    getApp,
    getUser,
    userFromRecord,

    /** The app whose Tencent SdkAppID this is (seed 002's `appid` field). */
    async getAppBySdkAppId(sdkAppId: number): Promise<AppRecord> {
      const appid = await store.appidBySdkAppId(sdkAppId);
      if (!appid) throw new AppError('APP_NOT_FOUND', `no app has SdkAppID ${sdkAppId}`);
      return getApp(appid);
    },

    /** Every app with Tencent settings; a vendor callback that names no app is matched against their keys. */
    async appsWithTencent(): Promise<AppRecord[]> {
      const ids = await store.appidsWithSdkAppId();
      const apps = await Promise.all(
        ids.map((id) =>
          getApp(id).catch((err: unknown) => {
            if (err instanceof AppError && err.code === 'APP_NOT_FOUND') return null; // deleted meanwhile
            throw err;
          }),
        ),
      );
      return apps.filter((a): a is AppRecord => a !== null);
    },

    viewApp(app: AppRecord): AppViewT {
      const t = app.tencent;
      return {
        appid: app.appid,
        name: app.name,
        createdAt: app.createdAt,
        selfRegister: app.selfRegister,
        tencent: t
          ? {
              sdkAppId: t.sdkAppId,
              ...(t.secretId ? { secretId: t.secretId } : {}),
              ...(t.cosBucket ? { cosBucket: t.cosBucket } : {}),
              ...(t.cosRegion ? { cosRegion: t.cosRegion } : {}),
              hasCallbackKey: Boolean(t.callbackKey),
            }
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
        secretCreatedAt: String(Date.now()),
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
      if (patch.tencent !== undefined && before.tencent && before.tencent.sdkAppId !== patch.tencent?.sdkAppId)
        await store.unindexSdkAppId(before.tencent.sdkAppId);
      if (patch.tencent) await store.indexSdkAppId(patch.tencent.sdkAppId, appid);
      return getApp(appid);
    },

    /** The app's own number of failed credential checks per account per window (null: the deployment's). */
    async setLoginLimit(appid: string, perAccount: number | null): Promise<{ perAccount: number | null }> {
      await getApp(appid);
      const ok =
        perAccount === null ? await store.updateApp(appid, {}, ['loginLimit']) : await store.updateApp(appid, { loginLimit: String(perAccount) });
      if (!ok) throw new AppError('APP_NOT_FOUND', `no app ${appid}`);
      return { perAccount };
    },

    /**
     * New secret; the previous one keeps working for `graceSeconds` (0: refused at once).
     * Only one previous secret is kept: rotating again ends an earlier one's grace.
     */
    async rotateSecret(appid: string, graceSeconds = 0): Promise<RotatedSecretT> {
      const app = await getApp(appid);
      const secret = newSecret();
      const now = Date.now();
      const fields: Record<string, string> = { secret, secretCreatedAt: String(now) };
      const until = now + graceSeconds * 1000;
      if (graceSeconds > 0)
        Object.assign(fields, { prevSecret: app.secret, prevSecretUntil: String(until), prevSecretCreatedAt: String(app.secretCreatedAt) });
      if (!(await store.updateApp(appid, fields, graceSeconds > 0 ? [] : ['prevSecret', 'prevSecretUntil', 'prevSecretCreatedAt'])))
        throw new AppError('APP_NOT_FOUND');
      return {
        appid,
        secret,
        id: secretId(secret),
        createdAt: now,
        previous: graceSeconds > 0 ? { id: secretId(app.secret), expiresAt: until } : null,
      };
    },

    /** The app's working secrets without their values: the current one and a previous one still in its grace. */
    listSecrets(app: AppRecord): SecretInfoT[] {
      const list: SecretInfoT[] = [{ id: secretId(app.secret), state: 'current', createdAt: app.secretCreatedAt, expiresAt: null }];
      if (inGrace(app)) {
        list.push({ id: secretId(app.prevSecret), state: 'previous', createdAt: app.prevSecretCreatedAt ?? 0, expiresAt: app.prevSecretUntil ?? 0 });
      }
      return list;
    },

    /** Ends a previous secret's grace now (it was leaked, or every client has the new one). */
    async revokeSecret(appid: string, id: string): Promise<void> {
      const app = await getApp(appid);
      if (id === secretId(app.secret)) throw new AppError('SECRET_IS_CURRENT', `secret ${id} is the current one: rotate it instead`);
      if (!inGrace(app) || id !== secretId(app.prevSecret)) throw new AppError('SECRET_NOT_FOUND', `app ${appid} has no working secret ${id}`);
      await store.updateApp(appid, {}, ['prevSecret', 'prevSecretUntil', 'prevSecretCreatedAt']);
    },

    /** Every appid, sorted (one SMEMBERS; listApps also reads each app). */
    async listAppIds(): Promise<string[]> {
      return (await store.listAppIds()).sort();
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
      const previous = inGrace(app) && safeEqual(secret, app.prevSecret);
      if (!current && !previous) throw new AppError('APP_AUTH_FAILED', 'unknown appid or wrong secret');
      return app;
    },

    async register(input: RegisterInput): Promise<User> {
      const app = await getApp(input.appid);
      if (!app.selfRegister) throw new AppError('REGISTRATION_CLOSED');
      return createUser(input.appid, input, await hashPassword(input.password, config.PASSWORD_SCRYPT_N));
    },

    /** A user created by the app's side (seed 004 third-party users): no self-registration check. */
    async createUserWithPassword(appid: string, input: Omit<RegisterInput, 'appid' | 'password'>, password: string): Promise<User> {
      await getApp(appid);
      return createUser(appid, input, await hashPassword(password, config.PASSWORD_SCRYPT_N));
    },

    /** Replaces the user's password (sessions stay open; revokeAll ends them). */
    async setPassword(appid: string, uid: string, password: string): Promise<void> {
      const pwd = await hashPassword(password, config.PASSWORD_SCRYPT_N);
      if (!(await store.updateUser(appid, uid, { pwd }))) throw new AppError('USER_NOT_FOUND', `no user ${uid} in app ${appid}`);
    },

    /** Removes the user: every session revoked and socket closed first, then the record. */
    async deleteUser(appid: string, uid: string, reason = 'the user was deleted'): Promise<boolean> {
      await revokeAll(appid, uid, reason);
      return store.deleteUser(appid, uid);
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
    async issueToken(
      appid: string,
      input: { uid: string; role?: string; name?: string; profile?: Record<string, unknown>; ttlSeconds?: number },
    ): Promise<SessionViewT> {
      let user: User;
      try {
        user = await getUser(appid, input.uid);
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'USER_NOT_FOUND')) throw err;
        try {
          user = await createUser(
            appid,
            {
              id: input.uid,
              ...(input.role ? { role: input.role } : {}),
              ...(input.name ? { name: input.name } : {}),
              ...(input.profile ? { profile: input.profile } : {}),
            },
            '',
          );
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
      throwOnScriptCode(ACCOUNTS_CODES.sbRevokeSession, r);
      await core.emitter.disconnectUser(session.appid, session.uid, { code: 'TOKEN_REVOKED', message: 'logged out' }, session.tokenHash);
    },

    revokeAll,

    /**
     * Users in creation order from position `offset`. With a filter (role, id prefix), reads on
     * until `limit` match or USER_SCAN_LIMIT were examined; `next` is the offset of the next
     * page either way (null at the end), `total` the app's users before filtering.
     */
    async listUsers(appid: string, offset: number, limit: number, filter: UserFilterT = {}): Promise<UserPageT> {
      const matches = (u: User) =>
        (filter.role === undefined || u.role === filter.role) && (filter.prefix === undefined || u.id.startsWith(filter.prefix));
      const filtered = filter.role !== undefined || filter.prefix !== undefined;
      const users: User[] = [];
      let pos = offset;
      let total = 0;
      while (users.length < limit && pos - offset < USER_SCAN_LIMIT) {
        const batch = filtered ? Math.min(500, USER_SCAN_LIMIT - (pos - offset)) : limit - users.length;
        const page = await store.listUserIds(appid, pos, batch);
        total = page.total;
        if (page.ids.length === 0) break;
        const records = await Promise.all(page.ids.map((id) => store.getUser(appid, id)));
        let used = 0;
        for (const h of records) {
          used++;
          if (h === null) continue;
          const u = toUser(h);
          if (matches(u)) users.push(u);
          if (users.length === limit) break;
        }
        pos += used;
      }
      return { users, total, offset, next: pos < total ? pos : null };
    },

    /**
     * Closes every socket of the user on every node, after a `session.revoked` event with the
     * reason; with `revoke`, every token of the user is revoked first (no reconnecting with it).
     */
    async forceDisconnect(
      appid: string,
      uid: string,
      opts: { reason?: string; revoke?: boolean } = {},
    ): Promise<{ sockets: number; revoked: number }> {
      await getUser(appid, uid);
      const message = opts.reason ?? 'disconnected by the administrator';
      let revoked = 0;
      if (opts.revoke) {
        revoked = (await revokeSessions(appid, uid)).filter((r) => r === 1).length;
      }
      const sockets = await core.emitter.disconnectUser(appid, uid, { code: opts.revoke ? 'TOKEN_REVOKED' : 'SESSION_CLOSED', message });
      return { sockets, revoked };
    },
  };
}
