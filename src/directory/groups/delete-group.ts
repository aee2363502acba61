import { checkIfMatch } from '../../../scim/http/etag.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { Preconditions } from '../../../scim/store-port.js';
import { query } from '../../db/client.js';
import type { ChangeEventInput } from '../../events/append.js';
import type { DirectoryContext } from '../context.js';
import { DUE_FOR_FOLD, foldMemberChanges, logMemberChanges } from './member-stamps.js';
import { EVENTS_FROM_JSON } from './members.js';
import { findGroup } from './rows.js';
import { enforceTeamLock } from './team-locks.js';

/**
 * The group leaves the groups it is a member of (their membership stamps move), then goes with its
 * own memberships (on delete cascade), its stamp rows and its event. $1 tenant, $2 id, $3 events.
 */
const DELETE = `with parents as (delete from group_members where tenant_id = $1 and member_id = $2 returning group_id),
${logMemberChanges('$1', 'select group_id from parents')},
gone as (delete from groups where tenant_id = $1 and id = $2),
stamps as (delete from group_member_changes where group_id = $2),
e as (${EVENTS_FROM_JSON.replace('$N', '$3')})
select ${DUE_FOR_FOLD}`;

/** Deleting a group removes its memberships (and its membership in other groups); its users stay. */
export async function deleteGroup(ctx: DirectoryContext, id: string, pre: Preconditions): Promise<void> {
  const fold = await ctx.db.transaction(async (tx) => {
    const row = await findGroup(tx, ctx.tenantId, id, true);
    checkIfMatch(pre.ifMatch, row.version);
    enforceTeamLock(ctx.source, { id, connectionId: row.connectionId, doc: row.doc as ResourceDoc }, 'deleted');
    const event: ChangeEventInput = {
      tenantId: ctx.tenantId,
      type: 'group.deleted',
      resourceType: 'Group',
      resourceId: id,
      source: ctx.source,
      payload: { resource: { id, ...row.doc }, version: row.version },
    };
    const [done] = await query<{ fold: string | null }>(tx, DELETE, [ctx.tenantId, id, JSON.stringify([event])]);
    return done!.fold;
  });
  await foldMemberChanges(ctx.db, fold);
}
