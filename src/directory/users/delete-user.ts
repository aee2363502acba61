import { checkIfMatch, versionsAccepted } from '../../../scim/http/etag.js';
import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { Preconditions } from '../../../scim/store-port.js';
import { query, type Executor } from '../../db/client.js';
import { isUuid } from '../../db/ids.js';
import { redactSql } from '../../events/redact.js';
import type { DirectoryContext } from '../context.js';
import { DUE_FOR_FOLD, foldMemberChanges, logMemberChanges } from '../groups/member-stamps.js';
import { refuseOtherConnection } from './hr-locks.js';
import { notFound } from './rows.js';

/**
 * The user, its memberships, a membership change for each of its groups (their ETags move without
 * writing their rows, so deletes of members of one group do not queue on it) and the events
 * (group.member_removed per group, then user.deleted), as one statement, only if the user's version
 * is one of `$3` (null: any). `deleted` = 0 means no such user, or not at an accepted version.
 * $1 tenant, $2 id, $3 accepted versions, $4 source.
 */
const DELETE = `with d as (delete from users where tenant_id = $1 and id = $2 and ($3::int[] is null or version = any($3::int[])) returning id, doc, version),
removed as (delete from group_members where tenant_id = $1 and member_id = $2 and exists (select 1 from d) returning group_id),
${logMemberChanges('$1', 'select group_id from removed')},
e as (
  insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select $1, x.type, x.resource_type, x.resource_id, $4::jsonb, x.payload from (
    select 0 as n, 'group.member_removed' as type, 'Group' as resource_type, r.group_id as resource_id,
      jsonb_build_object('groupId', r.group_id, 'memberId', $2::text, 'reason', 'member deleted') as payload
    from removed r
    union all
    select 1, 'user.deleted', 'User', d.id, jsonb_build_object('resource', jsonb_build_object('id', d.id) || ${redactSql('d.doc')}, 'version', d.version) from d
  ) x order by x.n, x.resource_id
)
select (select count(*) from d)::int as deleted, ${DUE_FOR_FOLD}`;

/** Optimistic attempts before locking the row (a user being rewritten over and over). */
const ATTEMPTS = 3;

type Outcome = { deleted: false } | { deleted: true; fold: string | null };

const run = async (ctx: DirectoryContext, db: Executor, id: string, versions: number[] | null): Promise<Outcome> => {
  const [done] = await query<{ deleted: number; fold: string | null }>(db, DELETE, [ctx.tenantId, id, versions && `{${versions.join(',')}}`, JSON.stringify(ctx.source)]);
  return done!.deleted === 0 ? { deleted: false } : { deleted: true, fold: done!.fold };
};

/** Reads the user (locking it if asked), checks it may go, and deletes it if its version is still the one read. */
async function readThenDelete(ctx: DirectoryContext, db: Executor, id: string, pre: Preconditions, lock: boolean): Promise<Outcome> {
  const [row] = await query<{ doc: ResourceDoc; version: number }>(db, `select doc, version from users where tenant_id = $1 and id = $2${lock ? ' for update' : ''}`, [
    ctx.tenantId,
    id,
  ]);
  if (!row) throw notFound(id);
  checkIfMatch(pre.ifMatch, row.version);
  refuseOtherConnection(ctx.source, row.doc);
  return run(ctx, db, id, [row.version]);
}

/**
 * Hard delete (Entra's hard-delete; Okta never deletes). Memberships go with the user, atomically.
 * A client's delete is one statement, `If-Match` checked in it; only when it deletes nothing is the
 * user read, to answer 404 or 412. An HR connection's delete reads first: it may delete only users
 * no other connection manages.
 */
export async function deleteUser(ctx: DirectoryContext, id: string, pre: Preconditions): Promise<void> {
  if (!isUuid(id)) throw notFound(id);
  ctx.recent?.forget(ctx.tenantId, id);
  let outcome: Outcome = { deleted: false };
  if (ctx.source.kind !== 'connection') {
    outcome = await run(ctx, ctx.db, id, versionsAccepted(pre.ifMatch) ?? null);
    if (!outcome.deleted) {
      const [row] = await query<{ version: number }>(ctx.db, 'select version from users where tenant_id = $1 and id = $2', [ctx.tenantId, id]);
      if (!row) throw notFound(id);
      checkIfMatch(pre.ifMatch, row.version);
      // Its version matches now: it changed between the two statements. Read and try again.
    }
  }
  for (let i = 0; i < ATTEMPTS && !outcome.deleted; i++) outcome = await readThenDelete(ctx, ctx.db, id, pre, false);
  // Changed under every attempt: lock it, so the next read is the one deleted.
  if (!outcome.deleted) outcome = await ctx.db.transaction((tx) => readThenDelete(ctx, tx as unknown as Executor, id, pre, true));
  if (outcome.deleted) await foldMemberChanges(ctx.db, outcome.fold);
}
