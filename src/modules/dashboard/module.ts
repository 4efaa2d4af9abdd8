// What dashboards see: read-only views over the features' stores, the /dashboard page and
// socket namespace (api) and the sampler of the charts' figures only a worker has.
import { defineModule } from '../../infra/module.js';
import { DASHBOARD_CONFIG } from './config.js';
import { attachDashboard } from './namespace.js';
import { dashboardRoutes } from './routes.js';
import { startSampler } from './sampler.js';
import { createDashboardService, type DashboardService } from './service.js';

declare module '../../infra/module.js' {
  interface ServiceMap {
    dashboard: DashboardService;
  }
}

export const dashboardModule = defineModule({
  name: 'dashboard',
  config: DASHBOARD_CONFIG,
  needs: ['rooms', 'presence', 'dispatch', 'pairing', 'billing'],
  service: (core, deps) => createDashboardService(core, deps),
  routes: [dashboardRoutes], // the page at /dashboard (assets/dashboard)
  api: ({ io, core, services }) => attachDashboard(io, core, services), // the /dashboard namespace
  // The dashboard charts' figures only this process has (job rates, tick lateness): one sample per DASHBOARD_SAMPLE_MS into Redis.
  worker: ({ core }) => startSampler(core, 'worker'),
});
