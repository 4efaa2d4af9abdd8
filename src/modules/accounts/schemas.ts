import { Type, type Static } from 'typebox';

export const AppIdSchema = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{2,31}$', description: 'app (tenant) id' });
export const UserIdSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_@+\\-][A-Za-z0-9_.@+\\-]*$',
  description: 'user id, unique within the app',
});
export const RoleSchema = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,31}$', description: 'role, e.g. user, teacher, student, agent' });
export const PasswordSchema = Type.String({ minLength: 1, maxLength: 256 });
export const ProfileSchema = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
  description: 'free-form profile (languages, gender, tags …)',
});

/** Tencent settings of an app: RTC credentials, COS, VOD and callbacks. */
export const TencentSettingsSchema = Type.Object(
  {
    sdkAppId: Type.Integer({ minimum: 1 }),
    key: Type.String({ minLength: 1, description: 'UserSig key' }),
    secretId: Type.Optional(Type.String({ minLength: 1 })),
    secretKey: Type.Optional(Type.String({ minLength: 1 })),
    cosBucket: Type.Optional(Type.String({ minLength: 1 })),
    cosRegion: Type.Optional(Type.String({ minLength: 1 })),
    callbackKey: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type TencentSettings = Static<typeof TencentSettingsSchema>;

export const CreateAppBody = Type.Object(
  {
    appid: Type.Optional(AppIdSchema),
    name: Type.Optional(Type.String({ maxLength: 128 })),
    tencent: Type.Optional(TencentSettingsSchema),
    selfRegister: Type.Optional(Type.Boolean({ description: 'may users register themselves (default true)' })),
  },
  { additionalProperties: false },
);
export type CreateAppInput = Static<typeof CreateAppBody>;

export const UpdateAppBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 128 })),
    tencent: Type.Optional(Type.Union([TencentSettingsSchema, Type.Null()])),
    selfRegister: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateAppInput = Static<typeof UpdateAppBody>;

export const AppCredentials = Type.Object({ appid: AppIdSchema, secret: Type.String() });

export const AppView = Type.Object({
  appid: AppIdSchema,
  name: Type.String(),
  createdAt: Type.Integer(),
  selfRegister: Type.Boolean(),
  tencent: Type.Union([
    Type.Object({
      sdkAppId: Type.Integer(),
      secretId: Type.Optional(Type.String()),
      cosBucket: Type.Optional(Type.String()),
      cosRegion: Type.Optional(Type.String()),
      hasCallbackKey: Type.Boolean(),
    }),
    Type.Null(),
  ]),
});
export type AppViewT = Static<typeof AppView>;

export const RotateSecretBody = Type.Object(
  { graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 604800, description: 'how long the old secret keeps working (default 0)' })) },
  { additionalProperties: false },
);

export const UserView = Type.Object({
  id: UserIdSchema,
  role: RoleSchema,
  name: Type.String(),
  profile: ProfileSchema,
  createdAt: Type.Integer(),
});
export type User = Static<typeof UserView>;

export const RegisterBody = Type.Object(
  {
    appid: AppIdSchema,
    id: UserIdSchema,
    password: PasswordSchema,
    role: Type.Optional(RoleSchema),
    name: Type.Optional(Type.String({ maxLength: 128 })),
    profile: Type.Optional(ProfileSchema),
  },
  { additionalProperties: false },
);
export type RegisterInput = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  {
    appid: AppIdSchema,
    id: UserIdSchema,
    password: PasswordSchema,
    qav: Type.Optional(Type.Boolean({ description: 'also return qav_id and qav_sig (Tencent QAV identity and UserSig; seed 000)' })),
  },
  { additionalProperties: false },
);

export const IssueTokenBody = Type.Object(
  {
    uid: UserIdSchema,
    role: Type.Optional(RoleSchema),
    name: Type.Optional(Type.String({ maxLength: 128 })),
    profile: Type.Optional(ProfileSchema),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 31536000 })),
  },
  { additionalProperties: false },
);

export const SessionView = Type.Object({
  token: Type.String(),
  expiresAt: Type.Integer({ description: 'unix ms' }),
  user: UserView,
  qav_id: Type.Optional(Type.String({ description: 'with qav=true: the QAV/TIM identifier (the user id)' })),
  qav_sig: Type.Optional(Type.String({ description: 'with qav=true: its UserSig' })),
});
export type SessionViewT = Static<typeof SessionView>;

export const MeView = Type.Object({ appid: AppIdSchema, user: UserView, expiresAt: Type.Integer() });

export const UserList = Type.Object({
  users: Type.Array(UserView),
  total: Type.Integer({ description: "the app's users, before any filter" }),
  offset: Type.Integer(),
  next: Type.Union([Type.Integer(), Type.Null()], { description: 'offset of the next page; null at the end' }),
});
export type UserPageT = Static<typeof UserList>;
export const UserFilter = Type.Object({
  role: Type.Optional(RoleSchema),
  prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'user ids starting with this' })),
});
export type UserFilterT = Static<typeof UserFilter>;

export const RotatedSecret = Type.Object({
  appid: AppIdSchema,
  secret: Type.String({ description: 'the new secret: shown once, never again' }),
  id: Type.String({ description: 'its id (first 12 characters of its SHA-256, base64url)' }),
  createdAt: Type.Integer({ description: 'unix ms' }),
  previous: Type.Union([Type.Object({ id: Type.String(), expiresAt: Type.Integer({ description: 'unix ms: refused from then on' }) }), Type.Null()], {
    description: 'the old secret while in its grace; null: refused at once',
  }),
});
export type RotatedSecretT = Static<typeof RotatedSecret>;
export const SecretInfo = Type.Object({
  id: Type.String({ description: 'first 12 characters of the SHA-256 of the secret, base64url' }),
  state: Type.Union([Type.Literal('current'), Type.Literal('previous')]),
  createdAt: Type.Integer({ description: 'unix ms' }),
  expiresAt: Type.Union([Type.Integer(), Type.Null()], { description: 'unix ms (previous secret: end of its grace); null: current' }),
});
export type SecretInfoT = Static<typeof SecretInfo>;
export const SecretList = Type.Object({ appid: AppIdSchema, secrets: Type.Array(SecretInfo) });

export const DisconnectBody = Type.Object(
  {
    reason: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'message of the session.revoked event the sockets get before closing' }),
    ),
    revoke: Type.Optional(Type.Boolean({ description: 'also revoke every token of the user (default false: the app may reconnect them)' })),
  },
  { additionalProperties: false },
);
export const DisconnectResult = Type.Object({
  sockets: Type.Integer({ description: 'sockets closed, on every node' }),
  revoked: Type.Integer({ description: 'tokens revoked' }),
});
export const Paging = Type.Object({
  offset: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
});
