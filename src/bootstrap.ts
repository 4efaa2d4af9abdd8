// First-start credentials: an admin token and a first app, persisted in
// DATA_DIR/bootstrap.json so the next start reuses them. Used by scripts/start.mjs.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from './config.js';
import { createKeys } from './infra/keys.js';
import { checkRedis, createRedis, redisTarget } from './infra/redis.js';
import { createAccountsService } from './modules/accounts/service.js';
// Its codes in the error table (getApp answers APP_NOT_FOUND): this process loads no module list.
import './modules/accounts/errors.js';
import type { Core } from './infra/core.js';
import { createLogger } from './infra/logger.js';

interface Saved {
  adminToken: string;
  appid: string;
  secret: string;
}

export async function bootstrap(env: Record<string, string | undefined>): Promise<Saved & { created: boolean; file: string }> {
  const config = loadConfig(env);
  mkdirSync(config.DATA_DIR, { recursive: true });
  const file = join(config.DATA_DIR, 'bootstrap.json');
  let saved: Saved | null = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Saved) : null;
  const created = saved === null;
  if (!saved) {
    saved = { adminToken: config.ADMIN_TOKEN ?? randomBytes(24).toString('base64url'), appid: 'demo', secret: randomBytes(24).toString('base64url') };
    writeFileSync(file, JSON.stringify(saved, null, 2) + '\n', { mode: 0o600 });
  }
  if (config.ADMIN_TOKEN) saved.adminToken = config.ADMIN_TOKEN;

  const redis = createRedis(redisTarget(config), 'bootstrap');
  try {
    await checkRedis(redis);
    // Services need no emitter or queues to create an app.
    const core = { config, redis, keys: createKeys(config.KEY_PREFIX), log: createLogger('warn', 'bootstrap') } as unknown as Core;
    const accounts = createAccountsService(core);
    try {
      await accounts.getApp(saved.appid);
    } catch {
      await accounts.createApp({ appid: saved.appid, name: 'Demo app' }, saved.secret);
    }
  } finally {
    await redis.quit();
  }
  return { ...saved, created, file };
}
