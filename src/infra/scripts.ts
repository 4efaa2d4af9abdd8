// Lua scripts registered on an ioredis connection (EVALSHA with automatic fallback to
// EVAL). State transitions that race live in these scripts, never in Node.
import type { Redis } from 'ioredis';

export interface ScriptDef {
  keys: number;
  lua: string;
}

/** Defines each script as a command on `redis` (idempotent) and returns a typed caller. */
export function defineScripts<T extends Record<string, ScriptDef>>(redis: Redis, defs: T) {
  for (const [name, def] of Object.entries(defs)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: def.keys, lua: def.lua });
  }
  return <K extends keyof T & string>(name: K, keys: string[], args: Array<string | number>): Promise<unknown> =>
    (redis as unknown as Record<string, (...a: Array<string | number>) => Promise<unknown>>)[name]!(...keys, ...args);
}
