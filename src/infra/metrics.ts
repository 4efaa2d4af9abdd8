// Prometheus metrics of one process (api or worker): one prom-client Registry per node,
// with the default process metrics. Every process serves its own registry (the api on
// /metrics of its port, a worker on WORKER_METRICS_PORT): Prometheus scrapes each process
// and sums across them, the usual model, so nothing here is shared through Redis.
//
// Label values are bounded: event names outside the catalogues count as "other", HTTP
// routes are Fastify's route patterns (never raw URLs), queue/job names come from the
// queue catalogue, app ids are created only by the admin.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Server } from 'socket.io';
import type { Config } from './config.js';
import { safeEqual } from './passwords.js';
import { parseAuthorization } from './auth.js';
import type { Emitter } from './emitter.js';
import { AppError, observeErrors, toPublicError } from './errors.js';
import { DOMAIN_EVENTS, type DomainEvents } from './events.js';
import type { Queues } from './queues.js';

/** BullMQ job states reported by `switchboard_queue_jobs`. */
const JOB_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'completed', 'failed'] as const;

const knownDomain = new Set<string>(DOMAIN_EVENTS);
/**
 * Counts for `counter` kept as plain numbers per label key, added to the counter when
 * prom-client collects it (a scrape, the dashboard sampler): the hot path costs a Map lookup.
 */
function pendingCounts<L extends string>(labelsOf: (key: string) => Partial<Record<L, string>>) {
  const pending = new Map<string, number>();
  return {
    add: (key: string) => void pending.set(key, (pending.get(key) ?? 0) + 1),
    /** The counter's `collect`: what was counted since the last one goes in. */
    flushInto(counter: Counter<L>): void {
      for (const [key, n] of pending) counter.inc(labelsOf(key), n);
      pending.clear();
    },
  };
}

/** Keeps label cardinality bounded: names an app invents (notify events, bad client events) are "other". */
const bounded = (known: Set<string>, name: string) => (known.has(name) ? name : 'other');

/** Buckets (seconds) of switchboard_dispatch_wait_seconds: a caller's wait from its request to an agent's accept. */
export const DISPATCH_WAIT_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
/** Buckets (seconds) of switchboard_charge_tick_lateness_seconds: a charge tick's push time minus its due time. */
export const TICK_LATENESS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Seconds from a job's due time (enqueue + delay) to now, never negative. */
export function jobWaitSeconds(job: { timestamp: number; delay?: number; opts?: { delay?: number } }, startedAt: number): number {
  const due = job.timestamp + (job.delay ?? job.opts?.delay ?? 0);
  return Math.max(0, (startedAt - due) / 1000);
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The names that bound the labels, from the catalogues outside infra (socket events: realtime; jobs: the modules' queues). */
export interface MetricNames {
  clientEvents: readonly string[];
  serverEvents: readonly string[];
  isJob(queue: string, job: string): boolean;
}

export function createMetrics(role: 'api' | 'worker', names: MetricNames) {
  const knownIn = new Set<string>(names.clientEvents);
  const knownOut = new Set<string>([...names.serverEvents, ...DOMAIN_EVENTS]);
  const knownJob = (queue: string, job: string) => (names.isJob(queue, job) ? job : 'other');
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  // The event-loop lag histogram samples every 100 ms, not prom-client's 10: a timer firing
  // 100 times a second kept an idle process at about 1 % of a core (each wake-up is a trip
  // through the event loop); ten samples a second still give the lag percentiles.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const registers = [registry];

  // Per-event counters are bumped on every socket event: the hot path adds to a plain number
  // per label set, and prom-client gets the sums when it collects (a scrape, the dashboard
  // sampler). prom-client's own inc hashes the labels on every call, even on a kept child.
  const inCounts = pendingCounts<'event'>((event) => ({ event }));
  const outCounts = pendingCounts<'event' | 'target'>((key) => {
    const [event = '', target = ''] = key.split('\n');
    return { event, target };
  });
  // Registered (and read) through `registers`; its counts arrive by collect.
  new Counter({
    name: 'switchboard_socket_events_in_total',
    help: 'Client events received by the gateway, by event name (unknown names: other)',
    labelNames: ['event'] as const,
    registers,
    collect() {
      inCounts.flushInto(this);
    },
  });
  const eventsOut = new Counter({
    name: 'switchboard_socket_events_out_total',
    help: 'Events emitted to sockets by this node, by event name and target (one emit to a room counts once)',
    labelNames: ['event', 'target'] as const,
    registers,
    collect() {
      outCounts.flushInto(this);
    },
  });
  const httpDuration = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const jobWait = new Histogram({
    name: 'switchboard_job_wait_seconds',
    help: 'Time from a job being due (added + delay) to a worker starting it, by queue and job',
    labelNames: ['queue', 'job'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers,
  });
  const jobDuration = new Histogram({
    name: 'switchboard_job_duration_seconds',
    help: 'Processing time of a job attempt, by queue, job and outcome (completed, failed)',
    labelNames: ['queue', 'job', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const domainEvents = new Counter({
    name: 'switchboard_domain_events_total',
    help: 'Business events published by this node (core.events), by name',
    labelNames: ['name'] as const,
    registers,
  });
  const dispatchOutcomes = new Counter({
    name: 'switchboard_dispatch_outcomes_total',
    help: 'Dispatch requests by outcome (taken: an agent accepted, expired: nobody did), by app',
    labelNames: ['appid', 'outcome'] as const,
    registers,
  });
  const pairingOutcomes = new Counter({
    name: 'switchboard_pairing_outcomes_total',
    help: 'Pairing asks by outcome (matched: the asker liked a candidate and the call began), by app',
    labelNames: ['appid', 'outcome'] as const,
    registers,
  });
  const chargeTicks = new Counter({
    name: 'switchboard_charge_ticks_total',
    help: 'Charge ticks of metered calls, by app',
    labelNames: ['appid'] as const,
    registers,
  });
  const chargeEnded = new Counter({
    name: 'switchboard_charge_calls_ended_total',
    help: 'Metered calls ended, by app',
    labelNames: ['appid'] as const,
    registers,
  });
  const chargedAmount = new Counter({
    name: 'switchboard_charged_minor_units_total',
    help: 'Money charged by metered calls, in minor units, counted when each call ends (its whole amount), by app',
    labelNames: ['appid'] as const,
    registers,
  });
  const dispatchWait = new Histogram({
    name: 'switchboard_dispatch_wait_seconds',
    help: 'How long a dispatch request waited for an agent, from its creation to the accept that took it',
    buckets: DISPATCH_WAIT_BUCKETS,
    registers,
  });
  const tickLateness = new Histogram({
    name: 'switchboard_charge_tick_lateness_seconds',
    help: 'How late charge ticks of metered calls were pushed (publish time minus due time)',
    buckets: TICK_LATENESS_BUCKETS,
    registers,
  });
  const chargedUnits = new Counter({
    name: 'switchboard_charged_units_total',
    help: 'Billing units charged by metered calls, counted when each call ends, by app',
    labelNames: ['appid'] as const,
    registers,
  });

  const pushes = new Counter({
    name: 'switchboard_push_total',
    help: 'Push notifications by provider and outcome: sent (APNs took it), unregistered (the device id was dead and cleared), failed (final: refused, or out of attempts), retried (an attempt that will be tried again), skipped (settings or device id gone, or expired, by the time the job ran)',
    labelNames: ['provider', 'outcome'] as const,
    registers,
  });

  // Every error answered (HTTP in every dialect, socket acks), by code: ERROR_TABLE bounds the labels.
  const errors = new Counter({
    name: 'switchboard_errors_total',
    help: 'Errors answered to callers (HTTP in every dialect, socket acks), by error code; REDIS_UNAVAILABLE and REDIS_OUT_OF_MEMORY count Redis outages and maxmemory refusals',
    labelNames: ['code'] as const,
    registers,
  });
  observeErrors((code) => errors.inc({ code }));

  const socketEventOut = (event: string, target: 'user' | 'room' | 'dashboard' | 'socket'): void =>
    // app-invented names share 'other': the map stays bounded
    outCounts.add(`${bounded(knownOut, event)}\n${target}`);
  const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

  return {
    /** This process's registry: read by the dashboard sampler (modules/dashboard/sampler.ts) too. */
    registry,
    contentType: registry.contentType,
    /** The text exposition of every metric of this node. */
    text: () => registry.metrics(),

    socketEventIn(event: string): void {
      inCounts.add(bounded(knownIn, event)); // unknown names all share 'other' (bounded map)
    },
    socketEventOut,
    observeHttp(route: string, method: string, status: number, seconds: number): void {
      httpDuration.observe({ route, method, status: String(status) }, seconds);
    },
    /** A job attempt finished; waitSeconds null when not measured (retries). */
    observeJob(queue: string, job: string, status: 'completed' | 'failed', waitSeconds: number | null, seconds: number): void {
      const labels = { queue, job: knownJob(queue, job) };
      if (waitSeconds !== null) jobWait.observe(labels, waitSeconds);
      jobDuration.observe({ ...labels, status }, seconds);
    },

    /** One push job attempt's outcome (modules/push). */
    countPush(provider: 'apns', outcome: 'sent' | 'unregistered' | 'failed' | 'retried' | 'skipped'): void {
      pushes.inc({ provider, outcome });
    },

    /** A dispatch request was taken by an agent `seconds` after it was created. */
    observeDispatchWait(seconds: number): void {
      dispatchWait.observe(Math.max(0, seconds));
    },

    /** The emitter, counting every emit it makes (api and worker nodes emit through it). */
    instrumentEmitter(emitter: Emitter): Emitter {
      return {
        ...emitter,
        toUser: (appid, uid, event, data) => {
          socketEventOut(event, 'user');
          emitter.toUser(appid, uid, event, data);
        },
        toRoom: (appid, roomId, event, data, opts) => {
          socketEventOut(event, 'room');
          emitter.toRoom(appid, roomId, event, data, opts);
        },
        toDashboard: (appid, event, data) => {
          const sent = emitter.toDashboard(appid, event, data);
          if (sent) socketEventOut(event, 'dashboard');
          return sent;
        },
        disconnectUser: async (appid, uid, reason, tokenHash) => {
          const n = await emitter.disconnectUser(appid, uid, reason, tokenHash);
          if (n > 0) eventsOut.inc({ event: 'session.revoked', target: 'socket' }, n);
          return n;
        },
      };
    },

    /** Counts this node's open sockets at scrape time, per namespace. */
    trackSockets(io: Server): void {
      new Gauge({
        name: 'switchboard_sockets_connected',
        help: 'Socket.IO connections open on this node, by namespace',
        labelNames: ['namespace'] as const,
        registers,
        collect() {
          this.reset();
          for (const [name, nsp] of io._nsps) this.set({ namespace: name }, nsp.sockets.size);
        },
      });
    },

    /** Reads every queue's job counts from Redis at scrape time (api nodes only: they all see the same numbers). */
    trackQueues(queues: Queues, log: Logger): void {
      new Gauge({
        name: 'switchboard_queue_jobs',
        help: 'Jobs in each BullMQ queue by state, read from Redis at scrape time (the same on every api node)',
        labelNames: ['queue', 'state'] as const,
        registers,
        async collect() {
          this.reset();
          await Promise.all(
            queues.names.map(async (queue) => {
              try {
                const counts = await queues.get(queue).getJobCounts(...JOB_STATES);
                for (const state of JOB_STATES) this.set({ queue, state }, counts[state] ?? 0);
              } catch (err) {
                // A scrape must not fail because Redis hiccupped: the series is simply missing this time.
                log.warn({ err, queue }, 'metrics: job counts unavailable');
              }
            }),
          );
        },
      });
    },

    /** Business counters from the events hub (works in api and worker nodes alike). */
    countDomainEvents(events: DomainEvents): void {
      events.onPublish((e) => {
        domainEvents.inc({ name: bounded(knownDomain, e.name) });
        const appid = e.appid;
        if (e.name.startsWith('dispatch.')) dispatchOutcomes.inc({ appid, outcome: e.name.slice('dispatch.'.length) });
        else if (e.name.startsWith('pairing.')) pairingOutcomes.inc({ appid, outcome: e.name.slice('pairing.'.length) });
        else if (e.name === 'charge.ticked') {
          chargeTicks.inc({ appid });
          const due = finite(e.data.due);
          if (due !== null) tickLateness.observe(Math.max(0, (e.at - due) / 1000));
        } else if (e.name === 'charge.ended') {
          chargeEnded.inc({ appid });
          const amount = finite(e.data.amount);
          const units = finite(e.data.units);
          if (amount !== null) chargedAmount.inc({ appid }, amount);
          if (units !== null) chargedUnits.inc({ appid }, units);
        }
      });
    },
  };
}

/**
 * Who may read /metrics (api and worker alike): anyone with METRICS_PUBLIC, else a bearer
 * METRICS_TOKEN (what Prometheus holds) or the ADMIN_TOKEN. Throws the AppError to answer.
 */
export function checkMetricsAccess(
  config: Pick<Config, 'METRICS_PUBLIC' | 'METRICS_TOKEN' | 'ADMIN_TOKEN'>,
  authorization: string | undefined,
): void {
  if (config.METRICS_PUBLIC) return;
  const tokens = [config.METRICS_TOKEN, config.ADMIN_TOKEN].filter((t): t is string => t !== undefined);
  if (tokens.length === 0) throw new AppError('METRICS_DISABLED');
  const a = parseAuthorization(authorization);
  if (a?.scheme !== 'bearer' || !tokens.some((t) => safeEqual(a.token, t)))
    throw new AppError('METRICS_AUTH_FAILED', 'send Authorization: Bearer <METRICS_TOKEN>');
}

export interface MetricsListener {
  /** http://host:port/metrics */
  url: string;
  close(): Promise<void>;
}

/**
 * A worker's own metrics endpoint: a bare node:http server answering GET /metrics
 * (workers have no Fastify), with the same access rule as the api.
 */
export async function serveMetrics(
  metrics: Metrics,
  config: Pick<Config, 'METRICS_PUBLIC' | 'METRICS_TOKEN' | 'ADMIN_TOKEN'>,
  host: string,
  port: number,
): Promise<MetricsListener> {
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return send(404, 'application/json', JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${path}` } }));
    }
    try {
      checkMetricsAccess(config, req.headers.authorization);
    } catch (err) {
      const { status, body } = toPublicError(err);
      return send(status, 'application/json', JSON.stringify({ error: body }), status === 401 ? { 'www-authenticate': 'Bearer' } : {});
    }
    metrics.text().then(
      (text) => send(200, metrics.contentType, text),
      () => send(500, 'application/json', JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
