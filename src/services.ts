// All feature services, built once per process from the core. Routes, socket handlers
// and job processors call these; none of them holds business logic of its own.
import type { Core } from './infra/core.js';
import { createAccountsService } from './modules/accounts/service.js';
import { createClassroomService } from './modules/classroom/service.js';
import { createBillingService } from './modules/billing/service.js';
import { createMediaService } from './modules/media/service.js';
import { createNotifyService } from './modules/notify/service.js';
import { createRtcService } from './modules/rtc/service.js';
import { createRoomsService } from './modules/rooms/service.js';

export function createServices(core: Core) {
  const accounts = createAccountsService(core);
  const rtc = createRtcService(core, accounts);
  const rooms = createRoomsService(core);
  const classroom = createClassroomService(core, { accounts, rtc, rooms });
  const media = createMediaService(core, accounts);
  // Balances, ledger, prices and metered calls; features hook billing.onEnded (e.g. free the agent).
  const billing = createBillingService(core, accounts);
  // A recording of a course's stream sets its playback_idx_url and makes it a playback (state 3).
  media.onRecording(async (appid, roomnum, rec) => {
    await classroom.markRecorded(appid, roomnum, { playbackUrl: rec.playbackUrl, isIndex: rec.kind === 'index' || rec.indexUrl !== undefined });
  });
  return {
    accounts,
    notify: createNotifyService(core, accounts),
    rtc,
    media,
    billing,
    rooms,
    classroom,
  };
}

export type Services = ReturnType<typeof createServices>;
