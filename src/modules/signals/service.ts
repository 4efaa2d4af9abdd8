// Signed peer messages of seed 000 (TIM custom messages between the caller's and the
// agent's apps) and the QAV credentials they are salted with.
//
// qav_id: the user's id in the app. It is the identifier the UserSig (qav_sig) is issued
// for, so it is what TIM shows peers as the sender — the receiver has it without asking.
//
// sign = lowercase hex HMAC-SHA256(key = sender's qav_id, message = canonical data), where
// the canonical data is the message's query-string parameters other than `sign`, sorted by
// name (byte order; equal names keep their order), written `name=value` exactly as received
// (no decoding or re-encoding) and joined with `&`. For the seed's example that is
// `agent_emp_id=4638&conversation_id=2074`. Verification recomputes and compares in
// constant time. The key is not secret (peers know qav_ids): the sign proves the data was
// not altered and names its sender; the relay below also authenticates the sender by its
// session, so a relayed message is authentic.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Core } from '../../infra/core.js';
import { AppError } from '../../infra/errors.js';
import type { DispatchService } from '../dispatch/service.js';
import type { RtcService } from '../rtc/service.js';
import type { SignalRequestT } from './schemas.js';

export function canonicalize(data: string): { canonical: string; sign: string | undefined; params: Record<string, string> } {
  const pairs: Array<[string, string]> = [];
  let sign: string | undefined;
  for (const part of data.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (name === 'sign') sign = value;
    else pairs.push([name, value]);
  }
  const sorted = pairs
    .map((p, i) => [p, i] as const)
    .sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1]))
    .map(([p]) => p);
  return { canonical: sorted.map(([k, v]) => `${k}=${v}`).join('&'), sign, params: Object.fromEntries(sorted) };
}

export function peerSign(qavId: string, canonical: string): string {
  return createHmac('sha256', qavId).update(canonical, 'utf8').digest('hex');
}

/** Constant-time check of a hex sign (any case) against the expected one. */
export function verifyPeerSign(qavId: string, canonical: string, sign: string): boolean {
  const wellFormed = /^[0-9a-fA-F]{64}$/.test(sign);
  const given = wellFormed ? Buffer.from(sign, 'hex') : Buffer.alloc(32);
  return timingSafeEqual(Buffer.from(peerSign(qavId, canonical), 'hex'), given) && wellFormed;
}

export type SignalsService = ReturnType<typeof createSignalsService>;

export function createSignalsService(core: Core, deps: { rtc: RtcService; dispatch: DispatchService }) {
  const qavIdOf = (_appid: string, uid: string) => uid;

  return {
    /** Login with qav=true: the QAV identity and its UserSig. */
    async credentials(appid: string, uid: string): Promise<{ qav_id: string; qav_sig: string; sdkAppId: number; expire: number }> {
      const qavId = qavIdOf(appid, uid);
      const s = await deps.rtc.userSig(appid, qavId);
      return { qav_id: qavId, qav_sig: s.userSig, sdkAppId: s.sdkAppId, expire: s.expire };
    },

    /** Signs data as `uid` would (for clients that prefer the server to compute it). */
    sign(appid: string, uid: string, data: string) {
      const qavId = qavIdOf(appid, uid);
      const { canonical } = canonicalize(data);
      const sign = peerSign(qavId, canonical);
      return { qavId, data: canonical, sign, signed: `${canonical}&sign=${sign}` };
    },

    /** The receiver's rule: recompute from the string and the sender's qav_id. */
    verify(input: { qavId: string; data: string; sign?: string }) {
      const { canonical, sign, params } = canonicalize(input.data);
      const given = input.sign ?? sign ?? '';
      return { valid: verifyPeerSign(input.qavId, canonical, given), canonical, params };
    },

    /**
     * Relays a signed message to the other party of the conversation, only if its sign
     * verifies with the sender's qav_id and its conversation_id (when present) is this one.
     */
    async relay(appid: string, uid: string, msg: SignalRequestT): Promise<{ conversationId: string; to: string; delivered: true }> {
      const conv = await deps.dispatch.getFor(appid, msg.conversationId, uid);
      const to = uid === conv.caller ? conv.agent : conv.caller;
      if (!to) throw new AppError('CONVERSATION_NOT_ACCEPTED', `no agent has accepted request ${msg.conversationId} yet`);
      if (conv.state === 'ended' || conv.state === 'expired' || conv.state === 'cancelled')
        throw new AppError('CONVERSATION_ENDED', `conversation ${msg.conversationId} is ${conv.state}`);
      const qavId = qavIdOf(appid, uid);
      const { canonical, sign, params } = canonicalize(msg.data);
      const given = msg.sign ?? sign;
      if (!given) throw new AppError('MESSAGE_SIGN_INVALID', 'the message carries no sign (sign field, or sign= in data)');
      if (!verifyPeerSign(qavId, canonical, given))
        throw new AppError('MESSAGE_SIGN_INVALID', `the sign does not match the data signed with the sender's qav_id (${qavId})`);
      if (params.conversation_id !== undefined && params.conversation_id !== msg.conversationId) {
        throw new AppError('MESSAGE_SIGN_INVALID', `data.conversation_id ${params.conversation_id} is not conversation ${msg.conversationId}`);
      }
      core.emitter.toUser(appid, to, 'conversation.signal', {
        conversationId: msg.conversationId,
        type: msg.type,
        from: uid,
        qavId,
        data: canonical,
        sign: given.toLowerCase(),
        params,
        verified: true,
      });
      return { conversationId: msg.conversationId, to, delivered: true };
    },
  };
}
