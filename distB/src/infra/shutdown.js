/** On SIGINT/SIGTERM run `close` once, then exit; exit anyway after `timeoutMs`. */
export function installShutdown(log, timeoutMs, close) {
    let closing = false;
    const onSignal = (signal) => {
        if (closing)
            return;
        closing = true;
        log.info({ signal }, 'shutting down');
        const timer = setTimeout(() => {
            log.error({ timeoutMs }, 'shutdown timed out; exiting');
            process.exit(1);
        }, timeoutMs);
        timer.unref();
        close().then(() => process.exit(0), (err) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
        });
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
}
//# sourceMappingURL=shutdown.js.map