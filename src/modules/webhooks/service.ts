// Outbound webhooks. An app registers endpoints (URL, the events it wants, a signing
// secret); the sink on core.events turns each published event into one delivery per
// matching endpoint (one Lua script), and each delivery is attempted by BullMQ jobs on the
// `webhooks` queue until a 2xx answer, or until WEBHOOK_RETRY_WINDOW_MS has passed — then it
// is a dead letter the app can list and replay (same event id).
//
// Order: deliveries of one endpoint with the same order key (a room, conversation or call
// id) form a lane — a Redis list — and only its head is attempted; a retrying head holds the
// others back. Settling the head and promoting the next one is one script, so two workers
// never send two deliveries of a lane at once. Events without an order key are independent.
//
// Jobs have deterministic ids (wh.<appid>.<deliveryId>.<gen>.<attempt>), and every job
// re-checks the delivery's run (gen) and attempt count, so a duplicate or stale job sends
// nothing. A process dying between a script and its enqueue leaves a lane head without a
// job: the `webhooks/sweep` scheduler job finds heads overdue in the inflight set and
// enqueues their job again.
import { hash, randomBytes } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import { throwOnScriptCode } from '../../infra/lua.js';
import { WEBHOOKS_CODES } from './lua/codes.js';
import type { DomainEvent } from '../../infra/events.js';
import { isPrivateHost } from '../../infra/outbound.js';
import type { AccountsService } from '../accounts/service.js';
import type { CreateEndpointInput, DeliverJobT, DeliveryViewT, EndpointViewT, UpdateEndpointInput, WebhookBody } from './schemas.js';
import { postWebhook } from './sender.js';
import { newSigningSecret, SIGNATURE_HEADER, signatureHeader } from './signing.js';
import { createWebhooksStore, type DeliveryRecord, type FanoutEvent } from './store.js';
import { createAppBatches } from '../../infra/app-batches.js';

export const deliverJobId = (appid: string, deliveryId: string, gen: number, attempt: number) => `wh.${appid}.${deliveryId}.${gen}.${attempt}`;

/** BullMQ's own retries only cover unexpected failures (Redis errors); HTTP failures are rescheduled by the processor. */
const DELIVER_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86400 },
};
const SWEEP_BATCH = 500;
const USER_AGENT = 'Switchboard-Webhooks/1';

/** Event ids become part of delivery ids and job ids: anything outside [A-Za-z0-9_-] is hashed. */
function eventSuffix(eventId: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(eventId) ? eventId : hash('sha256', eventId, 'hex').slice(0, 32);
}

const eventsField = (events: string[]) => `,${events.join(',')},`;

function toEndpointView(id: string, h: Record<string, string>, now = Date.now()): EndpointViewT {
  const prevUntil = Number(h.prevUntil ?? 0);
  return {
    endpointId: id,
    url: h.url ?? '',
    events: (h.events ?? '').split(',').filter(Boolean),
    enabled: h.enabled === '1',
    description: h.description ?? '',
    createdAt: Number(h.createdAt ?? 0),
    updatedAt: Number(h.updatedAt ?? 0),
    ...(h.prevSecret && prevUntil > now ? { previousSecretUntil: prevUntil } : {}),
  };
}

function toDeliveryView(id: string, h: DeliveryRecord): DeliveryViewT {
  return {
    deliveryId: id,
    eventId: h.eventId ?? '',
    endpointId: h.endpointId ?? '',
    type: h.type ?? '',
    state: (h.state ?? 'pending') as DeliveryViewT['state'],
    attempts: Number(h.attempts ?? 0),
    replays: Number(h.replays ?? 0),
    ...(h.orderKey ? { orderKey: h.orderKey } : {}),
    ...(h.lastStatus ? { lastStatus: Number(h.lastStatus) } : {}),
    ...(h.lastError ? { lastError: h.lastError } : {}),
    createdAt: Number(h.createdAt ?? 0),
    ...(h.deadAt ? { deadAt: Number(h.deadAt) } : {}),
    body: h.body ? (JSON.parse(h.body) as unknown) : null,
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;

export function createWebhooksService(core: Core, deps: { accounts: AccountsService }) {
  const store = createWebhooksStore(core.redis, core.keys);
  const fanouts = createAppBatches((appid, events: FanoutEvent[]) => store.fanout(appid, events), 'tick');
  const { config, log } = core;

  function checkUrl(url: string): void {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new AppError('VALIDATION_FAILED', 'invalid webhook endpoint: url: not a URL');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new AppError('VALIDATION_FAILED', 'invalid webhook endpoint: url: must be http or https');
    if (u.username || u.password)
      throw new AppError(
        'VALIDATION_FAILED',
        'invalid webhook endpoint: url: must not carry a user or password (authenticate requests by their signature)',
      );
    if (!config.WEBHOOK_ALLOW_PRIVATE_URLS && isPrivateHost(u.hostname)) {
      throw new AppError('WEBHOOK_URL_NOT_ALLOWED', `${u.hostname} is not a public address (WEBHOOK_ALLOW_PRIVATE_URLS is off)`);
    }
  }

  async function endpointOrThrow(appid: string, id: string): Promise<Record<string, string>> {
    const h = await store.endpoint(appid, id);
    if (!h) throw new AppError('WEBHOOK_NOT_FOUND', `no webhook endpoint ${id}`);
    return h;
  }

  async function enqueue(appid: string, deliveryId: string, gen: number, attempt: number, delay = 0): Promise<void> {
    await core.queues.add(
      'webhooks',
      'deliver',
      { appid, deliveryId, gen, attempt },
      { ...DELIVER_JOB_OPTIONS, jobId: deliverJobId(appid, deliveryId, gen, attempt), ...(delay > 0 ? { delay } : {}) },
    );
  }

  async function settle(
    appid: string,
    d: { id: string; gen: number; attempts: number },
    outcome: 'delivered' | 'dead' | 'dropped',
    status: number | null,
    error: string,
  ) {
    const r = await store.settle(appid, d.id, d.gen, outcome, {
      now: Date.now(),
      deadMax: config.WEBHOOK_DEAD_LETTER_MAX,
      status,
      error,
      attempts: d.attempts,
    });
    if (r.next) await enqueue(appid, r.next[0], r.next[1], 1);
    if (outcome === 'dead' && r.settled) log.warn({ appid, deliveryId: d.id, status, error }, 'webhook delivery dead-lettered');
    return { outcome: r.settled ? outcome : ('stale' as const), status, ...(error ? { error } : {}) };
  }

  return {
    async createEndpoint(appid: string, input: CreateEndpointInput): Promise<EndpointViewT & { secret: string }> {
      await deps.accounts.getApp(appid);
      checkUrl(input.url);
      const id = `ep_${randomBytes(8).toString('hex')}`;
      const secret = newSigningSecret();
      const now = Date.now();
      const fields = {
        url: input.url,
        events: eventsField(input.events),
        secret,
        enabled: input.enabled === false ? '0' : '1',
        description: input.description ?? '',
        createdAt: now,
        updatedAt: now,
      };
      if (!(await store.createEndpoint(appid, id, config.WEBHOOK_MAX_ENDPOINTS, now, fields))) {
        throw new AppError('WEBHOOK_LIMIT', `the app has ${config.WEBHOOK_MAX_ENDPOINTS} webhook endpoints already (WEBHOOK_MAX_ENDPOINTS)`);
      }
      return { ...toEndpointView(id, Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]))), secret };
    },

    async listEndpoints(appid: string): Promise<EndpointViewT[]> {
      return (await store.endpoints(appid)).map(([id, h]) => toEndpointView(id, h));
    },

    async getEndpoint(appid: string, id: string): Promise<EndpointViewT> {
      return toEndpointView(id, await endpointOrThrow(appid, id));
    },

    async updateEndpoint(appid: string, id: string, input: UpdateEndpointInput): Promise<EndpointViewT> {
      if (input.url !== undefined) checkUrl(input.url);
      const fields: Record<string, string | number> = { updatedAt: Date.now() };
      if (input.url !== undefined) fields.url = input.url;
      if (input.events !== undefined) fields.events = eventsField(input.events);
      if (input.enabled !== undefined) fields.enabled = input.enabled ? '1' : '0';
      if (input.description !== undefined) fields.description = input.description;
      if (!(await store.updateEndpoint(appid, id, fields))) throw new AppError('WEBHOOK_NOT_FOUND', `no webhook endpoint ${id}`);
      return toEndpointView(id, await endpointOrThrow(appid, id));
    },

    /** Deliveries still pending for it are dropped when their attempt comes; its dead letters stay listed. */
    async deleteEndpoint(appid: string, id: string): Promise<void> {
      if (!(await store.deleteEndpoint(appid, id))) throw new AppError('WEBHOOK_NOT_FOUND', `no webhook endpoint ${id}`);
    },

    /** A new secret (shown once); with grace, requests carry a second v1 signature made with the old one until then. */
    async rotateSecret(appid: string, id: string, graceSeconds = 0): Promise<EndpointViewT & { secret: string }> {
      const secret = newSigningSecret();
      const now = Date.now();
      if (!(await store.rotateSecret(appid, id, secret, graceSeconds > 0 ? now + graceSeconds * 1000 : 0, now)))
        throw new AppError('WEBHOOK_NOT_FOUND', `no webhook endpoint ${id}`);
      return { ...toEndpointView(id, await endpointOrThrow(appid, id)), secret };
    },

    async deadLetters(appid: string, q: { before?: number; limit: number }): Promise<{ deadLetters: DeliveryViewT[]; next?: number }> {
      const rows = await store.deadLetters(appid, q.before, q.limit);
      const last = rows[rows.length - 1];
      return { deadLetters: rows.map((r) => toDeliveryView(r.id, r.h)), ...(rows.length === q.limit && last ? { next: last.cursor } : {}) };
    },

    /** A dead letter is attempted again (a fresh retry window), after what its lane already holds; same event id and body. */
    async replay(
      appid: string,
      deliveryId: string,
    ): Promise<{ deliveryId: string; eventId: string; state: 'pending'; queued: 'sending' | 'behind-earlier' }> {
      const d = await store.delivery(appid, deliveryId);
      if (!d) throw new AppError('DELIVERY_NOT_FOUND', `no webhook delivery ${deliveryId}`);
      const ep = await store.endpoint(appid, d.endpointId ?? '');
      if (!ep) throw new AppError('WEBHOOK_NOT_FOUND', `the endpoint of delivery ${deliveryId} was deleted`);
      if (ep.enabled !== '1') throw new AppError('WEBHOOK_DISABLED', `endpoint ${d.endpointId} is disabled: enable it before replaying`);
      const r = await store.replay(appid, deliveryId, Date.now());
      throwOnScriptCode(WEBHOOKS_CODES.sbWhReplay, r.code, { DELIVERY_NOT_FOUND: `no webhook delivery ${deliveryId}` });
      if (r.code === 0) throw new AppError('DELIVERY_NOT_DEAD', `delivery ${deliveryId} is ${r.state}, not a dead letter`);
      if (r.code === 2) await enqueue(appid, deliveryId, r.gen, 1);
      return { deliveryId, eventId: d.eventId ?? '', state: 'pending', queued: r.code === 2 ? 'sending' : 'behind-earlier' };
    },

    /**
     * The sink on core.events: one delivery per matching endpoint; lane heads are enqueued at
     * once. The events of one tick go to Redis together (one script per app, in publish order).
     */
    async fanout(e: DomainEvent): Promise<void> {
      const body: WebhookBody = { id: e.id, type: e.name, time: new Date(e.at).toISOString(), appid: e.appid, data: e.data };
      const heads = await fanouts.add(e.appid, {
        eventId: e.id,
        suffix: eventSuffix(e.id),
        type: e.name,
        body: JSON.stringify(body),
        orderKey: e.orderKey ?? '',
        now: e.at,
      });
      for (const [deliveryId, gen] of heads) await enqueue(e.appid, deliveryId, gen, 1);
    },

    /** webhooks/deliver: one attempt of one delivery. */
    async deliver(job: DeliverJobT): Promise<{
      outcome: 'delivered' | 'dead' | 'dropped' | 'retrying' | 'stale';
      status?: number | null;
      error?: string;
      nextAttemptInMs?: number;
    }> {
      const { appid, deliveryId, gen, attempt } = job;
      const d = await store.delivery(appid, deliveryId);
      // Another run (replay), an attempt already made (a re-run job), or already settled.
      if (!d || d.state !== 'pending' || Number(d.gen) !== gen || Number(d.attempts) >= attempt) return { outcome: 'stale' };
      const ref = { id: deliveryId, gen, attempts: attempt };
      const ep = await store.endpoint(appid, d.endpointId ?? '');
      if (!ep) return settle(appid, { ...ref, attempts: attempt - 1 }, 'dropped', null, 'endpoint deleted');
      if (ep.enabled !== '1') return settle(appid, { ...ref, attempts: attempt - 1 }, 'dead', null, 'endpoint disabled');

      const body = d.body ?? '';
      const now = Date.now();
      const t = Math.floor(now / 1000);
      const secrets = [ep.secret ?? '', ...(ep.prevSecret && Number(ep.prevUntil ?? 0) > now ? [ep.prevSecret] : [])];
      const headers = {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'x-switchboard-event-id': d.eventId ?? '',
        'x-switchboard-event-type': d.type ?? '',
        'x-switchboard-timestamp': String(t),
        'x-switchboard-delivery-attempt': String(attempt),
        [SIGNATURE_HEADER]: signatureHeader(secrets, t, body),
      };
      const r = await postWebhook(ep.url ?? '', body, headers, {
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS,
      });
      if (r.ok) return settle(appid, ref, 'delivered', r.status, '');

      // The window runs from the event (or the replay), not from reaching the head of the lane:
      // behind a head that failed for the whole window, the rest of the lane gets one attempt
      // each and drains, instead of a fresh window per delivery.
      const delay = Math.min(config.WEBHOOK_RETRY_BASE_MS * 2 ** (attempt - 1), config.WEBHOOK_RETRY_MAX_DELAY_MS);
      const after = Date.now();
      if (after + delay > Number(d.windowFrom ?? d.createdAt ?? after) + config.WEBHOOK_RETRY_WINDOW_MS)
        return settle(appid, ref, 'dead', r.status, r.error);
      if (await store.retry(appid, deliveryId, gen, attempt, after + delay, r.status, r.error))
        await enqueue(appid, deliveryId, gen, attempt + 1, delay);
      return { outcome: 'retrying', status: r.status, error: r.error, nextAttemptInMs: delay };
    },

    /** Pending lane heads and dead letters of every app (the dashboard's chart; webhooks/store.ts totals). */
    totals: store.totals,

    /**
     * webhooks/sweep: lane heads whose job should have run a while ago (timeout + one sweep
     * interval) get it again — lost between a script and its enqueue, or failed by BullMQ.
     * A job that is still waiting, delayed or active is left alone (its id is deterministic).
     */
    async sweep(now = Date.now()): Promise<{ requeued: number }> {
      let requeued = 0;
      const q = core.queues.get('webhooks');
      const before = now - config.WEBHOOK_TIMEOUT_MS - config.WEBHOOK_SWEEP_INTERVAL_MS;
      for (const appid of await store.activeApps()) {
        for (const id of await store.overdue(appid, before, SWEEP_BATCH)) {
          const d = await store.delivery(appid, id);
          if (!d || d.state !== 'pending') {
            await store.forgetInflight(appid, id);
            continue;
          }
          const gen = Number(d.gen);
          const attempt = Number(d.attempts) + 1;
          const job = await q.getJob(deliverJobId(appid, id, gen, attempt));
          const state = job ? await job.getState() : 'missing';
          if (job && state === 'failed') {
            await job.retry();
            requeued++;
          } else if (!job || state === 'completed' || state === 'unknown') {
            if (job) await job.remove().catch(() => undefined);
            await enqueue(appid, id, gen, attempt);
            requeued++;
          }
          await store.markDue(appid, id, now);
        }
        await store.retireIfIdle(appid);
      }
      if (requeued > 0) log.warn({ requeued }, 'webhook deliveries without a job were enqueued again');
      return { requeued };
    },
  };
}
