import type { FilterNode } from '../filter/ast.js';
import { parseFilter } from '../filter/parse.js';
import { DomainError, unwrap } from '../errors.js';
import { parseAttributeList, projectionFrom, type Projection } from '../projection.js';
import { resolvePath, type ResolvedPath } from '../schemas/resolve.js';
import type { ResourceTypeDef } from '../schemas/types.js';

export interface ListRequest {
  filterText?: string;
  filter?: FilterNode;
  sortBy?: ResolvedPath;
  descending: boolean;
  startIndex: number;
  count: number;
  /** Present (possibly empty) when the client pages by cursor (RFC 9865). */
  cursor?: string;
  projection: Projection;
}

export const DEFAULT_COUNT = 100;

/**
 * Parameter names are case-insensitive, in query strings and `.search` bodies alike: the source's
 * keys by their lower-case form, read once per request (a scan per parameter cost more).
 */
type Params = Map<string, unknown>;
function paramsOf(source: Record<string, unknown>): Params {
  const params: Params = new Map();
  for (const key of Object.keys(source)) {
    const lower = key.toLowerCase();
    // The first spelling wins, as a scan in key order would find it.
    if (!params.has(lower)) params.set(lower, source[key]);
  }
  return params;
}

/** The largest startIndex and count: PostgreSQL's integer, well inside its bigint OFFSET and LIMIT. */
export const MAX_INDEX = 2_147_483_647;

/** A decimal integer (`16`, not `0x10`, `1e1` or `16.0`) within ±MAX_INDEX; anything else is a 400. */
function integer(params: Params, name: string): number | undefined {
  const raw = params.get(name.toLowerCase());
  if (raw === undefined || raw === null || raw === '') return undefined;
  const code = name === 'count' ? 'invalid_count' : 'invalid_value';
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^[-+]?\d{1,16}$/.test(text)) throw new DomainError(code, `${name} must be a decimal integer`);
  const n = Number(text);
  if (Math.abs(n) > MAX_INDEX) throw new DomainError(code, `${name} must be at most ${MAX_INDEX}`);
  return n;
}

function list(params: Params, name: string): string[] | undefined {
  const raw = params.get(name.toLowerCase());
  if (Array.isArray(raw)) return parseAttributeList(raw.map(String).join(','));
  return typeof raw === 'string' ? parseAttributeList(raw) : undefined;
}

/**
 * Query parameters of GET and bodies of POST `.search` (RFC 7644 §3.4.2, §3.4.3) become one request.
 * Built with every field present (undefined when absent), one shape for every request: optional
 * spreads made each request's object a new shape, and the lookups Okta and Entra send by the
 * thousand paid for it.
 */
export function parseListRequest(rt: ResourceTypeDef, source: Record<string, unknown>, maxResults: number): ListRequest {
  const params = paramsOf(source);
  const filterRaw = params.get('filter');
  const filterText = typeof filterRaw === 'string' && filterRaw.trim() !== '' ? filterRaw : undefined;
  const sortRaw = params.get('sortby');
  let sortBy: ResolvedPath | undefined;
  if (typeof sortRaw === 'string' && sortRaw.trim() !== '') {
    sortBy = resolvePath(rt, sortRaw) ?? undefined;
    if (!sortBy) throw new DomainError('invalid_value', `sortBy: unknown attribute ${sortRaw}`);
  }
  const order = params.get('sortorder');
  const cursorRaw = params.get('cursor');
  // startIndex below 1 is read as 1 and count is capped at the advertised maximum (RFC 7644 §3.4.2.4).
  const count = integer(params, 'count');
  if (count !== undefined && count < 0 && cursorRaw !== undefined) throw new DomainError('invalid_count', 'count must not be negative');
  const projection = projectionFrom(list(params, 'attributes'), list(params, 'excludedAttributes'));
  return {
    filterText,
    filter: filterText ? unwrap(parseFilter(rt, filterText)) : undefined,
    sortBy,
    descending: typeof order === 'string' && order.toLowerCase() === 'descending',
    startIndex: Math.max(1, integer(params, 'startIndex') ?? 1),
    count: Math.min(maxResults, Math.max(0, count ?? Math.min(DEFAULT_COUNT, maxResults))),
    cursor: cursorRaw !== undefined && cursorRaw !== null ? String(cursorRaw) : undefined,
    projection,
  };
}
