// `npm start`: install, build, provision Redis, bootstrap credentials, run one api and
// one worker process, and shut all of it down cleanly on Ctrl-C / SIGTERM.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, say, ensureDependencies, ensureBuild, startPrivateRedis } from './setup.mjs';

ensureDependencies();
ensureBuild();

const dataDir = resolve(root, process.env.DATA_DIR ?? 'data');
let redis = null;
let redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  const port = Number(process.env.REDIS_PORT ?? 6390);
  redis = await startPrivateRedis({ dataDir, port });
  redisUrl = redis.url;
  say(`private Redis on ${redisUrl} (data in ${join(dataDir, 'redis')})`);
} else {
  say(`using REDIS_URL ${redisUrl.replace(/\/\/[^@/]*@/, '//***@')}`);
}

const env = { ...process.env, REDIS_URL: redisUrl, DATA_DIR: dataDir };
const { bootstrap } = await import(pathToFileURL(join(root, 'dist', 'src', 'bootstrap.js')).href);
let creds;
try {
  creds = await bootstrap(env);
} catch (err) {
  say(`start-up stopped: ${err.message}`);
  await redis?.stop();
  process.exit(1);
}
env.ADMIN_TOKEN = creds.adminToken;

const children = [];
let stopping = false;
// The api allocates a few short-lived objects per frame and per Redis reply: a young
// generation of 64 MiB semi-spaces (V8's default is 16) scavenges a quarter as often, which
// was 10-15 % more joins/s in `npm run bench -- join` (README § Benchmarks). The bench
// starts its api with the same flags (scripts/bench/lib/harness.ts: API_NODE_FLAGS).
const NODE_FLAGS = { api: ['--max-semi-space-size=64'], worker: [] };
function startChild(name, script) {
  const child = spawn(process.execPath, ['--enable-source-maps', ...NODE_FLAGS[name], join(root, 'dist', script)], { env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  say('shutting down: closing sockets, letting workers finish their active jobs…');
  await Promise.all(
    children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => { c.once('exit', r); c.kill('SIGTERM'); }))),
  );
  if (redis) {
    await redis.stop();
    say('private Redis stopped, data saved');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

startChild('api', 'src/main.js');
startChild('worker', 'workers/main.js');

const port = Number(process.env.PORT ?? 3000);
const base = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
const lines = [
  '',
  'Switchboard is starting:',
  `  API        ${base}/v1`,
  `  OpenAPI    ${base}/docs`,
  `  Dashboard  ${base}/dashboard`,
  `  Health     ${base}/healthz  ${base}/readyz`,
  `  Queues     ${base}/admin/queues  (user any, password ADMIN_TOKEN)`,
  `  Metrics    ${base}/metrics  (Authorization: Bearer METRICS_TOKEN or ADMIN_TOKEN)${process.env.WORKER_METRICS_PORT && process.env.WORKER_METRICS_PORT !== '0' ? `; worker :${process.env.WORKER_METRICS_PORT}/metrics` : ''}`,
  '',
  ...(creds.created
    ? [
        `Bootstrap credentials (first start; saved in ${creds.file}, reused next time):`,
        `  ADMIN_TOKEN  ${creds.adminToken}`,
        `  appid        ${creds.appid}`,
        `  app secret   ${creds.secret}`,
      ]
    : [`Bootstrap credentials: appid ${creds.appid}; admin token and app secret in ${creds.file}`]),
  '',
];
process.stdout.write(lines.join('\n') + '\n');
