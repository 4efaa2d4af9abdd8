import { Type } from 'typebox';
import { RequestIdSchema } from '../dispatch/schemas.js';
export const StarsSchema = Type.Integer({ minimum: 1, maximum: 5, description: 'stars, 1–5' });
/** caller = the user side (seed user_*), agent = the translator side (seed translator_*). */
export const FeedbackSideSchema = Type.Union([Type.Literal('caller'), Type.Literal('agent')]);
export const FeedbackBody = Type.Object({
    network: StarsSchema,
    translation: StarsSchema,
    side: Type.Optional(FeedbackSideSchema), // checked against who the caller is in the conversation; inferred when absent
}, { additionalProperties: false });
export const FeedbackRequest = Type.Object({ conversationId: RequestIdSchema, network: StarsSchema, translation: StarsSchema, side: Type.Optional(FeedbackSideSchema) }, { additionalProperties: false });
export const SideFeedback = Type.Object({ network: StarsSchema, translation: StarsSchema, at: Type.Integer({ description: 'unix ms' }) });
export const FeedbackView = Type.Object({
    conversationId: RequestIdSchema,
    caller: Type.Optional(SideFeedback),
    agent: Type.Optional(SideFeedback),
});
export const FeedbackResult = Type.Object({
    conversationId: RequestIdSchema,
    side: FeedbackSideSchema,
    network: StarsSchema,
    translation: StarsSchema,
    agentRating: Type.Optional(Type.Number({ description: "the agent's rating after this feedback (caller side only)" })),
});
//# sourceMappingURL=schemas.js.map