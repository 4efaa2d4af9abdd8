// The HMAC both signed channels use: outgoing webhooks (modules/webhooks) and the telephony
// bridge (providers/telephony). Both carry it in x-switchboard-signature as v1=<hex>.
import { createHmac } from 'node:crypto';
export const SIGNATURE_HEADER = 'x-switchboard-signature';
/** Lowercase hex HMAC-SHA256(secret, "<timestamp>.<body>"); `timestamp` as sent (seconds). */
export function signPayload(secret, timestamp, body) {
    return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}
//# sourceMappingURL=signing.js.map