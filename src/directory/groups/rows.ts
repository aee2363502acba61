import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { DomainError } from '../../../scim/errors.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { StoredResource } from '../../../scim/store-port.js';
import { toDate, type Executor } from '../../db/client.js';
import { isUuid } from '../../db/ids.js';
import { groups } from '../../db/schema.js';
import { groupModifiedOf, groupVersionOf } from './member-stamps.js';

export type GroupRow = typeof groups.$inferSelect;

/**
 * A group's columns for the query builder, with `version` and `updatedAt` as SCIM shows them
 * (membership changes included, member-stamps.ts); `docVersion` is the row's own version.
 */
export const groupSelection = {
  ...getTableColumns(groups),
  version: sql.raw(groupVersionOf('"groups"')).mapWith(Number),
  docVersion: groups.version,
  updatedAt: sql.raw(groupModifiedOf('"groups"')).mapWith((v: Date | string) => toDate(v)),
};

export const toStoredGroup = (row: GroupRow): StoredResource => ({
  id: row.id,
  doc: row.doc as ResourceDoc,
  version: row.version,
  created: row.createdAt,
  lastModified: row.updatedAt,
});

export const groupNotFound = (id: string) => new DomainError('not_found', `Group ${id} not found`);

/** One group of the tenant as SCIM shows it, optionally locking its row for a read-modify-write. */
export async function findGroup(db: Executor, tenantId: string, id: string, lock = false): Promise<GroupRow & { docVersion: number }> {
  if (!isUuid(id)) throw groupNotFound(id);
  const query = db
    .select(groupSelection)
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, id)));
  const [row] = lock ? await query.for('update', { of: groups }) : await query;
  if (!row) throw groupNotFound(id);
  return row;
}
