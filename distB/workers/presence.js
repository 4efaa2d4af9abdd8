export const sweepPresence = async (_payload, { services }) => ({ offline: await services.presence.sweep() });
//# sourceMappingURL=presence.js.map