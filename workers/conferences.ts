// conferences/start: a scheduled conference starts (and dials those invited before).
// conferences/emptyTimeout: ends a conference still empty since the job's time.
// conferences/command: one telephony command (dial / hangup / mute) for a leg.
// conferences/callState: a leg's state reported by the telephony provider, applied once.
// sms/send: one SMS notice through the SMS provider (retried with backoff).
import type { Processor } from './registry.js';

export const startConference: Processor<'conferences', 'start'> = async (payload, { services }) => services.conferences.start(payload);

export const endEmptyConference: Processor<'conferences', 'emptyTimeout'> = async (payload, { services }) =>
  services.conferences.emptyTimeout(payload);

export const runTelephonyCommand: Processor<'conferences', 'command'> = async (payload, { services }) => services.conferences.command(payload);

export const applyCallState: Processor<'conferences', 'callState'> = async (payload, { services }) => services.conferences.callState(payload);

export const sendSms: Processor<'sms', 'send'> = async (payload, { services }) => services.conferences.sendSms(payload);
