// Small helpers for benchmark figures: percentiles, formatting, process CPU/RSS.
import { readFileSync } from 'node:fs';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summary(values: number[]): { n: number; p50: number; p99: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** Wall clock in ms with sub-ms resolution (comparable across processes, and with Date.now()). */
export const wallNow = () => performance.timeOrigin + performance.now();

/** Calls per command name (`get`, `evalsha`, `client|setname`…) from Redis' INFO commandstats. */
export function commandStats(info: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of info.split('\n')) {
    const r = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (r) m.set(r[1]!, Number(r[2]));
  }
  return m;
}

/** Error replies by error prefix (`NOSCRIPT`, `ERR`…) so far, from Redis' INFO errorstats. */
export function errorStats(info: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const [, name, count] of info.matchAll(/^errorstat_([^:]+):count=(\d+)/gm)) m.set(name!, Number(count));
  return m;
}

/** Microseconds Redis spent in each command so far (INFO commandstats `usec`; a script's includes the commands it ran). */
export function commandMicros(info: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of info.split('\n')) {
    const r = /^cmdstat_([^:]+):calls=\d+,usec=(\d+)/.exec(line.trim());
    if (r) m.set(r[1]!, Number(r[2]));
  }
  return m;
}

/** CPU seconds (user+system) a process has used, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** CPU seconds each core has spent running processes (user + nice + system), from /proc/stat; index = core. */
export function coreSeconds(): number[] {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((l) => /^cpu\d+ /.test(l))
    .map((l) => {
      const [user, nice, system] = l.split(/\s+/).slice(1, 4).map(Number);
      return (user! + nice! + system!) / 100;
    });
}

/**
 * CPU of named processes: read() takes each one's CPU seconds; used(from, to) gives each
 * one's CPU seconds between two readings; percent(from, to, seconds) each one's CPU % (of
 * one core) between two readings `seconds` of wall time apart.
 */
export function cpuMeter<K extends string>(pids: Record<K, number>) {
  const names = Object.keys(pids) as K[];
  return {
    read: (): Record<K, number> => Object.fromEntries(names.map((k) => [k, cpuSeconds(pids[k])])) as Record<K, number>,
    used: (from: Record<K, number>, to: Record<K, number>): Record<K, number> =>
      Object.fromEntries(names.map((k) => [k, to[k] - from[k]])) as Record<K, number>,
    percent: (from: Record<K, number>, to: Record<K, number>, seconds: number): Record<K, number> =>
      Object.fromEntries(names.map((k) => [k, ((to[k] - from[k]) / seconds) * 100])) as Record<K, number>,
  };
}

export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(width[i]!)).join(' | ') + ' |';
  process.stdout.write(`\n### ${title}\n\n`);
  process.stdout.write(line(cols) + '\n');
  process.stdout.write('|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|\n');
  for (const r of rows) process.stdout.write(line(cols.map((c) => String(r[c]))) + '\n');
}

/** heapUsed, RSS and external memory of this process after two forced GCs (servers run with --expose-gc): the IPC `stats` answer of a bench server. */
export function memoryAfterGc(): { heapUsed: number; rss: number; external: number } {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, rss: m.rss, external: m.external };
}

/** CPU seconds (used_cpu_sys + used_cpu_user) a redis-server has used, from its INFO cpu. */
export function infoCpuSeconds(info: string): number {
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return field('used_cpu_sys') + field('used_cpu_user');
}

/** The largest value ÷ the mean of all (1 when they are equal; NaN without values). */
export function busiestOverMean(values: number[]): number {
  if (values.length === 0) return NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.max(...values) / mean;
}
