// Every environment variable Switchboard reads, in one TypeBox schema, validated once
// at boot: the process-wide variables here, each feature's in its module's config.ts
// (spread below where its variables belong). An invalid value stops the process with a message naming the variable.
// docs/reference/configuration.md is generated from this schema (npm run docs).
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { Int } from './infra/config-schema.js';
import { ROOMS_CONFIG } from './modules/rooms/config.js';
import { PRESENCE_CONFIG } from './modules/presence/config.js';
import { DISPATCH_CONFIG } from './modules/dispatch/config.js';
import { PAIRING_CONFIG } from './modules/pairing/config.js';
import { BILLING_CONFIG } from './modules/billing/config.js';
import { WEBHOOKS_CONFIG } from './modules/webhooks/config.js';
import { DASHBOARD_CONFIG } from './modules/dashboard/config.js';
import { RTC_CONFIG } from './modules/rtc/config.js';
import { MEDIA_CONFIG } from './modules/media/config.js';
import { MESSAGING_CONFIG } from './modules/messaging/config.js';
import { CUSTOMER_SERVICE_CONFIG } from './modules/customerservice/config.js';
import { CONFERENCES_CONFIG } from './modules/conferences/config.js';
import { THIRD_PARTY_CONFIG } from './modules/thirdparty/config.js';
import { APP_AUTH_CONFIG } from './modules/appauth/config.js';
import { LIVE_CONFIG } from './modules/live/config.js';
import { WEBIM_CONFIG } from './modules/webim/config.js';
import { PUSH_CONFIG } from './modules/push/config.js';

export const ConfigSchema = Type.Object({
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
  SOCKET_RECOVERY_SECONDS: Int(120, 0, 86400, 'connection state recovery window (streams adapter only)'),
  ...ROOMS_CONFIG,
  SWEEP_JOB_MS: Int(
    5000,
    500,
    600000,
    'the frequent sweeps (rooms, presence, charge ticks) run as one BullMQ scheduler job per this period, sweeping at their own interval inside (a job per sweep cost an idle worker 4-5 % of a core)',
  ),
  ...PRESENCE_CONFIG,
  ...DISPATCH_CONFIG,
  ...PAIRING_CONFIG,
  CALLCENTRE_APPID: Type.Optional(
    Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{2,31}$', description: 'seed-000 dialect: the app of login requests that carry no appid parameter' }),
  ),
  ...BILLING_CONFIG,
  WORKER_CONCURRENCY: Int(50, 1, 1000, 'jobs a worker process runs at once per queue'),
  SHUTDOWN_TIMEOUT_MS: Int(10000, 100, 600000, 'how long shutdown waits for sockets and active jobs'),
  ...WEBHOOKS_CONFIG,
  ...DASHBOARD_CONFIG,
  METRICS_TOKEN: Type.Optional(
    Type.String({ minLength: 16, description: 'bearer token Prometheus sends to /metrics (api and worker); the ADMIN_TOKEN is accepted too' }),
  ),
  METRICS_PUBLIC: Type.Boolean({ default: false, description: 'serve /metrics without credentials (only where the port is private)' }),
  WORKER_METRICS_PORT: Int(0, 0, 65535, 'port on which a worker process serves its own /metrics (job latency, its business counters); 0: none'),
  WORKER_METRICS_HOST: Type.String({ default: '0.0.0.0', description: 'interface of the worker metrics listener' }),
  ...RTC_CONFIG,
  ...MEDIA_CONFIG,
  ...MESSAGING_CONFIG,
  ...CUSTOMER_SERVICE_CONFIG,
  ...CONFERENCES_CONFIG,
  VTC_APPID: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{2,31}$',
      description: 'seed-004 dialect: the app of requests that name none (listVideoConditional.do?video.author=…, video.groupId=…; the public pages)',
    }),
  ),
  ...THIRD_PARTY_CONFIG,
  ...APP_AUTH_CONFIG,
  ...LIVE_CONFIG,
  ...WEBIM_CONFIG,
  ...PUSH_CONFIG,
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the config from `env` (process.env by default); throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  // Env values are strings: convert "3000" to 3000 where the schema wants a number.
  const converted = Value.Convert(ConfigSchema, raw) as Record<string, unknown>;
  const candidate = Value.Default(ConfigSchema, { ...converted, ...overrides }) as Record<string, unknown>;
  const errors = Value.Errors(ConfigSchema, candidate);
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
  return candidate as Config;
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
