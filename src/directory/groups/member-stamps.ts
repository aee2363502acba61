import { query, type Executor } from '../../db/client.js';

/*
 * A group's membership stamp. Every statement that moves members of a group appends a row to
 * `group_member_changes` instead of bumping the group's own row, so concurrent member changes of one
 * group (16 clients deleting members of a 5,000-member group, PATCHes adding people) never queue on
 * that row. What the ETag rules need is derived at read time:
 *
 * - ETag version = `groups.version` + the sum of the group's `changes`. Each committed change adds
 *   at least one, so the number grows with every change whatever order writers commit in, and never
 *   returns to a value an earlier state had. (A maximum of sequence numbers would not do: a change
 *   that drew a lower number can commit after a reader saw a higher one.)
 * - `meta.lastModified` = the later of `groups.updated_at` and the latest change's `at`.
 *
 * Rows are folded into one per group from time to time (`foldMemberChanges`), keeping the sum.
 */

/** The ETag version of a group from alias `g` (any relation with the group's `id` and `version`). */
export const groupVersionOf = (g: string) =>
  `(${g}.version + coalesce((select sum(c.changes) from group_member_changes c where c.group_id = ${g}.id), 0))::int`;

/** `meta.lastModified` of a group from alias `g` (its `id` and `updated_at`). */
export const groupModifiedOf = (g: string) => `greatest(${g}.updated_at, (select max(c.at) from group_member_changes c where c.group_id = ${g}.id))`;

/**
 * A data-modifying CTE `logged` that records one change for each distinct group in `groupIds` (a
 * select whose rows have a `group_id`), returning `seq` and `group_id`.
 */
export const logMemberChanges = (tenant: string, groupIds: string) => `logged as (
  insert into group_member_changes (tenant_id, group_id)
  select distinct ${tenant}::uuid, x.group_id from (${groupIds}) x
  returning seq, group_id)`;

/** A select list item naming the groups whose rows are due a fold, as comma-separated text (or null). */
export const DUE_FOR_FOLD = `(select string_agg(l.group_id::text, ',') from logged l where l.seq % 16 = 0) as fold`;

/**
 * Folds each group's change rows into one, keeping the sum and the latest time. Rows another
 * transaction is folding are skipped rather than waited for (and rows not yet committed are not
 * seen), so folding never queues behind writers and never loses a change.
 */
const FOLD = `with old as (
  select seq from group_member_changes where group_id = any($1::uuid[]) for update skip locked
), gone as (
  delete from group_member_changes c using old where c.seq = old.seq returning c.tenant_id, c.group_id, c.changes, c.at
)
insert into group_member_changes (tenant_id, group_id, changes, at)
select tenant_id, group_id, sum(changes)::int, max(at) from gone group by tenant_id, group_id`;

/**
 * After a write whose `fold` column named groups (one change in sixteen, by sequence): fold them,
 * so a group that changes all day keeps a handful of rows and its ETag stays a short index read.
 */
export async function foldMemberChanges(db: Executor, fold: string | null | undefined): Promise<void> {
  if (!fold) return;
  await query(db, FOLD, [`{${fold}}`]);
}
