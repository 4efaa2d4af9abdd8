// Redis layout of feedback:
//   sw:{app}:feedback:<conversationId>  hash: callerNetwork, callerTranslation, callerAt,
//                                       agentNetwork, agentTranslation, agentAt
// The caller side's translation stars feed the agent's rating (presence hash: ratingSum,
// ratingCount, rating) and re-rank the agent for dispatch — in the same script as the
// once-per-side check, so two submissions at once count once.
import type { RedisClient } from '../../infra/redis.js';
import type { Keys } from '../../infra/keys.js';
import { defineScripts } from '../../infra/scripts.js';
import { loadScripts } from '../../infra/lua.js';

const scripts = loadScripts('modules/feedback', ['sbFeedbackGive'] as const);

export function createFeedbackStore(redis: RedisClient, keys: Keys, presencePrefix: (appid: string) => string) {
  const run = defineScripts(redis, scripts);
  const fb = (appid: string, id: string) => keys.scoped(appid, 'feedback', id);
  return {
    async give(
      appid: string,
      id: string,
      side: string,
      uid: string,
      network: number,
      translation: number,
      now: number,
      prior: number,
      weight: number,
    ): Promise<{ code: number; rating: string }> {
      const r = (await run(
        'sbFeedbackGive',
        [keys.scoped(appid, 'dispatch', 'r', id), fb(appid, id)],
        [presencePrefix(appid), side, uid, network, translation, now, prior, weight],
      )) as Array<string | number>;
      return { code: Number(r[0]), rating: String(r[1] ?? '') };
    },
    get: (appid: string, id: string) => redis.hgetall(fb(appid, id)),
  };
}
