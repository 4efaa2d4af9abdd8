// All feature services, built once per process from the core. Routes, socket handlers
// and job processors call these; none of them holds business logic of its own.
import type { Core } from './infra/core.js';
import { isAppError } from './infra/errors.js';
import { createAccountsService } from './modules/accounts/service.js';
import { createClassroomService } from './modules/classroom/service.js';
import { createConferencesService } from './modules/conferences/service.js';
import { createDashboardService } from './modules/dashboard/service.js';
import { createCustomerServiceService } from './modules/customerservice/service.js';
import { createDispatchService } from './modules/dispatch/service.js';
import { createFeedbackService } from './modules/feedback/service.js';
import { createBillingService } from './modules/billing/service.js';
import { createMediaService } from './modules/media/service.js';
import { createMessagingService } from './modules/messaging/service.js';
import { createNotifyService } from './modules/notify/service.js';
import { createPairingService } from './modules/pairing/service.js';
import { createPresenceService } from './modules/presence/service.js';
import { createRtcService } from './modules/rtc/service.js';
import { createRoomsService } from './modules/rooms/service.js';
import { createSignalsService } from './modules/signals/service.js';
import { createWebhooksService } from './modules/webhooks/service.js';
import { createAppAuth } from './dialects/videocloud/app-auth.js';
import { createThirdPartyService } from './modules/thirdparty/service.js';
import { createWebImService } from './modules/webim/service.js';
import { createPushService } from './modules/push/service.js';
import { createLiveService } from './modules/live/service.js';

export function createServices(core: Core) {
  const accounts = createAccountsService(core);
  // Seed 004: third-party users (platform users under the app's ids) and their APNs device
  // ids; push sends to those of users a message found without a socket (web IM, tip/system,
  // customer service: each calls push.toOffline).
  const thirdParty = createThirdPartyService(core, accounts);
  const push = createPushService(core, { accounts, thirdParty });
  const rtc = createRtcService(core, accounts);
  const rooms = createRoomsService(core);
  const classroom = createClassroomService(core, { accounts, rtc, rooms });
  // Voice conferences (seed 001): rooms of kind `conference` with call legs through the telephony provider.
  const conferences = createConferencesService(core, { rooms });
  const media = createMediaService(core, accounts);
  // Balances, ledger, prices and metered calls; features hook billing.onEnded (e.g. free the agent).
  const billing = createBillingService(core, accounts);
  // Agents (presence), requests offered to them (dispatch; the accepted request is the
  // conversation), two-sided feedback feeding the ranking, signed peer messages.
  const presence = createPresenceService(core, accounts);
  const dispatch = createDispatchService(core, { presence });
  presence.onOffline((appid, uid) => dispatch.withdrawAgent(appid, uid));
  presence.onOnline((appid, uid) => dispatch.kick(appid, [uid]));
  const feedback = createFeedbackService(core, { presence, dispatch });
  const signals = createSignalsService(core, { rtc, dispatch });
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
  // Speed pairing (seed 003): asks offered in rounds; the call after a match is metered, and
  // its end (hang-up, balance exhausted) ends the ask.
  const pairing = createPairingService(core, { accounts, billing });
  billing.onEnded(async (appid, call) => pairing.callEnded(appid, call.callId, call.reason ?? ''));
  // Customer service (seed 004 §4): seats are presence agents of skill `cs`, consultations
  // dispatch requests offered to every online seat; a seat going offline (after the dispatch
  // withdrawal above) returns its customers to the pool.
  const customerservice = createCustomerServiceService(core, { accounts, presence, dispatch, push });
  presence.onOffline((appid, uid) => customerservice.seatOffline(appid, uid));
  // IM pre-send checks (sensitive words, message price), translation, tip/system messages.
  const messaging = createMessagingService(core, { billing, push });
  // A recording of a course's stream sets its playback_idx_url and makes it a playback (state 3).
  media.onRecording(async (appid, roomnum, rec) => {
    await classroom.markRecorded(appid, roomnum, { playbackUrl: rec.playbackUrl, isIndex: rec.kind === 'index' || rec.indexUrl !== undefined });
  });
  // Seed-004 app signatures (md5 of appId, timestamp, appToken; ±1 min; no replay) and per-app call slots.
  const appAuth = createAppAuth(core, accounts);
  // Outbound webhooks: every business event becomes one signed delivery per subscribed endpoint.
  const webhooks = createWebhooksService(core, { accounts });
  core.events.onPublish((event) => webhooks.fanout(event));
  // Seed 004: web IM, live streams on rooms.
  const webim = createWebImService(core, { accounts, push });
  const live = createLiveService(core, { accounts, rooms });
  rooms.onEnd('live', async (appid, roomId, reason) => live.endedByRoom(appid, roomId, reason));
  return {
    accounts,
    appAuth,
    webhooks,
    thirdParty,
    push,
    webim,
    live,
    notify: createNotifyService(core, accounts),
    rtc,
    media,
    billing,
    rooms,
    conferences,
    classroom,
    presence,
    dispatch,
    feedback,
    signals,
    messaging,
    pairing,
    // What dashboards see: read-only views over the features' stores.
    dashboard: createDashboardService(core, { rooms, presence, dispatch, pairing, billing }),
    customerservice,
  };
}

export type Services = ReturnType<typeof createServices>;
