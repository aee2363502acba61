import { and, eq } from 'drizzle-orm';
import { checkIfMatch } from '../../../scim/http/etag.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { Preconditions } from '../../../scim/store-port.js';
import { groupMembers, groups } from '../../db/schema.js';
import { appendEvents } from '../../events/append.js';
import type { DirectoryContext } from '../context.js';
import { findGroup } from './rows.js';
import { enforceTeamLock } from './team-locks.js';

/** Deleting a group removes its memberships (and its membership in other groups); its users stay. */
export async function deleteGroup(ctx: DirectoryContext, id: string, pre: Preconditions): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await findGroup(tx, ctx.tenantId, id, true);
    checkIfMatch(pre.ifMatch, row.version);
    enforceTeamLock(ctx.source, { id, connectionId: row.connectionId, doc: row.doc as ResourceDoc }, 'deleted');
    await tx.delete(groupMembers).where(and(eq(groupMembers.tenantId, ctx.tenantId), eq(groupMembers.memberId, id)));
    await tx.delete(groups).where(and(eq(groups.tenantId, ctx.tenantId), eq(groups.id, id)));
    await appendEvents(tx, [
      {
        tenantId: ctx.tenantId,
        type: 'group.deleted',
        resourceType: 'Group',
        resourceId: id,
        source: ctx.source,
        payload: { resource: { id, ...row.doc }, version: row.version },
      },
    ]);
  });
}
