// The rooms module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Int, type ConfigSection } from '../../infra/config.js';

export const ROOMS_CONFIG = {
  ROOM_MEMBER_TIMEOUT_MS: Int(10000, 200, 3600000, 'a room member silent (no heartbeat) this long is removed by the sweep'),
  ROOM_SWEEP_INTERVAL_MS: Int(500, 100, 60000, 'how often the worker sweeps heartbeat deadlines (a silent member is removed at most this late)'),
  ROOM_HOST_GRACE_MS: Int(30000, 0, 86400000, 'after the host of a room times out, how long before the room (course) is ended'),
  ROOM_MEMBER_BATCH_ABOVE: Int(
    16,
    0,
    1000000,
    'rooms with at least this many members get membership changes throttled (room.members.changed, at most one per ROOM_MEMBER_BATCH_MS) instead of one room.member per change; the host still gets every change (0: always)',
  ),
  ROOM_MEMBER_BATCH_MS: Int(
    500,
    10,
    5000,
    'the throttle window of room.members.changed: a quiet room sends a change at once, then at most one batch per window',
  ),
  ROOM_HEARTBEAT_BATCH_MS: Int(
    25,
    0,
    1000,
    'room heartbeats arriving within this window go to Redis as one script per app, answered when it returns (0: each at once)',
  ),
  ROOM_MESSAGE_HISTORY: Int(10000, 10, 1000000, 'chat messages kept per room for playback (oldest dropped first)'),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof ROOMS_CONFIG> {}
}
