export const runPairRound = async (payload, { services }) => services.pairing.round(payload);
export const pairRoundTimeout = async (payload, { services }) => services.pairing.timeout(payload);
//# sourceMappingURL=matchmaking.js.map