import type { ParsedResource } from '../../../scim/resource/document.js';
import type { StoredResource } from '../../../scim/store-port.js';
import { atomic, query } from '../../db/client.js';
import { uuidv7 } from '../../db/ids.js';
import type { ChangeEventInput } from '../../events/append.js';
import type { DirectoryContext } from '../context.js';
import { uniquely } from '../db-errors.js';
import { groupColumns } from '../user-row.js';
import { applyMemberChanges, insertEvents, loadMembers } from './members.js';
import { fromRawGroup, GROUP_COLUMNS, type RawGroup } from './update-group.js';

const INSERT = `insert into groups as g (id, tenant_id, display_name, external_id, doc) values ($1, $2, $3, $4, $5::jsonb) returning ${GROUP_COLUMNS}`;

/** Without members, the group and its `group.created` event are one statement (atomic by itself). */
const INSERT_WITH_EVENT = `with g as (
  insert into groups (id, tenant_id, display_name, external_id, doc) values ($1, $2, $3, $4, $5::jsonb) returning *
), e as (
  insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select g.tenant_id, 'group.created', 'Group', g.id, $6::jsonb, $7::jsonb || jsonb_build_object('version', g.version) from g
)
select ${GROUP_COLUMNS} from g`;

export async function createGroup(ctx: DirectoryContext, input: ParsedResource): Promise<StoredResource> {
  const id = uuidv7();
  const columns = groupColumns(input.doc);
  const row = [id, ctx.tenantId, columns.displayName, columns.externalId, JSON.stringify(input.doc)];
  if (!input.members?.length) {
    const [created] = await uniquely('displayName', () =>
      atomic(ctx.db, (db) => query<RawGroup>(db, INSERT_WITH_EVENT, [...row, JSON.stringify(ctx.source), JSON.stringify({ resource: { id, ...input.doc } })])),
    );
    const stored = fromRawGroup(created!);
    // A new id: nothing can be a member of it yet.
    stored.members = [];
    return stored;
  }
  const members = input.members;
  return uniquely('displayName', () =>
    ctx.db.transaction(async (tx) => {
      const [created] = await query<RawGroup>(tx, INSERT, row);
      const stored = fromRawGroup(created!);
      const memberEvents = await applyMemberChanges({ tx, tenantId: ctx.tenantId, groupId: id, source: ctx.source }, [{ kind: 'add', members }]);
      const events: ChangeEventInput[] = [
        {
          tenantId: ctx.tenantId,
          type: 'group.created',
          resourceType: 'Group',
          resourceId: id,
          source: ctx.source,
          payload: { resource: { id, ...input.doc }, version: stored.version },
        },
        ...memberEvents,
      ];
      await insertEvents(tx, events);
      stored.members = (await loadMembers(tx, ctx.tenantId, [id])).get(stored.id) ?? [];
      return stored;
    }),
  );
}
