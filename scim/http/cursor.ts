import { createHash } from 'node:crypto';
import { DomainError } from '../errors.js';
import type { FilterNode } from '../filter/ast.js';
import type { ListPage, ResourceStore, ScimCaller, StoredResource } from '../store-port.js';

/**
 * RFC 9865 cursors. A cursor names an anchor id, the direction to read from it (`next`: ids after it,
 * `previous`: ids before it), the resource type and filter it belongs to, and when it was issued.
 * Ids are time-ordered and the walk is keyset-based, so records that exist throughout are returned
 * exactly once whatever is created or deleted meanwhile.
 */
export const CURSOR_TTL_MS = 24 * 60 * 60 * 1000;

export type CursorDirection = 'next' | 'previous';

export interface CursorPosition {
  direction: CursorDirection;
  /** `next`: the last id of the page before; `previous`: the first id of the page after. */
  id: string;
}

/** What a cursor is only valid for: a cursor of /Groups or of another filter is not a cursor here. */
export interface CursorScope {
  resourceType: string;
  filter?: string;
}

const scopeHash = (scope: CursorScope) =>
  createHash('sha256')
    .update(`${scope.resourceType}\n${scope.filter ?? ''}`)
    .digest('base64url')
    .slice(0, 12);

const invalid = (detail: string) => new DomainError('invalid_cursor', detail);

export function encodeCursor(position: CursorPosition, scope: CursorScope, now = Date.now()): string {
  const body = { a: position.id, d: position.direction === 'previous' ? 'p' : 'n', f: scopeHash(scope), t: now };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Returns where to read from, or undefined for the first page (an empty cursor, RFC 9865 §2.1). */
export function decodeCursor(cursor: string, scope: CursorScope, now = Date.now()): CursorPosition | undefined {
  if (cursor === '') return undefined;
  let parsed: { a?: unknown; d?: unknown; f?: unknown; t?: unknown } | null;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('The cursor is not one this server issued');
  }
  if (typeof parsed?.a !== 'string' || typeof parsed.t !== 'number' || typeof parsed.f !== 'string' || (parsed.d !== 'n' && parsed.d !== 'p')) {
    throw invalid('The cursor is not one this server issued');
  }
  if (parsed.f !== scopeHash(scope)) throw invalid('The cursor belongs to a different resource type or filter');
  if (now - parsed.t > CURSOR_TTL_MS) throw new DomainError('expired_cursor', 'The cursor has expired; start again with an empty cursor');
  return { direction: parsed.d === 'p' ? 'previous' : 'next', id: parsed.a };
}

export interface CursorRequest {
  cursor: string;
  scope: CursorScope;
  filter?: FilterNode;
  count: number;
  withRelations: boolean;
  requested?: string[];
}

export interface CursorPage {
  total: number;
  resources: StoredResource[];
  nextCursor?: string;
  previousCursor?: string;
}

/**
 * One page of a cursor walk (RFC 9865 §2.2). A page read forwards after an anchor has a previous page
 * (the one the anchor came from); a page read backwards has a next one (the page it was read from).
 * An empty page has no anchor of its own, so it offers no cursor back: the client starts over.
 */
export async function cursorPage(store: Pick<ResourceStore, 'listAfter'>, caller: ScimCaller, request: CursorRequest): Promise<CursorPage> {
  const position = decodeCursor(request.cursor, request.scope);
  const page: ListPage = await store.listAfter(caller, {
    ...(request.filter ? { filter: request.filter } : {}),
    ...(position?.direction === 'next' ? { after: position.id } : {}),
    ...(position?.direction === 'previous' ? { before: position.id } : {}),
    count: request.count,
    withRelations: request.withRelations,
    ...(request.requested ? { requested: request.requested } : {}),
  });
  const first = page.resources[0];
  const last = page.resources.at(-1);
  const backwards = position?.direction === 'previous';
  const hasNext = backwards || page.more === true;
  const hasPrevious = backwards ? page.more === true : position !== undefined;
  return {
    total: page.total,
    resources: page.resources,
    ...(last && hasNext ? { nextCursor: encodeCursor({ direction: 'next', id: last.id }, request.scope) } : {}),
    ...(first && hasPrevious ? { previousCursor: encodeCursor({ direction: 'previous', id: first.id }, request.scope) } : {}),
  };
}
