// The dashboard page: static HTML, CSS and JS from assets/dashboard/ (no build step, no
// framework). It loads the Socket.IO browser client from /socket.io/socket.io.js (served
// by the Socket.IO server) and talks to the /dashboard namespace only; no HTTP API calls.
import fastifyStatic from '@fastify/static';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../messaging/service.js';
export const dashboardRoutes = async (app) => {
    const dir = join(packageRoot(), 'assets', 'dashboard');
    // decorateReply false: other plugins may register @fastify/static too.
    await app.register(fastifyStatic, { root: dir, prefix: '/dashboard/', decorateReply: false, index: false, schemaHide: true });
    app.get('/dashboard', { schema: { hide: true } }, async (_req, reply) => {
        reply.header('cache-control', 'no-cache');
        return reply.type('text/html; charset=utf-8').send(await indexHtml(dir));
    });
};
let cached = null;
async function indexHtml(dir) {
    cached ??= readFile(join(dir, 'index.html'), 'utf8').catch((err) => {
        cached = null;
        throw err;
    });
    return cached;
}
//# sourceMappingURL=routes.js.map