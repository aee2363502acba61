import { and, asc, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import type { CursorQuery, ListPage, ListQuery, StoredResource } from '../../../scim/store-port.js';
import { groups } from '../../db/schema.js';
import type { DirectoryContext } from '../context.js';
import { filterToSql, sortToSql } from '../filter-sql.js';
import { loadMembers } from './members.js';
import { groupSelection, toStoredGroup } from './rows.js';

function where(ctx: DirectoryContext, query: { filter?: ListQuery['filter'] }): SQL {
  return and(eq(groups.tenantId, ctx.tenantId), query.filter ? filterToSql('groups', query.filter) : undefined)!;
}

async function withMembers(ctx: DirectoryContext, stored: StoredResource[], wanted: boolean): Promise<ListPage['resources']> {
  if (!wanted) return stored;
  const members = await loadMembers(ctx.db, ctx.tenantId, stored.map((s) => s.id));
  for (const s of stored) s.members = members.get(s.id) ?? [];
  return stored;
}

export async function listGroups(ctx: DirectoryContext, query: ListQuery): Promise<ListPage> {
  const condition = where(ctx, query);
  const order = query.sortBy
    ? [query.descending ? sql`${sortToSql('groups', query.sortBy)} desc nulls last` : sortToSql('groups', query.sortBy), asc(groups.id)]
    : [query.descending ? desc(groups.id) : asc(groups.id)];
  const [counted, found] = await Promise.all([
    ctx.db.select({ n: sql<number>`count(*)::int` }).from(groups).where(condition),
    query.count === 0
      ? Promise.resolve([])
      : ctx.db
          .select(groupSelection)
          .from(groups)
          .where(condition)
          .orderBy(...order)
          .limit(query.count)
          .offset(query.startIndex - 1),
  ]);
  return { total: counted[0]!.n, resources: await withMembers(ctx, found.map(toStoredGroup), query.withRelations) };
}

/** Keyset paging for cursors, as for users (RFC 9865): `before` reads backwards, one extra row tells whether more lie beyond. */
export async function listGroupsAfter(ctx: DirectoryContext, query: CursorQuery): Promise<ListPage> {
  const condition = where(ctx, query);
  const backwards = query.before !== undefined;
  const page = backwards ? and(condition, lt(groups.id, query.before!))! : query.after ? and(condition, gt(groups.id, query.after))! : condition;
  const [counted, found] = await Promise.all([
    ctx.db.select({ n: sql<number>`count(*)::int` }).from(groups).where(condition),
    query.count === 0
      ? Promise.resolve([])
      : ctx.db
          .select(groupSelection)
          .from(groups)
          .where(page)
          .orderBy(backwards ? desc(groups.id) : asc(groups.id))
          .limit(query.count + 1),
  ]);
  const more = found.length > query.count;
  const rows = found.slice(0, query.count);
  const resources = await withMembers(ctx, (backwards ? rows.reverse() : rows).map(toStoredGroup), query.withRelations);
  return { total: counted[0]!.n, resources, more };
}
