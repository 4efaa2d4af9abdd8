// The dashboard page: static HTML, CSS and JS from assets/dashboard/ (no build step, no
// framework). It loads the Socket.IO browser client from /socket.io/socket.io.js (served
// by the Socket.IO server) and uPlot (the charts) from /dashboard/vendor/, served from the
// installed npm package (node_modules/uplot/dist: no CDN, the version package-lock pins),
// and talks to the /dashboard namespace only; no HTTP API calls.
import fastifyStatic from '@fastify/static';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RoutePlugin } from '../deps.js';
import { packageRoot } from '../messaging/service.js';

/** The two uPlot files the page loads, by the name it asks for. */
const UPLOT_FILES: Record<string, { file: string; type: string }> = {
  'uPlot.iife.min.js': { file: 'uPlot.iife.min.js', type: 'text/javascript; charset=utf-8' },
  'uPlot.min.css': { file: 'uPlot.min.css', type: 'text/css; charset=utf-8' },
};

export const dashboardRoutes: RoutePlugin = async (app) => {
  const dir = join(packageRoot(), 'assets', 'dashboard');
  // decorateReply false: other plugins may register @fastify/static too.
  await app.register(fastifyStatic, { root: dir, prefix: '/dashboard/', decorateReply: false, index: false, schemaHide: true });
  app.get('/dashboard', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return reply.type('text/html; charset=utf-8').send(await indexHtml(dir));
  });
  // Resolved the way Node resolves the package (hoisting, workspaces), not by a guessed path.
  const uplotDist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  app.get<{ Params: { file: string } }>('/dashboard/vendor/:file', { schema: { hide: true } }, async (req, reply) => {
    const f = Object.hasOwn(UPLOT_FILES, req.params.file) ? UPLOT_FILES[req.params.file]! : undefined;
    if (!f) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no file ${req.params.file}` } });
    reply.header('cache-control', 'public, max-age=3600');
    return reply.type(f.type).send(await cachedRead(join(uplotDist, f.file)));
  });
};

const files = new Map<string, Promise<string>>();
/** A file read once per process (a failed read is tried again next time). */
function cachedRead(path: string): Promise<string> {
  let p = files.get(path);
  if (!p) {
    p = readFile(path, 'utf8');
    files.set(path, p);
    p.catch(() => files.delete(path));
  }
  return p;
}
const indexHtml = (dir: string) => cachedRead(join(dir, 'index.html'));
