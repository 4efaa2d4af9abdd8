// Outbound webhooks: endpoint registration bodies and views, dead letters, job payloads.
import { Type, type Static, type TLiteral, type TUnion } from 'typebox';
import { DOMAIN_EVENTS, type DomainEventName } from '../../infra/events.js';
import { AppIdSchema } from '../accounts/schemas.js';

export const EndpointIdSchema = Type.String({ pattern: '^ep_[a-f0-9]{16}$', description: 'webhook endpoint id' });
/** `<endpointId>.<eventId>`: one delivery of one event to one endpoint. */
export const DeliveryIdSchema = Type.String({
  pattern: '^ep_[a-f0-9]{16}\\.[A-Za-z0-9_-]{1,128}$',
  description: 'delivery id: <endpointId>.<eventId>',
});

/**
 * An event name from the catalogue (DOMAIN_EVENTS), or `*` for all of them (also those added later).
 * Typed as the union it is: the literals spread from an array are no tuple, and TypeBox's Static
 * of such a union is `never` (which made every body with `events` unchecked).
 */
export const SubscribedEvent = Type.Union([...DOMAIN_EVENTS.map((name) => Type.Literal(name)), Type.Literal('*')], {
  description: `an event name (${DOMAIN_EVENTS.join(', ')}) or * for every event`,
}) as TUnion<[TLiteral<DomainEventName>, TLiteral<'*'>]>;
const Events = Type.Array(SubscribedEvent, { minItems: 1, maxItems: DOMAIN_EVENTS.length + 1, uniqueItems: true });
const Url = Type.String({
  minLength: 8,
  maxLength: 2048,
  pattern: '^https?://',
  description: 'http(s) URL the events are POSTed to; no user:password part',
});
const Description = Type.String({ maxLength: 200 });

export const CreateEndpointBody = Type.Object(
  { url: Url, events: Events, enabled: Type.Optional(Type.Boolean({ default: true })), description: Type.Optional(Description) },
  { additionalProperties: false },
);
export type CreateEndpointInput = Static<typeof CreateEndpointBody>;

export const UpdateEndpointBody = Type.Object(
  { url: Type.Optional(Url), events: Type.Optional(Events), enabled: Type.Optional(Type.Boolean()), description: Type.Optional(Description) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateEndpointInput = Static<typeof UpdateEndpointBody>;

export const RotateSecretBody = Type.Object(
  {
    graceSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 7 * 86400, default: 0, description: 'the old secret keeps signing (a second v1 in the header) this long' }),
    ),
  },
  { additionalProperties: false },
);

export const EndpointView = Type.Object({
  endpointId: EndpointIdSchema,
  url: Type.String(),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  description: Type.String(),
  createdAt: Type.Integer({ description: 'unix ms' }),
  updatedAt: Type.Integer({ description: 'unix ms' }),
  /** Until when the previous secret also signs (unix ms), after a rotation with grace. */
  previousSecretUntil: Type.Optional(Type.Integer()),
});
export type EndpointViewT = Static<typeof EndpointView>;

/** Create and rotate answer with the signing secret: the only time it is shown. */
export const EndpointWithSecret = Type.Intersect([
  EndpointView,
  Type.Object({ secret: Type.String({ description: 'whsec_…: the HMAC-SHA256 key, shown only here' }) }),
]);
export const EndpointList = Type.Object({ endpoints: Type.Array(EndpointView) });

export const DeliveryView = Type.Object({
  deliveryId: DeliveryIdSchema,
  eventId: Type.String(),
  endpointId: EndpointIdSchema,
  type: Type.String(),
  state: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]),
  attempts: Type.Integer({ description: 'attempts made since the delivery was (re)started' }),
  replays: Type.Integer(),
  orderKey: Type.Optional(Type.String()),
  lastStatus: Type.Optional(Type.Integer({ description: 'HTTP status of the last attempt (absent: no answer)' })),
  lastError: Type.Optional(Type.String()),
  createdAt: Type.Integer({ description: 'unix ms' }),
  deadAt: Type.Optional(Type.Integer({ description: 'unix ms' })),
  body: Type.Unknown({ description: 'the JSON body POSTed: {id, type, time, appid, data}' }),
});
export type DeliveryViewT = Static<typeof DeliveryView>;

export const DeadLetterQuery = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 0, description: 'the `next` of the previous page (an opaque cursor)' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});
export const DeadLetterList = Type.Object({
  deadLetters: Type.Array(DeliveryView),
  next: Type.Optional(Type.Integer({ description: 'pass as ?before= for the next page; absent on the last page' })),
});
export const ReplayResult = Type.Object({
  deliveryId: DeliveryIdSchema,
  eventId: Type.String(),
  state: Type.Literal('pending'),
  queued: Type.Union([Type.Literal('sending'), Type.Literal('behind-earlier')], {
    description: 'sent now, or after the deliveries already waiting with the same order key',
  }),
});

/** One attempt of one delivery (jobId wh.<appid>.<deliveryId>.<gen>.<attempt>). */
export const DeliverJob = Type.Object({
  appid: AppIdSchema,
  deliveryId: DeliveryIdSchema,
  gen: Type.Integer({ minimum: 1, description: 'bumped by each replay: jobs of an earlier run are stale' }),
  attempt: Type.Integer({ minimum: 1 }),
});
export type DeliverJobT = Static<typeof DeliverJob>;
/** Recovery sweep (scheduler): re-enqueues deliveries whose job was lost. */
export const WebhookSweepJob = Type.Object({}, { additionalProperties: false });

/** The JSON body every endpoint receives. */
export interface WebhookBody {
  id: string;
  type: string;
  time: string;
  appid: string;
  data: Record<string, unknown>;
}
