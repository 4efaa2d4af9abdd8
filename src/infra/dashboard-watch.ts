// Which apps some dashboard watches, known to every node, so that an app nobody watches
// costs nothing for its dashboard pushes: without this, every membership change, business
// event and room.state went into the adapter (an XADD each that every node reads back) to
// reach, most of the time, no socket at all.
//
// A node holding dashboards announces the apps they watch to every node (serverSideEmit
// through the adapter) as leases of LEASE_MS, renewed every RENEW_MS while they stay. A new
// dashboard waits for every node's acknowledgement before its snapshot is read: a change
// committed after the snapshot read is then checked against a lease that exists, and pushed.
// A node that just started knows no lease yet: it asks the others for theirs, and pushes for
// every app until they answered (or, if they do not, for RENEW_MS plus a margin: renewals
// reach it by then). '*' is an admin watching every app.
import type { Server } from 'socket.io';
import type { Logger } from 'pino';
import { withTimeout } from './redis.js';

export const DASHBOARD_WATCH_LEASE_MS = 60_000;
export const DASHBOARD_WATCH_RENEW_MS = 15_000;
const ANNOUNCE = 'switchboard:dashboard.watch';
const ASK = 'switchboard:dashboard.leases';
/** How long a new dashboard waits for the other nodes' acknowledgements before going on anyway. */
const ACK_TIMEOUT_MS = 2000;

export interface DashboardWatch {
  /** True when a dashboard (on any node) may watch the app. */
  watched(appid: string): boolean;
  /** Announces to every node that dashboards here watch these apps ('*': all); resolves once they all acknowledged (or after a timeout). */
  announce(appids: string[], opts?: { wait?: boolean }): Promise<void>;
  /** Cancels the start-up question (shutdown: the adapter's connections are about to close). */
  stop(): void;
}

export function createDashboardWatch(io: Server, log?: Logger): DashboardWatch {
  const leases = new Map<string, number>();
  let warmUntil = Date.now() + DASHBOARD_WATCH_RENEW_MS + 5000;
  const take = (appids: unknown) => {
    if (!Array.isArray(appids)) return;
    const until = Date.now() + DASHBOARD_WATCH_LEASE_MS;
    for (const a of appids) if (typeof a === 'string') leases.set(a, until);
  };
  io.on(ANNOUNCE, (appids: unknown, ack?: (ok: boolean) => void) => {
    take(appids);
    if (typeof ack === 'function') ack(true);
  });
  io.on(ASK, (ack?: (known: string[]) => void) => {
    const now = Date.now();
    if (typeof ack === 'function') ack([...leases].filter(([, until]) => until > now).map(([key]) => key));
  });
  /** Every other node's answer (the adapter waits for one per node it knows; its own timeout is longer). */
  const askAll = (event: string, ...args: unknown[]) =>
    withTimeout(
      (io as unknown as { serverSideEmitWithAck(ev: string, ...a: unknown[]): Promise<unknown[]> }).serverSideEmitWithAck(event, ...args),
      ACK_TIMEOUT_MS,
      'timed out',
    );
  // The adapter learns the other nodes from their first heartbeats: ask once it had a moment.
  const ask = setTimeout(() => {
    askAll(ASK).then(
      (answers) => {
        for (const known of answers) take(known);
        warmUntil = 0;
      },
      () => undefined, // keep pushing everything until the renewals have come round
    );
  }, 1000);
  ask.unref();
  let stopped = false;
  const live = (key: string, now: number) => (leases.get(key) ?? 0) > now;
  return {
    watched(appid) {
      const now = Date.now();
      return now < warmUntil || live(appid, now) || live('*', now);
    },
    async announce(appids, opts = {}) {
      take(appids);
      if (stopped) return;
      if (!opts.wait) {
        io.serverSideEmit(ANNOUNCE, appids);
        return;
      }
      try {
        await askAll(ANNOUNCE, appids);
      } catch (err) {
        // A node that did not answer in time still gets the renewal within RENEW_MS.
        log?.warn({ err, appids }, 'not every node acknowledged a dashboard watch in time');
      }
    },
    stop() {
      stopped = true;
      clearTimeout(ask);
    },
  };
}
