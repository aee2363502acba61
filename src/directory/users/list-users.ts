import { and, asc, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import type { CursorQuery, ListPage, ListQuery } from '../../../scim/store-port.js';
import { users } from '../../db/schema.js';
import type { DirectoryContext } from '../context.js';
import { filterToSql, sortToSql } from '../filter-sql.js';
import { numberedSql, query as runQuery } from '../../db/client.js';
import { attachGroups, fromText, GROUP_LIST, TEXT_COLUMNS, toStored, type TextRawUser } from './rows.js';

function where(ctx: DirectoryContext, query: { filter?: ListQuery['filter'] }): SQL {
  return and(eq(users.tenantId, ctx.tenantId), query.filter ? filterToSql('users', query.filter) : undefined)!;
}

/**
 * Index paging (RFC 7644 §3.4.2.4). The id tie-breaker keeps the order stable across pages.
 * With a filter, one statement carries the page, each user's groups and the total (a window
 * count), and the answer splices the documents' text. (The `userName eq` and `externalId eq`
 * lookups every Okta and Entra push starts with are batched before they get here: batched-reads.ts.)
 */
export async function listUsers(ctx: DirectoryContext, query: ListQuery): Promise<ListPage> {
  const condition = where(ctx, query);
  const order = query.sortBy
    ? [query.descending ? sql`${sortToSql('users', query.sortBy)} desc nulls last` : sortToSql('users', query.sortBy), asc(users.id)]
    : [query.descending ? desc(users.id) : asc(users.id)];
  if (query.count === 0) return { total: await countUsers(ctx, condition), resources: [] };
  if (!query.filter && !query.sortBy) return plainPage(ctx, query);
  // Without a filter the window would count every user before the page could stop at its limit:
  // page through the index and count in parallel instead.
  if (!query.filter) {
    const [total, page] = await Promise.all([
      countUsers(ctx, condition),
      ctx.db.select().from(users).where(condition).orderBy(...order).limit(query.count).offset(query.startIndex - 1),
    ]);
    const resources = page.map(toStored);
    if (query.withRelations) await attachGroups(ctx, resources);
    return { total, resources };
  }
  // The page's ids, their place and the count come first, from the matches' ids and sort keys
  // alone; only the page's rows are then read whole, with their groups. Computed in one select
  // list, the groups and the document were worked out for every row OFFSET skips too: on 5,000
  // users, `active eq true` cost PostgreSQL 22-25 ms on the first page and 41-53 ms on the last,
  // against 6-8 ms for either now.
  const sorted = sql.join(order, sql`, `);
  const statement = dialectOf(ctx).sqlToQuery(sql`with p as (select users.id, count(*) over () as total, row_number() over (order by ${sorted}) as n
      from users where ${condition} order by ${sorted} limit ${query.count} offset ${query.startIndex - 1})${pageGroups(ctx, query.withRelations)}
    select ${sql.raw(TEXT_COLUMNS)}, ${pageGroupsColumn(query.withRelations)} as groups, p.total
    from p join users u on u.tenant_id = ${ctx.tenantId} and u.id = p.id${pageGroupsJoin(query.withRelations)}
    order by p.n`);
  const found = await runQuery<TextRawUser & { total: number | string }>(ctx.db, statement.sql, statement.params);
  // Past the last row the window has nothing to count on: ask for the total alone.
  const total = found.length > 0 ? Number(found[0]!.total) : query.startIndex > 1 ? await countUsers(ctx, condition) : 0;
  return { total, resources: found.map(fromText) };
}

/**
 * The groups of a page's users (`p`), read in one index scan over their ids (see pageStatement):
 * the CTE with the tenant as `$1`, the column and the join, for every page statement.
 */
const PAGE_GROUPS = `gs as (select gm.member_id, ${GROUP_LIST} as groups from group_members gm join groups g on g.id = gm.group_id
    where gm.tenant_id = $1 and gm.member_id = any(array(select id from p)) group by gm.member_id)`;
const PAGE_GROUPS_COLUMN = `coalesce(gs.groups, '[]'::json)`;
const PAGE_GROUPS_JOIN = ' left join gs on gs.member_id = u.id';

/** The same, in a statement drizzle builds (a filter's): the tenant as a parameter of its own. */
const pageGroups = (ctx: DirectoryContext, withGroups: boolean | undefined) => (withGroups ? numberedSql(`, ${PAGE_GROUPS}`, [ctx.tenantId]) : sql``);
const pageGroupsColumn = (withGroups: boolean | undefined) => sql.raw(withGroups ? PAGE_GROUPS_COLUMN : 'null');
const pageGroupsJoin = (withGroups: boolean | undefined) => sql.raw(withGroups ? PAGE_GROUPS_JOIN : '');

/**
 * A page of all users in id order, with each user's groups and the total, in one statement: a
 * reconciling client walks every page, and three round trips a page (total, rows, groups) cost the
 * server more than the rows did. The total is an uncorrelated subquery, counted once.
 *
 * The page's ids are found first, on the index alone, and only they are joined to their rows and
 * groups: PostgreSQL computes the select list of every row OFFSET skips, so a page deep in the
 * list would otherwise look up the groups of every user before it (2,500 on average in 5,000).
 * The page's groups are then read in one index scan over its ids, not by a subquery per user:
 * 100 small lookups cost PostgreSQL about a third of the page's time.
 */
export const pageStatement = (withGroups: boolean, descending: boolean) => {
  const order = `order by u.id${descending ? ' desc' : ''}`;
  const page = `p as (select u.id from users u where u.tenant_id = $1 ${order} limit $2 offset $3)`;
  return `with ${page}${withGroups ? `, ${PAGE_GROUPS}` : ''}
  select ${TEXT_COLUMNS}, ${withGroups ? PAGE_GROUPS_COLUMN : 'null'} as groups, (select count(*) from users c where c.tenant_id = $1)::int as total
  from p join users u on u.tenant_id = $1 and u.id = p.id${withGroups ? PAGE_GROUPS_JOIN : ''}
  ${order}`;
};
const PAGES = new Map([true, false].flatMap((g) => [true, false].map((d) => [`${g}:${d}`, pageStatement(g, d)] as const)));

async function plainPage(ctx: DirectoryContext, query: ListQuery): Promise<ListPage> {
  const statement = PAGES.get(`${query.withRelations}:${query.descending}`)!;
  const found = await runQuery<TextRawUser & { total: number }>(ctx.db, statement, [ctx.tenantId, query.count, query.startIndex - 1]);
  // Past the last row there is no row to carry the total: ask for it alone.
  const total = found.length > 0 ? Number(found[0]!.total) : await countUsers(ctx, eq(users.tenantId, ctx.tenantId));
  return { total, resources: found.map(fromText) };
}

async function countUsers(ctx: DirectoryContext, condition: SQL): Promise<number> {
  const [counted] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(users).where(condition);
  return counted!.n;
}

/** drizzle's PostgreSQL dialect, to turn a built condition into `$n` text for the prepared-statement path. */
const dialectOf = (ctx: DirectoryContext) => (ctx.db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect;

/**
 * Keyset paging for cursors (RFC 9865): ids are time-ordered, so "after this id" never skips or repeats
 * a survivor. `before` reads backwards (id < before, descending) and turns the page around. One row
 * more than asked tells whether another page lies beyond. Like an index page, one statement carries
 * the page's ids, their rows with the documents as text, their groups and the total: before, the
 * rows, the count and the groups took three round trips and every document was parsed.
 */
export async function listUsersAfter(ctx: DirectoryContext, query: CursorQuery): Promise<ListPage> {
  const condition = where(ctx, query);
  if (query.count === 0) return { total: await countUsers(ctx, condition), resources: [], more: false };
  const backwards = query.before !== undefined;
  const bound = backwards ? lt(users.id, query.before!) : query.after ? gt(users.id, query.after) : undefined;
  const direction = sql.raw(backwards ? 'desc' : 'asc');
  const statement = dialectOf(ctx).sqlToQuery(sql`with p as (select users.id from users where ${and(condition, bound)}
    order by users.id ${direction} limit ${query.count + 1})${pageGroups(ctx, query.withRelations)}
    select ${sql.raw(TEXT_COLUMNS)}, ${pageGroupsColumn(query.withRelations)} as groups, (select count(*) from users where ${condition})::int as total
    from p join users u on u.tenant_id = ${ctx.tenantId} and u.id = p.id${pageGroupsJoin(query.withRelations)}
    order by u.id ${direction}`);
  const found = await runQuery<TextRawUser & { total: number }>(ctx.db, statement.sql, statement.params);
  // Past the last row there is no row to carry the total: ask for it alone.
  const total = found.length > 0 ? Number(found[0]!.total) : await countUsers(ctx, condition);
  const more = found.length > query.count;
  const rows = found.slice(0, query.count);
  return { total, resources: (backwards ? rows.reverse() : rows).map(fromText), more };
}
