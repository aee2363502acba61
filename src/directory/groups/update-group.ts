import { checkIfMatch } from '../../../scim/http/etag.js';
import type { MemberChange, ResourceDoc } from '../../../scim/resource/document.js';
import type { Preconditions, StoredResource } from '../../../scim/store-port.js';
import { isRoot, query, toDate } from '../../db/client.js';
import { isUuid } from '../../db/ids.js';
import { changedAttributes, type ChangeEventInput } from '../../events/append.js';
import type { DirectoryContext } from '../context.js';
import { uniquely } from '../db-errors.js';
import { groupColumns } from '../user-row.js';
import { applyMemberChanges, EVENTS_FROM_JSON, foundMembers, idsToAdd, idsToRemove, loadMembers } from './members.js';
import { groupNotFound } from './rows.js';
import { DUE_FOR_FOLD, foldMemberChanges, groupModifiedOf, groupVersionOf, logMemberChanges } from './member-stamps.js';
import { enforceTeamLock } from './team-locks.js';

export interface GroupUpdate {
  doc: ResourceDoc;
  members: MemberChange[];
}

/**
 * What a SCIM answer needs of a group row, from an alias `g` of `groups`: `version` and
 * `updated_at` include the membership changes (member-stamps.ts); `doc_version` is the row's own.
 */
export const GROUP_COLUMNS = `g.id, g.doc, ${groupVersionOf('g')} as version, g.version as doc_version, g.created_at, ${groupModifiedOf('g')} as updated_at, g.connection_id`;

export interface RawGroup {
  id: string;
  doc: ResourceDoc;
  /** The ETag version: the row's own plus its membership changes. */
  version: number;
  /** The row's own version, which only document changes move. */
  doc_version: number;
  created_at: Date | string;
  updated_at: Date | string;
  /** Set while a connection's team sync owns the group. */
  connection_id?: string | null;
}

export const fromRawGroup = (row: RawGroup): StoredResource => ({
  id: row.id,
  doc: row.doc,
  version: row.version,
  created: toDate(row.created_at),
  lastModified: toDate(row.updated_at),
});

const LOCK = `select ${GROUP_COLUMNS} from groups g where g.tenant_id = $1 and g.id = $2 for update`;

/**
 * The new document (when it changed), the membership change (when members moved) and all the
 * change events, in one statement. Parameters: $1 tenant, $2 id, $3 doc, $4 displayName,
 * $5 externalId, $6 events, $7 doc changed, $8 members moved and the doc did not.
 */
const WRITE = `with g as (
  update groups set doc = $3::jsonb, display_name = $4, external_id = $5, version = version + 1, updated_at = now()
  where tenant_id = $1 and id = $2 and $7::boolean
  returning id
), ${logMemberChanges('$1', 'select $2::uuid as group_id where $8::boolean')},
e as (${EVENTS_FROM_JSON.replace('$N', '$6')})
select ${DUE_FOR_FOLD}`;

/** The membership part of a one-statement update: at most one add or one remove. */
type Moved = { kind: 'add'; ids: string; display: string } | { kind: 'remove'; ids: string } | undefined;

/**
 * A group update as one statement, guarded by the version it was read at: take the row only if
 * its own version still matches (and, under `If-Match`, its membership stamp too), move the
 * members, write the document if it changed (which moves the version by itself), else record a
 * membership change if members moved, and the
 * events (group.updated first, then one per member moved). `locked` = 0 means the group changed or
 * went away since the read. A change of members alone takes the row in KEY SHARE mode, which
 * concurrent member changes share: they do not queue on the group (an insert into group_members
 * takes that lock anyway, for its foreign key). Parameters: $1 tenant, $2 id, $3 own version read,
 * $4 doc, $5 displayName, $6 externalId, $7 doc changed, $8 source, $9 group.updated payload,
 * $10 the id as the caller wrote it, $11 the membership stamp read (null: not checked), $12 member
 * ids, $13 displays sent (add).
 */
function oneStatement(moved: Moved, docChanged: boolean): string {
  const movedCte = !moved
    ? 'moved as (select null::uuid as member_id where false)'
    : moved.kind === 'add'
      ? `${foundMembers('$1', '$12')},
moved as (
  insert into group_members (tenant_id, group_id, member_id, member_type, display)
  select $1, $2, f.id, f.type, $13::jsonb ->> f.id::text from found f where exists (select 1 from locked) order by f.kind, f.id
  on conflict do nothing
  returning member_id)`
      : 'moved as (delete from group_members where group_id = $2 and member_id = any($12::uuid[]) and exists (select 1 from locked) returning member_id)';
  return `with stamp as (select coalesce(sum(changes), 0)::int as s from group_member_changes where group_id = $2),
locked as (
  select id, version from groups where tenant_id = $1 and id = $2 and version = $3 and ($11::int is null or $11::int = (select s from stamp))
  for ${docChanged ? 'no key update' : 'key share'}
),
${movedCte},
bumped as (
  update groups set doc = $4::jsonb, display_name = $5, external_id = $6, version = version + 1, updated_at = now()
  where tenant_id = $1 and id = $2 and $7::boolean and exists (select 1 from locked)
  returning version, updated_at
), ${logMemberChanges('$1', 'select $2::uuid as group_id where not $7::boolean and exists (select 1 from moved)')},
after as (
  select coalesce((select version from bumped), (select version from locked)) + (select s from stamp) + (select count(*) from logged)::int as version,
    greatest((select updated_at from bumped), (select now() from logged)) as modified
), events as (
  insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select $1, x.type, 'Group', $2, $8::jsonb, x.payload from (
    select 'group.updated'::text as type, $9::jsonb || jsonb_build_object('version', (select version from after)) as payload from bumped b
    union all
    select '${moved?.kind === 'remove' ? 'group.member_removed' : 'group.member_added'}', jsonb_build_object('groupId', $10::text, 'memberId', m.member_id)
    from moved m
  ) x
)
select (select count(*) from locked)::int as locked, a.version, a.modified, ${DUE_FOR_FOLD} from after a`;
}
const STATEMENTS = new Map<string, string>();
const statementFor = (moved: Moved, docChanged: boolean) => {
  const key = `${moved?.kind ?? 'none'}:${docChanged}`;
  if (!STATEMENTS.has(key)) STATEMENTS.set(key, oneStatement(moved, docChanged));
  return STATEMENTS.get(key)!;
};

/** Reads before giving up on optimism and locking the row. */
const OPTIMISTIC_ATTEMPTS = 3;

/** The membership stamp of a group as read: its ETag version less its own. */
const stampOf = (row: RawGroup) => row.version - row.doc_version;

const later = (a: Date, b: Date | string | null | undefined) => (b && toDate(b) > a ? toDate(b) : a);

/**
 * PUT and PATCH of a group. The ETag version moves when the document or the membership changed, so
 * ETags see membership changes too. A change of the document and at most one add or remove (every
 * client's membership PATCH) is a read and one statement; the rest, answers that carry the member
 * list, and calls inside a caller's transaction lock the row in a transaction.
 */
export async function updateGroup(
  ctx: DirectoryContext,
  id: string,
  pre: Preconditions,
  next: (current: ResourceDoc) => GroupUpdate,
  returnMembers: boolean,
): Promise<StoredResource> {
  if (!isUuid(id)) throw groupNotFound(id);
  if (returnMembers || !isRoot(ctx.db)) return lockedUpdate(ctx, id, pre, next, returnMembers);
  const conditional = pre.ifMatch !== undefined && pre.ifMatch.trim() !== '*';
  for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
    const [row] = await query<RawGroup>(ctx.db, `select ${GROUP_COLUMNS} from groups g where g.tenant_id = $1 and g.id = $2`, [ctx.tenantId, id]);
    if (!row) throw groupNotFound(id);
    checkIfMatch(pre.ifMatch, row.version);
    enforceTeamLock(ctx.source, { id, connectionId: row.connection_id ?? null, doc: row.doc }, 'changed');
    const update = next(row.doc);
    const [change, ...more] = update.members;
    if (more.length > 0 || change?.kind === 'replace' || change?.kind === 'removeAll') break;
    let moved: Moved;
    if (change?.kind === 'add') {
      const add = idsToAdd(id, change.members);
      moved = add && { kind: 'add', ...add };
    } else if (change?.kind === 'remove') {
      const ids = idsToRemove(change.ids);
      moved = ids ? { kind: 'remove', ids } : undefined;
    }
    const changed = changedAttributes(row.doc, update.doc);
    if (changed.length === 0 && !moved) return fromRawGroup(row);
    const columns = groupColumns(update.doc);
    const params: unknown[] = [
      ctx.tenantId,
      id,
      row.doc_version,
      JSON.stringify(update.doc),
      columns.displayName,
      columns.externalId,
      changed.length > 0,
      JSON.stringify(ctx.source),
      JSON.stringify({ resource: { id, ...update.doc }, changed }),
      id,
      // Under If-Match the members must be as read too: the tag the client sent covers them.
      conditional ? stampOf(row) : null,
      ...(moved ? [moved.ids] : []),
      ...(moved?.kind === 'add' ? [moved.display] : []),
    ];
    const [result] = await uniquely('displayName', () =>
      query<{ locked: number; version: number; modified: Date | string | null; fold: string | null }>(ctx.db, statementFor(moved, changed.length > 0), params),
    );
    if (result!.locked === 0) continue; // Changed or deleted since the read: read again.
    await foldMemberChanges(ctx.db, result!.fold);
    const stored = fromRawGroup(row);
    return { ...stored, doc: changed.length > 0 ? update.doc : row.doc, version: result!.version, lastModified: later(stored.lastModified, result!.modified) };
  }
  return lockedUpdate(ctx, id, pre, next, returnMembers);
}

/** Lock the row, check `If-Match`, write the document and apply the membership changes in one transaction. */
async function lockedUpdate(
  ctx: DirectoryContext,
  id: string,
  pre: Preconditions,
  next: (current: ResourceDoc) => GroupUpdate,
  returnMembers: boolean,
): Promise<StoredResource> {
  if (!isUuid(id)) throw groupNotFound(id);
  return uniquely('displayName', () =>
    ctx.db.transaction(async (tx) => {
      const [row] = await query<RawGroup>(tx, LOCK, [ctx.tenantId, id]);
      if (!row) throw groupNotFound(id);
      checkIfMatch(pre.ifMatch, row.version);
      enforceTeamLock(ctx.source, { id, connectionId: row.connection_id ?? null, doc: row.doc }, 'changed');
      const before = row.doc;
      const update = next(before);
      const changed = changedAttributes(before, update.doc);
      const memberEvents = await applyMemberChanges({ tx, tenantId: ctx.tenantId, groupId: id, source: ctx.source }, update.members);
      let stored = fromRawGroup(row);
      const moved = memberEvents.length > 0;
      if (changed.length > 0 || moved) {
        // The row is locked, so the version this write gives the group is known before the write
        // (other writers' member changes aside). A write of the document moves the version by
        // itself; a membership change is recorded only when the members alone changed.
        const events: ChangeEventInput[] = [
          ...(changed.length > 0
            ? [
                {
                  tenantId: ctx.tenantId,
                  type: 'group.updated',
                  resourceType: 'Group' as const,
                  resourceId: id,
                  source: ctx.source,
                  payload: { resource: { id, ...update.doc }, version: row.version + 1, changed },
                },
              ]
            : []),
          ...memberEvents,
        ];
        const columns = groupColumns(update.doc);
        const [written] = await query<{ fold: string | null }>(tx, WRITE, [
          ctx.tenantId,
          id,
          JSON.stringify(update.doc),
          columns.displayName,
          columns.externalId,
          JSON.stringify(events),
          changed.length > 0,
          moved && changed.length === 0,
        ]);
        await foldMemberChanges(tx, written!.fold);
        const [updated] = await query<RawGroup>(tx, `select ${GROUP_COLUMNS} from groups g where g.tenant_id = $1 and g.id = $2`, [ctx.tenantId, id]);
        stored = fromRawGroup(updated!);
      }
      if (returnMembers) stored.members = (await loadMembers(tx, ctx.tenantId, [id])).get(stored.id) ?? [];
      return stored;
    }),
  );
}
