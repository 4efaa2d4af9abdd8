// conferences/start: a scheduled conference starts (and dials those invited before).
// conferences/emptyTimeout: ends a conference still empty since the job's time.
// conferences/command: one telephony command (dial / hangup / mute) for a leg.
// conferences/callState: a leg's state reported by the telephony provider, applied once.
// sms/send: one SMS notice through the SMS provider (retried with backoff).
import type { ModuleQueues } from '../../infra/queues.js';
import { CallStateJob, CommandJob, EmptyTimeoutJob, SmsSendJob, StartJob } from './schemas.js';

declare module '../../infra/queues.js' {
  interface QueueCatalogue {
    /**
     * Conferences: scheduled starts (jobId conf-start.<appid>.<confId>, delayed to the start; removed by stop),
     * empty timeouts (jobId conf-empty.<appid>.<confId>.<emptySince>, delayed CONFERENCE_EMPTY_TIMEOUT_MS),
     * telephony commands (dial/hangup jobId conf-cmd.<appid>.<confId>.<callid>.<action>; mute sends the current flag)
     * and call states reported by the provider (jobId conf-callstate.<appid>.<confId>.<callid>.<state>).
     */
    conferences: { start: typeof StartJob; emptyTimeout: typeof EmptyTimeoutJob; command: typeof CommandJob; callState: typeof CallStateJob };
    /** One SMS per job (jobId sms.<appid>.<noticeId>.<number>), retried with backoff. */
    sms: { send: typeof SmsSendJob };
  }
}

export const conferencesQueues: ModuleQueues = {
  conferences: {
    start: { schema: StartJob, process: async (payload, { services }) => services.conferences.start(payload) },
    emptyTimeout: { schema: EmptyTimeoutJob, process: async (payload, { services }) => services.conferences.emptyTimeout(payload) },
    command: { schema: CommandJob, process: async (payload, { services }) => services.conferences.command(payload) },
    callState: { schema: CallStateJob, process: async (payload, { services }) => services.conferences.callState(payload) },
  },
  sms: { send: { schema: SmsSendJob, process: async (payload, { services }) => services.conferences.sendSms(payload) } },
};
