import { Type, type Static } from 'typebox';
import { AppIdSchema, PasswordSchema, UserIdSchema } from '../accounts/schemas.js';

/** The app's own id for its user (seed 004 thirdPartyId): unique within the app. */
export const ThirdPartyIdSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[^\\s]+$',
  description: "the app's own id of the user (no white space)",
});
export const DeviceIdSchema = Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x7e]+$', description: 'APNS device token (iPhone)' });

export const ThirdPartyUserView = Type.Object({
  thirdPartyId: ThirdPartyIdSchema,
  userId: UserIdSchema,
  deviceId: Type.Optional(DeviceIdSchema),
});
export type ThirdPartyUserT = Static<typeof ThirdPartyUserView>;

export const AddThirdPartyUserBody = Type.Object({ thirdPartyId: ThirdPartyIdSchema, password: PasswordSchema }, { additionalProperties: false });

/** Exactly one of password / newId (seed: "下面的 1)和 2)只能有一个"). */
export const ModifyThirdPartyUserBody = Type.Union(
  [
    Type.Object({ password: PasswordSchema }, { additionalProperties: false }),
    Type.Object({ newId: ThirdPartyIdSchema }, { additionalProperties: false }),
  ],
  { description: 'either {password} or {newId}, not both' },
);

export const ThirdPartyLoginBody = Type.Object(
  { appid: AppIdSchema, thirdPartyId: ThirdPartyIdSchema, password: PasswordSchema },
  { additionalProperties: false },
);

export const QuotaBody = Type.Object(
  {
    quota: Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 100000000 })], {
      description: 'users the app may have; null: the deployment default (VTC_USER_QUOTA)',
    }),
  },
  { additionalProperties: false },
);
export const QuotaView = Type.Object({
  quota: Type.Integer(),
  own: Type.Boolean({ description: 'false: the deployment default' }),
  users: Type.Integer({ description: 'third-party users now' }),
});

export const DeviceBody = Type.Object({ deviceId: Type.Optional(Type.Union([Type.Null(), DeviceIdSchema])) }, { additionalProperties: false });
export const DeviceView = Type.Object({ deviceId: Type.Union([DeviceIdSchema, Type.Null()]) });
