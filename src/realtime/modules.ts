// Where feature modules plug their socket event handlers and snapshot parts into the
// gateway. Each module's events.ts exports a `register(gateway)`; add it to this list
// (and its event schemas to catalogue.ts).
import { registerBillingEvents } from '../modules/billing/events.js';
import { registerClassroomEvents } from '../modules/classroom/events.js';
import { registerConferenceEvents } from '../modules/conferences/events.js';
import { registerCustomerServiceEvents } from '../modules/customerservice/events.js';
import { registerDispatchEvents } from '../modules/dispatch/events.js';
import { registerFeedbackEvents } from '../modules/feedback/events.js';
import { registerMessagingEvents } from '../modules/messaging/events.js';
import { registerPairingEvents } from '../modules/pairing/events.js';
import { registerPresenceEvents } from '../modules/presence/events.js';
import { registerRoomEvents } from '../modules/rooms/events.js';
import { registerSignalEvents } from '../modules/signals/events.js';
import { registerWebImEvents } from '../modules/webim/events.js';
import { registerLiveEvents } from '../modules/live/events.js';
import type { Gateway } from './gateway.js';

type Registrar = (gateway: Gateway) => void;

const moduleEventRegistrars: Registrar[] = [
  registerRoomEvents,
  registerClassroomEvents,
  registerBillingEvents,
  registerPresenceEvents,
  registerDispatchEvents,
  registerFeedbackEvents,
  registerSignalEvents,
  registerMessagingEvents,
  registerPairingEvents,
  registerCustomerServiceEvents,
  registerWebImEvents,
  registerLiveEvents,
  registerConferenceEvents,
];

export function registerModuleEvents(gateway: Gateway): void {
  for (const register of moduleEventRegistrars) register(gateway);
}
