import { Type } from 'typebox';
import { AppIdSchema, UserIdSchema } from '../accounts/schemas.js';
/** Event names that apps may push: `feature.verb`; `session.*` is the server's own. */
export const PushEventName = Type.String({
    pattern: '^(?!session\\.)[A-Za-z][A-Za-z0-9_-]{0,31}(\\.[A-Za-z0-9_-]{1,32}){1,3}$',
    description: 'event name, feature.verb (session.* is reserved)',
});
export const NotifyTarget = Type.Union([
    Type.Object({ user: UserIdSchema }, { additionalProperties: false }),
    Type.Object({ room: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
]);
/** Payload of the public `notify` queue (and of POST /v1/notify, without appid). */
export const NotifyJob = Type.Object({
    appid: AppIdSchema,
    to: NotifyTarget,
    event: PushEventName,
    data: Type.Optional(Type.Unknown()),
}, { additionalProperties: false });
export const NotifyBody = Type.Object({
    appid: Type.Optional(AppIdSchema),
    to: NotifyTarget,
    event: PushEventName,
    data: Type.Optional(Type.Unknown()),
}, { additionalProperties: false });
export const NotifyResult = Type.Object({ delivered: Type.Boolean(), via: Type.String() });
//# sourceMappingURL=schemas.js.map