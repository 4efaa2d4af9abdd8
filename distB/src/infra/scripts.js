// Lua scripts: EVALSHA, falling back to EVAL when Redis does not know the script yet (a
// fresh or restarted Redis, a failed-over replica). State transitions that race live in
// these scripts, never in Node.
//
// Why not ioredis' defineCommand: with auto-pipelining on (infra/redis.ts), ioredis
// remembers "this socket has the script" per pipeline object, i.e. never, and sends the
// whole Lua text with every call (EVAL); its Pipeline constructor also copies every
// defined script onto each batch. Plain EVALSHA commands batch like any other.
import { createHash } from 'node:crypto';
/** SHA1 by script text (a script with a variable number of keys builds its ScriptDef per call). */
const shaOf = new Map();
function sha1(def) {
    let sha = shaOf.get(def.lua);
    if (!sha) {
        sha = createHash('sha1').update(def.lua).digest('hex');
        shaOf.set(def.lua, sha);
    }
    return sha;
}
/** Runs one script: EVALSHA, and EVAL once when Redis answers NOSCRIPT (EVAL also caches it there). */
export async function runScript(redis, def, keys, args) {
    if (keys.length !== def.keys)
        throw new Error(`script expects ${def.keys} keys, got ${keys.length}`);
    try {
        return await redis.evalsha(sha1(def), def.keys, ...keys, ...args);
    }
    catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT'))
            throw err;
        return redis.eval(def.lua, def.keys, ...keys, ...args);
    }
}
/** A typed caller for a store's scripts: run(name, keys, args). */
export function defineScripts(redis, defs) {
    return (name, keys, args) => runScript(redis, defs[name], keys, args);
}
//# sourceMappingURL=scripts.js.map