// Where feature modules plug their socket event handlers and snapshot parts into the
// gateway. Each module's events.ts exports a `register(gateway)`; add it to this list
// (and its event schemas to catalogue.ts).
import type { Gateway } from './gateway.js';

type Registrar = (gateway: Gateway) => void;

export const moduleEventRegistrars: Registrar[] = [];

export function registerModuleEvents(gateway: Gateway): void {
  for (const register of moduleEventRegistrars) register(gateway);
}
