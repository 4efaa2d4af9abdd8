// Shared pieces of the native REST API: the error envelope, the security requirements and
// the route plugin typing (its deps type is the features' own: src/modules/deps.ts).
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginOptions,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { Type } from 'typebox';

export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { description: 'every error: a stable code from the error table and a message' },
);

/** A route plugin of the native API taking `Deps` as its options. */
export type RoutePluginOf<Deps extends FastifyPluginOptions> = FastifyPluginAsyncTypebox<Deps>;

export type SecurityName = 'user' | 'app' | 'admin' | 'appOrAdmin' | 'userOrApp';

/**
 * OpenAPI security requirement names (see app.ts for their definitions). A route's
 * `schema.security` set to one of these is also how it is authenticated (the accounts
 * module's auth hook); any other requirement (metricsToken) the route checks itself.
 */
export const security: Record<SecurityName, Array<Record<string, string[]>>> = {
  user: [{ userToken: [] }],
  app: [{ appSecret: [] }],
  admin: [{ adminToken: [] }],
  appOrAdmin: [{ appSecret: [] }, { adminToken: [] }],
  userOrApp: [{ userToken: [] }, { appSecret: [] }],
};

/** The Fastify instance of an api node, with TypeBox typing. */
export type Http = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
