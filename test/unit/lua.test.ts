// The Lua files and their loader (docs/lua.md): every script loads with its includes pasted
// once, its header names its KEYS, and script codes become AppErrors in one place.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LUA_SOURCE_ROOT, loadScriptFile, scriptErrorCode, scriptFailure, throwOnScriptCode } from '../../src/infra/lua.js';
import { AppError } from '../../src/infra/errors.js';
import '../../src/modules/index.js'; // every module's error codes

/** Every script file (not includes) under src, as paths. */
function scriptFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'includes') walk(p);
      } else if (e.name.endsWith('.lua') && dir.endsWith('/lua')) out.push(p);
    }
  };
  walk(LUA_SOURCE_ROOT);
  return out;
}

describe('Lua files', () => {
  it('every script loads: name-numKeys file name, a header naming KEYS, no include left, each local function once', () => {
    const files = scriptFiles();
    expect(files.length).toBeGreaterThan(60);
    for (const file of files) {
      const { name, def } = loadScriptFile(file);
      const source = readFileSync(file, 'utf8');
      expect(source.startsWith(`-- ${name}`), file).toBe(true);
      expect(source, file).toMatch(/KEYS/);
      expect(def.lua, file).not.toMatch(/@include/);
      const fns = [...def.lua.matchAll(/^local function (\w+)/gm)].map((m) => m[1]);
      expect(new Set(fns).size, `${file}: ${fns.join(', ')}`).toBe(fns.length);
    }
  });

  it('an include pulled in directly and through another piece is pasted once, before its user', () => {
    const accept = scriptFiles().find((f) => f.endsWith('/dispatch/lua/sbDispatchAccept-1.lua'))!;
    const { def } = loadScriptFile(accept);
    expect(def.keys).toBe(1);
    expect(def.lua.split('local function agentRefresh(').length).toBe(2);
    expect(def.lua.indexOf('local function agentRefresh(')).toBeLessThan(def.lua.indexOf('local function releaseOffers('));
  });

  it('a -N script takes as many keys as the caller passes (keys 0)', () => {
    const open = scriptFiles().find((f) => f.endsWith('/infra/lua/sessionOpen-N.lua'))!;
    expect(loadScriptFile(open).def.keys).toBe(0);
  });
});

describe('script codes', () => {
  const codes = { [-1]: 'ROOM_NOT_FOUND', [-2]: 'PAIR_BUSY' } as const;

  it('throws the AppError the table names, with the caller text or the table message; returns otherwise', () => {
    expect(() => throwOnScriptCode(codes, 1, { ROOM_NOT_FOUND: 'x' })).not.toThrow();
    expect(() => throwOnScriptCode(codes, -3)).not.toThrow();
    expect(() => throwOnScriptCode(codes, -1, { ROOM_NOT_FOUND: 'no room r1' })).toThrow(
      expect.objectContaining({ code: 'ROOM_NOT_FOUND', message: 'no room r1' }),
    );
    let err: unknown;
    try {
      throwOnScriptCode(codes, -2, { PAIR_BUSY: { message: 'busy', details: { askNo: '7' } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'PAIR_BUSY', message: 'busy', details: { askNo: '7' } });
    expect(() => throwOnScriptCode(codes, -1)).toThrow(expect.objectContaining({ code: 'ROOM_NOT_FOUND' }));
    expect(scriptErrorCode(codes, -2)).toBe('PAIR_BUSY');
    expect(() => scriptFailure(codes, -9)).toThrow(/unexpected script result code -9/);
  });
});
