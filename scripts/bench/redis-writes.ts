// What a command costs the process that sends it, by how the command connection batches its
// writes: ioredis' auto-pipelining (a Pipeline per batch, flushed on setImmediate), the
// command connection's own coalescing (infra/redis.ts coalesceWrites: the socket corked
// until setImmediate), and neither (a write per command). A throwaway redis-server on the
// other core; this process on core 0. Each "turn" issues N commands at once and waits for
// their replies (N = 1: a lone command, as a sequential connect + join sends; N = 5: a
// handful, as a busy api's turn does; N = 50: a burst). Client CPU per command (user +
// system) over BENCH_WRITES_COMMANDS commands, median of 5 runs, the three ways alternating.
//   BENCH_WRITES_COMMANDS (20000)  BENCH_WRITES_BATCHES (1,5,50)
import { Redis } from 'ioredis';
import { coalesceWrites } from '../../src/infra/redis.js';
import { pin, startRedis } from './lib/harness.js';
import { fmt, median, printTable } from './lib/stats.js';

const COMMANDS = Number(process.env.BENCH_WRITES_COMMANDS ?? 20_000);
const BATCHES = (process.env.BENCH_WRITES_BATCHES ?? '1,5,50').split(',').map(Number);
const RUNS = 5;

type Way = 'auto-pipelining' | 'coalesced' | 'plain';
const WAYS: Way[] = ['auto-pipelining', 'coalesced', 'plain'];

const redis = await startRedis();
pin(redis.pid, 1);
pin(process.pid, 0);

async function client(way: Way): Promise<Redis> {
  const c = new Redis(redis.url, { enableAutoPipelining: way === 'auto-pipelining' });
  if (way === 'coalesced') coalesceWrites(c);
  await new Promise((resolve) => c.once('ready', resolve));
  return c;
}

const clients = Object.fromEntries(await Promise.all(WAYS.map(async (w) => [w, await client(w)] as const))) as Record<Way, Redis>;
const script = "return {redis.call('EXISTS', KEYS[1]), redis.call('EXISTS', KEYS[2]), ARGV[1]}";
const sha = (await clients.plain.script('LOAD', script)) as string;

/** CPU microseconds per command for `n` commands, `batch` issued per turn (an EVALSHA of 2 keys and 4 arguments, as the join's scripts). */
async function measure(c: Redis, batch: number, n: number): Promise<number> {
  const issue = (i: number) => c.evalsha(sha, 2, `k{a}${i % 100}`, `u{a}${i % 7}`, 'x', 'y', i, 'z');
  const before = process.cpuUsage();
  for (let done = 0; done < n; done += batch) await Promise.all(Array.from({ length: batch }, (_, i) => issue(done + i)));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

const rows: Array<Record<string, string | number>> = [];
for (const batch of BATCHES) {
  const samples: Record<Way, number[]> = { 'auto-pipelining': [], coalesced: [], plain: [] };
  for (const w of WAYS) await measure(clients[w], batch, Math.min(COMMANDS, 3000)); // warm-up
  for (let r = 0; r < RUNS; r++) for (const w of WAYS) samples[w].push(await measure(clients[w], batch, COMMANDS));
  const auto = median(samples['auto-pipelining']);
  for (const w of WAYS) {
    const m = median(samples[w]);
    rows.push({
      'commands per turn': batch,
      way: w,
      'client CPU µs per command (median of 5)': fmt(m, 2),
      'min–max': `${fmt(Math.min(...samples[w]), 2)}–${fmt(Math.max(...samples[w]), 2)}`,
      '÷ auto-pipelining': `${fmt(m / auto, 2)}×`,
    });
  }
}
printTable(
  `Redis command writes: client CPU per EVALSHA, ${COMMANDS} commands a run, this process on core 0, redis-server on core 1 (node ${process.version})`,
  rows,
);
for (const c of Object.values(clients)) c.disconnect();
await redis.stop();
