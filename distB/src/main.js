// api process: config → buildApp → listen; SIGINT/SIGTERM close sockets and connections.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { RedisCheckError } from './infra/redis.js';
import { installShutdown } from './infra/shutdown.js';
try {
    const config = loadConfig();
    const app = await buildApp(config);
    const url = await app.listen();
    app.core.log.info({ url, adapter: config.SOCKET_ADAPTER }, 'api listening');
    installShutdown(app.core.log, config.SHUTDOWN_TIMEOUT_MS, () => app.close());
}
catch (err) {
    if (err instanceof ConfigError || err instanceof RedisCheckError) {
        process.stderr.write(`switchboard api: ${err.message}\n`);
        process.exit(78); // EX_CONFIG
    }
    throw err;
}
//# sourceMappingURL=main.js.map