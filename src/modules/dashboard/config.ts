// The dashboard module's section of the config schema (its module.ts gives it to the list; src/config.ts composes the schema).
import { Int, type ConfigSection } from '../../infra/config.js';

export const DASHBOARD_CONFIG = {
  DASHBOARD_QUEUES_INTERVAL_MS: Int(
    2000,
    200,
    600000,
    'how often each api node pushes dashboard.queues (queue depths, failed jobs) and the sections without events (agents, dispatch queue, pairing asks, calls) to its dashboard sockets',
  ),
  DASHBOARD_LIST_LIMIT: Int(
    200,
    1,
    10000,
    'most items of each dashboard list (rooms, agents, waiting requests per skill, asks, calls, failed jobs per queue)',
  ),
  DASHBOARD_ROOM_MEMBERS: Int(50, 0, 10000, 'members listed per room on the dashboard (the count is always exact)'),
  DASHBOARD_SAMPLE_MS: Int(
    2000,
    0,
    60000,
    'dashboard charts: every api and worker process takes one sample of its figures this often, on wall-clock boundaries, into a Redis stream the charts read (docs/dashboard.md); 0: no sampling, no charts',
  ),
  DASHBOARD_HISTORY_SECONDS: Int(
    900,
    60,
    86400,
    'dashboard charts: how far back the samples are kept (the Redis stream is trimmed by time) and what a chart shows',
  ),
};

declare module '../../infra/config.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Config extends ConfigSection<typeof DASHBOARD_CONFIG> {}
}
