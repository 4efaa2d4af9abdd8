// The manifest of a feature module: everything the api and the workers need to know about
// a feature, declared once in src/modules/<feature>/module.ts and listed in
// src/modules/index.ts. The api (app.ts), the workers (workers/runtime.ts), the queue
// catalogue, the error table and the config schema are built by looping over that list.
//
// Layering: infra imports no feature. What infra must know about features only by type
// (their services, queues, socket gateway) is declared here or in infra/queues.ts as an
// empty interface that each module augments (declaration merging); the values come from the list.
import type { Server } from 'socket.io';
import type { TProperties } from 'typebox';
import type { Config } from './config.js';
import type { Contract } from '../infra/contract.js';
import type { Core } from './core.js';
import type { ErrorDefs } from './errors.js';
import type { RoutePluginOf } from './http.js';
import type { ModuleQueues, Schedule } from './queues.js';

/**
 * Every feature's service by module name. Each module.ts adds its own:
 * `declare module '../../infra/module.js' { interface ServiceMap { rooms: RoomsService } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServiceMap {}

/**
 * What every route plugin (native modules and dialects) is given: the core and the services;
 * the accounts module adds `auth` (declaration merging: infra imports no feature).
 */
export interface RouteDeps {
  core: Core;
  services: ServiceMap;
}
export type RoutePlugin = RoutePluginOf<RouteDeps>;

/** What a socket registrar gets: realtime/modules.ts adds `gateway: Gateway` (infra imports no realtime code). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SocketHost {}
export type SocketRegistrar = SocketHost extends { gateway: infer G } ? (gateway: G) => void : never;

/** Something a module started in a process and the process stops at close (timers, connections, batches). */
export interface Stoppable {
  stop(): void | Promise<void>;
}

interface ModuleParts {
  /** HTTP route plugins, registered in this order with `{ core, services, auth }`. */
  routes?: readonly RoutePlugin[];
  /** Registers the module's socket event handlers and snapshot parts on the gateway (events.ts). */
  events?: SocketRegistrar;
  /** Its socket events of the main namespace, with their schemas (contract.ts): the catalogue composes them. */
  contract?: Contract;
  /** Its queues: job payload schemas and processors (jobs.ts). */
  queues?: ModuleQueues;
  /** Repeating jobs every worker node upserts at start-up. */
  schedules?(config: Config): Schedule[];
  /** Its error codes (errors.ts): HTTP status and default message. */
  errors?: ErrorDefs;
  /**
   * Its section of the config schema (its config.ts: TypeBox properties), composed into
   * ConfigSchema by src/config.ts; its config.ts adds the section's types to `Config`.
   */
  config?: TProperties;
  /** Started by each api node once the gateway runs; stopped before the sockets close. */
  api?(ctx: { core: Core; services: ServiceMap; io: Server }): Stoppable | void;
  /** Started by each worker node with its workers; stopped after they finished. */
  worker?(ctx: { core: Core; services: ServiceMap }): Stoppable | void;
}

type OwnService<Name extends string> = Name extends keyof ServiceMap ? ServiceMap[Name] : never;
type Wired<Name extends string, Need extends keyof ServiceMap> = Pick<ServiceMap, Need | (Name & keyof ServiceMap)>;

/** A module as written: `needs` types the services its factory and wiring get. */
export interface ModuleDef<Name extends string, Need extends keyof ServiceMap> extends ModuleParts {
  /** The module's name: also the key of its service (services.<name>). */
  name: Name;
  /** Services this module's factory and wiring use: built before it. */
  needs?: readonly Need[];
  /** Builds the module's service from the core and the services it needs. */
  service?(core: Core, deps: Pick<ServiceMap, Need>): OwnService<Name>;
  /**
   * Subscribes to the hooks of other modules (and its own), once every service is built,
   * in list order: the order of the list is the order handlers run.
   */
  wire?(services: Wired<Name, Need>, core: Core): void;
}

/** Any module of the list (what the loops see). */
export interface AnyModule extends ModuleParts {
  name: string;
  needs?: readonly string[];
  service?(core: Core, deps: ServiceMap): unknown;
  wire?(services: ServiceMap, core: Core): void;
}

export function defineModule<const Name extends string, Need extends keyof ServiceMap = never>(def: ModuleDef<Name, Need>): ModuleDef<Name, Need> {
  return def;
}

/** The modules in an order where each comes after those it needs (list order otherwise kept); throws on a missing or circular need. */
export function dependencyOrder<M extends { name: string; needs?: readonly string[] }>(modules: readonly M[]): M[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const ordered: M[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: M, path: string[]) => {
    if (state.get(m.name) === 'done') return;
    if (state.get(m.name) === 'visiting') throw new Error(`modules need each other: ${[...path, m.name].join(' → ')}`);
    state.set(m.name, 'visiting');
    for (const need of m.needs ?? []) {
      const dep = byName.get(need);
      if (!dep) throw new Error(`module ${m.name} needs ${need}, which is not in the list`);
      visit(dep, [...path, m.name]);
    }
    state.set(m.name, 'done');
    ordered.push(m);
  };
  for (const m of modules) visit(m, []);
  return ordered;
}

/** Builds every module's service in dependency order, then runs the wiring in list order. */
export function buildServices(core: Core, modules: readonly AnyModule[]): ServiceMap {
  const services: Record<string, unknown> = {};
  for (const m of dependencyOrder(modules)) {
    if (m.service) services[m.name] = m.service(core, services as unknown as ServiceMap);
  }
  for (const m of modules) m.wire?.(services as unknown as ServiceMap, core);
  return services as unknown as ServiceMap;
}
