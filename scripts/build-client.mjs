// Builds the client package (switchboard/client, src/client): declarations with tsc
// (tsconfig.client.json → dist/client/types), the ESM module for Node and bundlers
// (dist/client/index.js, socket.io-client left as a dependency) and a browser bundle with
// socket.io-client inside (dist/client/switchboard-client.browser.js). Run by
// `npm run build:client` (and `npm run build`, and ensureBuild in scripts/setup.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildClient() {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.client.json')], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error('tsc -p tsconfig.client.json failed');
  await linkContracts();
  const entry = join(root, 'src', 'client', 'index.ts');
  const common = { entryPoints: [entry], bundle: true, format: 'esm', target: 'es2022', sourcemap: true, logLevel: 'warning' };
  await build({ ...common, platform: 'neutral', packages: 'external', outfile: join(root, 'dist', 'client', 'index.js') });
  await build({ ...common, platform: 'browser', minify: true, outfile: join(root, 'dist', 'client', 'switchboard-client.browser.js') });
}

/**
 * The event types reach the client's declarations by declaration merging from each contract
 * file (src/infra/contract.ts): a program that loads only index.d.ts would not see them, so
 * index.d.ts imports every contract's declarations, found in the output (no list to keep).
 */
async function linkContracts() {
  const types = join(root, 'dist', 'client', 'types');
  const modules = await readdir(join(types, 'modules'), { withFileTypes: true });
  const contracts = [
    '../realtime/session-contract.js',
    ...modules.filter((d) => existsSync(join(types, 'modules', d.name, 'contract.d.ts'))).map((d) => `../modules/${d.name}/contract.js`),
  ].sort();
  const index = join(types, 'client', 'index.d.ts');
  const marker = '// contracts (scripts/build-client.mjs)';
  const own = (await readFile(index, 'utf8')).split(marker)[0].trimEnd();
  await writeFile(index, `${own}\n${marker}\n${contracts.map((c) => `import '${c}';`).join('\n')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildClient();
