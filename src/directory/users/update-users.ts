import type { ResourceDoc } from '../../../scim/resource/document.js';
import { query } from '../../db/client.js';
import { appendEvents, changedAttributes, type ChangeEventInput } from '../../events/append.js';
import { redactForEvent } from '../../events/redact.js';
import { userEventType } from '../../events/user-event-type.js';
import type { DirectoryContext } from '../context.js';
import { userColumns, userRecordColumns } from '../user-row.js';
import { recordConflicts } from '../authority/conflicts.js';
import { loadTenantSettings } from '../tenant-settings.js';
import { holdToAuthority } from './hr-locks.js';

const LOCK = `select id, doc from users where tenant_id = $1 and id = any($2::uuid[]) order by id for update`;

/** One statement for the whole batch: each row's new document and the columns derived from it. */
const WRITE = `update users u set doc = x.doc, user_name = x.user_name, external_id = x.external_id, display_name = x.display_name,
    active = x.active, emails = array(select jsonb_array_elements_text(x.emails)), lifecycle = x.lifecycle, management = x.management,
    connection_id = x.connection_id, remote_id = x.remote_id, version = u.version + 1, updated_at = now()
  from jsonb_to_recordset($2::jsonb) as x(id uuid, doc jsonb, user_name text, external_id text, display_name text, active boolean,
    emails jsonb, lifecycle text, management text, connection_id uuid, remote_id text)
  where u.tenant_id = $1 and u.id = x.id
  returning u.id, u.version`;

/**
 * The batch form of `updateUser` for callers already in a transaction (a bulk invitation): the same
 * source-of-authority rules, the same derived columns, the same change event per user (type, redacted document,
 * version, changed attributes), in three statements for the batch instead of three per user. Rows
 * are locked first; ids not in the tenant are left out. Returns the ids actually changed.
 */
export async function updateUsers(ctx: DirectoryContext, ids: string[], next: (current: ResourceDoc) => ResourceDoc): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await query<{ id: string; doc: ResourceDoc | string }>(ctx.db, LOCK, [ctx.tenantId, `{${ids.join(',')}}`]);
  const settings = await (ctx.settings?.get(ctx.tenantId) ?? loadTenantSettings(ctx.db, ctx.tenantId));
  const changes: { id: string; before: ResourceDoc; after: ResourceDoc; changed: string[] }[] = [];
  for (const row of found) {
    const before = (typeof row.doc === 'string' ? JSON.parse(row.doc) : row.doc) as ResourceDoc;
    const decision = holdToAuthority(ctx.source, settings, before, next(before), false);
    await recordConflicts(ctx.db, { tenantId: ctx.tenantId, source: ctx.source, user: { id: row.id, doc: before }, conflicts: decision.conflicts });
    const changed = changedAttributes(before, decision.doc);
    if (changed.length > 0) changes.push({ id: row.id, before, after: decision.doc, changed });
  }
  if (changes.length === 0) return [];
  const records = changes.map(({ id, after }) => ({ id, doc: after, ...userRecordColumns(userColumns(after)) }));
  const written = await query<{ id: string; version: number }>(ctx.db, WRITE, [ctx.tenantId, JSON.stringify(records)]);
  const versionOf = new Map(written.map((w) => [w.id, Number(w.version)]));
  const events: ChangeEventInput[] = changes.map(({ id, before, after, changed }) => ({
    tenantId: ctx.tenantId,
    type: userEventType(before, after),
    resourceType: 'User',
    resourceId: id,
    source: ctx.source,
    payload: { resource: { id, ...redactForEvent(after) }, version: versionOf.get(id)!, changed },
  }));
  await appendEvents(ctx.db, events);
  return changes.map((c) => c.id);
}
