import type { ResourceDoc } from '../../../scim/resource/document.js';
import { URN } from '../../../scim/schemas/urns.js';
import { query, type Executor } from '../../db/client.js';
import type { ChangeSource } from '../../events/append.js';
import type { CurrentGroup, TeamChanges } from '../documents/team-extension.js';
import { uniquely } from '../db-errors.js';
import { DUE_FOR_FOLD, foldMemberChanges, logMemberChanges } from './member-stamps.js';

/**
 * Set-based writes of team sync: a first run for 50,000 employees creates thousands of teams and
 * 50,000 memberships, so every kind of change is a few statements over arrays (chunked), never a
 * round trip per team or member. Each change still lands on the change feed with the same event
 * types and payloads the group verbs write, in the same transaction.
 */

/** Rows per statement: array parameters of a few megabytes at most. */
const CHUNK = 10_000;

const chunks = <T>(items: T[], size = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};
/** Ids here are ours (uuidv7 or read from the store), so an array literal needs no quoting. */
const uuids = (ids: string[]) => `{${ids.join(',')}}`;

interface RawTeamGroup {
  id: string;
  team_key: string | null;
  display_name: string;
  doc: ResourceDoc;
  version: number;
}

/** This connection's managed teams with their members, and (optionally) every other group of the tenant. */
export async function loadTeamGroups(db: Executor, tenantId: string, connectionId: string, withOthers: boolean): Promise<{ managed: CurrentGroup[]; others: CurrentGroup[] }> {
  const [groupRows, memberRows] = await Promise.all([
    query<RawTeamGroup & { mine: boolean }>(
      db,
      `select id, team_key, display_name, doc, version, connection_id is not distinct from $2::uuid as mine from groups
        where tenant_id = $1 and ($3::boolean or connection_id = $2::uuid)`,
      [tenantId, connectionId, withOthers],
    ),
    query<{ group_id: string; member_id: string }>(
      db,
      `select gm.group_id, gm.member_id from group_members gm join groups g on g.id = gm.group_id
        where g.tenant_id = $1 and g.connection_id = $2::uuid`,
      [tenantId, connectionId],
    ),
  ]);
  const membersOf = new Map<string, string[]>();
  for (const m of memberRows) {
    const list = membersOf.get(m.group_id);
    if (list) list.push(m.member_id);
    else membersOf.set(m.group_id, [m.member_id]);
  }
  const managed: CurrentGroup[] = [];
  const others: CurrentGroup[] = [];
  for (const r of groupRows) {
    const group = { id: r.id, key: r.team_key, displayName: r.display_name, doc: r.doc, version: r.version, memberIds: membersOf.get(r.id) ?? [] };
    (r.mine ? managed : others).push(group);
  }
  return { managed, others };
}

export interface TeamWriteScope {
  tenantId: string;
  connectionId: string;
  source: ChangeSource;
}

/** Appends one change event per row of CTE `w`: `$type`, the group id in `w.id`, the payload expression given. */
const eventsFrom = (type: string, payload: string) => `insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select $1, '${type}', 'Group', w.id, $SOURCE::jsonb, ${payload} from w`;

/**
 * Writes the changes in one transaction: a crash leaves the teams as they were, and the next run
 * converges. Each statement records its own change events from the rows it wrote (a CTE), so the
 * feed holds what happened, in order, without shipping 50,000 event bodies from here.
 */
export async function writeTeamChanges(db: Executor, scope: TeamWriteScope, changes: TeamChanges): Promise<void> {
  const { tenantId } = scope;
  const source = JSON.stringify(scope.source);
  await uniquely('displayName', () =>
    db.transaction(async (tx) => {
      const x = tx as unknown as Executor;
      for (const ids of chunks(changes.remove.map((r) => r.id))) {
        // A removed group also leaves the groups it is a member of, as DELETE /Groups does; its own
        // memberships go with it (on delete cascade).
        const [left] = await query<{ fold: string | null }>(
          x,
          `with parents as (delete from group_members where tenant_id = $1 and member_id = any($2::uuid[]) returning group_id),
          ${logMemberChanges('$1', 'select group_id from parents')}
          select ${DUE_FOR_FOLD}`,
          [tenantId, uuids(ids)],
        );
        await foldMemberChanges(x, left!.fold);
        await query(x, 'delete from group_member_changes where group_id = any($1::uuid[])', [uuids(ids)]);
        await query(
          x,
          `with w as (delete from groups where tenant_id = $1 and id = any($2::uuid[]) returning id, doc, version)
          ${eventsFrom('group.deleted', `jsonb_build_object('resource', jsonb_build_object('id', w.id) || w.doc, 'version', w.version)`).replace('$SOURCE', '$3')}`,
          [tenantId, uuids(ids), source],
        );
      }

      // Renames may swap names between teams: park the renamed ones on their id first, so no
      // statement ever sees two rows with one name (the unique index is checked row by row).
      const renamed = changes.update.filter((u) => u.displayName !== u.was).map((u) => u.id);
      for (const ids of chunks(renamed)) await query(x, 'update groups set display_name = id::text where tenant_id = $1 and id = any($2::uuid[])', [tenantId, uuids(ids)]);
      for (const part of chunks(changes.update, 2_000)) {
        await query(
          x,
          `with w as (
            update groups g set doc = u.doc, display_name = u.name, version = g.version + 1, updated_at = now()
            from jsonb_to_recordset($2::jsonb) as u(id uuid, doc jsonb, name text, changed jsonb) where g.tenant_id = $1 and g.id = u.id
            returning g.id, g.doc, g.version, u.changed)
          ${eventsFrom('group.updated', `jsonb_build_object('resource', jsonb_build_object('id', w.id) || w.doc, 'changed', w.changed, 'version', w.version)`).replace('$SOURCE', '$3')}`,
          [tenantId, JSON.stringify(part.map((u) => ({ id: u.id, doc: u.doc, name: u.displayName, changed: u.changed }))), source],
        );
      }
      // Groups whose members moved: a membership change each (their ETags move, their rows stay as they are).
      for (const ids of chunks(changes.touched.map((t) => t.id))) {
        const [logged] = await query<{ fold: string | null }>(
          x,
          `with ${logMemberChanges('$1', 'select unnest($2::uuid[]) as group_id')} select ${DUE_FOR_FOLD}`,
          [tenantId, uuids(ids)],
        );
        await foldMemberChanges(x, logged!.fold);
      }

      for (const part of chunks(changes.create, 2_000)) {
        await query(
          x,
          `with w as (
            insert into groups (id, tenant_id, display_name, doc, connection_id, team_key)
            select c.id, $1, c.name, c.doc, $2, c.key from jsonb_to_recordset($3::jsonb) as c(id uuid, name text, doc jsonb, key text)
            returning id, doc, version)
          ${eventsFrom('group.created', `jsonb_build_object('resource', jsonb_build_object('id', w.id) || w.doc, 'version', w.version)`).replace('$SOURCE', '$4')}`,
          [tenantId, scope.connectionId, JSON.stringify(part.map((c) => ({ id: c.id, name: c.displayName, doc: c.doc, key: c.key }))), source],
        );
      }

      const memberPayload = `jsonb_build_object('groupId', w.id, 'memberId', w.member_id)`;
      for (const part of chunks(changes.removeMembers)) {
        await query(
          x,
          `with w as (
            delete from group_members gm using unnest($2::uuid[], $3::uuid[]) as r(g, m)
            where gm.tenant_id = $1 and gm.group_id = r.g and gm.member_id = r.m returning gm.group_id as id, gm.member_id)
          ${eventsFrom('group.member_removed', memberPayload).replace('$SOURCE', '$4')}`,
          [tenantId, uuids(part.map((p) => p.groupId)), uuids(part.map((p) => p.memberId)), source],
        );
      }
      for (const part of chunks(changes.addMembers)) {
        // Members are users of this tenant the run read or wrote (people whose create failed are left
        // out before planning), so no lookup per member is needed.
        await query(
          x,
          `with w as (
            insert into group_members (tenant_id, group_id, member_id, member_type)
            select $1, a.g, a.m, 'User' from unnest($2::uuid[], $3::uuid[]) with ordinality as a(g, m, n) order by a.n
            on conflict do nothing returning group_id as id, member_id)
          ${eventsFrom('group.member_added', memberPayload).replace('$SOURCE', '$4')}`,
          [tenantId, uuids(part.map((p) => p.groupId)), uuids(part.map((p) => p.memberId)), source],
        );
      }
    }),
  );
}

/**
 * Stop team sync (or disconnect): the teams stay, no longer owned by the connection, so they are
 * editable like any group. The extension keeps its history (`management: released`), and each team
 * gets a new version and a `group.updated` event, in one statement.
 */
export async function releaseTeams(db: Executor, scope: TeamWriteScope): Promise<number> {
  const [row] = await query<{ n: number }>(
    db,
    `with r as (
      update groups set connection_id = null, team_key = null, version = version + 1, updated_at = now(),
        doc = jsonb_set(doc, array[$3::text, 'management'], '"released"'::jsonb)
      where tenant_id = $1 and connection_id = $2::uuid
      returning id, doc, version
    ), e as (
      insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
      select $1, 'group.updated', 'Group', r.id, $4::jsonb,
        jsonb_build_object('resource', jsonb_build_object('id', r.id) || r.doc, 'changed', jsonb_build_array($3::text), 'version', r.version)
      from r
    )
    select count(*)::int as n from r`,
    [scope.tenantId, scope.connectionId, URN.teamGroup, JSON.stringify(scope.source)],
  );
  return row!.n;
}
