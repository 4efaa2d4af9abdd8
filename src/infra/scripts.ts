// Lua scripts: EVALSHA, falling back to EVAL when Redis does not know the script yet (a
// fresh or restarted Redis, a failed-over replica). State transitions that race live in
// these scripts, never in Node. Every script a module declares is loaded as each command
// connection becomes ready (keepScriptsLoaded), so the fallback is the exception.
//
// Why not ioredis' defineCommand: every call in flight that meets NOSCRIPT sends the whole
// Lua text (after a restart of Redis, hundreds at once), where runScript sends one EVAL;
// scripts are loaded on every master at once (preloadScripts), with the Cluster shebang
// below; and inside a pipeline (ioredis' auto-pipelining, which the command connection used
// until it coalesced its writes itself, infra/redis.ts) it sent the whole text every time.
//
// The Cluster rule: a script is sent to the master of the slot of its first key, and every
// key it touches must be in that slot. Switchboard's scripts touch the keys of one app, all
// tagged `{appid}` (infra/keys.ts). On a Cluster each script is sent with a `#!lua` shebang:
// Redis 7 then refuses, with an error, any access to a key of another slot — declared in
// KEYS or derived inside the script — instead of quietly allowing it as it does for
// scripts without one. The cluster test pass runs the whole suite that way, and
// test/cluster/scripts.test.ts loads every script on every master.
import { createHash } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import type { Cluster } from 'ioredis';
import { isCluster, type RedisClient } from './redis.js';

/** A script: its Lua text and how many keys it takes (0: as many as the caller passes, a `-N.lua` file). */
export interface ScriptDef {
  keys: number;
  lua: string;
}

type Arg = string | number;

/** Every named script a store defined in this process, for the cross-slot guard test. */
export const definedScripts = new Map<string, ScriptDef>();

/** SHA1 by script text (a script with a variable number of keys builds its ScriptDef per call). */
const shaOf = new Map<string, string>();

function sha1(text: string): string {
  let sha = shaOf.get(text);
  if (!sha) {
    sha = createHash('sha1').update(text).digest('hex');
    shaOf.set(text, sha);
  }
  return sha;
}

const clusterText = new Map<string, string>();

/** The text sent for `def`: as written on one Redis; with a `#!lua` shebang on a Cluster (see above). */
export function scriptText(redis: RedisClient, def: ScriptDef): string {
  if (!isCluster(redis)) return def.lua;
  let text = clusterText.get(def.lua);
  if (!text) {
    text = `#!lua\n${def.lua}`;
    clusterText.set(def.lua, text);
  }
  return text;
}

/**
 * Every script this process may run: those its modules load (infra/lua.ts) or define, and
 * any other the first time Redis answers NOSCRIPT to it. preloadScripts loads them all.
 */
const knownScripts = new Set<ScriptDef>();

/** Adds scripts to those preloadScripts loads (infra/lua.ts registers each module's). */
export function registerScripts(defs: Iterable<ScriptDef>): void {
  for (const def of defs) knownScripts.add(def);
}

/**
 * The EVAL in flight for a script Redis answered NOSCRIPT to, by client and SHA1: the
 * calls that meet the same NOSCRIPT meanwhile wait for it and retry EVALSHA instead of each
 * sending the script's whole text (after a restart of Redis, every call in flight would).
 */
const loading = new WeakMap<RedisClient, Map<string, Promise<unknown>>>();

/** Runs one script: EVALSHA; when Redis answers NOSCRIPT, one EVAL per script and client at a time (EVAL also caches it there). */
export async function runScript(redis: RedisClient, def: ScriptDef, keys: string[], args: Arg[]): Promise<unknown> {
  if (def.keys !== 0 && keys.length !== def.keys) throw new Error(`script expects ${def.keys} keys, got ${keys.length}`);
  // A script without keys would go to any master of a Cluster: every script names its app's keys.
  if (keys.length === 0) throw new Error('a script must name at least one key');
  const text = scriptText(redis, def);
  const sha = sha1(text);
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!isNoScript(err)) throw err;
  }
  knownScripts.add(def);
  let byClient = loading.get(redis);
  if (!byClient) loading.set(redis, (byClient = new Map()));
  const pending = byClient.get(sha);
  if (pending) {
    await pending.catch(() => undefined);
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      // On a Cluster, the EVAL waited for may have loaded it on another master.
      if (!isNoScript(err)) throw err;
      return redis.eval(text, keys.length, ...keys, ...args);
    }
  }
  const evaluating = redis.eval(text, keys.length, ...keys, ...args);
  byClient.set(sha, evaluating);
  try {
    return await evaluating;
  } finally {
    byClient.delete(sha);
  }
}

const isNoScript = (err: unknown): boolean => err instanceof Error && err.message.startsWith('NOSCRIPT');

/**
 * Loads every known script (SCRIPT LOAD) on the one Redis or on every master of a Cluster,
 * so that the first calls find them: without it, the first burst of calls after a start or
 * a restart of Redis each meet NOSCRIPT (the error replies, then one EVAL per script:
 * runScript). A script a master still lacks (a replica promoted since) is loaded by
 * runScript's fallback. Resolves with how many scripts it loaded per node.
 */
export async function preloadScripts(redis: RedisClient): Promise<number> {
  const texts = [...knownScripts].map((def) => scriptText(redis, def));
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  await Promise.all(
    nodes.map(async (node) => {
      const p = node.pipeline();
      for (const text of texts) p.script('LOAD', text);
      for (const [err] of (await p.exec()) ?? []) if (err) throw err;
    }),
  );
  return texts.length;
}

/** The SHA1 of every known script as `redis` is sent it (for tests: SCRIPT EXISTS). */
export function knownScriptShas(redis: RedisClient): string[] {
  return [...knownScripts].map((def) => sha1(scriptText(redis, def)));
}

/**
 * Keeps the known scripts loaded on a command connection: at once, and again each time the
 * connection is ready after a reconnect (a restarted Redis starts with an empty script
 * cache). A failure is reported to `onError` and left to runScript's fallback.
 */
export function keepScriptsLoaded(redis: RedisClient, onError: (err: unknown) => void): void {
  const load = () => void preloadScripts(redis).catch(onError);
  if (redis.status === 'ready') load();
  redis.on('ready', load);
}

/** A typed caller for a store's scripts: run(name, keys, args). */
export function defineScripts<T extends Record<string, ScriptDef>>(redis: RedisClient, defs: T) {
  for (const [name, def] of Object.entries(defs)) definedScripts.set(name, def);
  registerScripts(Object.values(defs));
  return <K extends keyof T & string>(name: K, keys: string[], args: Arg[]): Promise<unknown> =>
    runScript(redis, defs[name] as ScriptDef, keys, args);
}

/** How a durable script waits for replicas (Redis WAIT). */
export interface Durability {
  replicas: number;
  timeoutMs: number;
}

/**
 * Runs a script whose effect must survive a failover once acknowledged (a ledger entry):
 * on a Cluster, the script and `WAIT replicas timeout` go in one batch to the same master,
 * so the answer comes once that many replicas have the write (Redis replicates
 * asynchronously: without WAIT, a master killed right after answering can take an
 * acknowledged write with it, since the replica promoted in its place may not have it yet).
 * `acked` is how many replicas confirmed; fewer than asked (a replica down, or the timeout)
 * still returns: the write happened and cannot be taken back, and the caller logs it.
 * WAIT blocks the connection it is sent on: use one that carries nothing else.
 * On one Redis, or with replicas 0, it is runScript.
 *
 * It waits for no more replicas than the client's slot map gives the master: a replica that
 * took over from a killed master has none until a node rejoins as its replica, and a WAIT
 * there would only time out — holding the connection, and every ledger write of the process
 * queued behind it, for the whole timeout each time (metering stalled after a failover:
 * test/cluster/failover.test.ts). While the map shows fewer replicas than asked, or a WAIT
 * came back short, the map is re-read (at most every REFRESH_MS), so a replica that joins
 * or leaves is seen.
 */
export async function runDurableScript(
  redis: RedisClient,
  def: ScriptDef,
  keys: string[],
  args: Arg[],
  durability: Durability,
): Promise<{ result: unknown; acked: number | null }> {
  if (!isCluster(redis) || durability.replicas === 0) return { result: await runScript(redis, def, keys, args), acked: null };
  if ((def.keys !== 0 && keys.length !== def.keys) || keys.length === 0)
    throw new Error(`script expects ${def.keys || 'some'} keys (at least one), got ${keys.length}`);
  const cluster = redis;
  const text = scriptText(redis, def);
  const slot = calculateSlot(keys[0]!);
  const batch = async (evalCmd: 'evalsha' | 'eval', replicas: number) => {
    const p = cluster.pipeline();
    if (evalCmd === 'evalsha') p.evalsha(sha1(text), keys.length, ...keys, ...args);
    else p.eval(text, keys.length, ...keys, ...args);
    if (replicas > 0) p.call('WAIT', replicas, durability.timeoutMs);
    return (await p.exec()) ?? [];
  };
  let evalCmd: 'evalsha' | 'eval' = 'evalsha';
  for (let moved = 0; ;) {
    // The master and its replicas as the map has them (master first); unknown slot: as asked.
    const known = cluster.slots[slot];
    const replicas = known ? Math.min(durability.replicas, known.length - 1) : durability.replicas;
    if (replicas < durability.replicas) refreshSoon(cluster);
    const [scriptReply, waitReply] = await batch(evalCmd, replicas);
    if (!scriptReply) throw new Error('the script batch got no reply');
    const err = scriptReply[0];
    if (err instanceof Error && err.message.startsWith('NOSCRIPT') && evalCmd === 'evalsha') {
      evalCmd = 'eval';
      continue;
    }
    // MOVED: the batch reached a master that no longer serves the slot (a failover since the
    // client last read the slot map), and the script did not run. ioredis follows MOVED for a
    // batch only when all its commands failed alike, and WAIT succeeds on any master: without
    // this, the map would never be re-read and every ledger write would fail from then on.
    if (err instanceof Error && err.message.startsWith('MOVED ') && ++moved < MAX_MOVED) {
      await new Promise<void>((resolve) => cluster.refreshSlotsCache(() => resolve()));
      continue;
    }
    if (err) throw err;
    const acked = replicas > 0 && waitReply && !waitReply[0] ? Number(waitReply[1]) : 0;
    if (acked < replicas) refreshSoon(cluster);
    return { result: scriptReply[1], acked };
  }
}

/** How many times a durable script follows MOVED (as ioredis' maxRedirections for one command). */
const MAX_MOVED = 16;
const REFRESH_MS = 2000;
const refreshedAt = new WeakMap<Cluster, number>();

/** Re-reads the slot map of `cluster` (in the background), unless it was asked less than REFRESH_MS ago. */
function refreshSoon(cluster: Cluster): void {
  const now = Date.now();
  if (now - (refreshedAt.get(cluster) ?? 0) < REFRESH_MS) return;
  refreshedAt.set(cluster, now);
  cluster.refreshSlotsCache();
}
