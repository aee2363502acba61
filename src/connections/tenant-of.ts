import { DomainError } from '../../scim/errors.js';
import { query, type Executor } from '../db/client.js';
import { isUuid } from '../db/ids.js';

/**
 * Connection, run and user ids are uuids unique across tenants, so an operator at the CLI can name
 * one without its tenant; these find the tenant to act in (the admin routes then check the id
 * against it like for any caller).
 */
const OWNERS = {
  connection: { sql: 'select t.slug from connections c join tenants t on t.id = c.tenant_id where c.id = $1', name: 'Connection' },
  run: { sql: 'select t.slug from sync_runs r join tenants t on t.id = r.tenant_id where r.id = $1', name: 'Sync run' },
  user: { sql: 'select t.slug from users u join tenants t on t.id = u.tenant_id where u.id = $1', name: 'User' },
  webhook: { sql: 'select t.slug from webhook_endpoints w join tenants t on t.id = w.tenant_id where w.id = $1', name: 'Webhook endpoint' },
} as const;

export async function tenantOf(db: Executor, kind: keyof typeof OWNERS, id: string): Promise<string> {
  const owner = OWNERS[kind];
  const [row] = isUuid(id) ? await query<{ slug: string }>(db, owner.sql, [id]) : [];
  if (!row) throw new DomainError('not_found', `${owner.name} ${id} not found`);
  return row.slug;
}
