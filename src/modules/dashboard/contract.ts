// The /dashboard namespace's socket contract (namespace.ts). Its events are a namespace of
// their own: business events go out under their domain event names (infra/events.ts), some
// of which are also main-namespace names with another payload (conference.member, charge.ended…),
// so this contract is composed apart from the main one (catalogue.ts: dashboardClientEvents,
// dashboardServerEvents).
import { Type, type TObject, type TString, type TInteger } from 'typebox';
import { DOMAIN_EVENTS, type DomainEventName } from '../../infra/events.js';
import { defineContract } from '../../infra/contract.js';
import { ErrorBodySchema, EventErrorSchema } from '../../realtime/session-contract.js';
import { RoomStateEvent } from '../rooms/schemas.js';
import { ChartHistory, ChartPoint, ChartsRequest, DashboardQueues, DashboardSnapshot, SnapshotRequest } from './schemas.js';

type DomainEventSchema = TObject<{ appid: TString; at: TInteger }>;

/** A business event as a dashboard gets it: the published data (ids it is about, free-form per event), its app and time. */
const DomainEventPayload: DomainEventSchema = Type.Object(
  { appid: Type.String(), at: Type.Integer({ description: 'unix ms: when it was published' }) },
  { additionalProperties: true, description: 'the data published with the event (roomId, uid, requestId … as the event needs)' },
);

const domainEvents = Object.fromEntries(DOMAIN_EVENTS.map((name) => [name, DomainEventPayload])) as Record<DomainEventName, DomainEventSchema>;

export const dashboardContract = defineContract({
  client: {
    /** A fresh snapshot (reconnects get one anyway); without an ack it comes back as a dashboard.snapshot event. */
    'dashboard.snapshot': { request: SnapshotRequest, response: DashboardSnapshot },
    /** Admin only: subscribe to the charts; the ack carries the history, then dashboard.charts.point brings each new point. */
    'dashboard.charts': { request: ChartsRequest, response: ChartHistory },
  },
  server: {
    /** On every (re)connect, and when an admin's watch gains an app created since. */
    'dashboard.snapshot': DashboardSnapshot,
    /** Every DASHBOARD_QUEUES_INTERVAL_MS: queue depths and the sections no event covers. */
    'dashboard.queues': DashboardQueues,
    /** The charts' history, to a dashboard.charts request sent without an ack. */
    'dashboard.charts': ChartHistory,
    /** A new chart point (subscribed admins). */
    'dashboard.charts.point': ChartPoint,
    /** An error for an event sent without an ack callback. */
    'dashboard.error': EventErrorSchema,
    /** Sent before closing an app dashboard whose secret no longer opens the app. */
    'dashboard.revoked': ErrorBodySchema,
    /** A room's state or member count changed (the main namespace's room.state, with its app). */
    'room.state': Type.Intersect([Type.Object({ appid: Type.String() }), RoomStateEvent]),
    ...domainEvents,
  },
});
