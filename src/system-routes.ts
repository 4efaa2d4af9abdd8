// Operations endpoints: liveness and readiness (the dashboard is src/modules/dashboard).
import { Type } from 'typebox';
import type { RoutePlugin } from './modules/deps.js';
import { redisHealth, withTimeout } from './infra/redis.js';
import { buildAsyncApi } from './realtime/asyncapi.js';

export const systemRoutes: RoutePlugin = async (app, { core }) => {
  // The socket API (AsyncAPI 3.0, from the event catalogue), beside the OpenAPI document at /docs/json.
  const asyncApi = buildAsyncApi({ version: '0.1.0' });
  app.get('/asyncapi.json', { schema: { hide: true } }, async () => asyncApi);

  app.get(
    '/healthz',
    { schema: { tags: ['ops'], summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  const Memory = Type.Object({ node: Type.String(), usedMemory: Type.Integer(), maxMemory: Type.Integer(), policy: Type.String() });
  const Readiness = Type.Object({
    status: Type.String(),
    redis: Type.String(),
    reasons: Type.Optional(Type.Array(Type.String())),
    servers: Type.Optional(Type.Array(Memory)),
  });
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary:
          'Ready when Redis answers within a second, evicts nothing (noeviction), is below maxmemory and (Cluster) reports state ok; otherwise 503 with the reasons',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_req, reply) => {
      try {
        const health = await withTimeout(redisHealth(core.redis), 1000, 'Redis did not answer within 1 s');
        if (health.ok) return { status: 'ready', redis: 'PONG', servers: health.servers };
        return reply.code(503).send({ status: 'not ready', redis: health.reasons.join('; '), reasons: health.reasons, servers: health.servers });
      } catch (err) {
        const reason = (err as Error).message;
        return reply.code(503).send({ status: 'not ready', redis: reason, reasons: [reason] });
      }
    },
  );
};
