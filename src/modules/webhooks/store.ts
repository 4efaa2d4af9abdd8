// Redis layout of outbound webhooks (all in the app's hash tag, so every script runs in
// one Cluster slot; keys of endpoints, deliveries and lanes found inside a script are
// derived from the prefix `sw:{app}:wh` passed in ARGV):
//   sw:{app}:wh:eps                 zset endpointId → createdAt: the app's endpoints
//   sw:{app}:wh:ep:<endpointId>     hash: url, events (",a,b," or ",*,"), secret, prevSecret, prevUntil,
//                                   enabled (1|0), description, createdAt, updatedAt
//   sw:{app}:wh:d:<deliveryId>      hash: one event for one endpoint — eventId, endpointId, type, body
//                                   (the exact JSON POSTed), orderKey, lane, state (pending|delivered|dead),
//                                   gen (bumped by replay), attempts, replays, windowFrom (its retry window
//                                   runs from the event, or from the replay), startedAt (when it reached
//                                   the head of its lane), due, lastStatus,
//                                   lastError, createdAt, deadAt. A delivered one stays DELIVERED_TTL_MS
//                                   without its body, so a republished event (same id) is not sent twice.
//   sw:{app}:wh:lane:<endpointId>:<orderKey>
//                                   list of deliveryIds waiting, in publish order; the head is the one
//                                   being attempted (one at a time per endpoint + order key). An event
//                                   without an order key has a lane of its own.
//   sw:{app}:wh:inflight            zset deliveryId → when its current job is due: lane heads; the
//                                   recovery sweep re-enqueues those whose job was lost
//   sw:{app}:wh:dead                zset deliveryId → deadAt × 1000 + a rolling counter (unique: the
//                                   page cursor): the dead letters (at most WEBHOOK_DEAD_LETTER_MAX)
//   sw:{app}:wh:deadseq             that counter
//   sw:g:webhooks:apps              set of appids with endpoints (what the recovery sweep visits)
import type { RedisClient } from '../../infra/redis.js';
import { createAppIndex } from '../../infra/app-index.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';

/** One event as the fan-out script takes it. */
export interface FanoutEvent {
  eventId: string;
  suffix: string;
  type: string;
  body: string;
  orderKey: string;
  now: number;
}

/** How long a delivered delivery's record (without body) is kept: a publisher retry with the same event id within it is not sent again. */
export const DELIVERED_TTL_MS = 10 * 60 * 1000;

const scripts = loadScripts('modules/webhooks', [
  'sbWhCreate',
  'sbWhUpdate',
  'sbWhRotate',
  'sbWhDelete',
  'sbWhFanout',
  'sbWhRetry',
  'sbWhSettle',
  'sbWhReplay',
] as const);

export type DeliveryRecord = Record<string, string>;

export function createWebhooksStore(redis: RedisClient, keys: Keys) {
  const run = defineScripts(redis, scripts);
  const base = (appid: string) => keys.scoped(appid, 'wh');
  const k = {
    eps: (appid: string) => `${base(appid)}:eps`,
    ep: (appid: string, id: string) => `${base(appid)}:ep:${id}`,
    delivery: (appid: string, id: string) => `${base(appid)}:d:${id}`,
    inflight: (appid: string) => `${base(appid)}:inflight`,
    dead: (appid: string) => `${base(appid)}:dead`,
  };
  const apps = createAppIndex(redis, keys.global('webhooks', 'apps'));
  const flat = (fields: Record<string, string | number>) => Object.entries(fields).flatMap(([f, v]) => [f, String(v)]);

  return {
    async createEndpoint(appid: string, id: string, max: number, now: number, fields: Record<string, string | number>): Promise<boolean> {
      const ok = (await run('sbWhCreate', [k.eps(appid), k.ep(appid, id)], [id, max, now, ...flat(fields)])) === 1;
      if (ok) await apps.add(appid); // another slot: after the script, idempotent
      return ok;
    },
    async updateEndpoint(appid: string, id: string, fields: Record<string, string | number>): Promise<boolean> {
      return (await run('sbWhUpdate', [k.ep(appid, id)], flat(fields))) === 1;
    },
    async rotateSecret(appid: string, id: string, secret: string, prevUntil: number, now: number): Promise<boolean> {
      return (await run('sbWhRotate', [k.ep(appid, id)], [secret, prevUntil, now])) === 1;
    },
    async deleteEndpoint(appid: string, id: string): Promise<boolean> {
      return (await run('sbWhDelete', [k.eps(appid), k.ep(appid, id)], [id])) === 1;
    },
    async endpoint(appid: string, id: string): Promise<Record<string, string> | null> {
      const h = await redis.hgetall(k.ep(appid, id));
      return h.url ? h : null;
    },
    async endpoints(appid: string): Promise<Array<[string, Record<string, string>]>> {
      const ids = await redis.zrange(k.eps(appid), '0', '-1');
      if (ids.length === 0) return [];
      const p = redis.pipeline();
      for (const id of ids) p.hgetall(k.ep(appid, id));
      const res = (await p.exec()) ?? [];
      return ids.map((id, i) => [id, (res[i]?.[1] ?? {}) as Record<string, string>] as [string, Record<string, string>]).filter(([, h]) => h.url);
    },

    /** Several events in one script, in order → per event, the new lane heads to enqueue: [deliveryId, gen][]. */
    async fanout(appid: string, events: FanoutEvent[]): Promise<Array<Array<[string, number]>>> {
      const args: Array<string | number> = [base(appid), events.length];
      for (const e of events) args.push(e.eventId, e.suffix, e.type, e.body, e.orderKey, e.now);
      const r = (await run('sbWhFanout', [k.eps(appid), k.inflight(appid)], args)) as Array<string | number>;
      const perEvent: Array<Array<[string, number]>> = [];
      for (let i = 0; i < r.length;) {
        const heads: Array<[string, number]> = [];
        const count = Number(r[i++]);
        for (let h = 0; h < count; h++, i += 2) heads.push([String(r[i]), Number(r[i + 1])]);
        perEvent.push(heads);
      }
      return perEvent;
    },
    async delivery(appid: string, id: string): Promise<DeliveryRecord | null> {
      const h = await redis.hgetall(k.delivery(appid, id));
      return h.state ? h : null;
    },
    async retry(appid: string, id: string, gen: number, attempts: number, due: number, status: number | null, error: string): Promise<boolean> {
      return (await run('sbWhRetry', [k.delivery(appid, id), k.inflight(appid)], [id, gen, attempts, due, status ?? '', error])) === 1;
    },
    /** → {settled, next?: [deliveryId, gen]} */
    async settle(
      appid: string,
      id: string,
      gen: number,
      outcome: 'delivered' | 'dead' | 'dropped',
      o: { now: number; deadMax: number; status: number | null; error: string; attempts: number },
    ): Promise<{ settled: boolean; next?: [string, number] }> {
      const r = (await run(
        'sbWhSettle',
        [k.delivery(appid, id), k.inflight(appid), k.dead(appid)],
        [base(appid), id, gen, outcome, o.now, DELIVERED_TTL_MS, o.deadMax, o.status ?? '', o.error, o.attempts],
      )) as Array<string | number>;
      if (Number(r[0]) !== 1) return { settled: false };
      return r[1] !== undefined ? { settled: true, next: [String(r[1]), Number(r[2])] } : { settled: true };
    },
    /** → code -1 unknown, 0 not dead (state), 1 queued behind earlier deliveries, 2 head: enqueue. */
    async replay(appid: string, id: string, now: number): Promise<{ code: number; gen: number; state: string }> {
      const r = (await run('sbWhReplay', [k.delivery(appid, id), k.dead(appid), k.inflight(appid)], [id, now])) as Array<string | number>;
      const code = Number(r[0]);
      return { code, gen: code > 0 ? Number(r[1]) : 0, state: code === 0 ? String(r[1]) : '' };
    },
    /** Dead letters newest first, with their cursor (score), those with a cursor below `before`. */
    async deadLetters(appid: string, before: number | undefined, limit: number): Promise<Array<{ id: string; cursor: number; h: DeliveryRecord }>> {
      const max = before !== undefined ? `(${before}` : '+inf';
      const flatIds = await redis.zrevrangebyscore(k.dead(appid), max, '-inf', 'WITHSCORES', 'LIMIT', 0, limit);
      const pairs: Array<{ id: string; cursor: number }> = [];
      for (let i = 0; i < flatIds.length; i += 2) pairs.push({ id: flatIds[i]!, cursor: Number(flatIds[i + 1]) });
      if (pairs.length === 0) return [];
      const p = redis.pipeline();
      for (const { id } of pairs) p.hgetall(k.delivery(appid, id));
      const res = (await p.exec()) ?? [];
      return pairs.map((x, i) => ({ ...x, h: (res[i]?.[1] ?? {}) as DeliveryRecord })).filter((x) => x.h.state);
    },
    /** Lane heads whose job was due before `before` (recovery sweep). */
    async overdue(appid: string, before: number, limit: number): Promise<string[]> {
      return redis.zrangebyscore(k.inflight(appid), '-inf', before, 'LIMIT', 0, limit);
    },
    async markDue(appid: string, id: string, due: number): Promise<void> {
      await redis.zadd(k.inflight(appid), 'XX', due, id);
    },
    async forgetInflight(appid: string, id: string): Promise<void> {
      await redis.zrem(k.inflight(appid), id);
    },
    activeApps: apps.members,
    /**
     * The dashboard's chart: lane heads pending (being attempted or waiting for a retry; deliveries
     * queued behind a head are not counted) and dead letters kept, over the apps the sweep visits.
     */
    async totals(): Promise<{ pending: number; dead: number }> {
      const appids = await apps.members();
      const counts = await Promise.all(appids.flatMap((appid) => [redis.zcard(k.inflight(appid)), redis.zcard(k.dead(appid))]));
      let pending = 0;
      let dead = 0;
      for (let i = 0; i < counts.length; i += 2) {
        pending += counts[i]!;
        dead += counts[i + 1]!;
      }
      return { pending, dead };
    },
    /** Drops an app from the sweep's set once it has neither endpoints nor deliveries in flight (re-added if one appeared meanwhile). */
    retireIfIdle: (appid: string) => apps.retireIfIdle(appid, async () => (await redis.exists(k.eps(appid), k.inflight(appid))) > 0),
  };
}

export type WebhooksStore = ReturnType<typeof createWebhooksStore>;
