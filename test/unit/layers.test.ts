// The import graph of src/, read from the source: the layering the architecture promises
// (docs/architecture.md) holds, and no file imports itself back through others.
// - infra/ imports no feature, realtime, dialect or top-level file: only infra/ and packages;
// - nothing but the app (src/app.ts, which lists the dialects) and the dialects themselves import a dialect;
// - the run-time imports (type-only ones are erased) have no cycle.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

interface Edge {
  to: string;
  typeOnly: boolean;
}

/** The relative imports of a file (import/export … from, side-effect imports), resolved to src paths. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const edges: Edge[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*(?:from\s+)?['"](\.[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const clause = m[3] ?? '';
    // `import { type A, type B } from` is type-only too.
    const allTypes =
      /^\{[^}]*\}$/.test(clause.trim()) &&
      clause
        .replace(/[{}\s]/g, '')
        .split(',')
        .filter(Boolean)
        .every((n) => n.startsWith('type'));
    edges.push({ to: resolve(dirname(file), m[4]!.replace(/\.js$/, '.ts')), typeOnly: Boolean(m[2]) || (clause !== '' && allTypes) });
  }
  return edges;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => relative(SRC, f);

describe('the import graph of src/', () => {
  it('infra imports only infra (and packages)', () => {
    const wrong = files
      .filter((f) => rel(f).startsWith('infra/'))
      .flatMap((f) =>
        graph
          .get(f)!
          .filter((e) => !rel(e.to).startsWith('infra/'))
          .map((e) => `${rel(f)} → ${rel(e.to)}`),
      );
    expect(wrong).toEqual([]);
  });

  it('only the app imports a dialect', () => {
    const wrong = files
      .filter((f) => !rel(f).startsWith('dialects/') && rel(f) !== 'app.ts')
      .flatMap((f) =>
        graph
          .get(f)!
          .filter((e) => rel(e.to).startsWith('dialects/'))
          .map((e) => `${rel(f)} → ${rel(e.to)}`),
      );
    expect(wrong).toEqual([]);
  });

  it('the run-time imports have no cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map(rel).join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const e of graph.get(f) ?? []) if (!e.typeOnly && graph.has(e.to)) visit(e.to, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('reads the imports it checks (the parser sees the module list)', () => {
    expect(graph.get(join(SRC, 'modules/index.ts'))!.filter((e) => rel(e.to).endsWith('/module.ts')).length).toBeGreaterThan(20);
  });
});
