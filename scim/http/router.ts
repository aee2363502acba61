import { Hono, type Context } from 'hono';
import { DomainError } from '../errors.js';
import { groupResourceType, userResourceType } from '../schemas/resource-types.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import type { ScimStore } from '../store-port.js';
import { bulkHandler } from './bulk.js';
import { discoveryRoutes } from './discovery.js';
import { errorResponse } from './media.js';
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
  router.notFound(() => errorResponse(new DomainError('not_found', 'No such SCIM endpoint')));
  router.onError((error, c) => {
    if (error instanceof DomainError) return errorResponse(error);
    // Unknown failures are logged with the request id by the caller and answered without internals.
    options.onUnexpected?.(error, c);
    return errorResponse(new DomainError('internal', `Internal error; quote request id ${c.get('requestId') ?? 'unknown'}`));
  });
  return router;
}
