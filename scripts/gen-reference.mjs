// `npm run docs`: regenerates docs/reference/ (configuration, HTTP, socket events) from the code's
// schemas and OpenAPI document. Builds first (the generator runs from dist/), starts a throwaway
// redis-server for buildApp, writes the files, stops it. The generation itself is
// scripts/reference/generate.ts, which the staleness test (test/integration/reference-docs.test.ts) shares.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, say, ensureBuild, startThrowawayRedis } from './setup.mjs';

// Dependencies: installed by npm start / npm test (this is a development command).
ensureBuild();
const { generateReferences, REFERENCE_CONFIG } = await import(pathToFileURL(join(root, 'dist', 'scripts', 'reference', 'generate.js')).href);
const { loadConfig } = await import(pathToFileURL(join(root, 'dist', 'src', 'config.js')).href);

const redis = await startThrowawayRedis();
try {
  const files = await generateReferences(loadConfig({}, { ...REFERENCE_CONFIG, REDIS_URL: redis.url }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    say(`wrote ${path}`);
  }
} finally {
  await redis.stop();
}
