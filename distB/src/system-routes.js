// Operations endpoints: liveness and readiness (the dashboard is src/modules/dashboard).
import { Type } from 'typebox';
import { withTimeout } from './infra/redis.js';
export const systemRoutes = async (app, { core }) => {
    app.get('/healthz', { schema: { tags: ['ops'], summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' }));
    app.get('/readyz', {
        schema: { tags: ['ops'], summary: 'Redis answers', response: { 200: Type.Object({ status: Type.String(), redis: Type.String() }), 503: Type.Object({ status: Type.String(), redis: Type.String() }) } },
    }, async (_req, reply) => {
        try {
            const pong = await withTimeout(core.redis.ping(), 1000, 'timeout');
            return { status: 'ready', redis: pong };
        }
        catch (err) {
            return reply.code(503).send({ status: 'not ready', redis: err.message });
        }
    });
};
//# sourceMappingURL=system-routes.js.map