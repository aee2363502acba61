import type { Context } from 'hono';
import { DomainError } from '../errors.js';
import { isRequested, project, requestedAttributes } from '../projection.js';
import { groupResourceType, userResourceType } from '../schemas/resource-types.js';
import { resolvePath } from '../schemas/resolve.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import { URN } from '../schemas/urns.js';
import type { ResourceStore, ScimCaller } from '../store-port.js';
import { toScim } from './format.js';
import { parseListRequest, type ListRequest } from './list-params.js';
import { readJson, scimJson } from './media.js';
import type { ScimEnv, ScimRouterOptions } from './router.js';
import { tenantType } from './tenant-type.js';

/** Users first, then Groups: the combined list has one stable order, so index paging over it is stable too. */
const searched = (options: ScimRouterOptions, c: Context<ScimEnv>): [ResourceTypeDef, ResourceStore, string][] => [
  [tenantType(c, userResourceType), options.store.users, 'groups'],
  [tenantType(c, groupResourceType), options.store.groups, 'members'],
];

const keyOf = (source: Record<string, unknown>, name: string) => Object.keys(source).find((k) => k.toLowerCase() === name.toLowerCase());

/**
 * The request as it applies to one resource type, or null when its filter names an attribute that type
 * lacks (RFC 7644 §3.4.3: such a type contributes nothing). `sortBy` that a type lacks sorts that type
 * by id, as resources without a value sort last (§3.4.2.3).
 */
function requestFor(rt: ResourceTypeDef, body: Record<string, unknown>, maxResults: number): ListRequest | DomainError {
  const sortKey = keyOf(body, 'sortBy');
  const sortBy = sortKey === undefined ? undefined : body[sortKey];
  const source = { ...body };
  if (sortKey !== undefined && typeof sortBy === 'string' && sortBy.trim() !== '' && !resolvePath(rt, sortBy)) delete source[sortKey];
  try {
    return parseListRequest(rt, source, maxResults);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'invalid_filter') return error;
    throw error;
  }
}

/** `POST /.search` across every resource type (RFC 7644 §3.4.3), index-paged over Users then Groups. */
export function searchAllHandler(options: ScimRouterOptions) {
  return async (c: Context<ScimEnv>) => {
    const body = await readJson(c);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new DomainError('invalid_syntax', 'A SearchRequest object is required');
    const source = body as Record<string, unknown>;
    if (keyOf(source, 'cursor') !== undefined) {
      // A client that asked for cursors and got an index page would stop after it: say so instead.
      throw new DomainError('invalid_value', 'Cursor paging is offered on /Users and /Groups; /.search pages by startIndex and count');
    }
    const sortKey = keyOf(source, 'sortBy');
    const sortBy = sortKey === undefined ? undefined : source[sortKey];
    if (typeof sortBy === 'string' && sortBy.trim() !== '' && !searched(options, c).some(([rt]) => resolvePath(rt, sortBy))) {
      throw new DomainError('invalid_value', `sortBy: unknown attribute ${sortBy}`);
    }
    const plans = searched(options, c).map(([rt, store, relation]) => ({ rt, store, relation, request: requestFor(rt, source, options.maxResults) }));
    const usable = plans.filter((p): p is typeof p & { request: ListRequest } => !(p.request instanceof DomainError));
    if (usable.length === 0) throw plans[0]!.request as DomainError;

    const auth = c.get('scimAuth');
    const caller = (rt: ResourceTypeDef): ScimCaller => ({ tenantId: auth.tenantId, tokenId: auth.tokenId, requestId: c.get('requestId'), resourceType: rt });
    const { startIndex, count, projection } = usable[0]!.request;
    // Walk the types in order: each takes what is left of the window, starting where the previous type's total ends.
    let skip = startIndex - 1;
    let left = count;
    let total = 0;
    const resources: Record<string, unknown>[] = [];
    for (const { rt, store, relation, request } of usable) {
      const requested = requestedAttributes(rt, projection);
      const page = await store.list(caller(rt), {
        ...request,
        startIndex: skip + 1,
        count: left,
        withRelations: left > 0 && isRequested(rt, projection, relation),
        ...(requested.length > 0 ? { requested } : {}),
      });
      total += page.total;
      skip = Math.max(0, skip - page.total);
      left -= page.resources.length;
      for (const stored of page.resources) {
        const shown = project(rt, toScim(rt, stored, options.baseUrl(c)), projection);
        // Across types the client needs to know what each result is, even under an `attributes` list.
        const meta = (shown.meta ?? {}) as Record<string, unknown>;
        resources.push({ ...shown, meta: { ...meta, resourceType: rt.name } });
      }
    }
    return scimJson(c, 200, { schemas: [URN.listResponse], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources });
  };
}
