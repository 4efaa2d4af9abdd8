export const runDispatchRound = async (payload, { services }) => services.dispatch.round(payload);
export const expireRequest = async (payload, { services }) => services.dispatch.expire(payload);
export const endNoShow = async (payload, { services }) => services.dispatch.noShow(payload);
//# sourceMappingURL=dispatch.js.map