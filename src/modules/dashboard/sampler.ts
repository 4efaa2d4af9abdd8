// The dashboard charts' sampler: one per process (each api node, each worker process),
// whatever the number of dashboards open. Every DASHBOARD_SAMPLE_MS, on wall-clock
// boundaries (so the samples of every process fall on the same times and merge by time), it
//   - reads this process's own prom-client registry: counter deltas (socket events in/out,
//     room joins/leaves, jobs completed/failed per queue) and histogram bucket deltas
//     (dispatch wait, tick lateness) since its previous sample; errors answered, by code,
//     it counts itself from infra/errors.ts' observer (every transport and dialect reports there);
//   - on an api node, counts its sockets (and their connects; disconnects follow);
//   - times a PING on its command connection (Redis round trip);
//   - on the one api node holding the sampler lease, reads what only Redis knows: queue
//     depths (BullMQ), active metered calls, webhook lane heads pending and dead letters;
//   - appends it all, as one JSON entry, to one Redis stream trimmed by time (XADD MINID ~),
//     which holds the last DASHBOARD_HISTORY_SECONDS of the whole deployment.
// Worker processes sample too: job rates and tick lateness exist only in their registries.
// charts.ts merges the entries by time into the points a chart shows (docs/dashboard.md).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Server } from 'socket.io';
import type { Core } from '../../infra/core.js';
import type { Keys } from '../../infra/keys.js';
import { observeErrors } from '../../infra/errors.js';
import { DISPATCH_WAIT_BUCKETS, TICK_LATENESS_BUCKETS } from '../../infra/metrics.js';
import { runScript, type ScriptDef } from '../../infra/scripts.js';

/** One process's sample, as stored in the stream (JSON, field `s`). Counts, not rates: the merge divides by `ms`. */
export interface Sample {
  /** The wall-clock boundary (unix ms) the sample ends at: the time it is merged under. */
  t: number;
  node: string;
  role: 'api' | 'worker';
  /** The interval it covers, measured (ms): a late or skipped tick makes it longer, never loses counts. */
  ms: number;
  /** api: sockets of the main namespace now, and connects / disconnects during the interval. */
  sockets?: number;
  connects?: number;
  disconnects?: number;
  /** Socket events received / emitted, room members joined / left (left and timed out). */
  in: number;
  out: number;
  joins: number;
  leaves: number;
  /** Jobs finished per queue: [completed, failed] (worker processes; only queues with any). */
  jobs?: Record<string, [number, number]>;
  /** Histogram deltas, cumulative per bucket as Prometheus has them (last: +Inf); absent when empty. */
  dw?: number[];
  tl?: number[];
  /** Errors answered, by code (only codes with any). */
  err?: Record<string, number>;
  /** PING round trip (ms); null when it failed. */
  rtt: number | null;
  /** Deployment-wide figures, from the sampler holding the lease (one api node). */
  g?: { queues: Record<string, number>; calls: number; whPending: number; whDead: number };
}

export const samplesKey = (keys: Keys) => keys.global('dashboard', 'samples');
const leaseKey = (keys: Keys) => keys.global('dashboard', 'sampler');

/** Takes or keeps the sampler lease (KEYS[1]) for ARGV[1] during ARGV[2] ms; 1 when held. */
const LEASE: ScriptDef = {
  keys: 1,
  lua: `local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`,
};

/** What the lease holder reads besides BullMQ (the api's services). */
export interface DeploymentSources {
  billing: { activeCallCount(): Promise<number> };
  webhooks: { totals(): Promise<{ pending: number; dead: number }> };
}

/** Cumulative figures of one registry at one moment. */
interface Totals {
  in: number;
  out: number;
  joins: number;
  leaves: number;
  jobs: Map<string, [number, number]>;
  dw: number[];
  tl: number[];
  err: Map<string, number>;
}

type MetricValue = { value: number; labels: Record<string, string | number>; metricName?: string };
type Registry = Core['metrics']['registry'];

async function valuesOf(registry: Registry, name: string): Promise<MetricValue[]> {
  const metric = registry.getSingleMetric(name);
  return metric ? ((await metric.get()).values as MetricValue[]) : [];
}
const sum = (values: MetricValue[], keep: (v: MetricValue) => boolean = () => true) => values.reduce((n, v) => (keep(v) ? n + v.value : n), 0);

/** A histogram's cumulative bucket counts over all its label sets, in `bounds` order then +Inf. */
function buckets(values: MetricValue[], bounds: number[]): number[] {
  const out = new Array<number>(bounds.length + 1).fill(0);
  for (const v of values) {
    if (!v.metricName?.endsWith('_bucket')) continue;
    const le = v.labels.le;
    const i = le === '+Inf' ? bounds.length : bounds.indexOf(Number(le));
    if (i >= 0) out[i]! += v.value;
  }
  return out;
}

async function readTotals(registry: Registry, errors: Map<string, number>): Promise<Totals> {
  const [evIn, evOut, domain, jobDur, dw, tl] = await Promise.all(
    [
      'switchboard_socket_events_in_total',
      'switchboard_socket_events_out_total',
      'switchboard_domain_events_total',
      'switchboard_job_duration_seconds',
      'switchboard_dispatch_wait_seconds',
      'switchboard_charge_tick_lateness_seconds',
    ].map((name) => valuesOf(registry, name)),
  );
  const jobs = new Map<string, [number, number]>();
  for (const v of jobDur!) {
    if (!v.metricName?.endsWith('_count')) continue;
    const queue = String(v.labels.queue);
    const row = jobs.get(queue) ?? [0, 0];
    row[v.labels.status === 'failed' ? 1 : 0] += v.value;
    jobs.set(queue, row);
  }
  return {
    in: sum(evIn!),
    out: sum(evOut!),
    joins: sum(domain!, (v) => v.labels.name === 'room.member.joined'),
    leaves: sum(domain!, (v) => v.labels.name === 'room.member.left' || v.labels.name === 'room.member.timedout'),
    jobs,
    dw: buckets(dw!, DISPATCH_WAIT_BUCKETS),
    tl: buckets(tl!, TICK_LATENESS_BUCKETS),
    err: new Map(errors),
  };
}

/** `now − before` per key, keeping only keys that moved. */
function mapDelta<V extends number | [number, number]>(now: Map<string, V>, before: Map<string, V>): Record<string, V> | undefined {
  const out: Record<string, V> = {};
  let any = false;
  for (const [k, v] of now) {
    const b = before.get(k);
    if (typeof v === 'number') {
      const d = v - ((b as number | undefined) ?? 0);
      if (d > 0) (out[k] as number) = d;
      any ||= d > 0;
    } else {
      const p = (b as [number, number] | undefined) ?? [0, 0];
      const d: [number, number] = [v[0] - p[0], v[1] - p[1]];
      if (d[0] > 0 || d[1] > 0) (out[k] as [number, number]) = d;
      any ||= d[0] > 0 || d[1] > 0;
    }
  }
  return any ? out : undefined;
}
const arrayDelta = (now: number[], before: number[]) => {
  const d = now.map((v, i) => v - (before[i] ?? 0));
  return d[d.length - 1]! > 0 ? d : undefined; // +Inf holds the count
};

export interface Sampler {
  stop(): void;
}

/**
 * Starts this process's sampler (nothing when DASHBOARD_SAMPLE_MS is 0). An api node passes
 * its Socket.IO server (socket counts) and the sources of the deployment-wide figures.
 */
export function startSampler(core: Core, role: 'api' | 'worker', opts: { io?: Server; sources?: DeploymentSources } = {}): Sampler {
  const { config, redis, keys, log, metrics } = core;
  const interval = config.DASHBOARD_SAMPLE_MS;
  if (interval <= 0) return { stop: () => undefined };
  const historyMs = config.DASHBOARD_HISTORY_SECONDS * 1000;
  const node = `${role}:${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const main = opts.io?.of('/');
  let connects = 0;
  const onConnection = () => void connects++;
  main?.on('connection', onConnection);
  // Errors by code since the start (the observer is per process: one sampler per process counts them once).
  const errorCounts = new Map<string, number>();
  const unobserve = observeErrors((code) => void errorCounts.set(code, (errorCounts.get(code) ?? 0) + 1));

  // The sampler starts with its process's registry, whose counters are all zero then: the
  // first sample counts from here (a worker's first jobs run before any timer fires).
  let before: Totals = { in: 0, out: 0, joins: 0, leaves: 0, jobs: new Map(), dw: [], tl: [], err: new Map() };
  let beforeAt = performance.now();
  let beforeConnects = 0;
  let beforeSockets = main?.sockets.size ?? 0;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let stopped = false;
  let failing = false;

  /** The next boundary is the sample's time: unique per process, whatever the timer's own lateness. */
  const schedule = () => {
    if (stopped) return;
    const now = Date.now();
    const t = now - (now % interval) + interval;
    timer = setTimeout(() => void tick(t), t - now);
    timer.unref();
  };

  /** Queue depths, active calls and webhook totals, when this node holds the lease (else undefined). */
  async function deploymentFigures(): Promise<Sample['g']> {
    if (!opts.sources) return undefined;
    if ((await runScript(redis, LEASE, [leaseKey(keys)], [node, interval * 3])) !== 1) return undefined;
    const names = core.queues.names;
    const [depths, calls, wh] = await Promise.all([
      // Ready but not started: waiting + prioritized (delayed jobs are timers, not backlog).
      Promise.all(
        names.map(async (name) => {
          const c = await core.queues.get(name).getJobCounts('waiting', 'prioritized');
          return (c.waiting ?? 0) + (c.prioritized ?? 0);
        }),
      ),
      opts.sources.billing.activeCallCount(),
      opts.sources.webhooks.totals(),
    ]);
    return { queues: Object.fromEntries(names.map((n, i) => [n, depths[i]!])), calls, whPending: wh.pending, whDead: wh.dead };
  }

  async function tick(t: number): Promise<void> {
    schedule();
    // A slow Redis: skip this boundary; the next sample covers both intervals (measured `ms`).
    if (running || stopped) return;
    const at = performance.now();
    if (at - beforeAt < interval / 2) return; // started just before a boundary: one longer first interval
    running = true;
    try {
      const now = await readTotals(metrics.registry, errorCounts);
      const sockets = main?.sockets.size ?? 0;
      const c = connects;
      const sample: Sample = {
        t,
        node,
        role,
        ms: Math.round(at - beforeAt),
        in: now.in - before.in,
        out: now.out - before.out,
        joins: now.joins - before.joins,
        leaves: now.leaves - before.leaves,
        rtt: null,
      };
      if (main) {
        const connected = c - beforeConnects;
        Object.assign(sample, { sockets, connects: connected, disconnects: Math.max(0, connected + beforeSockets - sockets) });
      }
      const jobs = mapDelta(now.jobs, before.jobs);
      const dw = arrayDelta(now.dw, before.dw);
      const tl = arrayDelta(now.tl, before.tl);
      const err = mapDelta(now.err, before.err);
      if (jobs) sample.jobs = jobs;
      if (dw) sample.dw = dw;
      if (tl) sample.tl = tl;
      if (err) sample.err = err;
      before = now;
      beforeAt = at;
      beforeConnects = c;
      beforeSockets = sockets;

      const p0 = performance.now();
      await redis.ping();
      sample.rtt = Math.round((performance.now() - p0) * 100) / 100;
      const g = await deploymentFigures();
      if (g) sample.g = g;
      if (stopped) return;
      // Trimmed by time, not length: the number of entries per interval is the number of processes.
      await redis.xadd(samplesKey(keys), 'MINID', '~', String(Date.now() - historyMs - 2 * interval), '*', 's', JSON.stringify(sample));
      if (failing) log.info('dashboard sampler: writing samples again');
      failing = false;
    } catch (err) {
      // Redis away or failing over: this interval's counts are dropped (the chart shows a gap), said once.
      if (!failing && !stopped) log.warn({ err }, 'dashboard sampler: a sample could not be written');
      failing = true;
    } finally {
      running = false;
    }
  }

  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      main?.off('connection', onConnection);
      unobserve();
    },
  };
}
