// The Lua scripts live as files, one directory per module (docs/lua.md):
//   src/modules/<feature>/lua/<name>-<numKeys>.lua   a script; numKeys is a number, or N when
//                                                     the caller passes as many keys as it needs
//   src/modules/<feature>/lua/includes/<piece>.lua   a shared piece, pulled in by a line
//                                                     --- @include "<path>"  (relative to the
//                                                     including file, without .lua)
// A module's directory is read once, when its store module is imported. Includes are expanded
// in place, each file at most once per script (the first include wins), so a piece may include
// what it needs without the script repeating it.
//
// The files are read from the source tree (<package root>/src), also when the compiled code in
// dist/ runs: tsc does not copy .lua files, and one place to read them from is simpler than a
// copy step every build path would have to repeat.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, type ErrorCode } from './errors.js';
import { registerScripts, type ScriptDef } from './scripts.js';

/** The package root: the nearest directory above this file holding package.json (src/infra → .., dist/src/infra → ../..). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above infra/lua: cannot find the Lua scripts');
    dir = up;
  }
  return dir;
}

/** Where the Lua sources are: <package root>/src. */
export const LUA_SOURCE_ROOT = join(packageRoot(), 'src');

const INCLUDE = /^---\s*@include\s+"([^"]+)"\s*$/;
const SCRIPT_FILE = /^(.+)-(\d+|N)\.lua$/;

/** The text of `file` with its include lines replaced by the included files (recursively; each file once). */
function expand(file: string, seen: Set<string>, chain: string[]): string {
  if (chain.includes(file)) throw new Error(`Lua include cycle: ${[...chain, file].map((f) => relative(LUA_SOURCE_ROOT, f)).join(' → ')}`);
  seen.add(file);
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const m = INCLUDE.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const target = resolve(dirname(file), `${m[1]}.lua`);
    if (!existsSync(target)) throw new Error(`${relative(LUA_SOURCE_ROOT, file)}: no Lua include ${m[1]}`);
    if (!seen.has(target)) out.push(expand(target, seen, [...chain, file]));
  }
  return out.join('\n');
}

/** One script file as a ScriptDef: includes expanded, keys from the file name (N: 0, the caller's count). */
export function loadScriptFile(file: string): { name: string; def: ScriptDef } {
  const m = SCRIPT_FILE.exec(file.slice(dirname(file).length + 1));
  if (!m) throw new Error(`${file}: a Lua script is named <name>-<numKeys>.lua`);
  return { name: m[1]!, def: { keys: m[2] === 'N' ? 0 : Number(m[2]), lua: expand(file, new Set(), []) } };
}

/**
 * The scripts of `dir` (relative to src, e.g. 'modules/dispatch': its lua/ directory), by
 * name. `names` is the list the store runs: a file missing or one more than listed is an
 * error at start, not at the first call.
 */
export function loadScripts<N extends string>(dir: string, names: readonly N[]): Record<N, ScriptDef> {
  const luaDir = join(LUA_SOURCE_ROOT, dir, 'lua');
  const found: Record<string, ScriptDef> = {};
  for (const entry of readdirSync(luaDir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.lua')) continue;
    const { name, def } = loadScriptFile(join(luaDir, entry.name));
    if (found[name]) throw new Error(`${dir}/lua: two files for script ${name}`);
    found[name] = def;
  }
  const missing = names.filter((n) => !found[n]);
  const extra = Object.keys(found).filter((n) => !(names as readonly string[]).includes(n));
  if (missing.length || extra.length) throw new Error(`${dir}/lua: missing ${missing.join(', ') || '-'}; not listed ${extra.join(', ') || '-'}`);
  registerScripts(Object.values(found));
  return found as Record<N, ScriptDef>;
}

/**
 * A script's negative result codes → the AppError code each means. A module keeps one table
 * of them by script name (lua/codes.ts): a code means what its script's header says, and -3
 * of one script need not be -3 of another.
 */
export type ScriptCodes = Readonly<Partial<Record<number, ErrorCode>>>;

/** What a caller says of each error a script may end in: the message (and details); absent: the error table's message. */
export type ScriptErrorTexts<C extends ScriptCodes> = {
  readonly [K in Extract<C[keyof C], ErrorCode>]?: string | { message: string; details: Record<string, unknown> };
};

/** The AppError code `codes` names for a script's result `code`; undefined when it names none (not an error). */
export function scriptErrorCode(codes: ScriptCodes, code: number): ErrorCode | undefined {
  return codes[code];
}

/**
 * The one place a script's result code becomes an error: throws the AppError `codes` names
 * for `code`, with the caller's text for it; returns when the table names none (success,
 * or an outcome the caller handles).
 */
export function throwOnScriptCode<C extends ScriptCodes>(codes: C, code: number, texts: ScriptErrorTexts<C> = {}): void {
  if (codes[code] !== undefined) scriptFailure(codes, code, texts);
}

/** As throwOnScriptCode, for a result known to be a failure: a code the table does not name is a bug (plain Error). */
export function scriptFailure<C extends ScriptCodes>(codes: C, code: number, texts: ScriptErrorTexts<C> = {}): never {
  const name = codes[code];
  if (name === undefined) throw new Error(`unexpected script result code ${code}`);
  const text = (texts as Partial<Record<ErrorCode, string | { message: string; details: Record<string, unknown> }>>)[name];
  if (text === undefined) throw new AppError(name);
  if (typeof text === 'string') throw new AppError(name, text);
  throw new AppError(name, text.message, text.details);
}
