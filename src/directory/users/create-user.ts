import type { ParsedResource, ResourceDoc } from '../../../scim/resource/document.js';
import type { StoredResource } from '../../../scim/store-port.js';
import { atomic, isRoot, query } from '../../db/client.js';
import { uuidv7 } from '../../db/ids.js';
import { redactForEvent } from '../../events/redact.js';
import type { DirectoryContext } from '../context.js';
import { uniquely } from '../db-errors.js';
import { createGroupCommit, settle, type GroupCommit } from '../group-commit.js';
import { userColumns, userRecordColumns } from '../user-row.js';
import { fromWritten, WRITTEN_COLUMNS, type WrittenUser } from './rows.js';

/**
 * Inserts the user and its `user.created` event in one statement: a data-modifying CTE commits or
 * fails as a whole, like the transaction it replaces, in one round trip instead of four.
 */
const INSERT = `with u as (
  insert into users (id, tenant_id, user_name, external_id, display_name, active, emails, doc, lifecycle, management, connection_id, remote_id)
  values ($1, $2, $3, $4, $5, $6, array(select jsonb_array_elements_text($7::jsonb)), $8::jsonb, $11, $12, $13, $14)
  returning id, tenant_id, version, created_at, updated_at
), e as (
  insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select u.tenant_id, 'user.created', 'User', u.id, $9::jsonb, $10::jsonb || jsonb_build_object('version', u.version) from u
)
select ${WRITTEN_COLUMNS} from u`;

/**
 * The same for the creates of one tenant that arrived together (group commit): the users whose
 * `userName` (or HR link) is free go in with their events, the others are skipped, not failed, so
 * one taken name does not undo the rest. A user left out is created alone afterwards, which answers
 * its 409 (or, if the name came free meanwhile, creates it).
 */
const INSERT_TOGETHER = `with input as (
  select * from jsonb_to_recordset($2::jsonb) as x(id uuid, user_name text, external_id text, display_name text, active boolean, emails jsonb,
    doc jsonb, lifecycle text, management text, connection_id uuid, remote_id text, source jsonb, payload jsonb)
), u as (
  insert into users (id, tenant_id, user_name, external_id, display_name, active, emails, doc, lifecycle, management, connection_id, remote_id)
  select id, $1, user_name, external_id, display_name, active, array(select jsonb_array_elements_text(emails)), doc, lifecycle, management, connection_id, remote_id
  from input
  on conflict do nothing
  returning id, tenant_id, version, created_at, updated_at
), e as (
  insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select u.tenant_id, 'user.created', 'User', u.id, i.source, i.payload || jsonb_build_object('version', u.version) from u join input i on i.id = u.id
)
select ${WRITTEN_COLUMNS} from u`;

/** One create, ready to send: the row's columns and its event's payload. */
interface Prepared {
  ctx: DirectoryContext;
  id: string;
  columns: ReturnType<typeof userColumns>;
  doc: string;
  /** The document `doc` is the text of: what the answer shows, so the row need not bring it back. */
  parsed: ResourceDoc;
  payload: Record<string, unknown>;
}

export type CreateTogether = GroupCommit<Prepared, StoredResource>;

/** `id` is chosen by the caller only when it must be known first (an HR sync links reports to a manager it creates in the same run). */
export async function createUser(ctx: DirectoryContext, input: ParsedResource, id: string = uuidv7()): Promise<StoredResource> {
  const prepared: Prepared = {
    ctx,
    id,
    columns: userColumns(input.doc),
    doc: JSON.stringify(input.doc),
    parsed: input.doc,
    payload: { resource: { id, ...redactForEvent(input.doc) }, changed: Object.keys(input.doc).filter((k) => k !== 'schemas').sort() },
  };
  // Inside a caller's transaction the write is that transaction's, never a batch's.
  if (ctx.createTogether && isRoot(ctx.db)) return ctx.createTogether.submit(ctx.tenantId, prepared);
  return createAlone(prepared);
}

async function createAlone({ ctx, id, columns, doc, parsed, payload }: Prepared): Promise<StoredResource> {
  const [row] = await uniquely('userName', () =>
    atomic(ctx.db, (db) =>
      query<WrittenUser>(db, INSERT, [
        id,
        ctx.tenantId,
        columns.userName,
        columns.externalId,
        columns.displayName,
        columns.active,
        JSON.stringify(columns.emails),
        doc,
        JSON.stringify(ctx.source),
        JSON.stringify(payload),
        columns.lifecycle,
        columns.management,
        columns.connectionId,
        columns.remoteId,
      ]),
    ),
  );
  return created(ctx, id, doc, parsed, row!);
}

function created(ctx: DirectoryContext, id: string, doc: string, parsed: ResourceDoc, row: WrittenUser): StoredResource {
  const stored = fromWritten(row, parsed);
  stored.groups = [];
  // Inside a caller's transaction the row may yet roll back; a copy of it would be harmless but useless.
  if (isRoot(ctx.db)) ctx.recent?.remember(ctx.tenantId, id, { version: stored.version, doc });
  return stored;
}

/** The group commit of creates, keyed by tenant; every item of a batch carries that tenant's context. */
export function createTogether(): CreateTogether {
  return createGroupCommit<Prepared, StoredResource>(async (tenantId, items) => {
    if (items.length === 1) return [await settle(() => createAlone(items[0]!))];
    // Each document is already JSON text: it goes into the batch's one parameter as it is.
    const input = items.map(({ ctx, id, columns, doc, payload }) => {
      const row = JSON.stringify({ id, ...userRecordColumns(columns), source: ctx.source, payload });
      return `${row.slice(0, -1)},"doc":${doc}}`;
    });
    let rows: WrittenUser[];
    try {
      rows = await query<WrittenUser>(items[0]!.ctx.db, INSERT_TOGETHER, [tenantId, `[${input.join(',')}]`]);
    } catch {
      // Something other than a taken name failed the batch: each write alone meets its own fate.
      rows = [];
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    return Promise.all(
      items.map((item) => {
        const row = byId.get(item.id);
        return settle(async () => (row ? created(item.ctx, item.id, item.doc, item.parsed, row) : createAlone(item)));
      }),
    );
  });
}
