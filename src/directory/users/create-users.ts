import type { ResourceDoc } from '../../../scim/resource/document.js';
import { query } from '../../db/client.js';
import type { DirectoryContext } from '../context.js';
import { uniquely } from '../db-errors.js';
import { userColumns, userRecordColumns } from '../user-row.js';
import { redactSql } from '../../events/redact.js';

/**
 * The batch form of `createUser` for HR syncs that create thousands of people: the same derived
 * columns and the same `user.created` events, in one statement per batch instead of one per user.
 * Atomic: either every user of the batch is created with its event, or none is.
 */
const INSERT_MANY = `with input as (
  select * from jsonb_to_recordset($2::jsonb) as x(id uuid, user_name text, external_id text, display_name text, active boolean,
    emails jsonb, doc jsonb, lifecycle text, management text, connection_id uuid, remote_id text)
), u as (
  insert into users (id, tenant_id, user_name, external_id, display_name, active, emails, doc, lifecycle, management, connection_id, remote_id)
  select id, $1, user_name, external_id, display_name, active, array(select jsonb_array_elements_text(emails)), doc,
    lifecycle, management, connection_id, remote_id
  from input
  returning id, tenant_id, version, doc
), e as (
  insert into change_events (tenant_id, type, resource_type, resource_id, source, payload)
  select u.tenant_id, 'user.created', 'User', u.id, $3::jsonb, jsonb_build_object(
    'resource', jsonb_build_object('id', u.id) || ${redactSql('u.doc')},
    'changed', (select coalesce(jsonb_agg(k order by k), '[]'::jsonb) from jsonb_object_keys(u.doc) k where k <> 'schemas'),
    'version', u.version)
  from u
)
select count(*)::int as created from u`;

export async function createUsers(ctx: DirectoryContext, users: { id: string; doc: ResourceDoc }[]): Promise<number> {
  if (users.length === 0) return 0;
  const rows = users.map(({ id, doc }) => ({ id, doc, ...userRecordColumns(userColumns(doc)) }));
  const [result] = await uniquely('userName', () => query<{ created: number }>(ctx.db, INSERT_MANY, [ctx.tenantId, JSON.stringify(rows), JSON.stringify(ctx.source)]));
  return result!.created;
}
