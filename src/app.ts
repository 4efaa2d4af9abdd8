// buildApp(config): one api node — Fastify (REST, dialects, OpenAPI) and Socket.IO on
// the same HTTP server, wired to Redis. main.ts listens; tests call this directly.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { RedisClient } from './infra/redis.js';
import { Server } from 'socket.io';
import { allowedOrigins, type Config } from './config.js';
import { createSocketAdapter } from './infra/adapter.js';
import type { Http } from './infra/http.js';
import { createCore, type Core } from './infra/core.js';
import { registerCredentialGuard } from './infra/credential-guard.js';
import { ERROR_TABLE, fromFrameworkError, toPublicError } from './infra/errors.js';
import type { Stoppable } from './infra/module.js';
import { createLogger } from './infra/logger.js';
import { checkRedis, createCommandRedis, createRedis, failFastOptions, quitAll, redisTarget } from './infra/redis.js';
import { DIALECTS } from './dialects/index.js';
import { MODULES } from './modules/index.js';
import { createAuth, registerAuth } from './modules/accounts/auth-plugin.js';
import { attachGateway, socketServerOptions, useEngineCors, type Gateway } from './realtime/gateway.js';
import { registerModuleEvents } from './realtime/modules.js';
import { coreCatalogues, createServices, type Services } from './services.js';
import { systemRoutes } from './system-routes.js';

export interface SwitchboardApp {
  http: Http;
  io: Server;
  core: Core;
  services: Services;
  gateway: Gateway;
  /** Listens on config.HOST:PORT; resolves to the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function buildApp(config: Config): Promise<SwitchboardApp> {
  // On a Cluster with the streams adapter, the adapter's sharded pub/sub runs on a duplicate of this connection (infra/adapter.ts).
  const redis = createCommandRedis(redisTarget(config), 'api', {
    ...failFastOptions(redisTarget(config)),
    shardedSubscribers: Boolean(config.REDIS_CLUSTER_NODES) && config.SOCKET_ADAPTER === 'streams',
  });
  const opened: RedisClient[] = [redis];
  try {
    await checkRedis(redis, { needsVersion7: config.SOCKET_ADAPTER === 'sharded' });
  } catch (err) {
    redis.disconnect();
    throw err;
  }

  const log = createLogger(config.LOG_LEVEL, 'api');
  const http = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // Behind load balancers the client's address comes from X-Forwarded-For (login limits, logs).
    trustProxy: config.TRUST_PROXY > 0 ? (_address: string, hop: number) => hop < config.TRUST_PROXY : false,
    // Dialects send form bodies and query strings with repeated keys.
    routerOptions: { ignoreTrailingSlash: true },
    ajv: { customOptions: { coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const adapter = createSocketAdapter(config, 'api', redis);
  opened.push(...adapter.clients);
  const io = new Server(http.server, { ...socketServerOptions(config), ...adapter.serverOptions });
  useEngineCors(io, config);

  const queueRedis = createRedis(redisTarget(config), 'api:queues');
  opened.push(queueRedis);
  // Ledger writes wait for replicas on a Cluster (WAIT blocks its connection): a connection of their own.
  const durableRedis = config.REDIS_CLUSTER_NODES ? createRedis(redisTarget(config), 'api:durable') : redis;
  if (durableRedis !== redis) opened.push(durableRedis);
  const core = createCore(config, redis, log, io, 'api', coreCatalogues(), queueRedis, durableRedis);
  const { queues, metrics } = core;
  metrics.trackSockets(io);
  metrics.trackQueues(queues, log);
  const services = createServices(core);
  const auth = createAuth(services.accounts, config.ADMIN_TOKEN);

  http.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // Latency by route pattern (never the raw URL: bounded labels); unrouted requests share one series.
  http.addHook('onResponse', async (req, reply) => {
    metrics.observeHttp(req.routeOptions.url ?? 'unmatched', req.method, reply.statusCode, reply.elapsedTime / 1000);
  });
  // CORS by @fastify/cors: CORS_ORIGINS ('*' or a list); a preflight answers 204 with the methods and headers the API takes.
  const origins = allowedOrigins(config);
  await http.register(cors, {
    origin: origins === true ? '*' : origins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
    exposedHeaders: ['retry-after', 'x-request-id'],
    strictPreflight: false,
  });
  // Security headers by @fastify/helmet on every answer (API and pages). The pages (dashboard,
  // seed 004's halls and widgets, the API docs) load their scripts from this server and run
  // inline handlers of the seed's paste-in snippets: a CSP of 'self' plus inline, no eval;
  // the widgets are embedded cross-origin, so resources may be loaded from any origin.
  await http.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:', 'http:'],
        mediaSrc: ["'self'", 'blob:', 'https:', 'http:'],
        connectSrc: ["'self'", 'ws:', 'wss:', 'https:', 'http:'],
        frameAncestors: ['*'],
        objectSrc: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false, // the consultation widget is opened by third-party sites
    frameguard: false,
  });

  http.setErrorHandler((err: Error & { validation?: unknown; validationContext?: string; statusCode?: number; code?: string }, req, reply) => {
    const { status, body } = toPublicError(fromFrameworkError(err));
    if (status === 503) {
      // A dependency that comes back (Redis failing over): the caller may retry shortly.
      reply.header('retry-after', body.code === 'REDIS_OUT_OF_MEMORY' ? '5' : '1');
      req.log.warn({ err }, 'request failed: a dependency is unavailable');
    } else if (status >= 500) req.log.error({ err }, 'request failed');
    const retryAfter = (err as { details?: { retryAfter?: unknown } }).details?.retryAfter;
    if (status === 429 && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    return reply.code(status).send({ error: body });
  });
  http.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );

  // Before any route: the credential doors and the per-route limits (config.rateLimit) use it.
  await registerCredentialGuard(
    http as unknown as FastifyInstance,
    redis,
    config,
    async (appid) => (await services.accounts.getApp(appid).catch(() => null))?.loginLimit ?? null,
  );

  registerAuth(http as unknown as FastifyInstance, auth); // before any route: authenticates each by its schema.security

  await http.register(swagger, {
    openapi: {
      info: { title: 'Switchboard', version: '0.1.0', description: `Native API. Error codes: ${Object.keys(ERROR_TABLE).join(', ')}.` },
      components: {
        securitySchemes: {
          userToken: { type: 'http', scheme: 'bearer', description: 'token from POST /v1/auth/login' },
          appSecret: { type: 'http', scheme: 'basic', description: 'appid:secret of the app (server to server)' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
          metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (Prometheus)' },
        },
      },
    },
  });
  await http.register(swaggerUi, { routePrefix: '/docs' });

  const deps = { core, services, auth };
  await http.register(systemRoutes, deps);
  for (const m of MODULES) for (const routes of m.routes ?? []) await http.register(routes, deps);
  for (const dialect of DIALECTS) await http.register(dialect, deps);

  const gateway = attachGateway(io, core, services);
  registerModuleEvents(gateway, MODULES);
  const started: Stoppable[] = MODULES.flatMap((m) => m.api?.({ core, services, io }) ?? []);

  http.addHook('preClose', async () => {
    gateway.stop();
    for (const s of started) await s.stop();
    core.dashboardWatch.stop();
    io.local.disconnectSockets(true);
  });

  let closed = false;
  return {
    http,
    io,
    core,
    services,
    gateway,
    async listen() {
      const address = await http.listen({ host: config.HOST, port: config.PORT });
      return address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await http.close(); // preClose disconnected every socket: their disconnect listeners run now
      await gateway.settled();
      await io.close(); // closes the adapter (HTTP server already closed by Fastify)
      await queues.close();
      await quitAll(opened);
    },
  };
}
