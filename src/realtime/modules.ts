// Where feature modules plug their socket event handlers and snapshot parts into the
// gateway: each module's manifest (src/modules/<feature>/module.ts) names its registrar
// (`events`, from its events.ts); its event schemas are its contract.ts, listed in catalogue.ts.
import type { AnyModule } from '../infra/module.js';
import type { Gateway } from './gateway.js';

declare module '../infra/module.js' {
  interface SocketHost {
    gateway: Gateway;
  }
}

export function registerModuleEvents(gateway: Gateway, modules: readonly AnyModule[]): void {
  for (const m of modules) m.events?.(gateway);
}
