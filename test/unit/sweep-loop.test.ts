// The sweep loops the frequent scheduler jobs run (src/infra/sweep-loop.ts): how many sweeps
// a job period holds, and a worker closing stops them.
import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { idleSweep, SWEEP_JOB_OVERLAP_MS, sweepFor, sweepJobMs, sweepLoopJob, type SweepResult } from '../../src/infra/sweep-loop.js';
import type { JobContext } from '../../src/infra/queues.js';

describe('sweepFor', () => {
  it('sweeps at once, then at each interval until the period and its overlap are over', async () => {
    const at: number[] = [];
    const n = await sweepFor(300, 50, undefined, async () => void at.push(Date.now()));
    // The count follows the planned schedule, not the clock: (300 + overlap) / 50.
    expect(n).toBe(Math.ceil((300 + SWEEP_JOB_OVERLAP_MS) / 50));
    expect(at).toHaveLength(n);
    for (let i = 1; i < at.length; i++) expect(at[i]!).toBeGreaterThanOrEqual(at[i - 1]!);
  });

  it('waits the quiet time a sweep reports instead of the interval, and the interval when that is longer', async () => {
    const at: number[] = [];
    const n = await sweepFor(1000, 50, undefined, async () => {
      at.push(Date.now());
      return 400;
    });
    // Sweeps 400 ms apart (at 0, 400, 800; the next, at 1200, is past the period and its overlap), not 50.
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(3);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(395);
    expect(await sweepFor(300, 50, undefined, async () => 10)).toBe(Math.ceil((300 + SWEEP_JOB_OVERLAP_MS) / 50));
  });

  it('returns after the sweep in progress once aborted, waiting or sweeping', async () => {
    const waiting = new AbortController();
    let sweeps = 0;
    const done = sweepFor(600_000, 60_000, waiting.signal, async () => void sweeps++);
    await new Promise((r) => setTimeout(r, 20));
    waiting.abort();
    expect(await done).toBe(1);
    expect(sweeps).toBe(1);

    const sweeping = new AbortController();
    const n = await sweepFor(600_000, 10, sweeping.signal, async () => sweeping.abort());
    expect(n).toBe(1);
  });

  it('a job lasts SWEEP_JOB_MS, or the interval when that is longer', () => {
    expect(sweepJobMs({ SWEEP_JOB_MS: 5000 }, 500)).toBe(5000);
    expect(sweepJobMs({ SWEEP_JOB_MS: 5000 }, 30_000)).toBe(30_000);
  });
});

describe('sweepLoopJob', () => {
  /** A job of the loop over one 300 ms period, sweeps every 50 ms, each sweep answering `result`. */
  async function runJob(result: SweepResult) {
    const job = sweepLoopJob(
      Type.Object({}),
      () => 50,
      'removed',
      async () => result,
    );
    const ctx = { core: { config: { SWEEP_JOB_MS: 300 } } } as unknown as JobContext;
    return (await job.process({}, ctx)) as { sweeps: number; removed: number };
  }

  it('sums the counts, and sleeps the quiet time an idle sweep reports (up to the job period)', async () => {
    const busy = await runJob({ count: 2 });
    expect(busy.sweeps).toBe(Math.ceil((300 + SWEEP_JOB_OVERLAP_MS) / 50));
    expect(busy.removed).toBe(2 * busy.sweeps);
    // An empty index: nothing due for 10 s less one interval, so one sweep this job.
    expect(idleSweep(10_000, 50)).toEqual({ count: 0, quietMs: 9950 });
    expect(await runJob(idleSweep(10_000, 50))).toEqual({ sweeps: 1, removed: 0 });
  });
});
