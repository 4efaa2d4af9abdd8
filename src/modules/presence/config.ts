// The presence module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Int, type ConfigSection } from '../../infra/config.js';

export const PRESENCE_CONFIG = {
  PRESENCE_TIMEOUT_MS: Int(
    60000,
    500,
    3600000,
    'an online agent without a heartbeat (presence.heartbeat, or any presence.set) this long is taken offline by the sweep',
  ),
  PRESENCE_GRACE_MS: Int(
    15000,
    0,
    3600000,
    "after an online agent's socket drops, how long before the sweep takes the agent offline (a heartbeat from any socket keeps it online)",
  ),
  PRESENCE_SWEEP_INTERVAL_MS: Int(1000, 100, 60000, 'how often the worker sweeps agent presence deadlines'),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof PRESENCE_CONFIG> {}
}
