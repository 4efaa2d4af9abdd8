// media/recording: a verified recording callback, linked to its room by the media service
// (which calls the onRecording handlers, e.g. classroom's). Unknown streams and rooms are
// AppError 4xx, so they land in the failed set at once with their reason.
import type { Processor } from './registry.js';

export const linkRecording: Processor<'media', 'recording'> = async (payload, { services }) => services.media.linkRecording(payload);
