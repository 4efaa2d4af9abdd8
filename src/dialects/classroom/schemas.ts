// Request bodies of seed 002's index.php commands, as documented: every request carries
// the common fields timeStamp and appid (the app's Tencent SdkAppID). Unknown extra
// fields are tolerated, as the PHP original did; documented ones are checked and a
// failure names the field (errorCode 10003).
import { Type, type Static, type TProperties } from 'typebox';
import { UserIdSchema } from '../../modules/accounts/schemas.js';
import { BindFile, CourseListQuery, RoomnumSchema } from '../../modules/classroom/schemas.js';
import { GroupIdSchema } from '../../modules/rooms/schemas.js';
import { VodRequestBody } from '../../modules/media/schemas.js';

const Common = {
  // The low 32 bits of a millisecond clock, sent by Java clients as an int: negative half of the time.
  timeStamp: Type.Integer({ minimum: -2147483648, maximum: 4294967295, description: 'low 32 bits of the current time in ms (signed or unsigned)' }),
  appid: Type.Integer({ minimum: 1, description: 'the SdkAppID of the app' }),
};
const withCommon = <P extends TProperties>(props: P) => Type.Object({ ...Common, ...props }, { additionalProperties: true });

const Token = Type.String({ minLength: 1, maxLength: 200 });
/** Seed: 密码(采用base64加密) — the password, base64-encoded. */
const Pwd = Type.String({ minLength: 1, maxLength: 400, pattern: '^[A-Za-z0-9+/_-]+={0,2}$', description: 'base64 of the password' });
const Operate = Type.Integer({ minimum: 0, maximum: 1 });
const Index = Type.Integer({ minimum: 0 });
const Size = Type.Integer({ minimum: 1, maximum: 500 });

export const RegistReq = withCommon({
  id: UserIdSchema,
  pwd: Pwd,
  role: Type.Integer({ minimum: 0, maximum: 1, description: '1 teacher, 0 student' }),
});
export const LoginReq = withCommon({ id: UserIdSchema, pwd: Pwd });
export const TokenReq = withCommon({ token: Token });
export const CreateReq = withCommon({
  token: Token,
  title: Type.String({ minLength: 1, maxLength: 256 }),
  cover: Type.Optional(Type.String({ maxLength: 2048 })),
});
export const RoomReq = withCommon({ token: Token, roomnum: RoomnumSchema });
export const RoomListReq = withCommon({
  token: Token,
  index: Index,
  size: Size,
  roomnum: Type.Optional(RoomnumSchema),
  from_time: CourseListQuery.properties.from_time,
  to_time: CourseListQuery.properties.to_time,
  host_uid: CourseListQuery.properties.host_uid,
  state: CourseListQuery.properties.state,
});
export const ReportMemReq = withCommon({ token: Token, roomnum: RoomnumSchema, operate: Operate });
export const PagedRoomReq = withCommon({ token: Token, roomnum: RoomnumSchema, index: Index, size: Size });
export const ReportBindReq = withCommon({
  token: Token,
  roomnum: RoomnumSchema,
  operate: Operate,
  bind_file: Type.Object(BindFile.properties, { additionalProperties: true }),
});
/** Extension (the seed asks for "a new signal" when the IM group id differs from roomnum). */
export const ReportGroupReq = withCommon({ token: Token, roomnum: RoomnumSchema, groupid: GroupIdSchema });
export const CosSignReq = withCommon({
  token: Token,
  type: Type.Integer({ minimum: 0, maximum: 1, description: '0 multi-effect, 1 single-effect' }),
  bucket: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  file_path: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
});
export const VodReq = withCommon({ token: Token, ...VodRequestBody.properties });

export type RegistReqT = Static<typeof RegistReq>;
