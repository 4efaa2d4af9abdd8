// Sensitive-word check (issue #5): a BENCH_WORDS-word list (default 10,000: CJK and Latin
// words, deterministic) on ~1 KB messages (UTF-8; CJK and Latin mixed, 1 in 100 carrying a
// listed word, spaced and full-width to exercise normalisation).
//   1. the matcher alone, in this process: build time, checks/s (and a naive
//      `includes` per word for scale, on fewer messages);
//   2. the HTTP endpoint, seed 003 `POST /api/v1/im/before/check` on one api process
//      (throwaway Redis; the list PUT through /v1/messaging/words): closed loop with
//      BENCH_CONCURRENCY (default 1 and 32) requests in flight for BENCH_SECONDS (default
//      10) each — latency p50/p99, requests/s, api and Redis CPU.
import { buildMatcher, normalise } from '../../src/modules/messaging/matcher.js';
import { createBenchApp, freePort, json, pool, startRedis, startServerProc } from './lib/harness.js';
import { cpuSeconds, fmt, printTable, summary } from './lib/stats.js';

const WORDS = Number(process.env.BENCH_WORDS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,32').split(',').map(Number);
const ADMIN = 'bench-admin-token-0123456789';

let seed = 20261123;
/** mulberry32: deterministic, 32-bit exact. */
function rnd(n: number): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) % n;
}
const cjk = () => String.fromCharCode(0x4e00 + rnd(3000)); // common range of CJK ideographs
const latin = (len: number) => Array.from({ length: len }, () => String.fromCharCode(97 + rnd(26))).join('');

function wordList(n: number): string[] {
  const set = new Set<string>();
  while (set.size < n) set.add(rnd(3) === 0 ? latin(5 + rnd(6)) : Array.from({ length: 2 + rnd(3) }, cjk).join(''));
  return [...set];
}

/** ~1024 UTF-8 bytes of mixed text; with `word`, the word is inserted spaced and in full width. */
function message(word?: string): string {
  let s = '';
  while (Buffer.byteLength(s) < 1000) s += rnd(2) ? cjk() : rnd(5) ? latin(1 + rnd(8)) + ' ' : '，';
  if (word) {
    const disguised = [...word].map((c) => (c >= 'a' && c <= 'z' ? String.fromCharCode(c.charCodeAt(0) - 97 + 0xff41) : c)).join(' ');
    const at = rnd(s.length);
    s = s.slice(0, at) + disguised + s.slice(at);
  }
  return s;
}

const words = wordList(WORDS);
const messages = Array.from({ length: 2000 }, (_, i) => message(i % 100 === 0 ? words[rnd(words.length)] : undefined));
const avgBytes = messages.reduce((a, m) => a + Buffer.byteLength(m), 0) / messages.length;

// ── 1. the matcher alone ─────────────────────────────────────────────────────
const t0 = performance.now();
const matcher = buildMatcher(words);
const buildMs = performance.now() - t0;
const normWords = words.map(normalise);
const sample = messages.slice(0, 300); // sanity: the automaton agrees with a naive search
const hits = sample.filter((m) => matcher.first(m) !== null).length;
const expected = sample.filter((m) => {
  const n = normalise(m);
  return normWords.some((w) => n.includes(w));
}).length;
for (const m of messages) matcher.first(m); // warm-up
let checks = 0;
const t1 = performance.now();
while (performance.now() - t1 < 3000) {
  for (let i = 0; i < 200; i++) matcher.first(messages[(checks + i) % messages.length]!);
  checks += 200;
}
const perSecond = checks / ((performance.now() - t1) / 1000);
const naiveN = 50;
const t2 = performance.now();
for (let i = 0; i < naiveN; i++) {
  const n = normalise(messages[i]!);
  normWords.some((w) => n.includes(w));
}
const naivePerSecond = naiveN / ((performance.now() - t2) / 1000);

process.stdout.write(
  `words: ${WORDS} words (CJK 2–4 characters and Latin 5–10 letters), messages of ${fmt(avgBytes, 0)} UTF-8 bytes on average, 1 in 100 carrying a word (spaced, full width); node ${process.version}\n`,
);
printTable('Matcher alone (one thread)', [
  {
    what: 'Aho-Corasick (normalise + scan, first match)',
    'checks/s': fmt(perSecond, 0),
    'µs/check': fmt(1e6 / perSecond, 1),
    'build ms': fmt(buildMs, 0),
    'hits in 300 (naive)': `${hits} (${expected})`,
  },
  {
    what: 'naive: normalise + includes per word',
    'checks/s': fmt(naivePerSecond, 0),
    'µs/check': fmt(1e6 / naivePerSecond, 1),
    'build ms': '-',
    'hits in 300 (naive)': '-',
  },
]);
if (hits !== expected) throw new Error(`matcher found ${hits} messages with words, naive search ${expected}`);

// ── 2. the HTTP endpoint ─────────────────────────────────────────────────────
const redis = await startRedis();
const env = {
  REDIS_URL: redis.url,
  ADMIN_TOKEN: ADMIN,
  KEY_PREFIX: 'bwords',
  QUEUE_PREFIX: 'bqwords',
  LOG_LEVEL: 'warn',
  PORT: String(await freePort()),
};
const server = await startServerProc('switchboard', env);
const rows: Array<Record<string, string | number>> = [];
try {
  const { basic, token } = await createBenchApp(server.url, ADMIN);
  const put = await json<{ count: number; version: number }>(`${server.url}/v1/messaging/words`, {
    method: 'PUT',
    headers: { authorization: basic },
    body: JSON.stringify({ words }),
  });
  const tokens = await pool(
    Array.from({ length: 64 }, (_, i) => i),
    16,
    (i) => token(String(1000 + i)),
  );
  const bodies = messages.map((content, i) => JSON.stringify({ rc_msg: 'RC:TxtMsg', peer_uid: 12 + (i % 50), content }));
  const once = async (i: number): Promise<{ ms: number; code: number }> => {
    const at = performance.now();
    const res = await fetch(`${server.url}/api/v1/im/before/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
      body: bodies[i % bodies.length],
    });
    const b = (await res.json()) as { code: number };
    return { ms: performance.now() - at, code: b.code };
  };
  for (let i = 0; i < 500; i++) await once(i); // warm-up (the first check compiles the app's matcher)
  for (const c of LEVELS) {
    const lat: number[] = [];
    const codes = new Map<number, number>();
    let next = 0;
    const cpu0 = { api: cpuSeconds(server.pid), redis: cpuSeconds(redis.pid) };
    const start = performance.now();
    const end = start + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: c }, async () => {
        while (performance.now() < end) {
          const r = await once(next++);
          lat.push(r.ms);
          codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
        }
      }),
    );
    const secs = (performance.now() - start) / 1000;
    const s = summary(lat);
    rows.push({
      'in flight': c,
      requests: s.n,
      'req/s': fmt(s.n / secs, 0),
      'p50 ms': fmt(s.p50, 2),
      'p99 ms': fmt(s.p99, 2),
      'max ms': fmt(s.max, 1),
      'code 0 / 100002': `${codes.get(0) ?? 0} / ${codes.get(100002) ?? 0}`,
      'api CPU %': fmt(((cpuSeconds(server.pid) - cpu0.api) / secs) * 100, 0),
      'redis CPU %': fmt(((cpuSeconds(redis.pid) - cpu0.redis) / secs) * 100, 0),
    });
  }
  process.stdout.write(
    `\nlist: PUT /v1/messaging/words with ${put.count} words (version ${put.version}); one api process, throwaway Redis, client = this process (fetch, keep-alive)\n`,
  );
  printTable(`HTTP: POST /api/v1/im/before/check (seed 003), ${SECONDS} s per level`, rows);
} finally {
  await server.stop();
  await redis.stop();
}
