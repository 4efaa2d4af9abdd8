// The process-wide configuration: the variables of no feature (HTTP, Redis, sockets, logging,
// workers, the dialects' defaults), the `Config` type every part of the server reads, and the
// loader. Each feature declares its own variables in src/modules/<feature>/config.ts and adds
// them to `Config` by declaration merging; src/config.ts composes the schema from the module
// list. Infra and the modules import the type from here (src/config.ts sits above the modules).
import { Type, type Static, type TObject, type TProperties } from 'typebox';
import { Value } from 'typebox/value';

/** An integer variable with its default, bounds and description. */
export const Int = (def: number, min: number, max: number, description: string) =>
  Type.Integer({ default: def, minimum: min, maximum: max, description });

/** The variables of no feature, in the order the reference lists them. */
export const CORE_CONFIG = {
  HOST: Type.String({ default: '0.0.0.0', description: 'interface the api listens on' }),
  PORT: Int(3000, 0, 65535, 'HTTP + Socket.IO port (0 picks a free one)'),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'base URL printed and used in links' })),
  REDIS_URL: Type.String({
    default: 'redis://127.0.0.1:6390',
    pattern: '^rediss?://',
    description: 'the Redis to use (unused when REDIS_CLUSTER_NODES is set)',
  }),
  REDIS_CLUSTER_NODES: Type.Optional(
    Type.String({
      pattern: '^[^,\\s]+:[0-9]{1,5}(,[^,\\s]+:[0-9]{1,5})*$',
      description:
        'Redis Cluster mode: seed nodes host:port,host:port,… (any reachable nodes; the rest is discovered). When set, REDIS_URL is not used',
    }),
  ),
  REDIS_CLUSTER_USERNAME: Type.Optional(Type.String({ minLength: 1, description: 'Redis Cluster: ACL user name of every node' })),
  REDIS_CLUSTER_PASSWORD: Type.Optional(Type.String({ minLength: 1, description: 'Redis Cluster: password of every node' })),
  REDIS_DURABLE_REPLICAS: Int(
    1,
    0,
    16,
    'Redis Cluster: a ledger entry is acknowledged once this many replicas have it (WAIT), so a master killed right after cannot take it along; 0: do not wait',
  ),
  REDIS_COMMAND_TIMEOUT_MS: Int(
    1000,
    50,
    60000,
    'one Redis: a request or socket event whose Redis command gets no answer within this fails with 503 REDIS_UNAVAILABLE (commands issued while Redis is unreachable fail at once)',
  ),
  REDIS_DURABLE_TIMEOUT_MS: Int(
    500,
    10,
    10000,
    'Redis Cluster: how long a ledger write waits for REDIS_DURABLE_REPLICAS (a replica down: the write stands, a warning is logged)',
  ),
  REDIS_CLUSTER_TLS: Type.Boolean({ default: false, description: 'Redis Cluster: connect with TLS (managed clusters with in-transit encryption)' }),
  DATA_DIR: Type.String({ default: 'data', description: 'private Redis data and bootstrap credentials' }),
  KEY_PREFIX: Type.String({ default: 'sw', pattern: '^[A-Za-z0-9_-]{1,16}$', description: 'prefix of Switchboard state keys' }),
  QUEUE_PREFIX: Type.String({ default: 'sb', pattern: '^[A-Za-z0-9_-]{1,16}$', description: 'BullMQ key prefix' }),
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16, description: 'bearer token of the admin API' })),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info', description: 'pino log level' }),
  TOKEN_TTL_SECONDS: Int(604800, 60, 31536000, 'lifetime of a login token'),
  PASSWORD_SCRYPT_N: Int(16384, 1024, 1048576, 'scrypt cost (power of two) for new password hashes'),
  LOGIN_LIMIT_PER_ACCOUNT: Int(
    10,
    1,
    1000000,
    'failed credential checks one account (app + user, seat or third-party id) may make per LOGIN_LIMIT_WINDOW_SECONDS before every attempt on it, the right password too, answers 429 LOGIN_THROTTLED (an app may set its own: PUT /v1/apps/:appid/login-limit)',
  ),
  LOGIN_LIMIT_PER_ADDRESS: Int(
    100,
    1,
    1000000,
    'failed credential checks (passwords, app secrets) one client address may make per LOGIN_LIMIT_WINDOW_SECONDS; past it, each further attempt doubles its wait',
  ),
  LOGIN_LIMIT_WINDOW_SECONDS: Int(900, 1, 86400, 'the window of the LOGIN_LIMIT_* counts'),
  LOGIN_LIMITS_ENABLED: Type.Boolean({
    default: true,
    description:
      'count failed credential checks and refuse past the LOGIN_LIMIT_* numbers (off only where something in front does it, and for the benchmark beside it)',
  }),
  TRUST_PROXY: Int(
    0,
    0,
    10,
    "behind load balancers: how many proxy hops to trust, so the client address (login limits, logs) is read from X-Forwarded-For; 0: the socket's address",
  ),
  CORS_ORIGINS: Type.String({ default: '*', description: 'comma-separated origins allowed for HTTP and sockets; * for any' }),
  SOCKET_ADAPTER: Type.Enum(['pubsub', 'sharded', 'streams'], { default: 'streams', description: 'Socket.IO Redis adapter' }),
  SOCKET_MAX_PAYLOAD_BYTES: Int(65536, 1024, 10485760, 'largest socket message accepted'),
  SOCKET_RATE_PER_SECOND: Int(20, 1, 10000, 'events a socket may send per second, sustained'),
  SOCKET_RATE_BURST: Int(40, 1, 100000, 'events a socket may send in a burst'),
  SOCKET_FLOOD_STRIKES: Int(40, 1, 100000, 'rate-limited events after which the socket is disconnected'),
  SOCKET_SHARED_HANDLERS: Type.Boolean({
    default: true,
    description:
      "Engine.IO's per-connection event handlers replaced by shared ones (about 1.7 KiB less per open socket, docs/decisions.md); false leaves Engine.IO as it ships",
  }),
  SOCKET_RECOVERY_SECONDS: Int(120, 0, 86400, 'connection state recovery window (streams adapter only)'),
  SWEEP_JOB_MS: Int(
    5000,
    500,
    600000,
    'the frequent sweeps (rooms, presence, charge ticks) run as one BullMQ scheduler job per this period, sweeping at their own interval inside (a job per sweep cost an idle worker 4-5 % of a core)',
  ),
  CALLCENTRE_APPID: Type.Optional(
    Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{2,31}$', description: 'seed-000 dialect: the app of login requests that carry no appid parameter' }),
  ),
  WORKER_CONCURRENCY: Int(50, 1, 1000, 'jobs a worker process runs at once per queue'),
  SHUTDOWN_TIMEOUT_MS: Int(10000, 100, 600000, 'how long shutdown waits for sockets and active jobs'),
  METRICS_TOKEN: Type.Optional(
    Type.String({ minLength: 16, description: 'bearer token Prometheus sends to /metrics (api and worker); the ADMIN_TOKEN is accepted too' }),
  ),
  METRICS_PUBLIC: Type.Boolean({ default: false, description: 'serve /metrics without credentials (only where the port is private)' }),
  WORKER_METRICS_PORT: Int(0, 0, 65535, 'port on which a worker process serves its own /metrics (job latency, its business counters); 0: none'),
  WORKER_METRICS_HOST: Type.String({ default: '0.0.0.0', description: 'interface of the worker metrics listener' }),
  VTC_APPID: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{2,31}$',
      description: 'seed-004 dialect: the app of requests that name none (listVideoConditional.do?video.author=…, video.groupId=…; the public pages)',
    }),
  ),
};

/** The config type of a module's section: `interface Config extends ConfigSection<typeof ROOMS_CONFIG> {}`. */
export type ConfigSection<P extends TProperties> = Static<TObject<P>>;

/**
 * Every variable, typed: the core ones here, each module's added by its config.ts
 * (`declare module '../../infra/config.js' { interface Config extends ConfigSection<…> {} }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Config extends ConfigSection<typeof CORE_CONFIG> {}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Origins allowed by CORS_ORIGINS; `true` means any. */
export function allowedOrigins(config: Config): true | string[] {
  const list = config.CORS_ORIGINS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.includes('*') ? true : list;
}

/** Whether allowedOrigins(config) lets `origin` in. */
export function originAllowed(origins: true | string[], origin: string): boolean {
  return origins === true || origins.includes(origin);
}

/**
 * Reads `schema`'s variables from `env` (strings converted where it wants numbers and
 * booleans, defaults filled, `overrides` on top); throws ConfigError naming each bad variable.
 */
export function readConfig(schema: TObject, env: Record<string, string | undefined>, overrides: Partial<Config>): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  // Env values are strings: convert "3000" to 3000 where the schema wants a number.
  const converted = Value.Convert(schema, raw) as Record<string, unknown>;
  const candidate = Value.Default(schema, { ...converted, ...overrides }) as Record<string, unknown>;
  const errors = Value.Errors(schema, candidate);
  if (errors.length > 0) {
    const seen = new Set<string>();
    const lines = errors.flatMap((e) => {
      const name = e.instancePath.replace(/^\//, '') || String((e.params as { requiredProperties?: string[] }).requiredProperties ?? '');
      const given = env[name] ?? (overrides as Record<string, unknown>)[name];
      if (seen.has(name)) return [];
      seen.add(name);
      const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
      return [`  ${name}=${JSON.stringify(given)}: ${allowed ? `must be one of ${allowed.join(', ')}` : e.message}`];
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return candidate as unknown as Config;
}
