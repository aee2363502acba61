import type { FilterNode } from '../filter/ast.js';
import { parseFilter } from '../filter/parse.js';
import { DomainError, unwrap } from '../errors.js';
import { parseAttributeList, type Projection } from '../projection.js';
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

/** Case-insensitive parameter lookup over query strings and `.search` bodies alike. */
function pick(source: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(source).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : source[key];
}

/** The largest startIndex and count: PostgreSQL's integer, well inside its bigint OFFSET and LIMIT. */
export const MAX_INDEX = 2_147_483_647;

/** A decimal integer (`16`, not `0x10`, `1e1` or `16.0`) within ±MAX_INDEX; anything else is a 400. */
function integer(source: Record<string, unknown>, name: string): number | undefined {
  const raw = pick(source, name);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const code = name === 'count' ? 'invalid_count' : 'invalid_value';
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (!/^[-+]?\d{1,16}$/.test(text)) throw new DomainError(code, `${name} must be a decimal integer`);
  const n = Number(text);
  if (Math.abs(n) > MAX_INDEX) throw new DomainError(code, `${name} must be at most ${MAX_INDEX}`);
  return n;
}

function list(source: Record<string, unknown>, name: string): string[] | undefined {
  const raw = pick(source, name);
  if (Array.isArray(raw)) return parseAttributeList(raw.map(String).join(','));
  return typeof raw === 'string' ? parseAttributeList(raw) : undefined;
}

/** Query parameters of GET and bodies of POST `.search` (RFC 7644 §3.4.2, §3.4.3) become one request. */
export function parseListRequest(rt: ResourceTypeDef, source: Record<string, unknown>, maxResults: number): ListRequest {
  const filterRaw = pick(source, 'filter');
  const filterText = typeof filterRaw === 'string' && filterRaw.trim() !== '' ? filterRaw : undefined;
  const sortRaw = pick(source, 'sortBy');
  let sortBy: ResolvedPath | undefined;
  if (typeof sortRaw === 'string' && sortRaw.trim() !== '') {
    sortBy = resolvePath(rt, sortRaw) ?? undefined;
    if (!sortBy) throw new DomainError('invalid_value', `sortBy: unknown attribute ${sortRaw}`);
  }
  const order = pick(source, 'sortOrder');
  const cursorRaw = pick(source, 'cursor');
  // startIndex below 1 is read as 1 and count is capped at the advertised maximum (RFC 7644 §3.4.2.4).
  const count = integer(source, 'count');
  if (count !== undefined && count < 0 && cursorRaw !== undefined) throw new DomainError('invalid_count', 'count must not be negative');
  return {
    ...(filterText ? { filterText, filter: unwrap(parseFilter(rt, filterText)) } : {}),
    ...(sortBy ? { sortBy } : {}),
    descending: typeof order === 'string' && order.toLowerCase() === 'descending',
    startIndex: Math.max(1, integer(source, 'startIndex') ?? 1),
    count: Math.min(maxResults, Math.max(0, count ?? Math.min(DEFAULT_COUNT, maxResults))),
    ...(cursorRaw !== undefined && cursorRaw !== null ? { cursor: String(cursorRaw) } : {}),
    projection: {
      ...(list(source, 'attributes') ? { attributes: list(source, 'attributes') } : {}),
      ...(list(source, 'excludedAttributes') ? { excludedAttributes: list(source, 'excludedAttributes') } : {}),
    },
  };
}
