// What every route plugin (native modules and dialects) is given: the core, the feature
// services and the accounts module's authentication (for dialects, which call it by hand;
// native routes declare `schema.security` and read req.caller / req.session / req.appRecord).
import type { Core } from '../infra/core.js';
import type { RoutePluginOf } from '../infra/http.js';
import type { Services } from '../services.js';
import type { Auth } from './accounts/auth-plugin.js';

export interface RouteDeps {
  core: Core;
  services: Services;
  auth: Auth;
}

export type RoutePlugin = RoutePluginOf<RouteDeps>;
