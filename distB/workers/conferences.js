export const startConference = async (payload, { services }) => services.conferences.start(payload);
export const endEmptyConference = async (payload, { services }) => services.conferences.emptyTimeout(payload);
export const runTelephonyCommand = async (payload, { services }) => services.conferences.command(payload);
export const applyCallState = async (payload, { services }) => services.conferences.callState(payload);
export const sendSms = async (payload, { services }) => services.conferences.sendSms(payload);
//# sourceMappingURL=conferences.js.map