import { and, eq } from 'drizzle-orm';
import { DomainError } from '../../../scim/errors.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { StoredResource } from '../../../scim/store-port.js';
import type { Executor } from '../../db/client.js';
import { isUuid } from '../../db/ids.js';
import { groups } from '../../db/schema.js';

export type GroupRow = typeof groups.$inferSelect;

export const toStoredGroup = (row: GroupRow): StoredResource => ({
  id: row.id,
  doc: row.doc as ResourceDoc,
  version: row.version,
  created: row.createdAt,
  lastModified: row.updatedAt,
});

export const groupNotFound = (id: string) => new DomainError('not_found', `Group ${id} not found`);

export async function findGroup(db: Executor, tenantId: string, id: string, lock = false): Promise<GroupRow> {
  if (!isUuid(id)) throw groupNotFound(id);
  const query = db
    .select()
    .from(groups)
    .where(and(eq(groups.tenantId, tenantId), eq(groups.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw groupNotFound(id);
  return row;
}
