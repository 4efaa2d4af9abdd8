export const sweepRooms = async (_payload, { services }) => ({ removed: await services.rooms.sweep() });
export const endRoomOnHostTimeout = async (payload, { services }) => services.rooms.hostTimeout(payload);
//# sourceMappingURL=rooms.js.map