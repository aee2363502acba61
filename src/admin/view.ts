import type { z } from 'zod';
import type { StoredResource } from '../../scim/store-port.js';
import { userColumns } from '../directory/user-row.js';
import type { userSummary } from './schemas.js';

/** JSON-friendly dates for admin responses. */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export const tenantJson = (t: { id: string; slug: string; name: string; createdAt: Date; updatedAt: Date }) => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  createdAt: iso(t.createdAt)!,
  updatedAt: iso(t.updatedAt)!,
});

/**
 * A user as admins list it, with where it comes from. The HR state is derived from the document exactly
 * as the row's columns are (a user no connection ever touched has the lifecycle its `active` flag implies).
 */
export function userView(u: StoredResource): z.infer<typeof userSummary> {
  const columns = userColumns(u.doc);
  return {
    id: u.id,
    userName: columns.userName,
    displayName: columns.displayName,
    externalId: columns.externalId,
    active: columns.active,
    source: columns.connectionId ? 'hr' : 'scim',
    lifecycle: columns.lifecycle,
    management: columns.management,
    connectionId: columns.connectionId,
    remoteId: columns.remoteId,
    createdAt: iso(u.created)!,
    updatedAt: iso(u.lastModified)!,
  };
}
