// The frequent sweeps (rooms, presence, charge ticks) as few BullMQ jobs. A scheduler job
// costs the worker about 10 ms of CPU (moved to active, its next iteration scheduled, moved
// to finished) and Redis a dozen commands: a sweep every 500 ms as one job each kept an
// idle worker at 4-5 % of a core. So each scheduler job runs for SWEEP_JOB_MS and sweeps at
// its own interval inside, with Node timers (precise, where BullMQ's delayed jobs fire on
// Redis' `hz` clock); the scheduler starts the next job every SWEEP_JOB_MS.
//
// Still BullMQ jobs, so a timer survives a worker that dies: the next job starts on time on
// another worker (the scheduler adds it when this one becomes active), so a crash leaves at
// most one job period without this sweep. Sweeps are atomic claims in Redis, so the overlap
// of two jobs, or two workers, sweeping at once double-counts nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TSchema } from 'typebox';
import type { Config } from './config.js';
import type { JobContext, JobDef } from './queues.js';

/** A job keeps sweeping this long after its period, so a next job that starts late (Redis timer granularity) leaves no gap. */
export const SWEEP_JOB_OVERLAP_MS = 200;

/** The period of a sweep job: SWEEP_JOB_MS, or the sweep's own interval when that is longer. */
export function sweepJobMs(config: Pick<Config, 'SWEEP_JOB_MS'>, intervalMs: number): number {
  return Math.max(config.SWEEP_JOB_MS, intervalMs);
}

/**
 * Runs `sweep` at once and then every `intervalMs` until `periodMs` (plus the overlap) is
 * over, or `signal` aborts (the worker is closing: it returns after the sweep in progress).
 * A sweep may return how long, from its start, nothing it looks after can fall due (its
 * feature is idle, and new work cannot be due sooner): the next sweep then waits that long
 * instead of one interval. A process's wake-up alone costs a few hundred microseconds on a
 * small VM (decisions: "Idle cost"), so 20 empty sweeps a second kept an idle worker at 3 %
 * of a core. Returns how many sweeps ran.
 */
export async function sweepFor(
  periodMs: number,
  intervalMs: number,
  signal: AbortSignal | undefined,
  sweep: () => Promise<number | void>,
): Promise<number> {
  const start = Date.now();
  const end = start + periodMs + SWEEP_JOB_OVERLAP_MS;
  let next = start;
  for (let n = 1; ; n++) {
    const began = Date.now();
    const quietMs = await sweep();
    next += intervalMs;
    if (typeof quietMs === 'number' && began + quietMs > next) next = began + quietMs;
    if (next >= end || signal?.aborted) return n;
    const wait = next - Date.now();
    if (wait > 0) {
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return n; // aborted while waiting
      }
    }
  }
}

/**
 * What one sweep of a sweep loop did: how many items it handled (members removed, agents taken
 * offline…) and, when its index of apps was empty, how long from the sweep's start nothing it
 * looks after can fall due (`sweepFor`'s quiet time): the shortest deadline a piece of work
 * begun now would get, less one interval, so that work is still swept at most about one
 * interval late.
 */
export interface SweepResult {
  count: number;
  quietMs?: number;
}

/** The sweep result of an index found empty: nothing is due before work begun now reaches `firstDeadlineMs`. */
export const idleSweep = (firstDeadlineMs: number, intervalMs: number): SweepResult => ({ count: 0, quietMs: firstDeadlineMs - intervalMs });

/**
 * The processor of a sweep loop's scheduler job (rooms, presence, dispatch): `sweep` every
 * `interval(config)` ms for one job period, or less often while the sweep reports a quiet
 * time. The job returns how many sweeps ran and, under `counted`, the sum of their counts.
 */
export function sweepLoopJob<S extends TSchema>(
  schema: S,
  interval: (config: Config) => number,
  counted: string,
  sweep: (ctx: JobContext) => Promise<SweepResult>,
): JobDef<S> {
  return {
    schema,
    async process(_payload, ctx) {
      const every = interval(ctx.core.config);
      let total = 0;
      const sweeps = await sweepFor(sweepJobMs(ctx.core.config, every), every, ctx.signal, async () => {
        const r = await sweep(ctx);
        total += r.count;
        return r.quietMs;
      });
      return { sweeps, [counted]: total };
    },
  };
}
