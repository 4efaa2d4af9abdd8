// Pairing (issue #5): BENCH_CANDIDATES (5000) available candidates on raw WebSocket clients,
// BENCH_ASKERS (1000) askers, one api process and one worker process on one Redis.
// Asks (socket `pair.ask`) at BENCH_RATE/s (200) for BENCH_SECONDS (20):
//   - ask sent → first `pair.dispatch` received by any candidate, p50/p99 (one clock: this process),
//     after BENCH_WARMUP_SECONDS (3) of the same load that is not counted;
//   - complete flows: every offered candidate answers pass (first pass wins, the others get
//     PAIR_TAKEN), the asker confirms on `pair.answered` (like: a metered call begins, both get
//     `pair.matched`) and hangs up after BENCH_HOLD_MS (500); flows per second = asks whose
//     `pair.matched` reached the asker ÷ the seconds asks were sent over (+ the drain).
// The app prices `video` at 1 per minute and tops every asker up, so each match begins a
// metered call in billing. PAIR_OFFER_LIMIT is raised to 60/min: 1,000 offers/s over 5,000
// candidates is 12 per candidate per minute, above the default fairness limit of 10.
import { rawConnect, type RawClient } from './lib/rawclient.js';
import { createBenchApp, freePort, json, paced, pool, sleep, startRedis, startServerProc, startWorkerProc } from './lib/harness.js';
import { cpuMeter, fmt, printTable, summary } from './lib/stats.js';

const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 5000);
const ASKERS = Number(process.env.BENCH_ASKERS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const HOLD_MS = Number(process.env.BENCH_HOLD_MS ?? 500);
/** Share of the offered candidates that answer (pass); 1 = all of them race for every ask. */
const ANSWER_P = Number(process.env.BENCH_ANSWER_P ?? 1);
/** Asks at the same rate before measuring (JIT, connection pools, Lua script cache), not counted. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const ADMIN = 'bench-admin-token-0123456789';
/** A speed match (scene 1, the server's default, named because the request type requires it). */
const ASK = { scene: 1 };

const redis = await startRedis();
const env = {
  REDIS_URL: redis.url,
  ADMIN_TOKEN: ADMIN,
  KEY_PREFIX: 'bp',
  QUEUE_PREFIX: 'bpq',
  LOG_LEVEL: 'warn',
  PORT: String(await freePort()),
  PAIR_ROUND_MS: '10000',
  PAIR_OFFER_LIMIT: '60',
  PAIR_OFFER_WINDOW_MS: '60000',
  SOCKET_RATE_BURST: '100',
};
const api = await startServerProc('switchboard', env);
const worker = await startWorkerProc(env);

try {
  process.stdout.write(
    `pairing: ${CANDIDATES} available candidates, ${ASKERS} askers, ${RATE} asks/s for ${SECONDS} s, calls held ${HOLD_MS} ms, ${ANSWER_P * 100}% of the offered candidates answer, ${WARMUP_SECONDS} s warm-up; one api + one worker process; node ${process.version}\n`,
  );
  const { basic, token } = await createBenchApp(api.url, ADMIN);
  await json(`${api.url}/v1/billing/prices/video`, {
    method: 'PUT',
    headers: { authorization: basic },
    body: JSON.stringify({ unitPrice: 1, unitSeconds: 60 }),
  });

  const firstAt = new Map<string, number>(); // askNo → first dispatch received
  const matchedAt = new Map<string, number>(); // askNo → pair.matched at the asker
  let won = 0;
  let taken = 0;
  let otherRefusals = 0;
  let confirmFailed = 0;

  const candTokens = await pool(
    Array.from({ length: CANDIDATES }, (_, i) => i),
    16,
    (i) => token(`c${i}`),
  );
  const cands: RawClient[] = await pool(candTokens, 50, (t) => rawConnect(api.url, { token: t }));
  await pool(cands, 50, async (c) => {
    const r = await c.emitWithAck('pair.available', { available: true });
    if (!r.ok) throw new Error(`pair.available: ${JSON.stringify(r)}`);
  });
  for (const c of cands) {
    c.on('pair.dispatch', (d) => {
      const m = d.content.data;
      if (!firstAt.has(m.ask_no)) firstAt.set(m.ask_no, performance.now());
      if (ANSWER_P < 1 && Math.random() >= ANSWER_P) return;
      void c.emitWithAck('pair.answer', { askNo: m.ask_no, roundNo: m.round_no, pass: true }).then((r) => {
        if (r.ok && r.data.won) won++;
        else if (!r.ok && r.error.code === 'PAIR_TAKEN') taken++;
        else otherRefusals++;
      });
    });
  }
  const askerTokens = await pool(
    Array.from({ length: ASKERS }, (_, i) => i),
    16,
    async (i) => {
      const t = await token(`k${i}`);
      await json(`${api.url}/v1/billing/topups`, {
        method: 'POST',
        headers: { authorization: basic },
        body: JSON.stringify({ uid: `k${i}`, amount: 1_000_000, ref: `k${i}` }),
      });
      return t;
    },
  );
  const askers = await pool(askerTokens, 50, (t) => rawConnect(api.url, { token: t }));
  for (const a of askers) {
    a.on('pair.answered', ({ askNo, peerUid }) => {
      void a.emitWithAck('pair.confirm', { askNo, pass: true, peerUid }).then((r) => {
        if (!r.ok) return void confirmFailed++;
      });
    });
    a.on('pair.matched', ({ askNo }) => {
      matchedAt.set(askNo, performance.now());
      setTimeout(() => void a.emitWithAck('pair.hangup', { askNo }), HOLD_MS);
    });
  }
  await sleep(500);
  // Warm-up: the same flows at the same rate, not counted.
  await paced(RATE, RATE * WARMUP_SECONDS, (from, to) => {
    for (let k = from; k < to; k++) void askers[k % ASKERS]!.emitWithAck('pair.ask', ASK);
  });
  await sleep(HOLD_MS + 1500);
  firstAt.clear();
  matchedAt.clear();
  won = taken = otherRefusals = confirmFailed = 0;

  const meter = cpuMeter({ api: api.pid, worker: worker.pid, redis: redis.pid, bench: process.pid });
  const cpu0 = meter.read();
  const total = RATE * SECONDS;
  const sentAt = new Map<number, number>();
  const askOf = new Map<number, string>();
  let refused = 0;
  const t0 = performance.now();
  const sendSeconds = await paced(RATE, total, (from, to) => {
    for (let s = from; s < to; s++) {
      sentAt.set(s, performance.now());
      void askers[s % ASKERS]!.emitWithAck('pair.ask', ASK).then((r) => {
        if (r.ok) askOf.set(s, r.data.askNo);
        else refused++;
      });
    }
  });
  const deadline = Date.now() + 10_000;
  while (matchedAt.size + refused < total && Date.now() < deadline) await sleep(50);
  const flowSeconds = (Math.max(...matchedAt.values()) - t0) / 1000;
  await sleep(HOLD_MS + 500);
  const wall = (performance.now() - t0) / 1000;
  const cpu = meter.percent(cpu0, meter.read(), wall);
  const lat = summary([...askOf].flatMap(([s, no]) => (firstAt.has(no) ? [firstAt.get(no)! - sentAt.get(s)!] : [])));
  const flow = summary([...askOf].flatMap(([s, no]) => (matchedAt.has(no) ? [matchedAt.get(no)! - sentAt.get(s)!] : [])));
  if (process.env.BENCH_DEBUG) {
    for (let w = 0; w < SECONDS; w += 2) {
      const win = summary(
        [...askOf].flatMap(([s, no]) => (s >= w * RATE && s < (w + 2) * RATE && firstAt.has(no) ? [firstAt.get(no)! - sentAt.get(s)!] : [])),
      );
      process.stdout.write(`  ${w}-${w + 2}s p50 ${fmt(win.p50, 2)} p99 ${fmt(win.p99, 2)} max ${fmt(win.max, 1)}\n`);
    }
  }
  printTable(`ask → first pair.dispatch, ${RATE} asks/s for ${SECONDS} s over ${CANDIDATES} candidates (goal p99 ≤ 25 ms)`, [
    {
      asks: total,
      'refused (busy)': refused,
      dispatched: lat.n,
      'send rate/s': fmt(total / sendSeconds, 0),
      'p50 ms': fmt(lat.p50, 2),
      'p99 ms': fmt(lat.p99, 2),
      'max ms': fmt(lat.max, 1),
      'api CPU %': fmt(cpu.api),
      'worker CPU %': fmt(cpu.worker),
      'redis CPU %': fmt(cpu.redis),
      'load generator CPU %': fmt(cpu.bench),
    },
  ]);
  printTable('complete flows: ask → dispatch → answer (first pass wins) → answered → confirm (metered call begins) → matched', [
    {
      'flows completed': flow.n,
      'flows/s': fmt(flow.n / flowSeconds, 0),
      'ask→matched p50 ms': fmt(flow.p50, 2),
      'p99 ms': fmt(flow.p99, 2),
      'max ms': fmt(flow.max, 1),
      'answers won': won,
      PAIR_TAKEN: taken,
      'other refusals': otherRefusals,
      'confirm failed': confirmFailed,
    },
  ]);
  for (const c of [...cands, ...askers]) c.close();
  await sleep(1000);
} finally {
  await worker.stop();
  await api.stop();
  await redis.stop();
}
