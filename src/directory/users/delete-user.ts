import { and, eq, inArray, sql } from 'drizzle-orm';
import { checkIfMatch } from '../../../scim/http/etag.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { Preconditions } from '../../../scim/store-port.js';
import { groupMembers, groups, users } from '../../db/schema.js';
import { appendEvents } from '../../events/append.js';
import { redactForEvent } from '../../events/redact.js';
import type { DirectoryContext } from '../context.js';
import { refuseOtherConnection } from './hr-locks.js';
import { findUser } from './rows.js';

/** Hard delete (Entra's hard-delete; Okta never deletes). Memberships go with the user, in one transaction. */
export async function deleteUser(ctx: DirectoryContext, id: string, pre: Preconditions): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await findUser(tx, ctx.tenantId, id, true);
    checkIfMatch(pre.ifMatch, row.version);
    refuseOtherConnection(ctx.source, row.doc as ResourceDoc);
    const removed = await tx
      .delete(groupMembers)
      .where(and(eq(groupMembers.tenantId, ctx.tenantId), eq(groupMembers.memberId, id)))
      .returning({ groupId: groupMembers.groupId });
    await tx.delete(users).where(and(eq(users.tenantId, ctx.tenantId), eq(users.id, id)));
    // The groups' member lists changed: their versions move, so a cached ETag no longer matches.
    const groupIds = [...new Set(removed.map((m) => m.groupId))];
    if (groupIds.length > 0) {
      await tx
        .update(groups)
        .set({ version: sql`${groups.version} + 1`, updatedAt: new Date() })
        .where(and(eq(groups.tenantId, ctx.tenantId), inArray(groups.id, groupIds)));
    }
    await appendEvents(tx, [
      ...removed.map((m) => ({
        tenantId: ctx.tenantId,
        type: 'group.member_removed',
        resourceType: 'Group' as const,
        resourceId: m.groupId,
        source: ctx.source,
        payload: { groupId: m.groupId, memberId: id, reason: 'member deleted' },
      })),
      {
        tenantId: ctx.tenantId,
        type: 'user.deleted',
        resourceType: 'User',
        resourceId: id,
        source: ctx.source,
        payload: { resource: { id, ...redactForEvent(row.doc) }, version: row.version },
      },
    ]);
  });
}
