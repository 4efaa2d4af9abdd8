// Shared pieces of the native REST API: the error envelope and route plugin typing.
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { Type } from 'typebox';
import type { Auth } from './auth.js';
import type { Core } from './core.js';
import type { Services } from '../services.js';

export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { description: 'every error: a stable code from the error table and a message' },
);

export interface RouteDeps {
  core: Core;
  services: Services;
  auth: Auth;
}

export type RoutePlugin = FastifyPluginAsyncTypebox<RouteDeps>;

/** OpenAPI security requirement names (see app.ts for their definitions). */
export const security: Record<'user' | 'app' | 'admin' | 'appOrAdmin' | 'userOrApp', Array<Record<string, string[]>>> = {
  user: [{ userToken: [] }],
  app: [{ appSecret: [] }],
  admin: [{ adminToken: [] }],
  appOrAdmin: [{ appSecret: [] }, { adminToken: [] }],
  userOrApp: [{ userToken: [] }, { appSecret: [] }],
};

/** The Fastify instance of an api node, with TypeBox typing. */
export type Http = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
