import { Type, type Static } from 'typebox';
import { AppIdSchema, UserIdSchema } from '../accounts/schemas.js';

// ── per-app APNs settings ─────────────────────────────────────────────────────
const HostSchema = Type.String({
  maxLength: 260,
  pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::[0-9]{1,5})?$',
  description: "host or host:port used instead of Apple's (a proxy; a test stand-in). Admin only; null clears it",
});
const EnvironmentSchema = Type.Union([Type.Literal('production'), Type.Literal('sandbox')], {
  description: 'production (App Store / TestFlight builds) or sandbox (development builds): which Apple host, and which device tokens work',
});

export const ApnsSettingsBody = Type.Object(
  {
    keyId: Type.String({ pattern: '^[A-Za-z0-9]{10}$', description: 'the 10-character Key ID of the APNs auth key (.p8)' }),
    teamId: Type.String({ pattern: '^[A-Za-z0-9]{10}$', description: 'the 10-character Team ID of the Apple developer account' }),
    bundleId: Type.String({
      minLength: 1,
      maxLength: 155,
      pattern: '^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$',
      description: "the iOS app's bundle id: the apns-topic of its pushes",
    }),
    key: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 8192,
        description: 'the .p8 file as Apple issues it (PEM, EC P-256). Never shown again; omitted: the stored one is kept',
      }),
    ),
    environment: EnvironmentSchema,
    host: Type.Optional(Type.Union([HostSchema, Type.Null()])),
  },
  { additionalProperties: false },
);
export type ApnsSettingsBodyT = Static<typeof ApnsSettingsBody>;

export const ApnsSettingsView = Type.Object({
  keyId: Type.String(),
  teamId: Type.String(),
  bundleId: Type.String(),
  environment: EnvironmentSchema,
  host: Type.Union([Type.String(), Type.Null()], { description: "null: Apple's host for the environment" }),
  keyFingerprint: Type.String({ description: 'sha256 of the public half of the stored key (the key itself is never shown)' }),
  updatedAt: Type.Integer({ description: 'unix ms' }),
});
export type ApnsSettingsViewT = Static<typeof ApnsSettingsView>;

// ── the push/send job ─────────────────────────────────────────────────────────
export const PushKind = Type.Union([Type.Literal('im'), Type.Literal('tip'), Type.Literal('system'), Type.Literal('cs')], {
  description: 'what the push is about: a web IM message, a tip or system message, a customer-service message',
});
export type PushKindT = Static<typeof PushKind>;

/** One alert to one user's iPhone. jobId apns|<appid>|<kind>|<id>|<uid>: one push per message and recipient. */
export const PushJob = Type.Object(
  {
    appid: AppIdSchema,
    uid: UserIdSchema,
    kind: PushKind,
    id: Type.String({ minLength: 1, maxLength: 140, description: 'the message id (web IM uuid, inbox id, <customer>.<seq>)' }),
    from: Type.String({ maxLength: 64, description: "the sender's user id ('' for the server's own notes)" }),
    title: Type.Optional(Type.String({ maxLength: 200, description: "alert title; absent: the sender's name" })),
    body: Type.String({ maxLength: 2000, description: 'alert body (clipped further to fit 4 KB)' }),
    at: Type.Integer({ description: 'unix ms of the message: the push expires PUSH_EXPIRATION_SECONDS after it' }),
  },
  { additionalProperties: false },
);
export type PushJobT = Static<typeof PushJob>;

/** What the push service is given when a message finds its recipient without a socket. */
export type PushMessageT = Omit<PushJobT, 'appid' | 'uid'>;
