// All feature services, built once per process from the core. Routes, socket handlers
// and job processors call these; none of them holds business logic of its own.
import type { Core } from './infra/core.js';
import { createAccountsService } from './modules/accounts/service.js';
import { createMediaService } from './modules/media/service.js';
import { createNotifyService } from './modules/notify/service.js';
import { createRtcService } from './modules/rtc/service.js';

export function createServices(core: Core) {
  const accounts = createAccountsService(core);
  return {
    accounts,
    notify: createNotifyService(core, accounts),
    rtc: createRtcService(core, accounts),
    media: createMediaService(core, accounts),
  };
}

export type Services = ReturnType<typeof createServices>;
