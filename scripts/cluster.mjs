// `npm run cluster`: like `npm start`, but on a private Redis Cluster (3 masters, 3 replicas,
// no persistence, started afresh each time) with two api nodes (PORT and PORT+1) and two
// workers, all given REDIS_CLUSTER_NODES. Ctrl-C / SIGTERM stop the api nodes and workers
// first, then the cluster. The bootstrap credentials are those of `npm start`
// (DATA_DIR/bootstrap.json); the demo app is created again in each new cluster.
import { rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  root,
  say,
  ensureDependencies,
  ensureRedisServer,
  ensureBuild,
  startThrowawayCluster,
  superviseProcesses,
  credentialLines,
} from './setup.mjs';

ensureDependencies();
ensureRedisServer();
ensureBuild();

const dataDir = resolve(root, process.env.DATA_DIR ?? 'data');
// Node folders (nodes-PORT.conf, redis.log) of the cluster; removed when it stops. Leftovers
// of a run that could not clean up (machine reset) are removed first.
const clusterDir = join(dataDir, 'cluster');
rmSync(clusterDir, { recursive: true, force: true });
say('starting a private Redis Cluster (3 masters, 3 replicas)…');
let cluster;
try {
  cluster = await startThrowawayCluster({ masters: 3, replicasPerMaster: 1, dir: clusterDir });
} catch (err) {
  say(`the Redis Cluster did not start: ${err.message}`);
  process.exit(1);
}
say(`Redis Cluster up: ${cluster.seeds} (node logs in ${relative(process.cwd(), clusterDir) || '.'})`);

const env = { ...process.env, REDIS_CLUSTER_NODES: cluster.seeds, DATA_DIR: dataDir };
delete env.REDIS_URL;

let creds;
try {
  const { bootstrap } = await import(pathToFileURL(join(root, 'dist', 'src', 'bootstrap.js')).href);
  creds = await bootstrap(env);
} catch (err) {
  say(`start-up stopped: ${err.message}`);
  await cluster.stop();
  process.exit(1);
}
env.ADMIN_TOKEN = creds.adminToken;

const port = Number(process.env.PORT ?? 3000);
const workerMetricsPort = Number(process.env.WORKER_METRICS_PORT ?? 0);
const { start } = superviseProcesses(env, async () => {
  await cluster.stop();
  rmSync(clusterDir, { recursive: true, force: true });
  say('Redis Cluster stopped');
});
const ranges = await cluster.slots();
start('api 1', 'api', 'src/main.js', { PORT: String(port) });
start('api 2', 'api', 'src/main.js', { PORT: String(port + 1) });
// Two workers cannot share a metrics port: the second one gets the next.
start('worker 1', 'worker', 'workers/main.js', workerMetricsPort ? { WORKER_METRICS_PORT: String(workerMetricsPort) } : {});
start('worker 2', 'worker', 'workers/main.js', workerMetricsPort ? { WORKER_METRICS_PORT: String(workerMetricsPort + 1) } : {});

const bases = [port, port + 1].map((p) => `http://localhost:${p}`);
const lines = [
  '',
  'Switchboard is starting on a Redis Cluster:',
  ...bases.map(
    (base, i) => `  api ${i + 1}      ${base}/v1   (OpenAPI ${base}/docs, dashboard ${base}/dashboard, health ${base}/healthz ${base}/readyz)`,
  ),
  ...(process.env.PUBLIC_URL ? [`  PUBLIC_URL ${process.env.PUBLIC_URL} (given to both api nodes)`] : []),
  `  Queues     ${bases[0]}/admin/queues  (user any, password ADMIN_TOKEN)`,
  `  Metrics    ${bases[0]}/metrics ${bases[1]}/metrics  (Authorization: Bearer METRICS_TOKEN or ADMIN_TOKEN)${workerMetricsPort ? `; workers :${workerMetricsPort}/metrics :${workerMetricsPort + 1}/metrics` : ''}`,
  '',
  `Redis Cluster (REDIS_CLUSTER_NODES): ${cluster.seeds}`,
  ...ranges.map(
    (r) =>
      `  slots ${`${r.start}-${r.end}`.padEnd(12)} master 127.0.0.1:${r.master}${r.replicas.length ? `  replica ${r.replicas.map((p) => `127.0.0.1:${p}`).join(', ')}` : ''}`,
  ),
  '',
  ...credentialLines(creds),
  '',
];
process.stdout.write(lines.join('\n') + '\n');
