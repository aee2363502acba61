import { Hono, type Context } from 'hono';
import { DomainError } from '../errors.js';
import { allSchemas, resourceTypes } from '../schemas/resource-types.js';
import type { AttributeDef, ResourceTypeDef, SchemaDef } from '../schemas/types.js';
import { URN } from '../schemas/urns.js';
import { scimJson } from './media.js';
import type { ScimEnv, ScimRouterOptions } from './router.js';

const attributeView = (a: AttributeDef): Record<string, unknown> => ({
  name: a.name,
  type: a.type,
  multiValued: a.multiValued,
  description: a.description,
  required: a.required,
  caseExact: a.caseExact,
  mutability: a.mutability,
  returned: a.returned,
  uniqueness: a.uniqueness,
  ...(a.canonicalValues ? { canonicalValues: a.canonicalValues } : {}),
  ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
  ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attributeView) } : {}),
});

const schemaView = (s: SchemaDef, base: string) => ({
  schemas: [URN.schema],
  id: s.id,
  name: s.name,
  description: s.description,
  attributes: s.attributes.map(attributeView),
  meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` },
});

const resourceTypeView = (base: string, types: ResourceTypeDef[]) =>
  types.map((rt) => ({
    schemas: [URN.resourceType],
    id: rt.id,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema.id,
    schemaExtensions: rt.extensions.map((e) => ({ schema: e.schema.id, required: e.required })),
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${rt.id}` },
  }));

const listOf = (items: unknown[]) => ({
  schemas: [URN.listResponse],
  totalResults: items.length,
  startIndex: 1,
  itemsPerPage: items.length,
  Resources: items,
});

/**
 * Generated from the same definitions that validate requests, so discovery cannot drift from behaviour;
 * a tenant sees its own resource types (its User extension included) and no other tenant's.
 */
export function discoveryRoutes(options: ScimRouterOptions) {
  const routes = new Hono<ScimEnv>({ strict: false });
  const typesOf = (c: Context<ScimEnv>) => c.get('resourceTypes') ?? resourceTypes;
  const config = (c: Context<ScimEnv>) =>
    scimJson(c, 200, {
      schemas: [URN.serviceProviderConfig],
      documentationUri: 'https://github.com/rollcall-dev/rollcall#readme',
      patch: { supported: true },
      bulk: { supported: options.bulk.supported, maxOperations: options.bulk.maxOperations, maxPayloadSize: options.bulk.maxPayloadSize },
      filter: { supported: true, maxResults: options.maxResults },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      // RFC 9865 §4: cursor and index paging side by side.
      pagination: {
        cursor: true,
        index: true,
        defaultPaginationMethod: 'index',
        defaultPageSize: Math.min(100, options.maxResults),
        maxPageSize: options.maxResults,
        cursorTimeout: 86400,
      },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'Authentication with a per-tenant bearer token issued by Rollcall',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${options.baseUrl(c)}/ServiceProviderConfig` },
    });
  routes.get('/ServiceProviderConfig', config);
  // Microsoft's validator asks for this older name.
  routes.get('/serviceConfiguration', config);
  routes.get('/ResourceTypes', (c) => scimJson(c, 200, listOf(resourceTypeView(options.baseUrl(c), typesOf(c)))));
  routes.get('/ResourceTypes/:id', (c) => {
    const found = resourceTypeView(options.baseUrl(c), typesOf(c)).find((r) => r.id.toLowerCase() === c.req.param('id').toLowerCase());
    if (!found) throw new DomainError('not_found', `Resource type ${c.req.param('id')} not found`);
    return scimJson(c, 200, found);
  });
  routes.get('/Schemas', (c) => scimJson(c, 200, listOf(allSchemas(typesOf(c)).map((s) => schemaView(s, options.baseUrl(c))))));
  routes.get('/Schemas/:id', (c) => {
    const found = allSchemas(typesOf(c)).find((s) => s.id.toLowerCase() === c.req.param('id').toLowerCase());
    if (!found) throw new DomainError('not_found', `Schema ${c.req.param('id')} not found`);
    return scimJson(c, 200, schemaView(found, options.baseUrl(c)));
  });
  // RFC 7644 §4: discovery endpoints are read-only.
  for (const path of ['/ServiceProviderConfig', '/serviceConfiguration', '/ResourceTypes', '/ResourceTypes/:id', '/Schemas', '/Schemas/:id']) {
    routes.on(['POST', 'PUT', 'PATCH', 'DELETE'], path, () => {
      throw new DomainError('method_not_allowed', 'Discovery endpoints are read-only', { allow: 'GET' });
    });
  }
  return routes;
}
