// Every environment variable Switchboard reads, in one TypeBox schema, validated once
// at boot. An invalid value stops the process with a message naming the variable.
// The README's configuration table is this schema, in prose.
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

const Int = (def: number, min: number, max: number, description: string) => Type.Integer({ default: def, minimum: min, maximum: max, description });

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
  ROOM_MEMBER_TIMEOUT_MS: Int(10000, 200, 3600000, 'a room member silent (no heartbeat) this long is removed by the sweep'),
  SWEEP_JOB_MS: Int(
    5000,
    500,
    600000,
    'the frequent sweeps (rooms, presence, charge ticks) run as one BullMQ scheduler job per this period, sweeping at their own interval inside (a job per sweep cost an idle worker 4-5 % of a core)',
  ),
  ROOM_SWEEP_INTERVAL_MS: Int(500, 100, 60000, 'how often the worker sweeps heartbeat deadlines (a silent member is removed at most this late)'),
  ROOM_HOST_GRACE_MS: Int(30000, 0, 86400000, 'after the host of a room times out, how long before the room (course) is ended'),
  ROOM_MEMBER_BATCH_ABOVE: Int(
    16,
    0,
    1000000,
    'rooms with at least this many members get membership changes throttled (room.members.changed, at most one per ROOM_MEMBER_BATCH_MS) instead of one room.member per change; the host still gets every change (0: always)',
  ),
  ROOM_MEMBER_BATCH_MS: Int(
    500,
    10,
    5000,
    'the throttle window of room.members.changed: a quiet room sends a change at once, then at most one batch per window',
  ),
  ROOM_HEARTBEAT_BATCH_MS: Int(5, 0, 1000, 'room heartbeats arriving within this window go to Redis as one script per app (0: each at once)'),
  ROOM_MESSAGE_HISTORY: Int(10000, 10, 1000000, 'chat messages kept per room for playback (oldest dropped first)'),
  PRESENCE_TIMEOUT_MS: Int(
    60000,
    500,
    3600000,
    'an online agent without a heartbeat (presence.heartbeat, or any presence.set) this long is taken offline by the sweep',
  ),
  PRESENCE_GRACE_MS: Int(
    15000,
    0,
    3600000,
    "after an online agent's socket drops, how long before the sweep takes the agent offline (a heartbeat from any socket keeps it online)",
  ),
  PRESENCE_SWEEP_INTERVAL_MS: Int(1000, 100, 60000, 'how often the worker sweeps agent presence deadlines'),
  DISPATCH_FIRST_OFFERS: Int(
    3,
    1,
    1000,
    'agents offered a request in its first round (the best idle matching ones: highest rating, then longest idle)',
  ),
  DISPATCH_WIDEN_BY: Int(5, 0, 1000, 'further agents offered the request at each later round (earlier offers stay open)'),
  DISPATCH_ROUND_MS: Int(10000, 100, 3600000, 'how long a dispatch round waits for an accept before widening'),
  CONVERSATION_NOSHOW_MS: Int(
    120000,
    0,
    86400000,
    'an accepted conversation not begun within this time ends (reason no-show) and frees its agent; 0: never',
  ),
  DISPATCH_MAX_WAIT_MS: Int(60000, 500, 86400000, 'a request nobody accepted within this time expires (dispatch.expired to the caller)'),
  DISPATCH_DEFAULT_RATING: Type.Number({
    default: 4,
    minimum: 1,
    maximum: 5,
    description: "rating of an agent without feedback; also the prior of the agents' rating (weight: 2 ratings)",
  }),
  PAIR_CANDIDATES_PER_ROUND: Int(5, 1, 1000, 'candidates a pairing round offers the ask to (new ones each round)'),
  PAIR_ROUND_MS: Int(10000, 100, 3600000, 'how long a pairing round waits for a pass before the next round'),
  PAIR_MAX_ROUNDS: Int(3, 1, 100, 'rounds of an ask without a pass before it ends (pair.ended, reason no-match)'),
  PAIR_OFFER_LIMIT: Int(10, 1, 100000, 'fairness: most asks offered to one candidate per PAIR_OFFER_WINDOW_MS'),
  PAIR_OFFER_WINDOW_MS: Int(60000, 100, 86400000, 'the window of PAIR_OFFER_LIMIT'),
  PAIR_SCAN_LIMIT: Int(500, 10, 100000, 'available users (least recently offered first) a round examines at most'),
  PAIR_PRICE_KEY: Type.String({
    default: 'video',
    pattern: '^[A-Za-z0-9_-]{1,32}$',
    description:
      'billing price key of the call after a match (else the default price); one unit of it is the minimum call checked by ask and video/before/check',
  }),
  CALLCENTRE_APPID: Type.Optional(
    Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{2,31}$', description: 'seed-000 dialect: the app of login requests that carry no appid parameter' }),
  ),
  CHARGE_TICK_SECONDS: Type.Number({
    default: 10,
    minimum: 0.05,
    maximum: 3600,
    description: 'period of charge.tick pushes to both sides of a metered call (seconds; fractions allowed)',
  }),
  CHARGE_LOW_UNITS: Int(2, 0, 1000, 'charge.low is sent when the remaining balance pays fewer than this many units (0: never)'),
  CHARGE_SWEEP_INTERVAL_MS: Int(50, 10, 60000, 'how often the worker claims due charge ticks (a tick is pushed at most about this late)'),
  CHARGE_TICK_LEASE_MS: Int(15000, 200, 600000, 'a claimed tick whose worker died is claimed again after this long (nothing is charged twice)'),
  CHARGE_RECONCILE_TOLERANCE_SECONDS: Int(2, 0, 3600, "a reported call length differing from the server's by more than this is kept for review"),
  WORKER_CONCURRENCY: Int(50, 1, 1000, 'jobs a worker process runs at once per queue'),
  SHUTDOWN_TIMEOUT_MS: Int(10000, 100, 600000, 'how long shutdown waits for sockets and active jobs'),
  WEBHOOK_TIMEOUT_MS: Int(10000, 100, 120000, 'a webhook attempt (connect, send, answer) that takes longer fails and is retried'),
  WEBHOOK_RETRY_WINDOW_MS: Int(
    86400000,
    0,
    30 * 86400000,
    'a webhook delivery is retried until this long after its event (or its replay), then dead-lettered; each delivery gets at least one attempt (0: one attempt)',
  ),
  WEBHOOK_RETRY_BASE_MS: Int(10000, 10, 86400000, 'delay before the second attempt of a webhook delivery; each later one doubles it'),
  WEBHOOK_RETRY_MAX_DELAY_MS: Int(3600000, 10, 86400000, 'longest delay between two attempts of a webhook delivery'),
  WEBHOOK_DEAD_LETTER_MAX: Int(1000, 1, 1000000, 'dead letters kept per app (the oldest are dropped first)'),
  WEBHOOK_MAX_ENDPOINTS: Int(20, 1, 1000, 'webhook endpoints an app may register'),
  WEBHOOK_ALLOW_PRIVATE_URLS: Type.Boolean({
    default: false,
    description: 'allow webhook URLs on loopback, private and link-local addresses (on: trusted tenants, tests)',
  }),
  WEBHOOK_SWEEP_INTERVAL_MS: Int(
    30000,
    100,
    3600000,
    'how often the worker looks for webhook deliveries whose job was lost (re-enqueued once overdue by WEBHOOK_TIMEOUT_MS + this)',
  ),
  DASHBOARD_QUEUES_INTERVAL_MS: Int(
    2000,
    200,
    600000,
    'how often each api node pushes dashboard.queues (queue depths, failed jobs) and the sections without events (agents, dispatch queue, pairing asks, calls) to its dashboard sockets',
  ),
  DASHBOARD_LIST_LIMIT: Int(
    200,
    1,
    10000,
    'most items of each dashboard list (rooms, agents, waiting requests per skill, asks, calls, failed jobs per queue)',
  ),
  DASHBOARD_ROOM_MEMBERS: Int(50, 0, 10000, 'members listed per room on the dashboard (the count is always exact)'),
  DASHBOARD_SAMPLE_MS: Int(
    2000,
    0,
    60000,
    'dashboard charts: every api and worker process takes one sample of its figures this often, on wall-clock boundaries, into a Redis stream the charts read (docs/dashboard.md); 0: no sampling, no charts',
  ),
  DASHBOARD_HISTORY_SECONDS: Int(
    900,
    60,
    86400,
    'dashboard charts: how far back the samples are kept (the Redis stream is trimmed by time) and what a chart shows',
  ),
  METRICS_TOKEN: Type.Optional(
    Type.String({ minLength: 16, description: 'bearer token Prometheus sends to /metrics (api and worker); the ADMIN_TOKEN is accepted too' }),
  ),
  METRICS_PUBLIC: Type.Boolean({ default: false, description: 'serve /metrics without credentials (only where the port is private)' }),
  WORKER_METRICS_PORT: Int(0, 0, 65535, 'port on which a worker process serves its own /metrics (job latency, its business counters); 0: none'),
  WORKER_METRICS_HOST: Type.String({ default: '0.0.0.0', description: 'interface of the worker metrics listener' }),
  TENCENT_SDKAPPID: Type.Optional(Type.Integer({ minimum: 1, description: 'default Tencent SdkAppID for apps without their own' })),
  TENCENT_KEY: Type.Optional(Type.String({ minLength: 1, description: 'default Tencent UserSig key for apps without their own' })),
  USERSIG_EXPIRE_SECONDS: Int(86400, 60, 15552000, 'lifetime of issued UserSigs'),
  TENCENT_SECRET_ID: Type.Optional(
    Type.String({ minLength: 1, description: 'default Tencent Cloud API SecretId (COS/VOD signatures, VOD proxy) for apps without their own' }),
  ),
  TENCENT_SECRET_KEY: Type.Optional(Type.String({ minLength: 1, description: 'default Tencent Cloud API SecretKey, paired with TENCENT_SECRET_ID' })),
  COS_BUCKET: Type.Optional(
    Type.String({ pattern: '^.+-[0-9]+$', description: 'default COS bucket, v5 form <name>-<APPID>, for apps without their own' }),
  ),
  COS_REGION: Type.Optional(Type.String({ minLength: 1, description: 'region of COS_BUCKET (e.g. ap-shanghai, or sh in v4 terms)' })),
  COS_PREVIEW_TAG: Type.String({ default: 'preview', description: 'document preview domain part: <bucket>-<appid>.<tag>.myqcloud.com' }),
  COS_SIGN_EXPIRE_SECONDS: Int(3600, 60, 7776000, 'lifetime of multi-effect COS signatures and COS v5 authorizations'),
  VOD_CLIENT_SIGN_EXPIRE_SECONDS: Int(86400, 60, 7776000, 'lifetime of VOD client upload signatures'),
  TENCENT_CALLBACK_KEY: Type.Optional(
    Type.String({ minLength: 1, description: 'default key of live/recording callback signs for apps without their own' }),
  ),
  VOD_API_BASE_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^/?#]+$', description: 'send VOD proxy requests here instead of https://<host> (tests, egress proxies)' }),
  ),
  VOD_PROXY_ALLOWED_HOSTS: Type.String({
    default: 'vod.api.qcloud.com,cvm.api.qcloud.com',
    description: 'comma-separated Tencent API hosts that vod get_sign/cmd_proxy may sign for',
  }),
  VOD_PROXY_TIMEOUT_MS: Int(10000, 100, 120000, 'how long the VOD proxy waits for the vendor'),
  SENSITIVE_WORDS_FILE: Type.String({
    default: 'assets/sensitive-words.txt',
    description:
      "word list (one per line, # comments) every app's sensitive-word list starts from; a relative path is resolved against the package root",
  }),
  MESSAGE_PRICE_KEY: Type.String({
    default: 'im',
    pattern: '^[A-Za-z0-9_]{1,32}$',
    description:
      'billing price key of one IM message: im/before/check refuses (1003) when the balance is below its unitPrice; no such price: messages are free',
  }),
  MESSAGE_INBOX_MAX: Int(200, 1, 100000, 'tip/system messages kept per user until acknowledged (oldest dropped first)'),
  MESSAGE_INBOX_TTL_SECONDS: Int(604800, 60, 31536000, 'an inbox nobody adds to or reads for this long is dropped'),
  TRANSLATION_PROVIDER: Type.Enum(['none', 'libretranslate', 'tencent'], {
    default: 'none',
    description: 'machine translation: none (translate answers TRANSLATION_NOT_CONFIGURED), libretranslate, tencent (TMT)',
  }),
  TRANSLATION_TIMEOUT_MS: Int(10000, 100, 120000, 'how long a translation waits for the provider'),
  CS_SEAT_CAPACITY: Int(
    20,
    1,
    100,
    'customer service: customers a seat talks with at once; pending consultations count too (every online seat with a free slot is offered each one)',
  ),
  CS_MAX_WAIT_MS: Int(
    600000,
    500,
    86400000,
    'customer service: a consultation no seat answers within this time expires (the customer is told; a new message opens a new one)',
  ),
  CS_GUEST_TTL_SECONDS: Int(86400, 60, 31536000, 'customer service: lifetime of an anonymous customer session (consultation page)'),
  CS_GUEST_PRUNE_INTERVAL_MS: Int(
    600000,
    1000,
    86400000,
    'customer service: how often the accounts of guests whose session ended are deleted (customerservice/pruneGuests)',
  ),
  CS_GUEST_RATE_PER_MINUTE: Int(
    10,
    1,
    100000,
    'customer service: anonymous customer sessions one IP address may open per app per minute (across api nodes)',
  ),
  CS_HISTORY_MAX: Int(200, 10, 100000, "customer service: messages kept per customer's consultation (oldest dropped first)"),
  CS_HISTORY_TTL_SECONDS: Int(604800, 60, 31536000, 'customer service: a consultation history nobody writes to for this long is dropped'),
  LIBRETRANSLATE_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'base URL of a LibreTranslate-compatible server (POST <url>/translate)' }),
  ),
  LIBRETRANSLATE_API_KEY: Type.Optional(Type.String({ minLength: 1, description: 'api_key sent to LibreTranslate, when it requires one' })),
  TENCENT_TMT_REGION: Type.String({
    default: 'ap-guangzhou',
    description: 'region of Tencent Machine Translation (uses TENCENT_SECRET_ID/TENCENT_SECRET_KEY)',
  }),
  TENCENT_TMT_ENDPOINT: Type.String({
    default: 'https://tmt.tencentcloudapi.com',
    pattern: '^https?://[^/?#]+/?$',
    description: 'Tencent Machine Translation endpoint (tests, egress proxies)',
  }),
  TENCENT_TMT_PROJECT_ID: Int(0, 0, 2147483647, 'ProjectId sent to Tencent Machine Translation'),
  CONFERENCE_EMPTY_TIMEOUT_MS: Int(
    300000,
    0,
    86400000,
    'a started conference with nobody in it and no call ringing this long ends by itself (0: never)',
  ),
  CONFERENCE_MAX_PARTICIPANTS: Int(200, 1, 10000, 'participants a conference may list'),
  TELEPHONY_PROVIDER: Type.Enum(['simulated', 'webhook'], {
    default: 'simulated',
    description:
      'who carries conference calls: simulated (no carrier; answers after TELEPHONY_SIM_ANSWER_MS) or webhook (commands POSTed to TELEPHONY_WEBHOOK_URL, signed call-state callbacks)',
  }),
  TELEPHONY_RING_TIMEOUT_MS: Int(60000, 1000, 600000, 'a dialled leg not answered this long fails (reason ring-timeout) and is hung up'),
  TELEPHONY_SIM_ANSWER_MS: Int(2000, 0, 600000, 'simulated provider: how long a dialled number rings before it answers (or fails)'),
  TELEPHONY_SIM_FAIL_PATTERN: Type.String({
    default: '0000$',
    description: 'simulated provider: numbers matching this regular expression do not answer (call fails)',
  }),
  TELEPHONY_SIM_HANGUP_PATTERN: Type.String({
    default: '9999$',
    description: 'simulated provider: numbers matching this regular expression answer, then hang up after TELEPHONY_SIM_HANGUP_MS',
  }),
  TELEPHONY_SIM_HANGUP_MS: Int(5000, 0, 86400000, 'simulated provider: how long a hanging-up number stays in the call'),
  TELEPHONY_WEBHOOK_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'webhook provider: where dial / hangup / mute / unmute commands are POSTed' }),
  ),
  TELEPHONY_WEBHOOK_SECRET: Type.Optional(
    Type.String({ minLength: 16, description: 'webhook provider: HMAC-SHA256 key of commands and call-state callbacks' }),
  ),
  TELEPHONY_WEBHOOK_TIMEOUT_MS: Int(10000, 100, 120000, 'webhook provider: how long a command waits for the carrier'),
  TELEPHONY_CALLBACK_MAX_AGE_SECONDS: Int(
    300,
    1,
    86400,
    'webhook provider: a signed call-state callback older (or further in the future) than this is refused',
  ),
  SMS_PROVIDER: Type.Enum(['log', 'ronglian'], {
    default: 'log',
    description: 'who sends SMS notices: log (written to the log only) or ronglian (TemplateSMS)',
  }),
  RONGLIAN_BASE_URL: Type.String({
    default: 'https://app.cloopen.com:8883',
    pattern: '^https?://[^/?#]+$',
    description: 'Ronglian (cloopen) REST base URL',
  }),
  RONGLIAN_API_VERSION: Type.String({ default: '2013-12-26', pattern: '^[0-9-]{1,16}$', description: 'Ronglian REST API version in the path' }),
  RONGLIAN_ACCOUNT_SID: Type.Optional(Type.String({ minLength: 1, description: 'Ronglian main account ACCOUNT SID' })),
  RONGLIAN_AUTH_TOKEN: Type.Optional(Type.String({ minLength: 1, description: 'Ronglian main account AUTH TOKEN' })),
  RONGLIAN_APP_ID: Type.Optional(Type.String({ minLength: 1, description: 'Ronglian application id (appId of TemplateSMS)' })),
  RONGLIAN_TEMPLATE_ID: Type.String({
    default: '1',
    pattern: '^[0-9]{1,16}$',
    description: 'Ronglian SMS template of conference notices (1 is the test template)',
  }),
  SMS_TIMEOUT_MS: Int(10000, 100, 120000, 'how long an SMS send waits for the provider'),
  VTC_APPID: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9][a-z0-9_-]{2,31}$',
      description: 'seed-004 dialect: the app of requests that name none (listVideoConditional.do?video.author=…, video.groupId=…; the public pages)',
    }),
  ),
  VTC_USER_QUOTA: Int(
    100000,
    0,
    100000000,
    'seed 004: third-party users an app may have (thirdPartyRegister / manage add answer Exceed beyond it) unless the app sets its own quota',
  ),
  VTC_MANAGE_INTERVAL_MS: Int(
    1000,
    1,
    3600000,
    'seed 004: thirdPartyManage.do calls (but opt) one appId may make: one per this interval, across api nodes (Busy otherwise)',
  ),
  LIVE_RTP_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'live streams: the RTP/UDP host publishers push to (start → host)' }),
  LIVE_RTP_PORT: Int(5004, 1, 65535, 'live streams: the RTP/UDP port publishers push to (start → port)'),
  LIVE_RTSP_URL_TEMPLATE: Type.String({
    default: 'rtsp://127.0.0.1:554/live/{appid}/{videoID}',
    description: 'live streams: RTSP URL of a stream; {appid} {uid} {videoID} {host} {port} are replaced',
  }),
  LIVE_HLS_URL_TEMPLATE: Type.String({
    default: 'http://127.0.0.1:8080/LiveVideoServer/streams/{uid}/{videoID}/live.m3u8',
    description: 'live streams: HLS URL of a stream (and of its recording); same placeholders',
  }),
  WEBIM_OFFLINE_MAX: Int(100, 1, 100000, 'web IM: messages kept per offline user until their next connect (oldest dropped first)'),
  WEBIM_OFFLINE_TTL_SECONDS: Int(604800, 60, 31536000, 'web IM: an offline queue nobody adds to for this long is dropped'),
  PUSH_ATTEMPTS: Int(5, 1, 50, 'push: attempts of one `push/send` job (APNs busy, 5xx, network) before it goes to the failed set'),
  PUSH_BACKOFF_MS: Int(2000, 10, 3600000, 'push: delay before the second attempt of a push; each later one doubles it'),
  PUSH_EXPIRATION_SECONDS: Int(
    86400,
    0,
    2592000,
    'push: apns-expiration, counted from the message: APNs keeps trying to reach the device until then, and a job still retrying after it is dropped',
  ),
  APNS_REQUEST_TIMEOUT_MS: Int(10000, 100, 120000, 'push: how long one APNs request may take before it counts as failed (and is retried)'),
  APNS_CA_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "push: PEM file of extra CA certificates APNs connections trust, besides Node's own (a TLS-inspecting proxy; the tests' stand-in server)",
    }),
  ),
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
