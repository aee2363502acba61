import { and, eq, sql } from 'drizzle-orm';
import type { StoredResource } from '../../../scim/store-port.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import { query, toDate, type Executor } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { isUuid } from '../../db/ids.js';
import { DomainError } from '../../../scim/errors.js';
import { URN } from '../../../scim/schemas/urns.js';
import type { DirectoryContext } from '../context.js';

export type UserRow = typeof users.$inferSelect;

export const toStored = (row: UserRow): StoredResource => ({
  id: row.id,
  doc: row.doc as ResourceDoc,
  version: row.version,
  created: row.createdAt,
  lastModified: row.updatedAt,
});

/** Loads one user of the tenant, optionally locking it for a read-modify-write. */
export async function findUser(db: Executor, tenantId: string, id: string, lock = false): Promise<UserRow> {
  if (!isUuid(id)) throw notFound(id);
  const query = db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound(id);
  return row;
}

export const notFound = (id: string) => new DomainError('not_found', `User ${id} not found`);

/*
 * The hot paths (GET by id, PATCH, PUT, POST) read and write with hand-written statements: one
 * round trip each where the query builder took several, and only the columns a SCIM answer needs.
 */

/** What a SCIM answer needs of a user row, from an alias `u` of `users`. */
export const STORED_COLUMNS = 'u.id, u.doc, u.version, u.created_at, u.updated_at';

/**
 * What a write needs back of the row it wrote: the server sent the document, so PostgreSQL need
 * not serialise it again nor the server parse it (about 1 KB each way per write).
 */
export const WRITTEN_COLUMNS = 'u.id, u.version, u.created_at, u.updated_at';

/** The aggregate of a user's groups `g`, ordered by name: the read-only `groups` attribute as a JSON array. */
export const GROUP_LIST = `json_agg(json_build_object('value', g.id, 'display', g.display_name) order by g.display_name)`;

/** A user's direct groups as a JSON array, ordered by group name; the read-only `groups` attribute. */
export const GROUPS_OF_U = `coalesce((select ${GROUP_LIST}
  from group_members gm join groups g on g.id = gm.group_id where gm.tenant_id = u.tenant_id and gm.member_id = u.id), '[]'::json)`;

export interface RawUser {
  id: string;
  doc: ResourceDoc;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  groups?: { value: string; display: string }[];
}

/** A row a write returned (WRITTEN_COLUMNS), with the document the write sent. */
export type WrittenUser = Omit<RawUser, 'doc'>;

export const fromWritten = (row: WrittenUser, doc: ResourceDoc): StoredResource => ({
  id: row.id,
  doc,
  version: row.version,
  created: toDate(row.created_at),
  lastModified: toDate(row.updated_at),
  // Always present (undefined when not read): one shape for every row, read after read.
  groups: row.groups ?? undefined,
});

export const fromRaw = (row: RawUser): StoredResource => fromWritten(row, row.doc);

/**
 * STORED_COLUMNS with the document as text (`doc_text`), for answers that splice it
 * (StoredResource.docText), and the enterprise manager's `value` (`manager_value`), which the
 * answer gives a `$ref`: users from HR and from Okta or Entra mostly have one.
 */
export const TEXT_COLUMNS = `u.id, u.doc::text as doc_text, u.doc #> '{${URN.enterpriseUser},manager,value}' as manager_value, u.version, u.created_at, u.updated_at`;

/** A row read with TEXT_COLUMNS. */
export type TextRawUser = WrittenUser & { doc_text: string; manager_value?: unknown };

/**
 * A user whose document came as text. An answer that shows it whole uses the text and never parses
 * it; whatever reads `doc` (an answer that projects it, the bank account check) parses it then, once.
 * `doc` is an own getter, so a spread copies the parsed document; a copy that changes it must leave
 * `docText` out (see forAnswer).
 */
export function fromText(row: TextRawUser): StoredResource {
  let doc: ResourceDoc | undefined;
  return {
    id: row.id,
    get doc() {
      return (doc ??= JSON.parse(row.doc_text) as ResourceDoc);
    },
    docText: row.doc_text,
    docTextManager: typeof row.manager_value === 'string' ? row.manager_value : undefined,
    version: row.version,
    created: toDate(row.created_at),
    lastModified: toDate(row.updated_at),
    groups: row.groups ?? undefined,
  };
}

/** One user with, when asked, its groups: a single statement. */
export async function readUser(db: Executor, tenantId: string, id: string, withGroups: boolean): Promise<StoredResource> {
  if (!isUuid(id)) throw notFound(id);
  const [row] = await query<RawUser>(
    db,
    `select ${STORED_COLUMNS}${withGroups ? `, ${GROUPS_OF_U} as groups` : ''} from users u where u.tenant_id = $1 and u.id = $2`,
    [tenantId, id],
  );
  if (!row) throw notFound(id);
  return fromRaw(row);
}

/** Direct group memberships of the given users, for the read-only `groups` attribute. */
export async function attachGroups(ctx: Pick<DirectoryContext, 'db' | 'tenantId'>, stored: StoredResource[]): Promise<void> {
  if (stored.length === 0) return;
  // Ids come from rows just read, so the array literal needs no quoting.
  const found = await query<{ member_id: string; value: string; display: string }>(
    ctx.db,
    `select gm.member_id, g.id as value, g.display_name as display from group_members gm join groups g on g.id = gm.group_id
     where gm.tenant_id = $1 and gm.member_id = any($2::uuid[]) order by g.display_name`,
    [ctx.tenantId, `{${stored.map((s) => s.id).join(',')}}`],
  );
  const byMember = new Map<string, { value: string; display: string }[]>();
  for (const g of found) {
    const list = byMember.get(g.member_id) ?? [];
    list.push({ value: g.value, display: g.display });
    byMember.set(g.member_id, list);
  }
  for (const s of stored) s.groups = byMember.get(s.id) ?? [];
}

export const bumpVersion = sql`${users.version} + 1`;
