export const linkRecording = async (payload, { services }) => services.media.linkRecording(payload);
//# sourceMappingURL=media.js.map