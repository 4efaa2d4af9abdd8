// The charts' merge (modules/dashboard/charts.ts): the samples of one time, one per process,
// become one point of the whole deployment — sums of sockets and rates, percentiles of the
// summed histogram buckets, the deployment figures of the lease holder.
import { describe, expect, it } from 'vitest';
import { mergePoint, mergeSamples, quantile, readyUpTo } from '../../src/modules/dashboard/charts.js';
import type { Sample } from '../../src/modules/dashboard/sampler.js';
import { DISPATCH_WAIT_BUCKETS } from '../../src/infra/metrics.js';
import { QUEUES } from '../../src/modules/index.js';

const QUEUE_NAMES = Object.keys(QUEUES);

const base = (over: Partial<Sample>): Sample => ({
  t: 10_000,
  node: 'n',
  role: 'api',
  ms: 2000,
  in: 0,
  out: 0,
  joins: 0,
  leaves: 0,
  rtt: 1,
  ...over,
});
/** Cumulative buckets with `n` observations in bucket `i` (the dispatch-wait bounds). */
const hist = (entries: Array<[number, number]>) => {
  const per = new Array(DISPATCH_WAIT_BUCKETS.length + 1).fill(0);
  for (const [i, n] of entries) per[i] += n;
  let c = 0;
  return per.map((v) => (c += v));
};

describe('quantile', () => {
  it('interpolates within the bucket, as histogram_quantile does; +Inf reads as the largest bound', () => {
    // 10 observations in (0.1, 0.25]: the median is half-way through it.
    expect(quantile(hist([[1, 10]]), DISPATCH_WAIT_BUCKETS, 0.5)).toBe(175);
    expect(quantile(hist([[0, 10]]), DISPATCH_WAIT_BUCKETS, 0.5)).toBe(50);
    expect(quantile(hist([[DISPATCH_WAIT_BUCKETS.length, 1]]), DISPATCH_WAIT_BUCKETS, 0.99)).toBe(600_000);
  });
});

describe('mergePoint', () => {
  it('sums gauges and rates over the processes; deployment figures from the lease holder only', () => {
    const g = { queues: { notify: 7 }, calls: 3, whPending: 2, whDead: 5 };
    const p = mergePoint(
      10_000,
      [
        base({ node: 'a', sockets: 10, connects: 4, in: 20, out: 40, rtt: 0.5, g, err: { TOKEN_INVALID: 2 } }),
        base({ node: 'b', ms: 1000, sockets: 5, connects: 1, in: 10, rtt: 2.5, err: { TOKEN_INVALID: 1, RATE_LIMITED: 4 } }),
        base({ node: 'w', role: 'worker', out: 8, jobs: { notify: [6, 2] }, dw: hist([[1, 1]]), rtt: null }),
      ],
      QUEUE_NAMES,
    );
    expect(p).toMatchObject({
      t: 10_000,
      nodes: { api: 2, worker: 1 },
      sockets: 15,
      connects: 3, // 4 in 2 s + 1 in 1 s
      eventsIn: 20, // 20 in 2 s + 10 in 1 s
      eventsOut: 24,
      calls: 3,
      webhooks: { backlog: 2, dead: 5 },
      redisRtt: 2.5,
      errors: { TOKEN_INVALID: 2, RATE_LIMITED: 4 },
      dispatchWait: { n: 1 },
      tickLateness: null,
    });
    expect(p.queues.notify).toEqual({ depth: 7, completed: 3, failed: 1 });
    expect(p.queues.rooms).toEqual({ depth: 0, completed: 0, failed: 0 });
  });

  it('without a lease holder’s sample, the deployment figures are unknown (null), not zero', () => {
    const p = mergePoint(10_000, [base({ sockets: 1 })], QUEUE_NAMES);
    expect(p).toMatchObject({ calls: null, webhooks: null, dispatchWait: null, errors: {} });
    expect(p.queues.notify!.depth).toBeNull();
  });
});

describe('mergeSamples', () => {
  it('groups by time, oldest first, within (after, upTo]', () => {
    const samples = [
      base({ t: 3000, sockets: 1 }),
      base({ t: 1000, sockets: 2 }),
      base({ t: 2000, sockets: 3 }),
      base({ t: 2000, node: 'b', sockets: 4 }),
    ];
    expect(mergeSamples(samples, 1000, 3000, 1000, QUEUE_NAMES).map((p) => [p.t, p.sockets])).toEqual([
      [2000, 7],
      [3000, 5],
    ]);
  });

  it('a process missing from a point counts with its last gauges for 3 intervals, never as a dip to zero', () => {
    const g = { queues: {}, calls: 4, whPending: 0, whDead: 0 };
    const samples = [
      base({ t: 1000, node: 'a', sockets: 10, g }),
      base({ t: 1000, node: 'b', sockets: 5 }),
      base({ t: 2000, node: 'b', sockets: 6, in: 2000 }), // a's sample of 2000 is late
      base({ t: 6000, node: 'b', sockets: 7 }), // a gone for good
    ];
    const [p2, p6] = mergeSamples(samples, 1000, 6000, 1000, QUEUE_NAMES);
    expect(p2).toMatchObject({ t: 2000, nodes: { api: 1, worker: 0 }, sockets: 16, calls: 4, eventsIn: 1000 });
    expect(p6).toMatchObject({ t: 6000, sockets: 7, calls: null });
  });
});

describe('readyUpTo', () => {
  const s = (t: number, node: string) => base({ t, node });
  it('waits for every process heard from in the 3 intervals before, at most 2 intervals', () => {
    const samples = [s(1000, 'a'), s(1000, 'b'), s(2000, 'a'), s(2000, 'b'), s(3000, 'a')];
    expect(readyUpTo(samples, 1000, 3000, 3500, 1000)).toBe(2000); // b's sample of 3000 is not in yet
    expect(readyUpTo([...samples, s(3000, 'b')], 1000, 3000, 3500, 1000)).toBe(3000);
    expect(readyUpTo(samples, 1000, 3000, 5000, 1000)).toBe(3000); // 2 intervals on: without b
  });
});
