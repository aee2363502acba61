import { and, asc, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import type { CursorQuery, ListPage, ListQuery } from '../../../scim/store-port.js';
import { users } from '../../db/schema.js';
import type { DirectoryContext } from '../context.js';
import { filterToSql, sortToSql } from '../filter-sql.js';
import { attachGroups, toStored } from './rows.js';

function where(ctx: DirectoryContext, query: { filter?: ListQuery['filter'] }): SQL {
  return and(eq(users.tenantId, ctx.tenantId), query.filter ? filterToSql('users', query.filter) : undefined)!;
}

/** Index paging (RFC 7644 §3.4.2.4). The id tie-breaker keeps the order stable across pages. */
export async function listUsers(ctx: DirectoryContext, query: ListQuery): Promise<ListPage> {
  const condition = where(ctx, query);
  const order = query.sortBy
    ? [query.descending ? sql`${sortToSql('users', query.sortBy)} desc nulls last` : sortToSql('users', query.sortBy), asc(users.id)]
    : [query.descending ? desc(users.id) : asc(users.id)];
  const [counted, found] = await Promise.all([
    ctx.db.select({ n: sql<number>`count(*)::int` }).from(users).where(condition),
    query.count === 0
      ? Promise.resolve([])
      : ctx.db
          .select()
          .from(users)
          .where(condition)
          .orderBy(...order)
          .limit(query.count)
          .offset(query.startIndex - 1),
  ]);
  const resources = found.map(toStored);
  if (query.withRelations) await attachGroups(ctx, resources);
  return { total: counted[0]!.n, resources };
}

/**
 * Keyset paging for cursors (RFC 9865): ids are time-ordered, so "after this id" never skips or repeats
 * a survivor. `before` reads backwards (id < before, descending) and turns the page around. One row
 * more than asked tells whether another page lies beyond.
 */
export async function listUsersAfter(ctx: DirectoryContext, query: CursorQuery): Promise<ListPage> {
  const condition = where(ctx, query);
  const backwards = query.before !== undefined;
  const page = backwards ? and(condition, lt(users.id, query.before!))! : query.after ? and(condition, gt(users.id, query.after))! : condition;
  const [counted, found] = await Promise.all([
    ctx.db.select({ n: sql<number>`count(*)::int` }).from(users).where(condition),
    query.count === 0
      ? Promise.resolve([])
      : ctx.db
          .select()
          .from(users)
          .where(page)
          .orderBy(backwards ? desc(users.id) : asc(users.id))
          .limit(query.count + 1),
  ]);
  const more = found.length > query.count;
  const rows = found.slice(0, query.count);
  const resources = (backwards ? rows.reverse() : rows).map(toStored);
  if (query.withRelations) await attachGroups(ctx, resources);
  return { total: counted[0]!.n, resources, more };
}
