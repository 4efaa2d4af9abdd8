// `npm test`: install dependencies, make sure redis-server and chromium exist (the tests start their
// own throwaway one), type-check and build (the end-to-end tests run the built
// processes), on a full run type-check the tests (vitest strips their types unchecked) and lint
// (ESLint + Prettier), then run vitest. Extra arguments go to vitest and skip the tests' type-check
// and the lint: `npm test -- test/unit`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, ensureDependencies, ensureBuild, ensureRedisServer, ensureChromium } from './setup.mjs';

ensureDependencies();
ensureRedisServer();
// The browser tests (dashboard, customer-service widgets) drive it through playwright-core.
process.env.CHROMIUM_PATH = ensureChromium();
ensureBuild({ force: true });
if (process.argv.length <= 2) {
  for (const script of ['typecheck:test', 'lint']) {
    const r = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit', cwd: root });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
