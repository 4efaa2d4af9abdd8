// Query parameters of seed 000's GET API, as documented (names included: `loginin` of
// qav_request is the seed's spelling). Every command also takes `token` (the login token,
// when not sent as Authorization: Bearer); unknown extra parameters are tolerated, as the
// original server did. A failure names the parameter.
import { Type } from 'typebox';
import { AppIdSchema, PasswordSchema, UserIdSchema } from '../../modules/accounts/schemas.js';
import { RequestIdSchema } from '../../modules/dispatch/schemas.js';
import { StarsSchema } from '../../modules/feedback/schemas.js';
const Token = Type.String({ minLength: 1, maxLength: 200, description: 'login token (or Authorization: Bearer)' });
const q = (props) => Type.Object({ token: Type.Optional(Token), ...props }, { additionalProperties: true });
/** Language code of a pair: CN, EN, JA … (upper-cased by the dialect). */
const Lang = Type.String({ pattern: '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})?$', description: 'language code (CN, EN …)' });
const ChargeLength = Type.Integer({ minimum: 0, maximum: 864000, description: "the agent app's measure of the call, seconds" });
export const LoginQuery = Type.Object({
    loginid: UserIdSchema,
    password: PasswordSchema,
    qav: Type.Optional(Type.Boolean({ description: 'true: also return qav_id and qav_sig' })),
    appid: Type.Optional(AppIdSchema),
    encrypt: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    source: Type.Optional(Type.String()),
    serial: Type.Optional(Type.String()),
    sign: Type.Optional(Type.String()),
}, { additionalProperties: true });
export const LoginidQuery = q({ loginid: UserIdSchema });
export const QavRequestQuery = q({ lang1: Lang, lang2: Lang, loginin: UserIdSchema });
export const BeginQuery = q({ conversation_id: RequestIdSchema, agent_emp_id: UserIdSchema });
export const ConversationQuery = q({ conversation_id: RequestIdSchema });
export const ChargeLengthQuery = q({ conversation_id: RequestIdSchema, charge_length: ChargeLength });
export const FeedbackQuery = q({
    conversation_id: RequestIdSchema,
    user_network_star: Type.Optional(StarsSchema),
    user_translate_star: Type.Optional(StarsSchema),
    translator_network_star: Type.Optional(StarsSchema),
    translator_translate_star: Type.Optional(StarsSchema),
});
//# sourceMappingURL=schemas.js.map