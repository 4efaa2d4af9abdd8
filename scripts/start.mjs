// `npm start`: install, build, provision Redis, bootstrap credentials, run one api and
// one worker process, and shut all of it down cleanly on Ctrl-C / SIGTERM.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, say, ensureDependencies, ensureBuild, startPrivateRedis, superviseProcesses, credentialLines } from './setup.mjs';

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

const { start } = superviseProcesses(env, async () => {
  if (redis) {
    await redis.stop();
    say('private Redis stopped, data saved');
  }
});
start('api', 'api', 'src/main.js');
start('worker', 'worker', 'workers/main.js');

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
  ...credentialLines(creds),
  '',
];
process.stdout.write(lines.join('\n') + '\n');
