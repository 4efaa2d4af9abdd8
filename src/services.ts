// All feature services, built once per process from the core by looping over the module
// list (src/modules/index.ts): each module's factory gets the services it `needs`, then
// each module subscribes to the hooks it uses. Routes, socket handlers and job processors
// call these; none of them holds business logic of its own.
import type { Core, CoreCatalogues } from './infra/core.js';
import { buildServices, type ServiceMap } from './infra/module.js';
import { MODULES, QUEUES } from './modules/index.js';
import { clientEvents, serverEvents } from './realtime/catalogue.js';

/** Every module's service by name (each module's module.ts declares its entry). */
export type Services = ServiceMap;

export function createServices(core: Core): Services {
  return buildServices(core, MODULES);
}

/** What a process's core is built from besides config and Redis: the modules' queue catalogue and the socket event names (metric labels). */
export function coreCatalogues(): CoreCatalogues {
  return { queues: QUEUES, socketEvents: { client: Object.keys(clientEvents), server: Object.keys(serverEvents) } };
}
