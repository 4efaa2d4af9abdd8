// What every route plugin (native modules and dialects) is given: the core, the feature
// services and the accounts module's authentication (for dialects, which call it by hand;
// native routes declare `schema.security` and read req.caller / req.session / req.appRecord).
// The type is declared in infra/module.ts; accounts/auth-plugin.ts adds `auth` to it.
export type { RouteDeps, RoutePlugin } from '../infra/module.js';
