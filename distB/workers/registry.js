import { tickCharges } from './billing.js';
import { expireRequest, runDispatchRound, endNoShow } from './dispatch.js';
import { pairRoundTimeout, runPairRound } from './matchmaking.js';
import { linkRecording } from './media.js';
import { deliverNotify } from './notify.js';
import { sweepPresence } from './presence.js';
import { endRoomOnHostTimeout, sweepRooms } from './rooms.js';
import { deliverWebhook, sweepWebhooks } from './webhooks.js';
import { pruneGuests } from './customerservice.js';
import { applyCallState, endEmptyConference, runTelephonyCommand, sendSms, startConference } from './conferences.js';
export const registry = {
    notify: { notify: deliverNotify },
    rooms: { sweep: sweepRooms, hostTimeout: endRoomOnHostTimeout },
    media: { recording: linkRecording },
    presence: { sweep: sweepPresence },
    dispatch: { round: runDispatchRound, expire: expireRequest, noShow: endNoShow },
    billing: { tick: tickCharges },
    matchmaking: { round: runPairRound, timeout: pairRoundTimeout },
    webhooks: { deliver: deliverWebhook, sweep: sweepWebhooks },
    conferences: { start: startConference, emptyTimeout: endEmptyConference, command: runTelephonyCommand, callState: applyCallState },
    sms: { send: sendSms },
    customerservice: { pruneGuests },
};
//# sourceMappingURL=registry.js.map