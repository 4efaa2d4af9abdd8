// Requests offered to agents; the accepted request is the conversation.
import { isAppError } from '../../infra/errors.js';
import { defineModule } from '../../infra/module.js';
import { dispatchContract } from './contract.js';
import { DISPATCH_CONFIG } from './config.js';
import { DISPATCH_ERRORS } from './errors.js';
import { registerDispatchEvents } from './events.js';
import { dispatchQueues, dispatchSchedules } from './jobs.js';
import { dispatchRoutes } from './routes.js';
import { createDispatchService, type DispatchService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    dispatch: DispatchService;
  }
}

export const dispatchModule = defineModule({
  name: 'dispatch',
  errors: DISPATCH_ERRORS,
  config: DISPATCH_CONFIG,
  needs: ['presence', 'billing'],
  service: (core, { presence }) => createDispatchService(core, { presence }),
  routes: [dispatchRoutes],
  events: registerDispatchEvents,
  contract: dispatchContract,
  queues: dispatchQueues,
  schedules: dispatchSchedules,
  wire({ presence, billing, dispatch }) {
    // An agent going offline has its offers withdrawn; one coming online is offered stalled requests.
    presence.onOffline((appid, uid) => dispatch.withdrawAgent(appid, uid));
    presence.onOnline((appid, uid) => dispatch.kick(appid, [uid]));
    // A conversation's metered call (same id) stops when the conversation ends; a call that
    // billing ends for lack of balance ends its conversation and frees the agent — and only
    // that: a charge stopped any other way (the volunteer's /charge/end in seed 000, an app's
    // end of the call) leaves the conversation to the caller, whose end alone closes it in
    // seed 000. Both sides are idempotent, so the hooks calling each other stop after one round.
    dispatch.onConversationEnd(async (appid, conversationId) => {
      await billing.end(appid, conversationId, { reason: 'conversation' }).catch((err: unknown) => {
        if (!isAppError(err, 'CALL_NOT_FOUND')) throw err;
      });
    });
    billing.onEnded(async (appid, call) => {
      if (call.reason !== 'balance') return;
      const conv = await dispatch.get(appid, call.callId).catch(() => null);
      if (!conv || conv.caller !== call.payer || conv.agent !== call.payee || (conv.state !== 'accepted' && conv.state !== 'active')) return;
      await dispatch.end(appid, call.callId, null, call.reason ?? 'billing');
    });
  },
});
