// Vendor media (Tencent VOD/COS): recordings linked to rooms; others hook media.onRecording.
import { defineModule } from '../../infra/module.js';
import { MEDIA_CONFIG } from './config.js';
import { MEDIA_ERRORS } from './errors.js';
import { mediaQueues } from './jobs.js';
import { mediaRoutes } from './routes.js';
import { createMediaService, type MediaService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    media: MediaService;
  }
}

export const mediaModule = defineModule({
  name: 'media',
  errors: MEDIA_ERRORS,
  config: MEDIA_CONFIG,
  needs: ['accounts'],
  service: (core, { accounts }) => createMediaService(core, accounts),
  routes: [mediaRoutes],
  queues: mediaQueues,
});
