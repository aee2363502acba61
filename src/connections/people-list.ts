import { and, asc, desc, eq, gt, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import type { Executor } from '../db/client.js';
import { isUuid } from '../db/ids.js';
import { URN } from '../../scim/schemas/urns.js';
import { users } from '../db/schema.js';
import { HR_URN } from '../sync/hr-doc.js';
import type { Lifecycle, Management } from '../sync/plan-types.js';

export interface PeopleFilter {
  lifecycle?: Lifecycle;
  management?: Management;
  /** `hr`: added by an HR connection; `scim`: by the identity provider (or by hand). */
  source?: 'hr' | 'scim';
  connectionId?: string;
  /** A substring of the user name or display name, any case. */
  search?: string;
  /** The department or work location as HR names it (exact): read from the document, after the indexed conditions. */
  department?: string;
  location?: string;
}

export interface PersonRow {
  id: string;
  userName: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
  source: 'hr' | 'scim';
  lifecycle: Lifecycle;
  management: Management;
  connectionId: string | null;
  remoteId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PeoplePage {
  items: PersonRow[];
  /**
   * How many match, counted up to COUNT_LIMIT (`totalExact` is false past it); null for a search,
   * which would read every name to count (the page itself stops at its limit).
   */
  total: number | null;
  totalExact: boolean;
  next: string | null;
  previous: string | null;
  /** The last page; null when this is it. */
  last: string | null;
}

/**
 * Counting 50,000 matches costs more than the page itself; past this many the list says "more than"
 * (an admin does not page through 10,000 people one screen at a time).
 */
export const COUNT_LIMIT = 10_000;

type Position = { after: string } | { before: string } | { last: true };

/** Cursors are opaque to clients: a direction and the id of the row at the page's edge. */
function encode(position: Position): string {
  const text = 'after' in position ? `a:${position.after}` : 'before' in position ? `b:${position.before}` : 'l:';
  return Buffer.from(text).toString('base64url');
}

function decode(cursor: string): Position {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [kind, id] = [text.slice(0, 2), text.slice(2)];
  if (kind === 'l:' && id === '') return { last: true };
  if (kind === 'a:' && isUuid(id)) return { after: id };
  if (kind === 'b:' && isUuid(id)) return { before: id };
  throw new DomainError('invalid_value', 'cursor: not a cursor this list handed out');
}

const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Only the conditions asked for, so each query's plan can use the (tenant, lifecycle|management, id) index. */
function conditionOf(tenantId: string, filter: PeopleFilter): SQL {
  const pattern = filter.search ? likePattern(filter.search) : undefined;
  return and(
    eq(users.tenantId, tenantId),
    filter.lifecycle ? eq(users.lifecycle, filter.lifecycle) : undefined,
    filter.management ? eq(users.management, filter.management) : undefined,
    filter.source === 'hr' ? isNotNull(users.connectionId) : filter.source === 'scim' ? isNull(users.connectionId) : undefined,
    filter.connectionId ? eq(users.connectionId, filter.connectionId) : undefined,
    filter.department !== undefined ? sql`${users.doc} -> ${URN.enterpriseUser}::text ->> 'department' = ${filter.department}` : undefined,
    filter.location !== undefined ? sql`${users.doc} -> ${HR_URN}::text ->> 'location' = ${filter.location}` : undefined,
    pattern ? or(sql`lower(${users.userName}) like ${pattern}`, sql`lower(${users.displayName}) like ${pattern}`) : undefined,
  )!;
}

const LISTED = {
  id: users.id,
  userName: users.userName,
  displayName: users.displayName,
  externalId: users.externalId,
  active: users.active,
  lifecycle: users.lifecycle,
  management: users.management,
  connectionId: users.connectionId,
  remoteId: users.remoteId,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

const rowOf = (r: Omit<PersonRow, 'source' | 'lifecycle' | 'management' | 'createdAt' | 'updatedAt'> & { lifecycle: string; management: string; createdAt: Date; updatedAt: Date }): PersonRow => ({
  ...r,
  source: r.connectionId ? 'hr' : 'scim',
  lifecycle: r.lifecycle as Lifecycle,
  management: r.management as Management,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/**
 * A page of the tenant's people in creation order (ids are UUIDv7), by keyset: each page reads its
 * rows through an index, whichever page it is, and a person invited or added meanwhile neither shifts
 * nor repeats the pages after it.
 */
export async function listPeople(db: Executor, tenantId: string, filter: PeopleFilter, options: { cursor?: string; limit: number }): Promise<PeoplePage> {
  if (filter.connectionId !== undefined && !isUuid(filter.connectionId)) return { items: [], total: 0, totalExact: true, next: null, previous: null, last: null };
  const position = options.cursor ? decode(options.cursor) : undefined;
  const condition = conditionOf(tenantId, filter);
  const backwards = position !== undefined && !('after' in position);
  const bound = position && 'after' in position ? gt(users.id, position.after) : position && 'before' in position ? lt(users.id, position.before) : undefined;
  const [found, total] = await Promise.all([
    db
      .select(LISTED)
      .from(users)
      .where(and(condition, bound))
      .orderBy(backwards ? desc(users.id) : asc(users.id))
      .limit(options.limit + 1),
    counted(filter) ? countUpTo(db, condition) : Promise.resolve(null),
  ]);
  const more = found.length > options.limit;
  const rows = found.slice(0, options.limit);
  if (backwards) rows.reverse();
  const items = rows.map(rowOf);
  const first = items[0]?.id;
  const lastId = items.at(-1)?.id;
  // Going forward, more rows means a next page; going backward, an earlier one. Rows before an `after`
  // bound, or after a `before` bound, exist by construction.
  const hasNext = backwards ? position !== undefined && 'before' in position : more;
  const hasPrevious = backwards ? more : position !== undefined;
  return {
    items,
    total: total === null ? null : Math.min(total, COUNT_LIMIT),
    totalExact: total !== null && total <= COUNT_LIMIT,
    next: hasNext && lastId ? encode({ after: lastId }) : null,
    previous: hasPrevious && first ? encode({ before: first }) : null,
    last: hasNext ? encode({ last: true }) : null,
  };
}

/** Indexed conditions only: a search or a department is matched row by row, and so is not counted. */
const counted = (filter: PeopleFilter) => filter.search === undefined && filter.department === undefined && filter.location === undefined;

/** The number of matches, counting no further than one past COUNT_LIMIT. */
async function countUpTo(db: Executor, condition: SQL): Promise<number> {
  // In id order, like the page: the (tenant, lifecycle|management, id) index then serves the count too, stopping at the limit.
  const limited = db.select({ one: sql`1` }).from(users).where(condition).orderBy(asc(users.id)).limit(COUNT_LIMIT + 1).as('limited');
  const [counted] = await db.select({ n: sql<number>`count(*)::int` }).from(limited);
  return Number(counted!.n);
}
