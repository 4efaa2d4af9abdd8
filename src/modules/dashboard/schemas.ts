// The /dashboard namespace on the wire: what a dashboard sends at the handshake, and the
// snapshot and periodic pushes it receives. Live business events (room.state,
// room.member.joined, dispatch.taken, charge.ticked …) keep their own payloads
// (core.events / the rooms module); the page applies them to the snapshot it holds.
import { Type, type Static } from 'typebox';
import { AppIdSchema } from '../accounts/schemas.js';
import { CallView } from '../billing/schemas.js';
import { RequestView } from '../dispatch/schemas.js';
import { AskView } from '../pairing/schemas.js';
import { AgentView } from '../presence/schemas.js';
import { MemberView, RoomView } from '../rooms/schemas.js';

/** Handshake `auth`: an app's credentials, or the admin token (optionally narrowed to one app). */
export const DashboardAuth = Type.Union([
  Type.Object({ appid: AppIdSchema, secret: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
  Type.Object({ adminToken: Type.String({ minLength: 1, maxLength: 256 }), appid: Type.Optional(AppIdSchema) }, { additionalProperties: false }),
]);
export type DashboardAuthT = Static<typeof DashboardAuth>;

const Listed = { total: Type.Integer({ minimum: 0, description: 'how many there are; the list stops at DASHBOARD_LIST_LIMIT' }) };

export const DashboardRoom = Type.Intersect([
  RoomView,
  Type.Object({
    label: Type.String({ description: "the owning feature's state name (a course: created, live …); room.state events carry it as `state`" }),
    members: Type.Array(MemberView, { description: 'the first DASHBOARD_ROOM_MEMBERS members, earliest first' }),
  }),
]);

export const SkillCount = Type.Object({
  skill: Type.String(),
  online: Type.Integer({ minimum: 0, description: 'online agents with the skill that are free (no offer pending, a free slot)' }),
  offered: Type.Integer({ minimum: 0, description: '… holding an offer' }),
  busy: Type.Integer({ minimum: 0, description: '… with every slot taken by conversations' }),
  waiting: Type.Integer({ minimum: 0, description: 'requests of the skill waiting for an agent' }),
});

export const AppSection = Type.Object({
  appid: AppIdSchema,
  rooms: Type.Object({ ...Listed, items: Type.Array(DashboardRoom) }),
  agents: Type.Object({ ...Listed, skills: Type.Array(SkillCount), items: Type.Array(AgentView) }),
  dispatch: Type.Object({
    ...Listed,
    queues: Type.Array(
      Type.Object({
        skill: Type.String(),
        total: Type.Integer({ minimum: 0 }),
        requests: Type.Array(Type.Intersect([RequestView, Type.Object({ position: Type.Integer({ minimum: 1 }) })])),
      }),
    ),
  }),
  pairing: Type.Object({ ...Listed, items: Type.Array(AskView) }),
  calls: Type.Object({ ...Listed, items: Type.Array(CallView) }),
});
export type AppSectionT = Static<typeof AppSection>;

/** The sections no business event covers completely, pushed with dashboard.queues (not rooms: events keep them). */
export const AppLive = Type.Omit(AppSection, ['rooms']);
export type AppLiveT = Static<typeof AppLive>;

export const FailedJob = Type.Object({
  id: Type.String(),
  name: Type.String(),
  appid: Type.Optional(Type.String()),
  failedReason: Type.String(),
  attemptsMade: Type.Integer({ minimum: 0 }),
  finishedOn: Type.Optional(Type.Integer({ description: 'unix ms' })),
});

export const QueueView = Type.Object({
  name: Type.String(),
  counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
    description: 'BullMQ getJobCounts of the whole deployment: waiting, prioritized, delayed, active, failed, completed',
  }),
  failed: Type.Array(FailedJob, { description: 'the latest failed jobs; an app sees only its own (payload appid), the admin all' }),
});
export type QueueViewT = Static<typeof QueueView>;

export const DashboardSnapshot = Type.Object({
  serverTime: Type.Integer(),
  admin: Type.Boolean(),
  apps: Type.Array(AppSection),
  queues: Type.Array(QueueView),
});
export type DashboardSnapshotT = Static<typeof DashboardSnapshot>;

/** Periodic push (DASHBOARD_QUEUES_INTERVAL_MS): queue depths and the sections without events, per app watched. */
export const DashboardQueues = Type.Object({
  serverTime: Type.Integer(),
  queues: Type.Array(QueueView),
  apps: Type.Array(AppLive),
});
export type DashboardQueuesT = Static<typeof DashboardQueues>;

/** The one client → server event: ask for a fresh snapshot (the page does it on demand; reconnects get one anyway). */
export const SnapshotRequest = Type.Object({}, { additionalProperties: false });

// ── charts (docs/dashboard.md) ───────────────────────────────────────────────
// `dashboard.charts` (admin only) subscribes the socket: its ack carries the history, then
// every new point comes as `dashboard.charts.point`. A point is the whole deployment at one
// sample time: every process's sample of that time merged (sums of sockets and rates).

/** Subscribe: `since` (unix ms, a point's `t`) sends only newer points — a page reconnecting keeps what it has. */
export const ChartsRequest = Type.Object({ since: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false });

const Rate = (description: string) => Type.Number({ minimum: 0, description: `${description}, per second` });
const Quantiles = Type.Union(
  [
    Type.Object({
      p50: Type.Number({ minimum: 0, description: 'ms' }),
      p99: Type.Number({ minimum: 0, description: 'ms' }),
      n: Type.Integer({ minimum: 1, description: 'observations in the interval' }),
    }),
    Type.Null(),
  ],
  { description: 'percentiles over the interval (interpolated within histogram buckets, as Prometheus does); null: no observation' },
);

export const ChartPoint = Type.Object({
  t: Type.Integer({ description: 'unix ms: the end of the interval (a multiple of intervalMs)' }),
  nodes: Type.Object(
    { api: Type.Integer({ minimum: 0 }), worker: Type.Integer({ minimum: 0 }) },
    { description: 'processes whose sample of this time is in the point' },
  ),
  sockets: Type.Integer({ minimum: 0, description: 'sockets connected to the main namespace, all api nodes' }),
  connects: Rate('sockets connected'),
  disconnects: Rate('sockets disconnected'),
  joins: Rate('room members joined'),
  leaves: Rate('room members left or timed out'),
  eventsIn: Rate('socket events received'),
  eventsOut: Rate('socket events emitted (one emit to a room counts once)'),
  queues: Type.Record(
    Type.String(),
    Type.Object({
      depth: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
        description: 'jobs ready but not started (waiting + prioritized); null: no lease holder sampled this time',
      }),
      completed: Rate('jobs completed'),
      failed: Rate('job attempts failed'),
    }),
    { description: 'every queue of the catalogue' },
  ),
  dispatchWait: Quantiles,
  calls: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'metered calls active' }),
  tickLateness: Quantiles,
  webhooks: Type.Union([
    Type.Object({
      backlog: Type.Integer({ minimum: 0, description: 'deliveries at the head of their lane, being attempted or waiting for a retry' }),
      dead: Type.Integer({ minimum: 0, description: 'dead letters kept' }),
    }),
    Type.Null(),
  ]),
  redisRtt: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'ms: the slowest process’s PING round trip' }),
  errors: Type.Record(Type.String(), Type.Number({ minimum: 0 }), {
    description: 'errors answered per second, by code (codes with none are left out)',
  }),
});
export type ChartPointT = Static<typeof ChartPoint>;

export const ChartHistory = Type.Object({
  intervalMs: Type.Integer({ minimum: 0, description: 'DASHBOARD_SAMPLE_MS (0: sampling is off, no points will come)' }),
  historyMs: Type.Integer({ minimum: 0, description: 'how far back a chart reaches' }),
  points: Type.Array(ChartPoint, { description: 'oldest first' }),
});
export type ChartHistoryT = Static<typeof ChartHistory>;
