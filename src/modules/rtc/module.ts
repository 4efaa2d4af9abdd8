// Tencent RTC user signatures.
import { defineModule } from '../../infra/module.js';
import { rtcRoutes } from './routes.js';
import { createRtcService, type RtcService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    rtc: RtcService;
  }
}

export const rtcModule = defineModule({
  name: 'rtc',
  needs: ['accounts'],
  service: (core, { accounts }) => createRtcService(core, accounts),
  routes: [rtcRoutes],
});
