import type { ResourceDoc } from '../../../scim/resource/document.js';
import type { StoredResource } from '../../../scim/store-port.js';
import { query } from '../../db/client.js';
import { redactForEvent } from '../../events/redact.js';
import { userEventType } from '../../events/user-event-type.js';
import type { DirectoryContext } from '../context.js';
import { uniquely } from '../db-errors.js';
import { createGroupCommit, settle, type GroupCommit } from '../group-commit.js';
import { userColumns, userRecordColumns } from '../user-row.js';
import { fromWritten, GROUPS_OF_U, WRITTEN_COLUMNS, type WrittenUser } from './rows.js';

/**
 * Writes the new document only if the row still has the version it was read at (compare-and-set),
 * with its change event, in one statement: the same outcome as holding a row lock from read to
 * write, in one round trip.
 */
const updateStatement = (withGroups: boolean) => `with u as (
  update users set doc = $3::jsonb, user_name = $4, external_id = $5, display_name = $6, active = $7,
    emails = array(select jsonb_array_elements_text($8::jsonb)), lifecycle = $12, management = $13,
    connection_id = $14, remote_id = $15, version = version + 1, updated_at = now()
  where tenant_id = $1 and id = $2 and version = $9
  returning id, tenant_id, version, created_at, updated_at
), e as (
  insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select u.tenant_id, $16, 'User', u.id, $10::jsonb, $11::jsonb || jsonb_build_object('version', u.version) from u
)
select ${WRITTEN_COLUMNS}${withGroups ? `, ${GROUPS_OF_U} as groups` : ''} from u`;
const UPDATE = { withGroups: updateStatement(true), without: updateStatement(false) };

/**
 * The same for the updates of one tenant that arrived together (group commit). Each row is written
 * only at the version its write expects; `n` says which write a returned row is. Two writes of one
 * user in a batch expect the same version, so at most one lands and the other reads again, as it
 * would have after losing the race alone.
 */
const UPDATE_TOGETHER = `with x as (
  select * from jsonb_to_recordset($2::jsonb) as x(n int, id uuid, version int, doc jsonb, user_name text, external_id text, display_name text,
    active boolean, emails jsonb, lifecycle text, management text, connection_id uuid, remote_id text, event_type text, source jsonb, payload jsonb)
), u as (
  update users u set doc = x.doc, user_name = x.user_name, external_id = x.external_id, display_name = x.display_name, active = x.active,
    emails = array(select jsonb_array_elements_text(x.emails)), lifecycle = x.lifecycle, management = x.management,
    connection_id = x.connection_id, remote_id = x.remote_id, version = u.version + 1, updated_at = now()
  from x where u.tenant_id = $1 and u.id = x.id and u.version = x.version
  returning u.id, u.tenant_id, u.version, u.created_at, u.updated_at, x.n, x.event_type, x.source as event_source, x.payload as event_payload
), e as (
  insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select u.tenant_id, u.event_type, 'User', u.id, u.event_source, u.event_payload || jsonb_build_object('version', u.version) from u
)
select u.n, ${WRITTEN_COLUMNS}, ${GROUPS_OF_U} as groups from u`;

export interface Change {
  before: ResourceDoc;
  after: ResourceDoc;
  changed: string[];
}

/** One write, ready to send. */
interface Prepared {
  ctx: DirectoryContext;
  id: string;
  version: number;
  columns: ReturnType<typeof userColumns>;
  doc: string;
  /** The document `doc` is the text of: what the answer shows, so the row need not bring it back. */
  after: ResourceDoc;
  eventType: string;
  payload: Record<string, unknown>;
  withGroups: boolean;
}

export type UpdateTogether = GroupCommit<Prepared, StoredResource | undefined>;

/** The compare-and-set write of `change` at `version`: undefined when the row is no longer at it (or is gone). */
export function writeIfAt(
  ctx: DirectoryContext,
  id: string,
  version: number,
  { before, after, changed }: Change,
  withGroups: boolean,
  detail: Record<string, unknown>,
): Promise<StoredResource | undefined> {
  const prepared: Prepared = {
    ctx,
    id,
    version,
    columns: userColumns(after),
    doc: JSON.stringify(after),
    after,
    eventType: userEventType(before, after),
    payload: { resource: { id, ...redactForEvent(after) }, changed, ...detail },
    withGroups,
  };
  // The caller writes on the database itself (updateUser keeps transactions to the locked path).
  return ctx.updateTogether ? ctx.updateTogether.submit(ctx.tenantId, prepared) : writeAlone(prepared);
}

async function writeAlone({ ctx, id, version, columns, doc, after, eventType, payload, withGroups }: Prepared): Promise<StoredResource | undefined> {
  const [row] = await uniquely('userName', () =>
    query<WrittenUser>(ctx.db, withGroups ? UPDATE.withGroups : UPDATE.without, [
      ctx.tenantId,
      id,
      doc,
      columns.userName,
      columns.externalId,
      columns.displayName,
      columns.active,
      JSON.stringify(columns.emails),
      version,
      JSON.stringify(ctx.source),
      JSON.stringify(payload),
      columns.lifecycle,
      columns.management,
      columns.connectionId,
      columns.remoteId,
      eventType,
    ]),
  );
  return row ? written(ctx, id, doc, after, row) : undefined;
}

function written(ctx: DirectoryContext, id: string, doc: string, after: ResourceDoc, row: WrittenUser): StoredResource {
  const stored = fromWritten(row, after);
  ctx.recent?.remember(ctx.tenantId, id, { version: stored.version, doc });
  return stored;
}

/** The group commit of compare-and-set writes, keyed by tenant; every item of a batch carries that tenant's context. */
export function updateTogether(): UpdateTogether {
  return createGroupCommit<Prepared, StoredResource | undefined>(async (tenantId, items) => {
    if (items.length === 1) return [await settle(() => writeAlone(items[0]!))];
    // Each document is already JSON text: it goes into the batch's one parameter as it is.
    const input = items.map(({ ctx, id, version, columns, doc, eventType, payload }, n) => {
      const row = JSON.stringify({ n, id, version, ...userRecordColumns(columns), event_type: eventType, source: ctx.source, payload });
      return `${row.slice(0, -1)},"doc":${doc}}`;
    });
    let rows: (WrittenUser & { n: number })[];
    try {
      rows = await query<WrittenUser & { n: number }>(items[0]!.ctx.db, UPDATE_TOGETHER, [tenantId, `[${input.join(',')}]`]);
    } catch {
      // A taken userName (or anything else) fails the whole statement: each write alone meets its own fate.
      return Promise.all(items.map((item) => settle(() => writeAlone(item))));
    }
    const byN = new Map(rows.map(({ n, ...row }) => [Number(n), row]));
    return items.map((item, n) => {
      const row = byN.get(n);
      if (!row) return { ok: true, value: undefined };
      // Groups only for the answers that show them: without them the ETag is the bare version.
      if (!item.withGroups) delete row.groups;
      return { ok: true, value: written(item.ctx, item.id, item.doc, item.after, row) };
    });
  });
}
