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
import { createGroupCommit, settle, type GroupCommit } from '../group-commit.js';

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

/**
 * The same for the deletes of one tenant that arrived together (group commit): each user only at a
 * version its request accepts; each group that lost members gets one change row counting each of
 * them (its ETag moves by one per member deleted, as with the deletes one by one); the events
 * of each user in the same order as alone. $1 tenant, $2 the writes as JSON (`id`, `versions` as an
 * array literal or null, `source`). Returns the users deleted, each with the groups due a fold.
 */
const DELETE_TOGETHER = `with x as (
  select * from jsonb_to_recordset($2::jsonb) as x(id uuid, versions text, source jsonb)
), d as (
  delete from users u using x where u.tenant_id = $1 and u.id = x.id and (x.versions is null or u.version = any(x.versions::int[]))
  returning u.id, u.doc, u.version, x.source
), removed as (delete from group_members where tenant_id = $1 and member_id in (select id from d) returning group_id, member_id),
logged as (
  insert into group_member_changes (tenant_id, group_id, changes)
  select $1::uuid, group_id, count(*)::int from removed group by group_id
  returning seq, group_id
),
e as (
  insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select $1, y.type, y.resource_type, y.resource_id, y.source, y.payload from (
    select r.member_id as m, 0 as n, 'group.member_removed' as type, 'Group' as resource_type, r.group_id as resource_id, d.source,
      jsonb_build_object('groupId', r.group_id, 'memberId', r.member_id::text, 'reason', 'member deleted') as payload
    from removed r join d on d.id = r.member_id
    union all
    select d.id, 1, 'user.deleted', 'User', d.id, d.source, jsonb_build_object('resource', jsonb_build_object('id', d.id) || ${redactSql('d.doc')}, 'version', d.version) from d
  ) y order by y.m, y.n, y.resource_id
)
select d.id, ${DUE_FOR_FOLD} from d`;

/** Optimistic attempts before locking the row (a user being rewritten over and over). */
const ATTEMPTS = 3;

type Outcome = { deleted: false } | { deleted: true; fold: string | null };

/** One client delete, ready to send: the versions its `If-Match` accepts (null: any). */
interface Prepared {
  ctx: DirectoryContext;
  id: string;
  versions: number[] | null;
}

export type DeleteTogether = GroupCommit<Prepared, Outcome>;

const versionsLiteral = (versions: number[] | null) => versions && `{${versions.join(',')}}`;

const run = async (ctx: DirectoryContext, db: Executor, id: string, versions: number[] | null): Promise<Outcome> => {
  const [done] = await query<{ deleted: number; fold: string | null }>(db, DELETE, [ctx.tenantId, id, versionsLiteral(versions), JSON.stringify(ctx.source)]);
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
    const versions = versionsAccepted(pre.ifMatch) ?? null;
    outcome = await (ctx.deleteTogether ? ctx.deleteTogether.submit(ctx.tenantId, { ctx, id, versions }) : run(ctx, ctx.db, id, versions));
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

/** The group commit of client deletes, keyed by tenant; every item of a batch carries that tenant's context. */
export function deleteTogether(): DeleteTogether {
  return createGroupCommit<Prepared, Outcome>(async (tenantId, items) => {
    if (items.length === 1) return [await settle(() => run(items[0]!.ctx, items[0]!.ctx.db, items[0]!.id, items[0]!.versions))];
    const input = items.map(({ ctx, id, versions }) => ({ id, versions: versionsLiteral(versions), source: ctx.source }));
    let done: { id: string; fold: string | null }[];
    try {
      done = await query<{ id: string; fold: string | null }>(items[0]!.ctx.db, DELETE_TOGETHER, [tenantId, JSON.stringify(input)]);
    } catch {
      return Promise.all(items.map((item) => settle(() => run(item.ctx, item.ctx.db, item.id, item.versions))));
    }
    const deleted = new Set(done.map((d) => d.id));
    // The statement's groups due a fold are folded once, by the first write it deleted.
    let fold = done[0]?.fold ?? null;
    return items.map(({ id }) => {
      // Two deletes of one user in a batch: the first deleted it, the other finds it gone (404), as when they race alone.
      if (!deleted.delete(id)) return { ok: true, value: { deleted: false } };
      const outcome: Outcome = { deleted: true, fold };
      fold = null;
      return { ok: true, value: outcome };
    });
  });
}
