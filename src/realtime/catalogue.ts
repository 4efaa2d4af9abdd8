// The typed event catalogue: every socket event, client→server (request + ack data)
// and server→client, with its TypeBox schema. Shared by the gateway, workers, tests
// and the client helper (src/client). Feature modules add their events here.
import { Type, type Static, type TSchema } from 'typebox';
import { UserView } from '../modules/accounts/schemas.js';
import {
  BalanceAnswer,
  BalanceRequest,
  CallRef,
  CallView,
  ChargeEnded,
  ChargeLow,
  ChargeStarted,
  ChargeTick,
  LedgerPage,
  LedgerRequest,
} from '../modules/billing/schemas.js';
import {
  BindRequest,
  BindResult,
  BindList,
  CourseList,
  CourseListQuery,
  CoursePageRequest,
  CourseRef,
  CourseView,
  CreateCourseBody,
  IdList,
} from '../modules/classroom/schemas.js';
import {
  AcceptedEvent,
  BeginBody,
  ConversationEndedEvent,
  ConversationStartedEvent,
  CreateRequestBody,
  DeclineResult,
  EndBody,
  ExpiredEvent,
  OfferEvent,
  QueuedEvent,
  RequestRef,
  RequestView,
  TakenEvent,
  WithdrawnEvent,
} from '../modules/dispatch/schemas.js';
import { FeedbackRequest, FeedbackResult } from '../modules/feedback/schemas.js';
import { AckBody, AckResult, CheckBody, CheckResult, InboxList, InboxMessage, TranslateBody, TranslateResult } from '../modules/messaging/schemas.js';
import {
  AnswerBody,
  AnswerResult,
  AnsweredEvent,
  AskBody,
  AskRef,
  AskView,
  AvailabilityBody,
  AvailabilityView,
  ConfirmBody,
  DeleteRecordBody,
  DeleteResult,
  DispatchEvent,
  EndedEvent as PairEndedEvent,
  HistoryPage,
  HistoryQuery,
  MatchedEvent,
  WithdrawnEvent as PairWithdrawnEvent,
} from '../modules/pairing/schemas.js';
import { AgentView, HeartbeatResult, PresenceSetBody, PresenceStateEvent } from '../modules/presence/schemas.js';
import { SignalEvent, SignalRequest, SignalResult } from '../modules/signals/schemas.js';
import {
  ConfAddRequest,
  ConfCallIdsRequest,
  ConferenceMemberEvent,
  ConferenceView,
  ConfJoinRequest,
  ConfPasswordRequest,
  ConfRef,
  ControlResult as ConfControlResult,
  CreateConferenceBody,
  JoinResult as ConfJoinResult,
  ParticipantList as ConfParticipantList,
} from '../modules/conferences/schemas.js';
import {
  ImConnected,
  ImMessage,
  ImPresence,
  SendBody as ImSendBody,
  SendResult as ImSendResult,
  SetStatusBody as ImStatusBody,
  SetStatusResult as ImStatusResult,
  SubscribeBody as ImSubscribeBody,
  SubscribeResult as ImSubscribeResult,
  Subscriptions as ImSubscriptions,
} from '../modules/webim/schemas.js';
import {
  JoinResult as LiveJoinResult,
  ListQuery as LiveListQuery,
  StartBody as LiveStartBody,
  VideoIdSchema,
  VideoList,
  VideoView,
} from '../modules/live/schemas.js';
import {
  ConsultationView,
  CsMessage,
  CustomerRef,
  Empty as CsEmpty,
  EndResult as CsEndResult,
  OptionalCustomerRef,
  ReplyBody,
  ReplyResult,
  SeatOnlineResult,
  SeatView,
  SendBody,
  SendResult,
  StatusEvent as CsStatusEvent,
  TakenEvent as CsTakenEvent,
} from '../modules/customerservice/schemas.js';
import {
  EnterResult,
  LeaveResult,
  MemberList,
  MembersRequest,
  MessageList,
  MessagesRequest,
  RoomMemberEvent,
  RoomMembersChangedEvent,
  RoomMessage,
  RoomRef,
  RoomStateEvent,
  SendMessageRequest,
} from '../modules/rooms/schemas.js';

export const ErrorBodySchema = Type.Object({ code: Type.String(), message: Type.String() });

/** The ack of every client→server event. */
export const Ack = <T extends TSchema>(data: T) =>
  Type.Union([Type.Object({ ok: Type.Literal(true), data }), Type.Object({ ok: Type.Literal(false), error: ErrorBodySchema })]);

export const SnapshotSchema = Type.Object(
  {
    appid: Type.String(),
    user: UserView,
    serverTime: Type.Integer({ description: 'unix ms' }),
    recovered: Type.Boolean({ description: 'true when missed events were replayed (streams adapter)' }),
  },
  { additionalProperties: true, description: 'features add their pending state (offers, calls, rooms, balance) under their own keys' },
);

export const clientEvents = {
  /** Heartbeat-sized round trip: keeps a session warm and measures latency. */
  'session.ping': {
    request: Type.Object({ t: Type.Optional(Type.Number()) }, { additionalProperties: false }),
    response: Type.Object({ t: Type.Optional(Type.Number()), serverTime: Type.Integer() }),
  },
  /** Asks for a fresh snapshot (the same one sent on connect). */
  'session.snapshot': {
    request: Type.Object({}, { additionalProperties: false }),
    response: SnapshotSchema,
  },

  // ── rooms: membership, heartbeats, chat ────────────────────────────────────
  /** Enter a room; the socket (and the user's other sockets) get its events. */
  'room.join': { request: RoomRef, response: EnterResult },
  'room.leave': { request: RoomRef, response: LeaveResult },
  /** Every few seconds while in a room (seed: 3 s); silent members are removed after ROOM_MEMBER_TIMEOUT_MS. */
  'room.heartbeat': { request: RoomRef, response: EnterResult },
  /** Chat to the room: numbered by a per-room sequence, stored for playback. */
  'room.message': { request: SendMessageRequest, response: RoomMessage },
  /** Stored messages with after < seq ≤ to (playback: begin_imseq, end_imseq). */
  'room.messages': { request: MessagesRequest, response: MessageList },
  'room.members': { request: MembersRequest, response: MemberList },

  // ── classroom courses (seed 002) ───────────────────────────────────────────
  'course.create': { request: CreateCourseBody, response: CourseView },
  'course.start': { request: CourseRef, response: CourseView },
  /** The teacher ends the course (seed exitroom). */
  'course.exit': { request: CourseRef, response: CourseView },
  'course.get': { request: CourseRef, response: CourseView },
  'course.list': { request: CourseListQuery, response: CourseList },
  'course.members': { request: CoursePageRequest, response: IdList },
  'course.bind': { request: BindRequest, response: BindResult },
  'course.binds': { request: CoursePageRequest, response: BindList },

  // ── billing: balance, ledger, metered calls ────────────────────────────────
  /** The caller's balance and active metered calls (as in the snapshot). */
  'billing.balance': { request: BalanceRequest, response: BalanceAnswer },
  /** The caller's ledger, newest first. */
  'billing.ledger': { request: LedgerRequest, response: LedgerPage },
  /** A metered call (or its bill) the caller pays or is paid for. */
  'billing.call': { request: CallRef, response: CallView },
  /** The payer accepts the bill of an ended call (seed charge/confirm). */
  'billing.confirm': { request: CallRef, response: CallView },

  // ── agents, dispatch, conversations (seed 000; customer-service seats) ───────
  /** An agent goes online (optionally with new skills/capacity) or offline. */
  'presence.set': { request: PresenceSetBody, response: AgentView },
  /** An online agent is still here (at least every PRESENCE_TIMEOUT_MS). */
  'presence.heartbeat': { request: Type.Object({}, { additionalProperties: false }), response: HeartbeatResult },
  'presence.get': { request: Type.Object({}, { additionalProperties: false }), response: AgentView },
  /** A caller asks for an agent with a skill (e.g. CN>EN); offers go out in rounds. */
  'dispatch.request': { request: CreateRequestBody, response: RequestView },
  /** First accept wins; the others get ALREADY_TAKEN. */
  'dispatch.accept': { request: RequestRef, response: RequestView },
  'dispatch.decline': { request: RequestRef, response: DeclineResult },
  /** The caller gives up a waiting request. */
  'dispatch.cancel': { request: RequestRef, response: RequestView },
  'dispatch.get': { request: RequestRef, response: RequestView },
  /** A party begins the accepted conversation (seed conversation/begin). */
  'conversation.begin': { request: BeginBody, response: RequestView },
  /** A party ends it; the agent is free again (seed conversation/end). */
  'conversation.end': { request: EndBody, response: RequestView },
  /** A signed TIM custom message, relayed to the other party once its sign verifies. */
  'conversation.signal': { request: SignalRequest, response: SignalResult },
  /** Stars for network and translation, once per side. */
  'conversation.feedback': { request: FeedbackRequest, response: FeedbackResult },

  // ── messaging (seed 003 IM checks, translation, tip/system messages) ─────────
  /** May this message be sent? SENSITIVE_WORD, or INSUFFICIENT_BALANCE when priced messages cannot be paid (seed im/before/check). */
  'message.check': { request: CheckBody, response: CheckResult },
  /** Machine translation (TRANSLATION_NOT_CONFIGURED without a provider). */
  'message.translate': { request: TranslateBody, response: TranslateResult },
  /** My unacknowledged tip/system messages (also in session.snapshot under `inbox`). */
  'message.inbox': { request: Type.Object({}, { additionalProperties: false }), response: InboxList },
  /** Acknowledge tip/system messages up to an id: they leave the inbox. */
  'message.ack': { request: AckBody, response: AckResult },

  // ── pairing (seed 003 speed match) ─────────────────────────────────────────
  /** Be offered asks (profile.language/gender/tags are the filters' attributes) or not; ends with the last socket. */
  'pair.available': { request: AvailabilityBody, response: AvailabilityView },
  /** Can the balance pay the minimum call? (seed video/before/check; INSUFFICIENT_BALANCE otherwise) */
  'pair.check': {
    request: Type.Object({}, { additionalProperties: false }),
    response: Type.Object({ balance: Type.Integer(), minimum: Type.Integer() }),
  },
  /** Ask to be paired (seed video/pair/ask); rounds of pair.dispatch go to candidates. */
  'pair.ask': { request: AskBody, response: AskView },
  /** A candidate answers the current round; the first pass wins. */
  'pair.answer': { request: AnswerBody, response: AnswerResult },
  /** The asker likes (call, metered) or dislikes (back to matching) the peer. */
  'pair.confirm': { request: ConfirmBody, response: AskView },
  'pair.cancel': { request: AskRef, response: AskView },
  /** Either party ends the call that followed the match. */
  'pair.hangup': { request: AskRef, response: AskView },
  'pair.info': { request: AskRef, response: AskView },
  'pair.history': { request: HistoryQuery, response: HistoryPage },
  'pair.delete': { request: DeleteRecordBody, response: DeleteResult },

  // ── voice conferences (seed 001) ───────────────────────────────────────────
  /** Create a conference (time empty: now; a future time: scheduled) as its creator. */
  'conference.create': { request: Type.Omit(CreateConferenceBody, ['uid']), response: ConferenceView },
  /** Enter from the app (the password unless you created it): state 1, a callid, conference.member to the room. */
  'conference.join': { request: ConfJoinRequest, response: ConfJoinResult },
  'conference.leave': { request: ConfRef, response: Type.Object({ left: Type.Boolean() }) },
  'conference.get': { request: ConfRef, response: ConferenceView },
  'conference.participants': { request: ConfRef, response: ConfParticipantList },
  /** Creator: add participants; dial: true also dials those with a number. */
  'conference.invite': { request: ConfAddRequest, response: ConfControlResult },
  /** Creator: dial every participant with a number who is not in. */
  'conference.callAll': { request: ConfRef, response: ConfControlResult },
  /** Creator: kick / mute / unmute legs by callid. */
  'conference.kick': { request: ConfCallIdsRequest, response: ConfControlResult },
  'conference.mute': { request: ConfCallIdsRequest, response: ConfControlResult },
  'conference.unmute': { request: ConfCallIdsRequest, response: ConfControlResult },
  /** Creator: set the password ("" clears it). */
  'conference.password': { request: ConfPasswordRequest, response: ConferenceView },
  /** Creator: end it and hang up every leg. */
  'conference.stop': { request: ConfRef, response: ConferenceView },

  // ── web IM (seed 004 §3.2.2) ───────────────────────────────────────────────
  /** setStatus: any string, sent as im.presence to my subscribers. */
  'im.status': { request: ImStatusBody, response: ImStatusResult },
  /** send(to, body): to a platform user id; every socket of theirs, or kept until they connect. */
  'im.send': { request: ImSendBody, response: ImSendResult },
  /** Receive a user's presence (answers their presence now). */
  'im.subscribe': { request: ImSubscribeBody, response: ImSubscribeResult },
  'im.unsubscribe': { request: ImSubscribeBody, response: Type.Object({ removed: Type.Boolean() }) },
  'im.subscriptions': { request: Type.Object({}, { additionalProperties: false }), response: ImSubscriptions },

  // ── live streams (seed 004 §3.2.3–3.2.4) ────────────────────────────────────
  /** Start a live video → videoID (= its room id), host, port, rtspURL, url (HLS). */
  'live.start': { request: LiveStartBody, response: VideoView },
  /** The author stops it. */
  'live.stop': { request: Type.Object({ videoID: VideoIdSchema }, { additionalProperties: false }), response: VideoView },
  /** Watch: enter its room as a viewer (then room.heartbeat with roomId = videoID). */
  'live.join': {
    request: Type.Object({ videoID: VideoIdSchema, password: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
    response: LiveJoinResult,
  },
  'live.leave': {
    request: Type.Object({ videoID: VideoIdSchema }, { additionalProperties: false }),
    response: Type.Object({ left: Type.Boolean(), memsize: Type.Integer() }),
  },
  'live.get': {
    request: Type.Object({ videoID: VideoIdSchema, password: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
    response: VideoView,
  },
  /** My videos and my live groups' (author defaults to me), or one of my groups' (groupId). */
  'live.list': { request: LiveListQuery, response: VideoList },

  // ── customer service (seed 004 §4): customers write, seats reply; the first reply takes the customer over ──
  /** A customer writes; the first message opens a consultation offered to every online seat. */
  'cs.send': { request: SendBody, response: SendResult },
  /** The customer leaves: a waiting consultation is withdrawn, a conversation ends. */
  'cs.end': { request: CsEmpty, response: CsEndResult },
  /** A consultation with its messages: a seat passes `customer`; a customer reads its own. */
  'cs.history': { request: OptionalCustomerRef, response: ConsultationView },
  /** A seat's console opens: online, with the waiting consultations offered to it and its own customers. */
  'cs.seat.online': { request: CsEmpty, response: SeatOnlineResult },
  /** A seat leaves: offline at once; its customers return to the pool. */
  'cs.seat.offline': { request: CsEmpty, response: SeatView },
  /** A seat replies; on a waiting consultation the first reply takes the customer over (CS_TAKEN for the others). */
  'cs.reply': { request: ReplyBody, response: ReplyResult },
  /** A seat ends the conversation with its customer. */
  'cs.close': { request: CustomerRef, response: CsEndResult },
} satisfies Record<string, { request: TSchema; response: TSchema }>;

export const serverEvents = {
  'session.snapshot': SnapshotSchema,
  /** Sent just before the server closes a socket whose token was revoked or expired. */
  'session.revoked': ErrorBodySchema,
  /** An error for an event sent without an ack callback, or before a flood disconnect. */
  'session.error': Type.Object({ event: Type.String(), code: Type.String(), message: Type.String() }),
  /**
   * Someone joined, left or timed out: to the room while it has fewer than
   * ROOM_MEMBER_BATCH_ABOVE members; in larger rooms to the host only (every change).
   */
  'room.member': RoomMemberEvent,
  /** The membership changes of a large room, at most one batch per ROOM_MEMBER_BATCH_MS, to its members but the host. */
  'room.members.changed': RoomMembersChangedEvent,
  /** The room's state changed (course created/live/ended/playback, closed), or its member count (dashboards). */
  'room.state': RoomStateEvent,
  /** A chat message in the room. */
  'room.message': RoomMessage,
  /** Metering of a call began (to payer and payee); unit 1 is already paid. */
  'charge.started': ChargeStarted,
  /** Every CHARGE_TICK_SECONDS of a metered call, to payer and payee: elapsed, units, amount, the payer's balance, the tick's due time. */
  'charge.tick': ChargeTick,
  /** The payer's balance pays fewer than CHARGE_LOW_UNITS units (once per crossing). */
  'charge.low': ChargeLow,
  /** Metering ended (reason balance: exhausted, ended by the server). */
  'charge.ended': ChargeEnded,
  /** The server changed the agent's state (timeout, conversation ended …), to its own sockets. */
  'presence.state': PresenceStateEvent,
  /** To an agent: a request it may accept. */
  'dispatch.offer': OfferEvent,
  /** To the other offered agents: someone accepted first. */
  'dispatch.taken': TakenEvent,
  /** To offered agents: the request expired or was cancelled. */
  'dispatch.withdrawn': WithdrawnEvent,
  /** To the caller: an agent accepted (begin the conversation with it). */
  'dispatch.accepted': AcceptedEvent,
  /** To the caller: no agent holds an offer right now; position in the skill's queue. */
  'dispatch.queued': QueuedEvent,
  /** To the caller: nobody accepted within DISPATCH_MAX_WAIT_MS. */
  'dispatch.expired': ExpiredEvent,
  'conversation.started': ConversationStartedEvent,
  'conversation.ended': ConversationEndedEvent,
  /** A verified signed peer message from the other party. */
  'conversation.signal': SignalEvent,
  /** A grey-bar tip from the app's backend (seed /api/server/im/send/tip); kept in the inbox until message.ack. */
  'message.tip': InboxMessage,
  /** A system message from the app's backend (seed /api/server/im/send/system); kept in the inbox until message.ack. */
  'message.system': InboxMessage,
  /** To a candidate: the seed's long-link message {objectName: RC:CmdMsg, content: {name: dispatch, data: {ask_no, ask_uid, round_no}, extra}}. */
  'pair.dispatch': DispatchEvent,
  /** To the asker: a candidate passed; confirm it. */
  'pair.answered': AnsweredEvent,
  /** To both: liked; the metered call begins. */
  'pair.matched': MatchedEvent,
  /** To the asker (and the peer): the ask is over (cancelled, no-match, balance, call-ended). */
  'pair.ended': PairEndedEvent,
  /** To candidates holding an offer that closed (taken, cancelled, ended). */
  'pair.withdrawn': PairWithdrawnEvent,
  /** To a conference's members (app participants who joined): a participant was added, dialled, answered, failed, joined, left, hung up, kicked, (un)muted, or the conference ended. */
  'conference.member': ConferenceMemberEvent,
  /** Web IM: the socket is logged in (after any kept messages, sent as im.message with offline: true). */
  'im.connected': ImConnected,
  /** Web IM: a user I subscribe to set a status or went offline. */
  'im.presence': ImPresence,
  /** Web IM: a text message to me. */
  'im.message': ImMessage,
  /** Customer service: a message of a consultation, to the customer and to the seat holding it (or the seats holding its offer). */
  'cs.message': CsMessage,
  /** Customer service, to every seat of the app: a seat took a customer over (first reply). */
  'cs.taken': CsTakenEvent,
  /** Customer service, to the customer: waiting / talking (with the seat's nickname) / returned (the seat went offline) / closed. */
  'cs.status': CsStatusEvent,
} satisfies Record<string, TSchema>;

export type ClientEventName = keyof typeof clientEvents;
export type ClientRequest<E extends ClientEventName> = Static<(typeof clientEvents)[E]['request']>;
export type ClientResponse<E extends ClientEventName> = Static<(typeof clientEvents)[E]['response']>;
export type ServerEventName = keyof typeof serverEvents;
export type ServerPayload<E extends ServerEventName> = Static<(typeof serverEvents)[E]>;
export type AckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
