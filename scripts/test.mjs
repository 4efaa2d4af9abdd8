// `npm test`: install dependencies, make sure redis-server exists (the tests start their
// own throwaway one), type-check and build (the end-to-end tests run the built
// processes), then run vitest. Extra arguments go to vitest: `npm test -- test/unit`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, ensureDependencies, ensureBuild, ensureRedisServer } from './setup.mjs';

ensureDependencies();
ensureRedisServer();
ensureBuild({ force: true });
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
