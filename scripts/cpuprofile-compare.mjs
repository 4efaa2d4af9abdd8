// Compares where two processes spent their CPU, per operation, from V8 CPU profiles (the
// `BENCH_CPU_PROF=<dir>` files of the benchmarks): busy time by package (Switchboard's own
// code by folder, Node's internals by module, native and GC apart), divided by the number of
// operations each did, side by side, biggest difference first.
//
//   node scripts/cpuprofile-compare.mjs <a.cpuprofile> <ops> <b.cpuprofile> <ops> [--window a=0.6-1 b=0.4-1] [--top 30]
//   node scripts/cpuprofile-compare.mjs --timeline <file.cpuprofile>
//
// A profile covers a process's whole life (start-up, set-up, the measured phase): `--window`
// keeps the samples between two fractions of it, found with `--timeline` (busy % per 2 % of
// the profile). Self time only, wall-clock samples: with Redis on the same core, a write to
// Redis is where the kernel runs Redis and the writer is charged for it
// (`BENCH_API_ALONE=1 npm run bench -- join` keeps Switchboard's api on a core of its own).
import { readFileSync } from 'node:fs';

function load(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const at = [];
  let t = p.startTime;
  for (const d of p.timeDeltas) at.push((t += d));
  return { byId, samples: p.samples, at, start: p.startTime, span: t - p.startTime };
}

/** Busy µs per sample, with its node and position in the profile (0–1). */
function* busySamples(prof, from = 0, to = 1) {
  for (let i = 0; i + 1 < prof.samples.length; i++) {
    const node = prof.byId.get(prof.samples[i]);
    if (node.callFrame.functionName === '(idle)') continue;
    const pos = (prof.at[i] - prof.start) / prof.span;
    if (pos >= from && pos <= to) yield { node, pos, us: prof.at[i + 1] - prof.at[i] };
  }
}

function category({ callFrame: { url, functionName } }) {
  if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const own = /dist\/(src|workers|scripts)\/([^/]+)/.exec(url);
  return own ? `switchboard ${own[1]}/${own[2]}` : url;
}

const args = process.argv.slice(2);
if (args[0] === '--timeline') {
  const prof = load(args[1]);
  const buckets = Array.from({ length: 50 }, () => 0);
  for (const s of busySamples(prof)) buckets[Math.min(49, Math.floor(s.pos * 50))] += s.us;
  const each = prof.span / 50;
  console.log(buckets.map((us, i) => `${(i / 50).toFixed(2)}:${Math.round((100 * us) / each)}%`).join(' '));
  process.exit(0);
}
if (args.length < 4) {
  console.error('usage: cpuprofile-compare.mjs <a.cpuprofile> <ops> <b.cpuprofile> <ops> [--window a=0.6-1 b=0.4-1] [--top N] | --timeline <file>');
  process.exit(2);
}
const [fileA, opsA, fileB, opsB] = args;
const windows = { a: [0, 1], b: [0, 1] };
let top = 30;
for (let i = 4; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i]);
  else if (args[i] === '--window') {
    while (args[i + 1] && /^[ab]=/.test(args[i + 1])) {
      const [side, range] = args[++i].split('=');
      windows[side] = range.split('-').map(Number);
    }
  }
}
const perOp = (file, ops, [from, to]) => {
  const out = new Map();
  for (const s of busySamples(load(file), from, to)) {
    const where = category(s.node);
    out.set(where, (out.get(where) ?? 0) + s.us / Number(ops));
  }
  return out;
};
const a = perOp(fileA, opsA, windows.a);
const b = perOp(fileB, opsB, windows.b);
const rows = [...new Set([...a.keys(), ...b.keys()])].map((k) => [k, a.get(k) ?? 0, b.get(k) ?? 0]);
rows.sort((x, y) => y[1] - y[2] - (x[1] - x[2]));
const total = (m) => [...m.values()].reduce((s, v) => s + v, 0);
console.log(`busy µs per op: a ${total(a).toFixed(0)}, b ${total(b).toFixed(0)}`);
console.log(`${'a'.padStart(8)} ${'b'.padStart(8)} ${'a − b'.padStart(8)}  where`);
for (const [k, x, y] of rows.slice(0, top))
  console.log(`${x.toFixed(1).padStart(8)} ${y.toFixed(1).padStart(8)} ${(x - y).toFixed(1).padStart(8)}  ${k}`);
