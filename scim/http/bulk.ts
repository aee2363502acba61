import { Hono, type Context } from 'hono';
import { DomainError } from '../errors.js';
import { groupResourceType, userResourceType } from '../schemas/resource-types.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import { URN } from '../schemas/urns.js';
import { errorResponse, readJson, scimJson } from './media.js';
import { resourceRoutes } from './resource-routes.js';
import type { ScimAuth, ScimEnv, ScimRouterOptions } from './router.js';

interface BulkOperation {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  bulkId?: string;
  version?: string;
  data?: unknown;
}

export interface BulkLimits {
  maxOperations: number;
  maxPayloadSize: number;
}

/**
 * The resource routes, for the operations of one Bulk request, as the caller it already authenticated:
 * a Bulk request is one request, so its operations are neither re-verified nor charged to the
 * token's rate limit one by one (else a Bulk within maxOperations would fail op by op with 429).
 */
function dispatcher(options: ScimRouterOptions, auth: ScimAuth, requestId: string, types: ResourceTypeDef[] | undefined): Hono<ScimEnv> {
  const inner = new Hono<ScimEnv>({ strict: false });
  inner.use('*', async (c, next) => {
    c.set('scimAuth', auth);
    c.set('requestId', requestId);
    if (types) c.set('resourceTypes', types);
    await next();
  });
  inner.route('/Users', resourceRoutes(userResourceType, options.store.users, options));
  inner.route('/Groups', resourceRoutes(groupResourceType, options.store.groups, options));
  inner.onError((error, c) => {
    if (error instanceof DomainError) return errorResponse(error);
    options.onUnexpected?.(error, c);
    return errorResponse(new DomainError('internal', `Internal error; quote request id ${requestId}`));
  });
  return inner;
}

const METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Endpoint names are case-insensitive as on the single-request routes (Microsoft's validator writes `/users`).
const PATH = /^\/(Users|Groups)(\/[^/?#]+)?$/i;

function parseOperations(body: unknown, limits: BulkLimits): { ops: BulkOperation[]; failOnErrors: number } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new DomainError('invalid_syntax', 'A BulkRequest object is required');
  const b = body as Record<string, unknown>;
  const schemas = Array.isArray(b.schemas) ? b.schemas.map((s) => String(s).toLowerCase()) : [];
  if (!schemas.includes(URN.bulkRequest.toLowerCase())) throw new DomainError('invalid_syntax', `schemas must contain ${URN.bulkRequest}`);
  const key = Object.keys(b).find((k) => k.toLowerCase() === 'operations');
  const raw = key ? b[key] : undefined;
  if (!Array.isArray(raw) || raw.length === 0) throw new DomainError('invalid_syntax', 'Operations must be a non-empty array');
  if (raw.length > limits.maxOperations) {
    throw new DomainError('too_many', `The request has ${raw.length} operations; the maximum is ${limits.maxOperations}`);
  }
  const failOnErrors = typeof b.failOnErrors === 'number' && b.failOnErrors > 0 ? Math.floor(b.failOnErrors) : Infinity;
  const ops = raw.map((op, i) => {
    const o = (op ?? {}) as Record<string, unknown>;
    const method = String(o.method ?? '').toUpperCase();
    const path = String(o.path ?? '');
    if (!METHODS.has(method)) throw new DomainError('invalid_syntax', `Operations[${i}].method must be POST, PUT, PATCH or DELETE`);
    if (!PATH.test(path)) throw new DomainError('invalid_syntax', `Operations[${i}].path must be /Users, /Groups or /Users/{id}, /Groups/{id}`);
    if (method === 'POST' && typeof o.bulkId !== 'string') throw new DomainError('invalid_syntax', `Operations[${i}]: POST needs a bulkId`);
    if (method === 'POST' && PATH.exec(path)![2]) throw new DomainError('invalid_syntax', `Operations[${i}]: POST goes to /Users or /Groups`);
    if (method !== 'POST' && !PATH.exec(path)![2]) throw new DomainError('invalid_syntax', `Operations[${i}]: ${method} needs a resource id in path`);
    // The version travels on as an If-Match header, whose value is visible ASCII (RFC 9110 §8.8.3).
    if (o.version !== undefined && (typeof o.version !== 'string' || !/^[\x20-\x7e]*$/.test(o.version))) {
      throw new DomainError('invalid_syntax', `Operations[${i}].version must be an ETag such as W/"3"`);
    }
    return {
      method: method as BulkOperation['method'],
      path,
      ...(typeof o.bulkId === 'string' ? { bulkId: o.bulkId } : {}),
      ...(typeof o.version === 'string' ? { version: o.version } : {}),
      ...(o.data !== undefined ? { data: o.data } : {}),
    };
  });
  return { ops, failOnErrors };
}

const REF = /^bulkId:(.+)$/;

/** Every `bulkId:<id>` a value mentions (RFC 7644 §3.7.2), as a whole string: in `data` or as the path's id. */
function referencesOf(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = REF.exec(value);
    if (m) out.add(m[1]!);
  } else if (Array.isArray(value)) for (const v of value) referencesOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) referencesOf(v, out);
  return out;
}

/** Replaces every `bulkId:<id>` string with the id the POST of that bulkId produced; all are known by now. */
function resolveRefs(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const m = REF.exec(value);
    return m ? (ids.get(m[1]!) ?? value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, ids));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, ids)]));
  return value;
}

const pathParts = (path: string) => {
  const m = PATH.exec(path)!;
  return { type: m[1]!.toLowerCase() === 'users' ? 'Users' : 'Groups', id: m[2]?.slice(1) };
};

const errorBody = (status: string, scimType: string, detail: string) => ({ schemas: [URN.error], status, scimType, detail });

/**
 * `/Bulk`: each operation is dispatched through the same routes as a single request (same validation,
 * same transactions). Operations run in request order, except that one naming a bulkId whose POST comes
 * later waits for it (RFC 7644 §3.7.2: the service provider MUST try to resolve bulkIds); what cannot be
 * resolved, including a circular reference, fails with 409.
 */
export function bulkHandler(options: ScimRouterOptions) {
  const limits: BulkLimits = options.bulk;
  return async (c: Context<ScimEnv>) => {
    // Every bulk operation writes: a read-only token is refused whole rather than op by op.
    if (!c.get('scimAuth').scopes.includes('scim:write')) {
      throw new DomainError('forbidden', 'This token is read-only (scope scim:read); /Bulk needs scim:write');
    }
    const { ops, failOnErrors } = parseOperations(await readJson(c), limits);
    const router = dispatcher(options, c.get('scimAuth'), c.get('requestId'), c.get('resourceTypes'));
    const baseUrl = options.baseUrl(c);
    const posted = new Map<string, number>();
    for (const [i, op] of ops.entries()) {
      if (op.method !== 'POST') continue;
      if (posted.has(op.bulkId!)) throw new DomainError('invalid_syntax', `Operations[${i}]: bulkId ${op.bulkId} is used twice`);
      posted.set(op.bulkId!, i);
    }
    const ids = new Map<string, string>();
    const failed = new Set<string>();
    const results: (Record<string, unknown> | undefined)[] = [];
    let errors = 0;

    const run = async (op: BulkOperation): Promise<Record<string, unknown>> => {
      const { type, id: pathId } = pathParts(op.path);
      const id = pathId === undefined ? undefined : (resolveRefs(pathId, ids) as string);
      const headers: Record<string, string> = { 'content-type': 'application/scim+json', prefer: 'return=representation' };
      if (op.version) headers['if-match'] = op.version;
      const res = await router.request(`/${type}${id === undefined ? '' : `/${id}`}`, {
        method: op.method,
        headers,
        ...(op.method === 'DELETE' ? {} : { body: JSON.stringify(resolveRefs(op.data, ids) ?? {}) }),
      });
      const text = await res.text();
      let body: Record<string, unknown> | undefined;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      } catch {
        body = undefined;
      }
      const base = { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), status: String(res.status) };
      if (res.status >= 400) return { ...base, response: body };
      const location = (body?.id as string | undefined) ?? id;
      if (op.method === 'POST' && location) ids.set(op.bulkId!, location);
      return {
        ...base,
        ...(location ? { location: `${baseUrl}/${type}/${location}` } : {}),
        ...(res.headers.get('etag') ? { version: res.headers.get('etag') } : {}),
      };
    };
    const fail = (i: number, detail: string) => {
      const op = ops[i]!;
      errors++;
      if (op.bulkId) failed.add(op.bulkId);
      results[i] = { method: op.method, ...(op.bulkId ? { bulkId: op.bulkId } : {}), status: '409', response: errorBody('409', 'invalidValue', detail) };
    };

    let pending = ops.map((_, i) => i);
    while (pending.length > 0 && errors < failOnErrors) {
      const waiting: number[] = [];
      for (const i of pending) {
        if (errors >= failOnErrors) break;
        const op = ops[i]!;
        const unknown = [...referencesOf([pathParts(op.path).id, op.data])].filter((ref) => !ids.has(ref));
        if (unknown.length === 0) {
          const result = await run(op);
          results[i] = result;
          if (Number(result.status) >= 400) {
            errors++;
            if (op.bulkId) failed.add(op.bulkId);
          }
        } else if (unknown.every((ref) => posted.has(ref) && posted.get(ref) !== i && !failed.has(ref))) {
          waiting.push(i);
        } else {
          fail(i, `Unresolved bulkId reference: ${unknown.join(', ')}`);
        }
      }
      if (waiting.length === pending.length) {
        // Nothing moved in a whole pass: what is left waits on itself (a circular reference).
        for (const i of waiting) if (errors < failOnErrors) fail(i, 'Circular bulkId reference');
        break;
      }
      pending = waiting;
    }
    return scimJson(c, 200, { schemas: [URN.bulkResponse], Operations: results.filter((r) => r !== undefined) });
  };
}
