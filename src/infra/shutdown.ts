// Graceful shutdown by close-with-grace: on SIGINT/SIGTERM (or an uncaught exception or
// unhandled rejection, logged first) `close` runs once and the process exits; a second
// signal or the timeout exits at once, with code 1.
import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';

export function installShutdown(log: Logger, timeoutMs: number, close: () => Promise<void>): void {
  closeWithGrace(
    {
      delay: timeoutMs,
      logger: { error: (msg: unknown, ...rest: unknown[]) => log.error({ detail: rest }, String(msg)) },
      onTimeout: (delay) => log.error({ timeoutMs: delay }, 'shutdown timed out; exiting'),
    },
    async ({ signal, err }) => {
      if (err) log.error({ err }, 'fatal error: shutting down');
      else log.info({ signal }, 'shutting down');
      await close();
    },
  );
}
