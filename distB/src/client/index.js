// A small typed client for Switchboard's socket API, used by apps, tests and the load
// scripts: `request` sends a catalogue event and resolves with its ack data (or throws a
// SwitchboardError with the server's code); `on` listens to server events.
import { io } from 'socket.io-client';
export class SwitchboardError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.name = 'SwitchboardError';
    }
}
export function connectClient(url, opts) {
    const socket = io(url, { transports: ['websocket'], auth: { token: opts.token }, ...opts.socket });
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const ready = new Promise((resolve, reject) => {
        socket.once('session.snapshot', resolve);
        socket.once('connect_error', (err) => reject(new SwitchboardError(err.data?.code ?? 'CONNECT_FAILED', err.data?.message ?? err.message)));
    });
    const onEvent = (event, fn) => {
        socket.on(event, fn);
        return () => void socket.off(event, fn);
    };
    return {
        socket,
        ready,
        async request(event, payload) {
            const result = (await socket.timeout(timeoutMs).emitWithAck(event, payload));
            if (result.ok)
                return result.data;
            throw new SwitchboardError(result.error.code, result.error.message);
        },
        on: (event, fn) => onEvent(event, fn),
        onEvent,
        close: () => void socket.close(),
    };
}
//# sourceMappingURL=index.js.map