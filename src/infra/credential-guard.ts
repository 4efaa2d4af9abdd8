// Brute-force limits on every door that checks a secret: passwords (native, seed and
// third-party logins, seat logins) and app secrets. Built on @fastify/rate-limit with its
// Redis store, so the counts hold across api nodes (one key each, any Redis or Cluster).
//
// Only failures count (the library's `increment: false` peek, then an increment on a
// failed check), in two buckets:
//   - per account (app + the id tried): LOGIN_LIMIT_PER_ACCOUNT failures per window (an app
//     may set its own number); past it every attempt on that account is refused, the right
//     password too, until the window ends. A fixed window: an attacker cannot lock a victim's
//     account for longer than one window after their last failure.
//   - per client address: LOGIN_LIMIT_PER_ADDRESS failures per window; past it each refused
//     attempt counts too and doubles the wait (the library's exponential backoff), so a
//     client that keeps hammering waits longer and longer.
// Refused attempts answer 429 LOGIN_THROTTLED with Retry-After (seconds); the seed
// dialects answer in their own shapes, as their documents require.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import type { RedisClient } from './redis.js';

export interface CredentialScope {
  appid: string;
  /** What the caller claims to be: a user id, a seat nickname, a third-party id, the appid itself. */
  account: string;
}

type Limiter = (
  req: FastifyRequest,
  opts?: { increment?: boolean },
) => Promise<{ isAllowed: boolean; isExceeded?: boolean; remaining?: number; ttl?: number }>;

/** The library's limiter reads its key from the request (keyGenerator) and its route config: a request of our own carries both. */
const keyed = (key: string) => ({ credentialKey: key, routeOptions: { config: {} } }) as unknown as FastifyRequest;
const keyOf = (req: FastifyRequest) => (req as unknown as { credentialKey: string }).credentialKey;

export type CredentialGuard = <T>(
  req: FastifyRequest,
  scope: CredentialScope,
  check: () => Promise<T>,
  opts?: { concurrent?: boolean },
) => Promise<T>;

const settle = <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; err: unknown }> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, err }),
  );

declare module 'fastify' {
  interface FastifyInstance {
    guardCredentials: CredentialGuard;
  }
}

/** A failed check of a secret: it counts. Other failures (bad input, the store down) do not. */
const isCredentialFailure = (err: unknown) => err instanceof AppError && (err.status === 401 || err.status === 403 || err.status === 404);

/**
 * Registers the limiter on the root instance and decorates it with guardCredentials(req,
 * scope, check): `check` runs unless a bucket is over its limit; its failure is counted.
 * `perAccountOf(appid)` gives an app's own per-account number (null: the deployment's).
 */
export async function registerCredentialGuard(
  app: FastifyInstance,
  redis: RedisClient,
  config: Pick<Config, 'KEY_PREFIX' | 'LOGIN_LIMIT_PER_ACCOUNT' | 'LOGIN_LIMIT_PER_ADDRESS' | 'LOGIN_LIMIT_WINDOW_SECONDS' | 'LOGIN_LIMITS_ENABLED'>,
  perAccountOf: (appid: string) => Promise<number | null>,
): Promise<void> {
  // Routes with config.rateLimit (costly unauthenticated ones) answer 429 RATE_LIMITED with Retry-After.
  await app.register(rateLimit, {
    global: false,
    redis: redis as never,
    nameSpace: `${config.KEY_PREFIX}:rl:`,
    skipOnError: false,
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', `more than ${ctx.max} requests per ${ctx.after}: try again later`, {
        retryAfter: Math.max(1, Math.ceil(ctx.ttl / 1000)),
      }),
  });
  const timeWindow = config.LOGIN_LIMIT_WINDOW_SECONDS * 1000;
  const appOf = (key: string) => key.slice('acct:'.length, key.indexOf('\n'));
  // An app's own number is read at most every 5 s per node: the peek runs on every
  // app-authenticated request, and a limit change may take that long to apply.
  const ownLimits = new Map<string, { value: number | null; until: number }>();
  const limitOf = async (appid: string) => {
    const hit = ownLimits.get(appid);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = await perAccountOf(appid);
    if (ownLimits.size > 10_000) ownLimits.clear();
    ownLimits.set(appid, { value, until: Date.now() + 5000 });
    return value;
  };
  const byAccount = app.createRateLimit({
    keyGenerator: keyOf,
    timeWindow,
    max: async (_req: FastifyRequest, key: string) => (await limitOf(appOf(key))) ?? config.LOGIN_LIMIT_PER_ACCOUNT,
  }) as unknown as Limiter;
  // exponentialBackoff is honoured per limiter (its child store) though the option type omits it.
  const byAddress = app.createRateLimit({
    keyGenerator: keyOf,
    timeWindow,
    max: config.LOGIN_LIMIT_PER_ADDRESS,
    exponentialBackoff: true,
  } as never) as unknown as Limiter;

  const guard: CredentialGuard = async (req, scope, check, opts) => {
    const account = keyed(`acct:${scope.appid}\n${scope.account}`);
    const address = keyed(`addr:${req.ip}`);
    const peek = Promise.all([byAccount(account, { increment: false }), byAddress(address, { increment: false })]);
    // An app secret is checked on every backend request: the check runs beside the peek
    // (no added round trip); its result is used only if no bucket is over its limit.
    const checked = opts?.concurrent ? settle(check()) : null;
    const [a, b] = await peek;
    // `max` failures are allowed; the attempt after them is refused (the library's isExceeded
    // would let one more through: it compares the count before this attempt).
    const accountFull = (a.remaining ?? 1) <= 0;
    const addressFull = (b.remaining ?? 1) <= 0;
    if (accountFull || addressFull) {
      // A client that keeps trying from a full address waits longer: counted, its window doubled.
      const ttl = Math.max(accountFull ? (a.ttl ?? 0) : 0, addressFull ? ((await byAddress(address)).ttl ?? 0) : 0);
      const retryAfter = Math.max(1, Math.ceil(ttl / 1000));
      throw new AppError(
        'LOGIN_THROTTLED',
        `too many failed attempts ${accountFull ? 'on this account' : 'from this address'}: try again in ${retryAfter} s`,
        { retryAfter },
      );
    }
    const r = await (checked ?? settle(check()));
    if (r.ok) return r.value;
    if (isCredentialFailure(r.err)) await Promise.all([byAccount(account), byAddress(address)]);
    throw r.err;
  };
  app.decorate('guardCredentials', config.LOGIN_LIMITS_ENABLED ? guard : (((_req, _scope, check) => check()) as CredentialGuard));
}
