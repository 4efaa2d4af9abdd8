// Business events: one place where every feature says "this happened", and every sink
// that cares hears it. Dashboards (the /dashboard namespace, room dash:<appid>) get each
// event live; outbound webhooks (issue 8) and metrics register sinks with onPublish.
// Features call publish instead of talking to dashboards or webhooks themselves, so a
// new sink never means touching the features again.
import { randomUUID } from 'node:crypto';
/**
 * The events an app can see, by name. Each payload is a plain JSON object naming the
 * ids it is about (roomId, uid, requestId, conversationId, callId, askNo, confId…).
 * Add a name here before publishing it: the webhook subscription schema is built from it.
 */
export const DOMAIN_EVENTS = [
    'room.started',
    'room.ended',
    'room.member.joined',
    'room.member.left',
    'room.member.timedout',
    'dispatch.taken',
    'dispatch.expired',
    'conversation.started',
    'conversation.ended',
    'charge.ticked',
    'charge.ended',
    'pairing.matched',
    'recording.ready',
    'conference.member',
    'thirdparty.user.added',
    'thirdparty.user.changed',
    'thirdparty.user.deleted',
];
export function createDomainEvents(emitter) {
    const sinks = [];
    return {
        async publish(appid, name, data, opts = {}) {
            const event = { id: opts.id ?? randomUUID(), appid, name, data, at: Date.now(), ...(opts.orderKey !== undefined ? { orderKey: opts.orderKey } : {}) };
            emitter.toDashboard(appid, name, { ...data, at: event.at });
            // Every sink gets the event even when an earlier one failed (metrics must not starve
            // webhooks); the first failure is rethrown afterwards so the caller still learns of it.
            let failure = null;
            for (const sink of sinks) {
                try {
                    await sink(event);
                }
                catch (err) {
                    failure ??= err;
                }
            }
            if (failure !== null)
                throw failure;
        },
        onPublish(sink) {
            sinks.push(sink);
        },
    };
}
//# sourceMappingURL=events.js.map