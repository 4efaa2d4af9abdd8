// The queue catalogue: every BullMQ queue, the job names it carries and their payload
// schemas. Producers validate before enqueueing; workers validate again on receipt
// (external services enqueue without our code) and workers/main.ts refuses to start
// when a job named here has no processor.
import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from './redis.js';
import type { Static, TSchema } from 'typebox';
import { TickJob } from '../modules/billing/schemas.js';
import { ExpireJob, RoundJob } from '../modules/dispatch/schemas.js';
import { RecordingJob } from '../modules/media/schemas.js';
import { PairRoundJob, PairTimeoutJob } from '../modules/pairing/schemas.js';
import { NotifyJob } from '../modules/notify/schemas.js';
import { PresenceSweepJob } from '../modules/presence/schemas.js';
import { PruneGuestsJob } from '../modules/customerservice/schemas.js';
import { PushJob } from '../modules/push/schemas.js';
import { HostTimeoutJob, SweepJob } from '../modules/rooms/schemas.js';
import { CallStateJob, CommandJob, EmptyTimeoutJob, SmsSendJob, StartJob } from '../modules/conferences/schemas.js';
import { DeliverJob, WebhookSweepJob } from '../modules/webhooks/schemas.js';
import { parse } from './validation.js';
import type { Config } from '../config.js';
import { sweepJobMs } from './sweep-loop.js';

export const QUEUES = {
  /** Public: backends enqueue `{appid, to, event, data}` and it reaches the sockets. */
  notify: { jobs: { notify: NotifyJob } },
  /** Room heartbeat sweep (scheduler) and the delayed end of rooms whose host timed out (jobId room-host-timeout.<appid>.<roomId>.<since>). */
  rooms: { jobs: { sweep: SweepJob, hostTimeout: HostTimeoutJob } },
  /** Verified vendor recording callbacks (recendcall / idxfileendcall), linked to rooms; job id from the event id. */
  media: { jobs: { recording: RecordingJob } },
  /** Charge ticks of metered calls: one scheduler job claims the due ticks (sorted set), never one job per tick. */
  billing: { jobs: { tick: TickJob } },
  /** Agents past their presence deadline go offline (scheduler). */
  presence: { jobs: { sweep: PresenceSweepJob } },
  /** Dispatch rounds (jobId dispatch-round.<appid>.<id>.<n>: round 1 at once, later ones delayed DISPATCH_ROUND_MS) and request expiry (jobId dispatch-expire.<appid>.<id>, delayed DISPATCH_MAX_WAIT_MS). */
  dispatch: { jobs: { round: RoundJob, expire: ExpireJob, noShow: ExpireJob } },
  /** Pairing rounds (jobId pair-round.<appid>.<ask>.<n>, at once) and their timeouts (jobId pair-timeout.<appid>.<ask>.<n>, delayed PAIR_ROUND_MS). */
  matchmaking: { jobs: { round: PairRoundJob, timeout: PairTimeoutJob } },
  /**
   * Conferences: scheduled starts (jobId conf-start.<appid>.<confId>, delayed to the start; removed by stop),
   * empty timeouts (jobId conf-empty.<appid>.<confId>.<emptySince>, delayed CONFERENCE_EMPTY_TIMEOUT_MS),
   * telephony commands (dial/hangup jobId conf-cmd.<appid>.<confId>.<callid>.<action>; mute sends the current flag)
   * and call states reported by the provider (jobId conf-callstate.<appid>.<confId>.<callid>.<state>).
   */
  conferences: { jobs: { start: StartJob, emptyTimeout: EmptyTimeoutJob, command: CommandJob, callState: CallStateJob } },
  /** One SMS per job (jobId sms.<appid>.<noticeId>.<number>), retried with backoff. */
  sms: { jobs: { send: SmsSendJob } },
  /**
   * Outbound webhooks: one attempt of one delivery per job (jobId wh.<appid>.<deliveryId>.<gen>.<attempt>;
   * a failed attempt enqueues the next one delayed by the backoff), and the recovery sweep (scheduler).
   */
  webhooks: { jobs: { deliver: DeliverJob, sweep: WebhookSweepJob } },
  /** Accounts of consultation-page guests whose session ended are deleted (scheduler). */
  customerservice: { jobs: { pruneGuests: PruneGuestsJob } },
  /**
   * Push notifications to iPhones (APNs) of users a message found without a socket: one alert
   * per job (jobId apns|<appid>|<kind>|<messageId>|<uid>: once per message and recipient),
   * PUSH_ATTEMPTS attempts with exponential backoff from PUSH_BACKOFF_MS.
   */
  push: { jobs: { send: PushJob } },
} as const satisfies Record<string, { jobs: Record<string, TSchema> }>;

export type QueueName = keyof typeof QUEUES;

/**
 * Repeating jobs (BullMQ job schedulers), upserted by every worker node at start-up:
 * upsert is idempotent, so N workers still produce one job per period. Sweeps over
 * sorted sets of deadlines go here — never one job per heartbeat or per tick.
 */
export interface Schedule {
  queue: QueueName;
  job: string;
  everyMs: number;
  data?: Record<string, unknown>;
}
export function schedules(
  config: Pick<
    Config,
    | 'SWEEP_JOB_MS'
    | 'ROOM_SWEEP_INTERVAL_MS'
    | 'CHARGE_SWEEP_INTERVAL_MS'
    | 'PRESENCE_SWEEP_INTERVAL_MS'
    | 'WEBHOOK_SWEEP_INTERVAL_MS'
    | 'CS_GUEST_PRUNE_INTERVAL_MS'
  >,
): Schedule[] {
  return [
    // The first three are sweep loops (infra/sweep-loop.ts): one job per SWEEP_JOB_MS, each
    // sweeping at its own interval inside.
    // Removes room members whose heartbeat deadline passed (ROOM_MEMBER_TIMEOUT_MS) every
    // ROOM_SWEEP_INTERVAL_MS: a silent member goes at most one interval (+ the sweep's own time) late.
    { queue: 'rooms', job: 'sweep', everyMs: sweepJobMs(config, config.ROOM_SWEEP_INTERVAL_MS) },
    // Claims the due charge ticks of metered calls (CHARGE_TICK_SECONDS apart per call) every
    // CHARGE_SWEEP_INTERVAL_MS: a tick reaches the sockets at most about one interval (+ the
    // sweep's own time) late.
    { queue: 'billing', job: 'tick', everyMs: sweepJobMs(config, config.CHARGE_SWEEP_INTERVAL_MS) },
    // Takes online agents past their deadline (PRESENCE_TIMEOUT_MS without heartbeat, or
    // PRESENCE_GRACE_MS after their socket dropped) offline, withdrawing their offers, every
    // PRESENCE_SWEEP_INTERVAL_MS.
    { queue: 'presence', job: 'sweep', everyMs: sweepJobMs(config, config.PRESENCE_SWEEP_INTERVAL_MS) },
    // Re-enqueues webhook deliveries whose job was lost (a process died between a script and its enqueue).
    { queue: 'webhooks', job: 'sweep', everyMs: config.WEBHOOK_SWEEP_INTERVAL_MS },
    // Deletes the accounts of consultation-page guests whose session ended (one user per visitor).
    { queue: 'customerservice', job: 'pruneGuests', everyMs: config.CS_GUEST_PRUNE_INTERVAL_MS },
  ];
}
export type JobName<Q extends QueueName> = keyof (typeof QUEUES)[Q]['jobs'] & string;
export type JobPayload<Q extends QueueName, J extends JobName<Q>> = (typeof QUEUES)[Q]['jobs'][J] extends infer S extends TSchema ? Static<S> : never;

/** Retries with exponential backoff; completed jobs trimmed, failed ones kept for inspection. */
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 14 * 86400 },
};

/** The payload schema of a job of the catalogue; undefined for any other queue or job name (own keys only). */
export function jobSchema(queue: string, job: string): TSchema | undefined {
  const jobs = Object.hasOwn(QUEUES, queue) ? (QUEUES as Record<string, { jobs: Record<string, TSchema> }>)[queue]!.jobs : undefined;
  return jobs && Object.hasOwn(jobs, job) ? jobs[job] : undefined;
}

export interface Queues {
  get(name: QueueName): Queue;
  add<Q extends QueueName, J extends JobName<Q>>(queue: Q, job: J, payload: JobPayload<Q, J>, opts?: JobsOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * The BullMQ key prefix of a queue. On one Redis: QUEUE_PREFIX, for every queue (keys
 * `sb:notify:wait` …). On a Cluster: QUEUE_PREFIX and the queue name as a hash tag
 * (`{sb:notify}:notify:wait` …): BullMQ's scripts touch many keys of one queue at once, so
 * a queue must sit in one slot, and a tag per queue spreads the queues over the masters
 * instead of stacking them all on the master of one tag. README § Redis Cluster lists where
 * each queue lands on the default three masters.
 */
export function queuePrefix(config: Pick<Config, 'QUEUE_PREFIX' | 'REDIS_CLUSTER_NODES'>, queue: string): string {
  return config.REDIS_CLUSTER_NODES ? `{${config.QUEUE_PREFIX}:${queue}}` : config.QUEUE_PREFIX;
}

export function createQueues(connection: RedisClient, prefixOf: (queue: QueueName) => string): Queues {
  const queues = new Map<string, Queue>();
  const get = (name: QueueName) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix: prefixOf(name), defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queues.set(name, q);
    }
    return q;
  };
  return {
    get,
    async add(queue, job, payload, opts) {
      const schema = jobSchema(queue, job);
      if (!schema) throw new Error(`queue ${queue} has no job ${job}`);
      const data = parse(schema, payload, `${queue}/${job} job`);
      const added = await get(queue).add(job, data, opts);
      return added.id ?? '';
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
