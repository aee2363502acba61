import type { FilterNode } from '../../../scim/filter/ast.js';
import type { ListPage, ListQuery, StoredResource } from '../../../scim/store-port.js';
import { isRoot, query } from '../../db/client.js';
import { isUuid } from '../../db/ids.js';
import type { DirectoryContext } from '../context.js';
import { createReadBatcher, type ReadBatcher } from '../read-batcher.js';
import { fromText, GROUPS_OF_U, notFound, readUser, TEXT_COLUMNS, type TextRawUser } from './rows.js';

/*
 * GET by id and the `userName eq` / `externalId eq` lookups every Okta and Entra push starts with,
 * coalesced across concurrent requests (see read-batcher.ts): requests of the same tenant and
 * shape read in one statement, `= any(…)` for ids and one lateral lookup per value for filters.
 * Every statement is scoped by the tenant of its group, so a batch never reaches across tenants,
 * and each request gets its own rows, its own total and its own not-found.
 */

const byIdStatement = (withGroups: boolean) =>
  `select ${TEXT_COLUMNS}${withGroups ? `, ${GROUPS_OF_U} as groups` : ''} from users u where u.tenant_id = $1 and u.id = any($2::uuid[])`;
const BY_ID = { true: byIdStatement(true), false: byIdStatement(false) };

/** The indexed columns a lookup may batch on, as the filter translation compares them (filter-sql.ts). */
const LOOKUP_COLUMNS = { userName: 'u.user_name', externalId: 'u.external_id' } as const;
type LookupAttribute = keyof typeof LOOKUP_COLUMNS;

interface Lookup {
  attribute: LookupAttribute;
  caseExact: boolean;
  value: string;
}

/**
 * One value per request (`k.n` its place in the batch), each with its own page; the window counts a
 * value's matches before its limit, as the unbatched lookup does. A value with no match yields no row.
 */
function lookupStatement(attribute: LookupAttribute, caseExact: boolean, withGroups: boolean): string {
  const column = LOOKUP_COLUMNS[attribute];
  const condition = caseExact ? `${column} = k.v` : `lower(${column}) = lower(k.v)`;
  return `select k.n, p.* from jsonb_to_recordset($2::jsonb) as k(n int, v text, lim int)
  cross join lateral (select ${TEXT_COLUMNS}, ${withGroups ? GROUPS_OF_U : 'null'} as groups, count(*) over () as total
    from users u where u.tenant_id = $1 and ${condition} order by u.id limit k.lim) p
  order by k.n, p.id`;
}
const LOOKUPS = new Map<string, string>();
const lookupText = (attribute: LookupAttribute, caseExact: boolean, withGroups: boolean) => {
  const key = `${attribute}:${caseExact}:${withGroups}`;
  let text = LOOKUPS.get(key);
  if (!text) LOOKUPS.set(key, (text = lookupStatement(attribute, caseExact, withGroups)));
  return text;
};

/** `userName eq "…"` or `externalId eq "…"` on its own, first page, id order: the shapes a batch can serve. */
export function lookupOf(filter: FilterNode | undefined, query: Pick<ListQuery, 'sortBy' | 'descending' | 'startIndex' | 'count'>): Lookup | undefined {
  if (!filter || filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined;
  if (query.sortBy || query.descending || query.startIndex !== 1 || query.count < 1) return undefined;
  const { path } = filter;
  if (path.inExtension || path.subAttribute) return undefined;
  const name = path.attribute.name;
  if (name !== 'userName' && name !== 'externalId') return undefined;
  return { attribute: name, caseExact: path.attribute.caseExact === true, value: filter.value };
}

export interface BatchedUserReads {
  get(ctx: DirectoryContext, id: string, withGroups: boolean): Promise<StoredResource>;
  /** A lookup's page, or undefined when the query is not a shape `lookupOf` accepts. */
  lookup(ctx: DirectoryContext, query: ListQuery): Promise<ListPage> | undefined;
}

export function createBatchedUserReads(batcher: ReadBatcher = createReadBatcher()): BatchedUserReads {
  return {
    get(ctx, id, withGroups) {
      if (!isUuid(id)) return Promise.reject(notFound(id));
      // Inside a transaction the read must see that transaction: no batching across requests there.
      if (!isRoot(ctx.db)) return readUser(ctx.db, ctx.tenantId, id, withGroups);
      return batcher.load<string, StoredResource>(`id:${ctx.tenantId}:${withGroups}`, id, async (ids: string[]) => {
        // The ids were checked as UUIDs above: the array literal needs no quoting.
        const found = await query<TextRawUser>(ctx.db, BY_ID[`${withGroups}`], [ctx.tenantId, `{${ids.join(',')}}`]);
        const byId = new Map(found.map((row) => [row.id, row]));
        // PostgreSQL answers ids in lower case, whatever case the path spelled them in.
        return ids.map((wanted) => {
          const row = byId.get(wanted.toLowerCase());
          return row ? fromText(row) : notFound(wanted);
        });
      });
    },
    lookup(ctx, listQuery) {
      const lookup = lookupOf(listQuery.filter, listQuery);
      if (!lookup || !isRoot(ctx.db)) return undefined;
      const group = `${lookup.attribute}:${lookup.caseExact}:${ctx.tenantId}:${listQuery.withRelations}`;
      const text = lookupText(lookup.attribute, lookup.caseExact, listQuery.withRelations);
      return batcher.load<{ v: string; lim: number }, ListPage>(group, { v: lookup.value, lim: listQuery.count }, async (items: { v: string; lim: number }[]) => {
        const keyed = items.map((item, n) => ({ n, v: item.v, lim: item.lim }));
        const found = await query<TextRawUser & { n: number; total: number | string }>(ctx.db, text, [ctx.tenantId, JSON.stringify(keyed)]);
        const pages: ListPage[] = items.map(() => ({ total: 0, resources: [] }));
        for (const row of found) {
          const page = pages[row.n]!;
          page.total = Number(row.total);
          page.resources.push(fromText(row));
        }
        return pages;
      });
    },
  };
}
