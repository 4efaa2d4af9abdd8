import { Type } from 'typebox';
export const UserSigBody = Type.Object({
    roomId: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 4294967295 }), Type.String({ minLength: 1, maxLength: 64 })], {
        description: 'also return a PrivateMapKey for this room (number, or string room id)',
    })),
    privilege: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, default: 255, description: 'PrivateMapKey privilege bitmap (255 = all)' })),
    expire: Type.Optional(Type.Integer({ minimum: 60, maximum: 15552000, description: 'lifetime in seconds (default USERSIG_EXPIRE_SECONDS)' })),
}, { additionalProperties: false });
export const UserSigView = Type.Object({
    userSig: Type.String(),
    sdkAppId: Type.Integer(),
    identifier: Type.String(),
    expire: Type.Integer({ description: 'seconds' }),
    privateMapKey: Type.Optional(Type.String()),
});
//# sourceMappingURL=schemas.js.map