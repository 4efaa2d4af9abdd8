export const tickCharges = async (_payload, { services }) => services.billing.tickFor();
//# sourceMappingURL=billing.js.map