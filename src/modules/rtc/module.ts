// Tencent RTC user signatures.
import { defineModule } from '../../infra/module.js';
import { RTC_CONFIG } from './config.js';
import { RTC_ERRORS } from './errors.js';
import { rtcRoutes } from './routes.js';
import { createRtcService, type RtcService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    rtc: RtcService;
  }
}

export const rtcModule = defineModule({
  name: 'rtc',
  errors: RTC_ERRORS,
  config: RTC_CONFIG,
  needs: ['accounts'],
  service: (core, { accounts }) => createRtcService(core, accounts),
  routes: [rtcRoutes],
});
