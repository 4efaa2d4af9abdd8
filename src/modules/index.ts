// Every feature module, in order: one line per feature. The api (app.ts) and the workers
// (workers/runtime.ts) loop over this list for services, routes, socket handlers, queues,
// schedules, error codes and config. The order is the order routes and socket handlers
// are registered and hook handlers run (a module's `wire` in list order); services are
// built in dependency order (`needs`) whatever the order here.
import { accountsModule } from './accounts/module.js';
import { adminModule } from './admin/module.js';
import { appAuthModule } from './appauth/module.js';
import { billingModule } from './billing/module.js';
import { classroomModule } from './classroom/module.js';
import { conferencesModule } from './conferences/module.js';
import { customerServiceModule } from './customerservice/module.js';
import { dashboardModule } from './dashboard/module.js';
import { dispatchModule } from './dispatch/module.js';
import { feedbackModule } from './feedback/module.js';
import { liveModule } from './live/module.js';
import { mediaModule } from './media/module.js';
import { messagingModule } from './messaging/module.js';
import { notifyModule } from './notify/module.js';
import { pairingModule } from './pairing/module.js';
import { presenceModule } from './presence/module.js';
import { pushModule } from './push/module.js';
import { roomsModule } from './rooms/module.js';
import { rtcModule } from './rtc/module.js';
import { signalsModule } from './signals/module.js';
import { thirdPartyModule } from './thirdparty/module.js';
import { webhooksModule } from './webhooks/module.js';
import { webImModule } from './webim/module.js';
import { addErrorCodes } from '../infra/errors.js';
import type { AnyModule } from '../infra/module.js';
import type { QueueDefs, Schedule } from '../infra/queues.js';
import type { Config } from '../infra/config.js';

export const MODULES: readonly AnyModule[] = [
  dashboardModule,
  accountsModule,
  adminModule,
  appAuthModule,
  rtcModule,
  notifyModule,
  roomsModule,
  classroomModule,
  mediaModule,
  billingModule,
  webhooksModule,
  presenceModule,
  // dispatch before customerservice and pairing: its presence.onOffline and billing.onEnded handlers run first.
  dispatchModule,
  feedbackModule,
  signalsModule,
  pairingModule,
  messagingModule,
  conferencesModule,
  thirdPartyModule,
  pushModule,
  webImModule,
  liveModule,
  customerServiceModule,
];

// The error table: every module's codes, from this list only (infra/errors.ts).
for (const m of MODULES) if (m.errors) addErrorCodes(m.name, m.errors);

/** The queue catalogue: every queue of every module, its jobs' payload schemas and processors. */
export const QUEUES: QueueDefs = Object.fromEntries(MODULES.flatMap((m) => Object.entries(m.queues ?? {}))) as QueueDefs;

/** Every module's repeating jobs. */
export function schedules(config: Config): Schedule[] {
  return MODULES.flatMap((m) => m.schedules?.(config) ?? []);
}
