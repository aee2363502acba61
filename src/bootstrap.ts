import type { Executor } from './db/client.js';
import { createScimToken } from './auth/scim-tokens.js';
import { countTenants, createTenant } from './tenants/tenants.js';

/**
 * First start on an empty store: a `default` tenant and one SCIM token, whose secret is shown
 * this once. Returns undefined when the store already has tenants.
 */
export async function bootstrapEmptyStore(db: Executor): Promise<{ tenant: string; secret: string } | undefined> {
  if ((await countTenants(db)) > 0) return undefined;
  const tenant = await createTenant(db, 'default', 'Default tenant');
  const token = await createScimToken(db, tenant.id, { name: 'first start' });
  return { tenant: tenant.slug, secret: token.secret };
}
