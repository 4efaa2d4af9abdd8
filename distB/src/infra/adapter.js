// The Socket.IO Redis adapter, chosen by SOCKET_ADAPTER (README § Design says why the
// default is what it is, with the figures of `npm run bench -- adapters`).
import { createAdapter as createPubSubAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { createCommandRedis, createRedis } from './redis.js';
/**
 * `commands` is the process's command connection (auto-pipelined): the streams adapter
 * writes its XADDs there, so an event and the state change it announces leave in the same
 * socket write; the adapter reads through a duplicate of its own, which it closes.
 */
export function createSocketAdapter(config, role, commands) {
    const channel = `${config.KEY_PREFIX}:sio`;
    if (config.SOCKET_ADAPTER === 'streams') {
        return {
            serverOptions: {
                adapter: createStreamsAdapter(commands, {
                    streamName: `${channel}:stream`,
                    channelPrefix: channel,
                    sessionKeyPrefix: `${channel}:session:`,
                    // The stream is the replay buffer of connection state recovery: keep enough of it.
                    maxLen: 100_000,
                    onlyPlaintext: true,
                    // The blocking reader only notices close() when its XREAD returns: keep that short
                    // so shutdown is quick (an idle node then makes one XREAD a second).
                    blockTimeInMs: 1000,
                }),
                // Missed events are replayed to a client that reconnects within the window.
                ...(config.SOCKET_RECOVERY_SECONDS > 0 ? { connectionStateRecovery: { maxDisconnectionDuration: config.SOCKET_RECOVERY_SECONDS * 1000, skipMiddlewares: false } } : {}),
            },
            clients: [],
        };
    }
    const pub = createCommandRedis(config.REDIS_URL, `${role}:adapter-pub`);
    const sub = createRedis(config.REDIS_URL, `${role}:adapter-sub`);
    const adapter = config.SOCKET_ADAPTER === 'sharded'
        ? createShardedAdapter(pub, sub, { channelPrefix: channel, subscriptionMode: 'static' })
        : createPubSubAdapter(pub, sub, { key: channel });
    return { serverOptions: { adapter }, clients: [pub, sub] };
}
//# sourceMappingURL=adapter.js.map