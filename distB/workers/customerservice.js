export const pruneGuests = async (_payload, { services }) => ({ deleted: await services.customerservice.pruneGuests() });
//# sourceMappingURL=customerservice.js.map