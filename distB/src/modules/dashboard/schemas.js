// The /dashboard namespace on the wire: what a dashboard sends at the handshake, and the
// snapshot and periodic pushes it receives. Live business events (room.state,
// room.member.joined, dispatch.taken, charge.ticked …) keep their own payloads
// (core.events / the rooms module); the page applies them to the snapshot it holds.
import { Type } from 'typebox';
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
        queues: Type.Array(Type.Object({ skill: Type.String(), total: Type.Integer({ minimum: 0 }), requests: Type.Array(Type.Intersect([RequestView, Type.Object({ position: Type.Integer({ minimum: 1 }) })])) })),
    }),
    pairing: Type.Object({ ...Listed, items: Type.Array(AskView) }),
    calls: Type.Object({ ...Listed, items: Type.Array(CallView) }),
});
/** The sections no business event covers completely, pushed with dashboard.queues (not rooms: events keep them). */
export const AppLive = Type.Omit(AppSection, ['rooms']);
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
    counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'BullMQ getJobCounts of the whole deployment: waiting, prioritized, delayed, active, failed, completed' }),
    failed: Type.Array(FailedJob, { description: "the latest failed jobs; an app sees only its own (payload appid), the admin all" }),
});
export const DashboardSnapshot = Type.Object({
    serverTime: Type.Integer(),
    admin: Type.Boolean(),
    apps: Type.Array(AppSection),
    queues: Type.Array(QueueView),
});
/** Periodic push (DASHBOARD_QUEUES_INTERVAL_MS): queue depths and the sections without events, per app watched. */
export const DashboardQueues = Type.Object({
    serverTime: Type.Integer(),
    queues: Type.Array(QueueView),
    apps: Type.Array(AppLive),
});
/** The one client → server event: ask for a fresh snapshot (the page does it on demand; reconnects get one anyway). */
export const SnapshotRequest = Type.Object({}, { additionalProperties: false });
//# sourceMappingURL=schemas.js.map