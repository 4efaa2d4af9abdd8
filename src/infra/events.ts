// Business events: one place where every feature says "this happened", and every sink
// that cares hears it. Dashboards (the /dashboard namespace, room dash:<appid>) get each
// event live; outbound webhooks (issue 8) and metrics register sinks with onPublish.
// Features call publish instead of talking to dashboards or webhooks themselves, so a
// new sink never means touching the features again.
import { createHook } from './hooks.js';
import { randomUUID } from 'node:crypto';
import type { Emitter } from './emitter.js';

/**
 * The events an app can see, by name. Each payload is a plain JSON object naming the
 * ids it is about (roomId, uid, requestId, conversationId, callId, askNo, confId…).
 * Add a name here before publishing it: the webhook subscription schema is built from it.
 */
export const DOMAIN_EVENTS = [
  'room.started',
  'room.ended',
  'room.member.joined',
  'room.member.left',
  'room.member.timedout',
  'dispatch.taken',
  'dispatch.expired',
  'conversation.started',
  'conversation.ended',
  'charge.ticked',
  'charge.ended',
  'pairing.matched',
  'recording.ready',
  'conference.member',
  'thirdparty.user.added',
  'thirdparty.user.changed',
  'thirdparty.user.deleted',
] as const;

export type DomainEventName = (typeof DOMAIN_EVENTS)[number];

export interface DomainEvent {
  /** Unique per event (a webhook receiver's dedupe key); a publisher may derive it so a retried job republishes the same id. */
  id: string;
  appid: string;
  name: DomainEventName;
  data: Record<string, unknown>;
  /** Events with the same order key reach each webhook endpoint in publish order (e.g. a room id). */
  orderKey?: string;
  /** Milliseconds since the epoch, set by publish. */
  at: number;
}

export type DomainEventSink = (event: DomainEvent) => Promise<void> | void;

export interface DomainEvents {
  /**
   * Tells dashboards at once, then awaits every sink (a webhook sink enqueues its
   * deliveries here, so a resolved publish means nothing is lost if the process dies).
   */
  publish(appid: string, name: DomainEventName, data: Record<string, unknown>, opts?: { orderKey?: string; id?: string }): Promise<void>;
  /** Subscribes a sink (hook rule of infra/hooks.ts); returns its unsubscribe. */
  onPublish(sink: DomainEventSink): () => void;
}

export function createDomainEvents(emitter: Emitter): DomainEvents {
  const published = createHook<[event: DomainEvent]>();
  return {
    async publish(appid, name, data, opts = {}) {
      const event: DomainEvent = {
        id: opts.id ?? randomUUID(),
        appid,
        name,
        data,
        at: Date.now(),
        ...(opts.orderKey !== undefined ? { orderKey: opts.orderKey } : {}),
      };
      emitter.toDashboard(appid, name, { ...data, at: event.at });
      // Every sink gets the event even when an earlier one failed (metrics must not starve
      // webhooks); the first failure is rethrown afterwards so the caller still learns of it.
      await published.run(event);
    },
    onPublish: (sink) => published.on(sink),
  };
}
