// worker process: every BullMQ processor of the registry; SIGTERM lets active jobs finish.
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/infra/logger.js';
import { RedisCheckError } from '../src/infra/redis.js';
import { installShutdown } from '../src/infra/shutdown.js';
import { startWorkers } from './runtime.js';
try {
    const config = loadConfig();
    const log = createLogger(config.LOG_LEVEL, 'worker');
    const node = await startWorkers(config, { log });
    installShutdown(log, config.SHUTDOWN_TIMEOUT_MS, () => node.close());
}
catch (err) {
    if (err instanceof ConfigError || err instanceof RedisCheckError) {
        process.stderr.write(`switchboard worker: ${err.message}\n`);
        process.exit(78);
    }
    throw err;
}
//# sourceMappingURL=main.js.map