// Two-sided feedback on a conversation: network and translation stars (1–5) from the caller
// side and from the agent side, each side once (atomic). The caller side's translation
// stars are the agent's rating: a Bayesian average with DISPATCH_DEFAULT_RATING as the prior
// worth PRIOR_WEIGHT ratings, so one bad call does not bury a new agent. Dispatch ranks
// idle agents by it.
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import { throwOnScriptCode } from '../../infra/lua.js';
import { FEEDBACK_CODES } from './lua/codes.js';
import type { DispatchService } from '../dispatch/service.js';
import type { PresenceService } from '../presence/service.js';
import { createFeedbackStore } from './store.js';
import type { FeedbackSide, FeedbackViewT } from './schemas.js';

export const PRIOR_WEIGHT = 2;

export type FeedbackService = ReturnType<typeof createFeedbackService>;

export function createFeedbackService(core: Core, deps: { presence: PresenceService; dispatch: DispatchService }) {
  const store = createFeedbackStore(core.redis, core.keys, deps.presence.keyPrefix);

  return {
    /** `side` is who `uid` is in the conversation (inferred when absent, checked when given). */
    async give(appid: string, conversationId: string, uid: string, stars: { network: number; translation: number; side?: FeedbackSide }) {
      const conv = await deps.dispatch.get(appid, conversationId);
      const side: FeedbackSide = stars.side ?? (conv.caller === uid ? 'caller' : 'agent');
      const r = await store.give(
        appid,
        conversationId,
        side,
        uid,
        stars.network,
        stars.translation,
        Date.now(),
        core.config.DISPATCH_DEFAULT_RATING,
        PRIOR_WEIGHT,
      );
      throwOnScriptCode(FEEDBACK_CODES.sbFeedbackGive, r.code, {
        REQUEST_NOT_FOUND: `no conversation ${conversationId}`,
        REQUEST_CLOSED: `request ${conversationId} expired or was cancelled: nothing to rate`,
        NOT_A_PARTY: `${uid} is not the ${side} of conversation ${conversationId}`,
        CONVERSATION_NOT_ACCEPTED: `no agent has accepted request ${conversationId} yet`,
        FEEDBACK_GIVEN: `the ${side} side already rated conversation ${conversationId}`,
      });
      return {
        conversationId,
        side,
        network: stars.network,
        translation: stars.translation,
        ...(r.rating ? { agentRating: Math.round(Number(r.rating) * 100) / 100 } : {}),
      };
    },

    /** Both sides' feedback, for the conversation's parties. */
    async get(appid: string, conversationId: string, uid: string): Promise<FeedbackViewT> {
      const conv = await deps.dispatch.get(appid, conversationId);
      if (conv.caller !== uid && conv.agent !== uid) throw new AppError('NOT_A_PARTY', `${uid} is not a party of conversation ${conversationId}`);
      const h = await store.get(appid, conversationId);
      const side = (s: FeedbackSide) =>
        h[`${s}At`] ? { [s]: { network: Number(h[`${s}Network`]), translation: Number(h[`${s}Translation`]), at: Number(h[`${s}At`]) } } : {};
      return { conversationId, ...side('caller'), ...side('agent') };
    },
  };
}
