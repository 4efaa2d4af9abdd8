// `npm run bench [-- name…]`: set-up as for the tests, then run benchmark scripts that
// print their figures. Names: connections, socket-memory, notify, rooms, classroom, billing, dispatch, words, pairing, dashboard, dashboard-cost, webhooks, join, redis-writes, cluster, login-limits (default: all).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, ensureDependencies, ensureBuild, ensureRedisServer } from './setup.mjs';

const ALL = [
  'connections',
  'socket-memory',
  'notify',
  'rooms',
  'classroom',
  'billing',
  'dispatch',
  'words',
  'pairing',
  'dashboard',
  'dashboard-cost',
  'webhooks',
  'join',
  'redis-writes',
  'cluster',
  'login-limits',
];
ensureDependencies();
ensureRedisServer();
ensureBuild();
const names = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
for (const name of names) {
  if (!ALL.includes(name)) {
    process.stderr.write(`unknown benchmark ${name}; choose from ${ALL.join(', ')}\n`);
    process.exit(2);
  }
  const r = spawnSync(process.execPath, [join(root, 'dist', 'scripts', 'bench', `${name}.js`)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
