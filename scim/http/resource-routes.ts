import { Hono, type Context } from 'hono';
import { DomainError, unwrap } from '../errors.js';
import { parsePatch } from '../patch/parse-patch.js';
import { isRequested, parseAttributeList, projectionFrom, requestedAttributes, type Projection } from '../projection.js';
import { parseResource } from '../resource/parse-resource.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import { URN } from '../schemas/urns.js';
import type { ReadOptions, ResourceStore, ScimCaller, StoredResource } from '../store-port.js';
import { cursorPage } from './cursor.js';
import { etagOf, isNotModified } from './etag.js';
import { parseListRequest } from './list-params.js';
import { readJson, scimJsonText } from './media.js';
import { listJson, resourceJson } from './resource-json.js';
import type { ScimEnv, ScimRouterOptions } from './router.js';
import { tenantType } from './tenant-type.js';

export const notAllowed = (allow: string): never => {
  throw new DomainError('method_not_allowed', `This endpoint accepts ${allow}`, { allow });
};

const LIST_SCHEMAS = [URN.listResponse];
const SEARCH = '.search';

/** The relation a resource type loads from another table: a group's members, a user's groups. */
const relationOf = (rt: ResourceTypeDef) => (rt.id === 'Group' ? 'members' : 'groups');

function projectionOf(c: Context): Projection {
  return projectionFrom(parseAttributeList(c.req.query('attributes')), parseAttributeList(c.req.query('excludedAttributes')));
}

/**
 * RFC 7644 §3.5.2 lets PATCH answer 200 with the resource or 204. Entra (which sends
 * application/scim+json) needs the resource; Microsoft's validator, sending plain application/json,
 * expects 204; a group's PATCH answered with 100,000 members would cost what the PATCH saved.
 * So: `Prefer` decides when sent (RFC 7240), an `attributes` parameter forces 200, groups default
 * to 204, users to 200 for application/scim+json callers and 204 otherwise.
 */
function patchWantsBody(c: Context, rt: ResourceTypeDef): boolean {
  const prefer = c.req.header('prefer')?.toLowerCase() ?? '';
  if (prefer.includes('return=representation')) return true;
  if (prefer.includes('return=minimal')) return false;
  if (c.req.query('attributes') || c.req.query('excludedAttributes')) return true;
  if (rt.id === 'Group') return false;
  return /application\/scim\+json/i.test(c.req.header('content-type') ?? '');
}

export function resourceRoutes(base: ResourceTypeDef, store: ResourceStore, options: ScimRouterOptions) {
  const routes = new Hono<ScimEnv>({ strict: false });
  const relation = relationOf(base);
  /**
   * What the store must load for a projection: the related list, and `returned: request` attributes
   * named. The hot paths build their objects as plain literals (no spreads of optional parts), so
   * they keep one shape from request to request.
   */
  const reads = (rt: ResourceTypeDef, projection: Projection): ReadOptions => {
    const requested = requestedAttributes(rt, projection);
    return { withRelations: isRequested(rt, projection, relation), requested: requested.length > 0 ? requested : undefined };
  };

  const caller = (c: Context<ScimEnv>): ScimCaller => {
    const auth = c.get('scimAuth');
    return { tenantId: auth.tenantId, tokenId: auth.tokenId, requestId: c.get('requestId'), resourceType: tenantType(c, base) };
  };
  const requireWrite = (c: Context<ScimEnv>) => {
    if (!c.get('scimAuth').scopes.includes('scim:write')) {
      throw new DomainError('forbidden', 'This token is read-only (scope scim:read); writes need scim:write');
    }
  };
  const baseUrl = (c: Context<ScimEnv>) => options.baseUrl(c);

  const single = (c: Context<ScimEnv>, stored: StoredResource, status: number, projection: Projection, location?: string) => {
    const rt = tenantType(c, base);
    const headers: Record<string, string> = { etag: etagOf(stored.version, stored.groups) };
    if (location) headers.location = location;
    return scimJsonText(c, status, resourceJson(rt, stored, baseUrl(c), projection), headers);
  };

  /** A list page's resources as JSON texts, the same way whether the page came by index or by cursor. */
  const resourcesJson = (c: Context<ScimEnv>, rt: ResourceTypeDef, resources: StoredResource[], projection: Projection) => {
    const url = baseUrl(c);
    return resources.map((r) => resourceJson(rt, r, url, projection));
  };

  async function list(c: Context<ScimEnv>, source: Record<string, unknown>) {
    const rt = tenantType(c, base);
    const request = parseListRequest(rt, source, options.maxResults);
    const read = reads(rt, request.projection);
    if (request.cursor !== undefined) {
      const page = await cursorPage(store, caller(c), {
        cursor: request.cursor,
        scope: { resourceType: rt.id, ...(request.filterText ? { filter: request.filterText } : {}) },
        ...(request.filter ? { filter: request.filter } : {}),
        count: request.count,
        ...read,
      });
      const head = {
        schemas: LIST_SCHEMAS,
        totalResults: page.total,
        itemsPerPage: page.resources.length,
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        ...(page.previousCursor ? { previousCursor: page.previousCursor } : {}),
      };
      return scimJsonText(c, 200, listJson(head, resourcesJson(c, rt, page.resources, request.projection)));
    }
    // Plain literals, no spreads: a lookup's objects keep one shape request after request.
    const page = await store.list(caller(c), {
      filter: request.filter,
      sortBy: request.sortBy,
      descending: request.descending,
      startIndex: request.startIndex,
      count: request.count,
      withRelations: read.withRelations,
      requested: read.requested,
    });
    const head = { schemas: LIST_SCHEMAS, totalResults: page.total, startIndex: request.startIndex, itemsPerPage: page.resources.length };
    return scimJsonText(c, 200, listJson(head, resourcesJson(c, rt, page.resources, request.projection)));
  }

  routes.get('/', (c) => list(c, c.req.query()));
  // `.search` is not a route of its own: a literal beside `/:id` would make hono fall back from its
  // one-regular-expression router to the slower trie for every request. Nor a middleware on `/:id`,
  // which would add a step to every request by id: each `/:id` handler is wrapped to take it first,
  // else GET /Users/.search would read as a lookup of the id ".search".
  async function search(c: Context<ScimEnv>): Promise<Response> {
    if (c.req.method !== 'POST') return notAllowed('POST');
    const body = await readJson(c);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new DomainError('invalid_syntax', 'A SearchRequest object is required');
    return list(c, body as Record<string, unknown>);
  }
  const byId =
    (handler: (c: Context<ScimEnv, '/:id'>) => Response | Promise<Response>) =>
    (c: Context<ScimEnv, '/:id'>): Response | Promise<Response> =>
      c.req.param('id') === SEARCH ? search(c) : handler(c);

  routes.post('/', async (c) => {
    requireWrite(c);
    const rt = tenantType(c, base);
    const input = unwrap(parseResource(rt, await readJson(c), 'create'));
    const stored = await store.create(caller(c), input);
    return single(c, stored, 201, projectionOf(c), `${baseUrl(c)}${rt.endpoint}/${stored.id}`);
  });

  routes.get('/:id', byId(async (c) => {
    const projection = projectionOf(c);
    const stored = await store.get(caller(c), c.req.param('id'), reads(tenantType(c, base), projection));
    const etag = etagOf(stored.version, stored.groups);
    if (isNotModified(c.req.header('if-none-match'), etag)) return new Response(null, { status: 304, headers: { etag } });
    return single(c, stored, 200, projection);
  }));

  routes.put('/:id', byId(async (c) => {
    requireWrite(c);
    const projection = projectionOf(c);
    const rt = tenantType(c, base);
    const input = unwrap(parseResource(rt, await readJson(c), 'replace'));
    const read = reads(rt, projection);
    const stored = await store.replace(caller(c), c.req.param('id'), input, { ifMatch: c.req.header('if-match'), withRelations: read.withRelations, requested: read.requested });
    return single(c, stored, 200, projection);
  }));

  routes.patch('/:id', byId(async (c) => {
    requireWrite(c);
    const projection = projectionOf(c);
    const rt = tenantType(c, base);
    const ops = unwrap(parsePatch(rt, await readJson(c)));
    const wantsBody = patchWantsBody(c, rt);
    const read = reads(rt, projection);
    const stored = await store.patch(caller(c), c.req.param('id'), ops, {
      ifMatch: c.req.header('if-match'),
      withRelations: wantsBody && read.withRelations,
      requested: wantsBody ? read.requested : undefined,
    });
    if (!wantsBody) return new Response(null, { status: 204, headers: { etag: etagOf(stored.version, stored.groups) } });
    return single(c, stored, 200, projection);
  }));

  routes.delete('/:id', byId(async (c) => {
    requireWrite(c);
    await store.delete(caller(c), c.req.param('id'), { ifMatch: c.req.header('if-match') });
    return new Response(null, { status: 204 });
  }));
  // After the real handlers: only methods none of them took get here (RFC 9110 §15.5.6: 405 names the allowed ones).
  routes.all('/', () => notAllowed('GET, POST'));
  routes.all('/:id', byId(() => notAllowed('GET, PUT, PATCH, DELETE')));

  return routes;
}
