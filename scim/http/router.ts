import { Hono, type Context } from 'hono';
import { groupResourceType, userResourceType } from '../schemas/resource-types.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import type { ScimStore } from '../store-port.js';
import { bulkHandler } from './bulk.js';
import { discoveryRoutes } from './discovery.js';
import { notAllowed, resourceRoutes } from './resource-routes.js';
import { searchAllHandler } from './search-all.js';

/** What a SCIM caller proved with its bearer token. */
export interface ScimAuth {
  tenantId: string;
  tokenId: string;
  scopes: string[];
}

/** The caller's tenant's resource types (its own User extension included), set once authenticated. */
export type ScimEnv = { Variables: { scimAuth: ScimAuth; requestId: string; resourceTypes?: ResourceTypeDef[] } };

export interface ScimRouterOptions {
  store: ScimStore;
  /** Verifies the `Authorization` header of the request `c`; throws `unauthorized` (or `rate_limited`). */
  authenticate(authorization: string | undefined, c: Context): Promise<ScimAuth>;
  /** The public base of the SCIM API (…/scim/v2), for `meta.location` and `$ref`s. */
  baseUrl(c: Context): string;
  maxResults: number;
  bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number };
  /** Logs an unexpected error inside a bulk operation, which answers it in place; the mounting app logs the rest. */
  onUnexpected?(error: Error, c: Context): void;
  /** The tenant's resource types (User with its own extension, Group); omitted: the server's own for every tenant. */
  resourceTypesFor?(tenantId: string): Promise<ResourceTypeDef[]>;
  /** Extra routes mounted after authentication (e.g. /Bulk, /.search), given the router to extend. */
  extend?: (router: Hono<ScimEnv>) => void;
}

export function createScimRouter(options: ScimRouterOptions): Hono<ScimEnv> {
  const router = new Hono<ScimEnv>({ strict: false });
  router.use('*', async (c, next) => {
    if (!c.get('requestId')) c.set('requestId', c.req.header('x-request-id') || crypto.randomUUID());
    const auth = await options.authenticate(c.req.header('authorization'), c);
    c.set('scimAuth', auth);
    if (options.resourceTypesFor) c.set('resourceTypes', await options.resourceTypesFor(auth.tenantId));
    await next();
  });
  router.route('/', discoveryRoutes(options));
  router.route('/Users', resourceRoutes(userResourceType, options.store.users, options));
  router.route('/Groups', resourceRoutes(groupResourceType, options.store.groups, options));
  router.post('/.search', searchAllHandler(options));
  router.all('/.search', () => notAllowed('POST'));
  if (options.bulk.supported) {
    router.post('/Bulk', bulkHandler(options));
    router.all('/Bulk', () => notAllowed('POST'));
  }
  options.extend?.(router);
  // No onError or notFound here: the app that mounts the router answers both (src/app.ts), for SCIM
  // paths in SCIM's error format. A mounted router with an error handler of its own makes hono wrap
  // each of its routes in a composed handler built anew on every request, some 6 KB of garbage each.
  return router;
}
