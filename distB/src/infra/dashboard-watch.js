import { withTimeout } from './redis.js';
export const DASHBOARD_WATCH_LEASE_MS = 60_000;
export const DASHBOARD_WATCH_RENEW_MS = 15_000;
const ANNOUNCE = 'switchboard:dashboard.watch';
const ASK = 'switchboard:dashboard.leases';
/** How long a new dashboard waits for the other nodes' acknowledgements before going on anyway. */
const ACK_TIMEOUT_MS = 2000;
export function createDashboardWatch(io, log) {
    const leases = new Map();
    let warmUntil = Date.now() + DASHBOARD_WATCH_RENEW_MS + 5000;
    const take = (appids) => {
        if (!Array.isArray(appids))
            return;
        const until = Date.now() + DASHBOARD_WATCH_LEASE_MS;
        for (const a of appids)
            if (typeof a === 'string')
                leases.set(a, until);
    };
    io.on(ANNOUNCE, (appids, ack) => {
        take(appids);
        if (typeof ack === 'function')
            ack(true);
    });
    io.on(ASK, (ack) => {
        const now = Date.now();
        if (typeof ack === 'function')
            ack([...leases].filter(([, until]) => until > now).map(([key]) => key));
    });
    /** Every other node's answer (the adapter waits for one per node it knows; its own timeout is longer). */
    const askAll = (event, ...args) => withTimeout(io.serverSideEmitWithAck(event, ...args), ACK_TIMEOUT_MS, 'timed out');
    // The adapter learns the other nodes from their first heartbeats: ask once it had a moment.
    const ask = setTimeout(() => {
        askAll(ASK).then((answers) => {
            for (const known of answers)
                take(known);
            warmUntil = 0;
        }, () => undefined);
    }, 1000);
    ask.unref();
    let stopped = false;
    const live = (key, now) => (leases.get(key) ?? 0) > now;
    return {
        watched(appid) {
            const now = Date.now();
            return now < warmUntil || live(appid, now) || live('*', now);
        },
        async announce(appids, opts = {}) {
            take(appids);
            if (stopped)
                return;
            if (!opts.wait) {
                io.serverSideEmit(ANNOUNCE, appids);
                return;
            }
            try {
                await askAll(ANNOUNCE, appids);
            }
            catch (err) {
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
//# sourceMappingURL=dashboard-watch.js.map