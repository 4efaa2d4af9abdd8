// Every environment variable Switchboard reads, in one TypeBox schema validated once at boot:
// the process-wide variables (infra/config.ts) and each feature's section (its config.ts,
// given as `config` in its module.ts), composed from the module list. An invalid value stops
// the process with a message naming the variable. docs/reference/configuration.md is
// generated from this schema (npm run docs).
import { Type } from 'typebox';
import { CORE_CONFIG, readConfig, type Config } from './infra/config.js';
import { MODULES } from './modules/index.js';

export { ConfigError, allowedOrigins, originAllowed, type Config } from './infra/config.js';

function composeSchema() {
  const properties: Record<string, (typeof CORE_CONFIG)[keyof typeof CORE_CONFIG]> = { ...CORE_CONFIG };
  for (const m of MODULES)
    for (const [key, schema] of Object.entries(m.config ?? {})) {
      if (Object.hasOwn(properties, key)) throw new Error(`config ${key} (module ${m.name}) is declared twice`);
      properties[key] = schema as (typeof CORE_CONFIG)[keyof typeof CORE_CONFIG];
    }
  return Type.Object(properties);
}

/** The whole schema: core variables first, then each module's section in list order. */
export const ConfigSchema = composeSchema();

/** Reads the config from `env` (process.env by default); throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  return readConfig(ConfigSchema, env, overrides);
}
