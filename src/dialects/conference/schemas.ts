// Bodies of the seed-001 requests as the legacy clients send them: ids may be strings or
// numbers, optional strings may be empty. Converted and checked again in plugin.ts.
import { Type } from 'typebox';

const Id = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Integer({ minimum: 0 })]);
const Text = (max: number) => Type.Union([Type.String({ maxLength: max }), Type.Number()]);
const Time = Type.Union([Type.String({ maxLength: 40 }), Type.Number({ minimum: 0 }), Type.Null()]);

/** `users` of joinConf / inviteConf. */
const Person = Type.Object({ id: Type.Optional(Id), number: Type.Optional(Text(24)), name: Type.Optional(Text(64)) });
/** `users` of quitConf / muteConf / unmuteConf. */
const Leg = Type.Object({ callid: Type.String({ minLength: 1, maxLength: 40 }) });

export const GetUserBody = Type.Object({ id: Id, appid: Id });
export const ConfIdBody = Type.Object({ id: Id });
export const UserConfsBody = Type.Object({ id: Id, appid: Id });
export const CreateConfBody = Type.Object({
  id: Id,
  appid: Id,
  name: Type.String({ minLength: 1, maxLength: 128 }),
  time: Type.Optional(Time),
  pwd: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
});
export const ControlBody = Type.Object({ id: Id, uid: Id, appid: Id });
export const PeopleBody = Type.Object({ id: Id, uid: Id, appid: Id, users: Type.Array(Person, { minItems: 1, maxItems: 500 }) });
export const LegsBody = Type.Object({ id: Id, uid: Id, appid: Id, users: Type.Array(Leg, { minItems: 1, maxItems: 500 }) });
export const PwdBody = Type.Object({ id: Id, uid: Id, appid: Id, pwd: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])) });
export const NoticeBody = Type.Object({ mps: Type.String({ maxLength: 4000 }) });
