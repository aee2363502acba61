import { DomainError } from '../../../scim/errors.js';
import type { MemberChange, MemberRef } from '../../../scim/resource/document.js';
import { query, type Executor } from '../../db/client.js';
import { isUuid } from '../../db/ids.js';
import type { ChangeEventInput, ChangeSource } from '../../events/append.js';

interface Scope {
  tx: Executor;
  tenantId: string;
  groupId: string;
  source: ChangeSource;
}

/*
 * Membership statements are hand-written: a batch of 100 members is one statement with the ids as
 * one array parameter, where the query builder made three with hundreds of parameters each.
 * Ids in array literals have passed `isUuid`, so they need no quoting.
 */
const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/** CTEs `wanted` and `found`: which of the ids name a user or a group of the tenant (users first, each by id). */
export const foundMembers = (tenant: string, ids: string) => `wanted as (select unnest(${ids}::uuid[]) as id),
found as (
  select u.id, 'User' as type, 0 as kind from users u where u.tenant_id = ${tenant} and u.id in (select id from wanted)
  union all
  select g.id, 'Group', 1 from groups g where g.tenant_id = ${tenant} and g.id in (select id from wanted)
)`;

/**
 * Adds the ids that name a user or group of this tenant; ids that name nothing here are skipped:
 * Microsoft's validator adds made-up member ids and expects success, and a dangling row would
 * point at nothing. ON CONFLICT DO NOTHING: adding a present member is a no-op, and the cost is
 * independent of group size. Users come first, each kind in id order.
 */
const ADD = `with ${foundMembers('$1', '$3')}
insert into group_members (tenant_id, group_id, member_id, member_type, display)
select $1, $2, f.id, f.type, $4::jsonb ->> f.id::text from found f order by f.kind, f.id
on conflict do nothing
returning member_id`;

const memberEvent = (scope: Scope, type: string, memberId: string): ChangeEventInput => ({
  tenantId: scope.tenantId,
  type,
  resourceType: 'Group',
  resourceId: scope.groupId,
  source: scope.source,
  payload: { groupId: scope.groupId, memberId },
});

/** The ids of an add that can name a member, and the displays sent with them; throws on self-membership. */
export function idsToAdd(groupId: string, refs: MemberRef[]): { ids: string; display: string } | undefined {
  const ids = [...new Set(refs.map((r) => r.value))].filter(isUuid);
  if (ids.length === 0) return undefined;
  if (ids.includes(groupId)) throw new DomainError('invalid_value', 'members: a group cannot be a member of itself');
  // The display a client sent, by id as sent (a later duplicate wins), looked up by the stored id.
  const display = Object.fromEntries(refs.filter((r) => r.display).map((r) => [r.value, r.display!]));
  return { ids: uuidArray(ids), display: JSON.stringify(display) };
}

/** The ids of a remove that can name a member, as an array literal. */
export function idsToRemove(ids: string[]): string | undefined {
  const valid = ids.filter(isUuid);
  return valid.length === 0 ? undefined : uuidArray(valid);
}

async function addMembers(scope: Scope, refs: MemberRef[]): Promise<ChangeEventInput[]> {
  const add = idsToAdd(scope.groupId, refs);
  if (!add) return [];
  const added = await query<{ member_id: string }>(scope.tx, ADD, [scope.tenantId, scope.groupId, add.ids, add.display]);
  return added.map((a) => memberEvent(scope, 'group.member_added', a.member_id));
}

async function removeMembers(scope: Scope, ids: string[] | 'all'): Promise<ChangeEventInput[]> {
  let removed: { member_id: string }[];
  if (ids === 'all') {
    removed = await query(scope.tx, 'delete from group_members where group_id = $1 returning member_id', [scope.groupId]);
  } else {
    const valid = idsToRemove(ids);
    if (!valid) return [];
    removed = await query(scope.tx, 'delete from group_members where group_id = $1 and member_id = any($2::uuid[]) returning member_id', [scope.groupId, valid]);
  }
  return removed.map((r) => memberEvent(scope, 'group.member_removed', r.member_id));
}

/** Applies membership changes in order; returns their change events (empty when nothing moved). */
export async function applyMemberChanges(scope: Scope, changes: MemberChange[]): Promise<ChangeEventInput[]> {
  const events: ChangeEventInput[] = [];
  for (const change of changes) {
    switch (change.kind) {
      case 'add':
        events.push(...(await addMembers(scope, change.members)));
        break;
      case 'remove':
        events.push(...(await removeMembers(scope, change.ids)));
        break;
      case 'removeAll':
        events.push(...(await removeMembers(scope, 'all')));
        break;
      case 'replace': {
        const keep = new Set(change.members.map((m) => m.value));
        const current = await query<{ member_id: string }>(scope.tx, 'select member_id from group_members where group_id = $1', [scope.groupId]);
        events.push(...(await removeMembers(scope, current.map((c) => c.member_id).filter((id) => !keep.has(id)))));
        events.push(...(await addMembers(scope, change.members)));
        break;
      }
      default: {
        const unreachable: never = change;
        throw new Error(`unknown member change ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return events;
}

/** Appends change events in one statement, in the given order (one jsonb parameter, not seven per event). */
export async function insertEvents(tx: Executor, events: ChangeEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await query(tx, EVENTS_FROM_JSON.replace('$N', '$1'), [JSON.stringify(events)]);
}

/**
 * An INSERT of change events from a jsonb array of `ChangeEventInput`s, keeping their order (and so
 * their feed sequence); `$N` is the parameter that holds the array.
 */
export const EVENTS_FROM_JSON = `insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select (x.e ->> 'tenantId')::uuid, x.e ->> 'type', x.e ->> 'resourceType', (x.e ->> 'resourceId')::uuid, x.e -> 'source', x.e -> 'payload'
  from jsonb_array_elements($N::jsonb) with ordinality as x(e, n) order by x.n`;

/**
 * Members as SCIM lists them, a row each (PostgreSQL's json_agg of 20,000 members cost twice what
 * reading the rows does), ordered by group then member id; an empty `display` is left out, as a
 * missing one is.
 */
const MEMBER_ROWS = `select gm.group_id, gm.member_id, gm.member_type, nullif(coalesce(gm.display, mu.display_name, mu.user_name, mg.display_name), '') as display
  from group_members gm left join users mu on mu.id = gm.member_id left join groups mg on mg.id = gm.member_id
  where gm.tenant_id = $1 and gm.group_id = any($2::uuid[]) order by gm.group_id, gm.member_id`;

/**
 * The member list of some groups, with display names, in a stable order. One query however large.
 * Keyed by each id in lower case, as PostgreSQL prints it, whatever case the path spelled it in.
 */
export async function loadMembers(db: Executor, tenantId: string, groupIds: string[]): Promise<Map<string, MemberRef[]>> {
  const result = new Map<string, MemberRef[]>(groupIds.map((id) => [id.toLowerCase(), []]));
  const ids = groupIds.filter(isUuid);
  if (ids.length === 0) return result;
  const found = await query<{ group_id: string; member_id: string; member_type: 'User' | 'Group'; display: string | null }>(db, MEMBER_ROWS, [
    tenantId,
    uuidArray(ids),
  ]);
  for (const m of found) {
    result.get(m.group_id)!.push(m.display ? { value: m.member_id, type: m.member_type, display: m.display } : { value: m.member_id, type: m.member_type });
  }
  return result;
}
