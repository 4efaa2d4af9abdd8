// The dashboard charts' feed on one api node: the samples of every process (sampler.ts) read
// from the Redis stream, merged by time into points of the whole deployment, and pushed to
// this node's subscribed dashboards.
//
// It runs only while this node has a subscribed dashboard: one stream read per interval
// (XREAD from the last entry seen) and one emit per new point to all of them at once,
// whatever their number. It keeps the stream's entries in memory meanwhile, so a new
// subscriber's history costs no Redis read. A point of time t is pushed at t + interval/2,
// once the sample of t of every process heard from in the 3 intervals before has arrived —
// or at t + 2 intervals without the missing ones (a stalled or stopped process). A process
// missing from a point still counts there with its last gauges (its sockets; the deployment
// figures, for the lease holder), so a late sample never shows as a dip to zero; its counts
// come in its next sample, which covers the longer interval.
import type { Core } from '../../infra/core.js';
import { DISPATCH_WAIT_BUCKETS, TICK_LATENESS_BUCKETS } from '../../infra/metrics.js';
import { samplesKey, type Sample } from './sampler.js';
import type { ChartHistoryT, ChartPointT } from './schemas.js';

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The q-quantile (ms) of cumulative bucket counts `cum` (bounds in seconds, then +Inf), by
 * linear interpolation within the bucket, as Prometheus' histogram_quantile; in the +Inf
 * bucket, the largest finite bound.
 */
export function quantile(cum: number[], bounds: number[], q: number): number {
  const total = cum[cum.length - 1]!;
  const rank = q * total;
  let i = cum.findIndex((c) => c >= rank);
  if (i < 0) i = cum.length - 1;
  if (i >= bounds.length) return bounds[bounds.length - 1]! * 1000;
  const lower = i === 0 ? 0 : bounds[i - 1]!;
  const below = i === 0 ? 0 : cum[i - 1]!;
  const inBucket = cum[i]! - below;
  const within = inBucket > 0 ? (rank - below) / inBucket : 1;
  return round2((lower + (bounds[i]! - lower) * within) * 1000);
}

function quantiles(arrays: number[][], bounds: number[]): ChartPointT['dispatchWait'] {
  if (arrays.length === 0) return null;
  const cum = new Array<number>(bounds.length + 1).fill(0);
  for (const a of arrays) a.forEach((v, i) => (cum[i]! += v));
  const n = cum[cum.length - 1]!;
  return n > 0 ? { p50: quantile(cum, bounds, 0.5), p99: quantile(cum, bounds, 0.99), n } : null;
}

/** How many intervals a process's last sample stands in for it when its next one is missing. */
const CARRY_INTERVALS = 3;

/**
 * The samples of one time (one per process) as one point: sums of gauges and rates, the lease
 * holder's deployment figures. `carried`: the latest earlier samples of processes missing
 * here, whose gauges (sockets, deployment figures) still count. `queues`: every queue's name (core.queues.names).
 */
export function mergePoint(t: number, samples: Sample[], queues: readonly string[], carried: Sample[] = []): ChartPointT {
  const perSecond = (pick: (s: Sample) => number | undefined) => round2(samples.reduce((n, s) => n + ((pick(s) ?? 0) * 1000) / Math.max(1, s.ms), 0));
  const g = (samples.find((s) => s.g) ?? carried.filter((s) => s.g).sort((x, y) => y.t - x.t)[0])?.g;
  const byQueue: ChartPointT['queues'] = {};
  for (const name of queues) {
    byQueue[name] = {
      depth: g ? (g.queues[name] ?? 0) : null,
      completed: perSecond((s) => s.jobs?.[name]?.[0]),
      failed: perSecond((s) => s.jobs?.[name]?.[1]),
    };
  }
  const errors: Record<string, number> = {};
  for (const code of new Set(samples.flatMap((s) => Object.keys(s.err ?? {})))) errors[code] = perSecond((s) => s.err?.[code]);
  const rtts = samples.flatMap((s) => (s.rtt === null ? [] : [s.rtt]));
  return {
    t,
    nodes: { api: samples.filter((s) => s.role === 'api').length, worker: samples.filter((s) => s.role === 'worker').length },
    sockets: [...samples, ...carried].reduce((n, s) => n + (s.sockets ?? 0), 0),
    connects: perSecond((s) => s.connects),
    disconnects: perSecond((s) => s.disconnects),
    joins: perSecond((s) => s.joins),
    leaves: perSecond((s) => s.leaves),
    eventsIn: perSecond((s) => s.in),
    eventsOut: perSecond((s) => s.out),
    queues: byQueue,
    dispatchWait: quantiles(
      samples.flatMap((s) => (s.dw ? [s.dw] : [])),
      DISPATCH_WAIT_BUCKETS,
    ),
    calls: g ? g.calls : null,
    tickLateness: quantiles(
      samples.flatMap((s) => (s.tl ? [s.tl] : [])),
      TICK_LATENESS_BUCKETS,
    ),
    webhooks: g ? { backlog: g.whPending, dead: g.whDead } : null,
    redisRtt: rtts.length ? Math.max(...rtts) : null,
    errors,
  };
}

/** Samples by time, and the times in order. */
function byTime(samples: Sample[], upTo: number): { at: Map<number, Sample[]>; times: number[] } {
  const at = new Map<number, Sample[]>();
  for (const s of samples) {
    if (s.t > upTo) continue;
    let list = at.get(s.t);
    if (!list) at.set(s.t, (list = []));
    list.push(s);
  }
  return { at, times: [...at.keys()].sort((a, b) => a - b) };
}

/**
 * Points of every time in `samples` within (after, upTo], oldest first; the samples before
 * `after` only give the processes missing from a point their last gauges (mergePoint).
 */
export function mergeSamples(samples: Sample[], after: number, upTo: number, interval: number, queues: readonly string[]): ChartPointT[] {
  const { at, times } = byTime(samples, upTo);
  const last = new Map<string, Sample>(); // each process's latest sample so far
  const points: ChartPointT[] = [];
  for (const t of times) {
    const here = at.get(t)!;
    if (t > after) {
      const present = new Set(here.map((s) => s.node));
      const carried = [...last.values()].filter((s) => !present.has(s.node) && t - s.t <= CARRY_INTERVALS * interval);
      points.push(mergePoint(t, here, queues, carried));
    }
    for (const s of here) last.set(s.node, s);
  }
  return points;
}

/**
 * The latest time up to which points can be pushed: each time after `from` up to `closed`
 * whose samples are all in (every process heard from in the intervals before), or that is
 * 2 intervals old (the missing ones are stalled or gone).
 */
export function readyUpTo(samples: Sample[], from: number, closed: number, now: number, interval: number): number {
  const nodes = new Map<number, Set<string>>();
  for (const s of samples) {
    let set = nodes.get(s.t);
    if (!set) nodes.set(s.t, (set = new Set()));
    set.add(s.node);
  }
  let upTo = from;
  for (let t = from + interval; t <= closed; t += interval) {
    if (now < t + 2 * interval) {
      const present = nodes.get(t) ?? new Set<string>();
      const expected = new Set<string>();
      for (let k = 1; k <= CARRY_INTERVALS; k++) for (const n of nodes.get(t - k * interval) ?? []) expected.add(n);
      if ([...expected].some((n) => !present.has(n))) break;
    }
    upTo = t;
  }
  return upTo;
}

export interface ChartFeed {
  /** Starts the feed when it was idle (one read of the whole stream); resolves once it holds the history. */
  ready(): Promise<void>;
  /**
   * The history after `since` for a new subscriber, once ready: every point up to the last one
   * pushed. Subscribe it in the same turn, and the first point it is pushed is the next one.
   */
  history(since: number): ChartHistoryT;
  /** No subscriber left on this node: stop reading, drop the entries. */
  idle(): void;
}

type StreamEntries = Array<[id: string, fields: string[]]>;

/** `push` gets each new point once, for every subscriber of this node (one emit). */
export function createChartFeed(core: Core, push: (point: ChartPointT) => void): ChartFeed {
  const { config, redis, keys, log } = core;
  const interval = config.DASHBOARD_SAMPLE_MS;
  const historyMs = config.DASHBOARD_HISTORY_SECONDS * 1000;
  const key = samplesKey(keys);
  let entries: Sample[] = [];
  let lastId = '0';
  /** Points up to this time were pushed (or given as history): the next push starts after it. */
  let pushedUpTo = 0;
  let loading: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let reading = false;
  let generation = 0;

  /** The latest sample time whose samples have all arrived (the one before t + interval/2). */
  const closedAt = (now: number) => Math.floor((now - interval / 2) / interval) * interval;

  const take = (raw: StreamEntries) => {
    for (const [id, fields] of raw) {
      lastId = id;
      const i = fields.indexOf('s');
      if (i < 0 || i + 1 >= fields.length) continue;
      try {
        entries.push(JSON.parse(fields[i + 1]!) as Sample);
      } catch {
        // not ours: skip
      }
    }
  };

  async function load(gen: number): Promise<void> {
    const raw = (await redis.xrange(key, '-', '+')) as StreamEntries;
    if (gen !== generation) return;
    entries = [];
    take(raw);
    // The history stops where the samples are complete (the last two times may still be waiting for some).
    const now = Date.now();
    pushedUpTo = readyUpTo(entries, closedAt(now) - 2 * interval, closedAt(now), now, interval);
    schedule(gen);
  }

  function schedule(gen: number): void {
    if (gen !== generation) return;
    const now = Date.now();
    const next = closedAt(now) + interval + interval / 2; // the next time a sample time closes
    timer = setTimeout(() => void tick(gen), Math.max(1, next - now));
    timer.unref();
  }

  async function tick(gen: number): Promise<void> {
    schedule(gen);
    if (reading) return; // a slow Redis: the next tick reads both
    reading = true;
    try {
      // Non-blocking reads from the last entry seen (all of them, in pages).
      for (;;) {
        const r = (await redis.xread('COUNT', 1000, 'STREAMS', key, lastId)) as Array<[string, StreamEntries]> | null;
        if (gen !== generation) return;
        const got = r?.[0]?.[1] ?? [];
        take(got);
        if (got.length < 1000) break;
      }
      const now = Date.now();
      const upTo = readyUpTo(entries, pushedUpTo, closedAt(now), now, interval);
      const points = upTo > pushedUpTo ? mergeSamples(entries, pushedUpTo, upTo, interval, core.queues.names) : [];
      pushedUpTo = Math.max(pushedUpTo, upTo);
      for (const p of points) push(p);
      const oldest = now - historyMs - interval;
      if (entries.length && entries[0]!.t < oldest) entries = entries.filter((s) => s.t >= oldest);
    } catch (err) {
      log.warn({ err }, 'dashboard charts: reading the samples failed');
    } finally {
      reading = false;
    }
  }

  return {
    async ready() {
      if (interval <= 0) return;
      if (!loading) {
        const gen = ++generation;
        loading = load(gen).catch((err: unknown) => {
          if (gen === generation) loading = null; // the next subscriber tries again
          throw err;
        });
      }
      await loading;
    },
    history(since) {
      if (interval <= 0) return { intervalMs: 0, historyMs, points: [] };
      const from = Math.max(since, Date.now() - historyMs);
      return { intervalMs: interval, historyMs, points: mergeSamples(entries, from, pushedUpTo, interval, core.queues.names) };
    },
    idle() {
      generation++;
      loading = null;
      if (timer) clearTimeout(timer);
      timer = null;
      entries = [];
      lastId = '0';
    },
  };
}
