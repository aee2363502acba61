import { and, count, eq, sql } from 'drizzle-orm';
import { DomainError } from '../../../scim/errors.js';
import { commonAttributes } from '../../../scim/schemas/common.js';
import { enterpriseUserSchema } from '../../../scim/schemas/enterprise-user.js';
import { hrUserSchema } from '../../../scim/schemas/hr-user.js';
import type { TenantAttributeSpec } from '../../../scim/schemas/tenant-user.js';
import { URN } from '../../../scim/schemas/urns.js';
import { userSchema } from '../../../scim/schemas/user.js';
import { rows, type Executor } from '../../db/client.js';
import { tenantAttributes, users } from '../../db/schema.js';
import { uniquely } from '../db-errors.js';
import { loadTenantSettings } from '../tenant-settings.js';

/** Enough for the fields a company adds (cost code, badge, shift…); every one is in each user's discovery answer. */
export const MAX_TENANT_ATTRIBUTES = 100;

/**
 * Names a client could not tell apart from ours: an unqualified path resolves core first, then the
 * common attributes, then the extensions in order (scim/schemas/resolve.ts), so a tenant attribute
 * named like one of them would be unreachable without its URN, and confusing with it.
 */
const RESERVED = new Set(
  [...userSchema.attributes, ...commonAttributes, ...enterpriseUserSchema.attributes, ...hrUserSchema.attributes, { name: 'schemas' }].map((a) =>
    a.name.toLowerCase(),
  ),
);

export function declaredCollision(name: string): string | undefined {
  if (!RESERVED.has(name.toLowerCase())) return undefined;
  return `'${name}' is already an attribute of the core User, the enterprise extension or the HR extension; choose another name`;
}

export async function listTenantAttributes(db: Executor, tenantId: string): Promise<TenantAttributeSpec[]> {
  return (await loadTenantSettings(db, tenantId)).attributes;
}

/** Adds one attribute to the tenant's extension; 409 when the name (whatever its case) is taken. */
export async function declareTenantAttribute(db: Executor, tenantId: string, spec: TenantAttributeSpec): Promise<TenantAttributeSpec> {
  const collision = declaredCollision(spec.name);
  if (collision) throw new DomainError('invalid_value', collision);
  return db.transaction(async (tx) => {
    // The tenant row is the lock that keeps two declarations from both passing the limit.
    await tx.execute(sql`select id from tenants where id = ${tenantId} for update`);
    const [held] = await tx.select({ n: count() }).from(tenantAttributes).where(eq(tenantAttributes.tenantId, tenantId));
    if ((held?.n ?? 0) >= MAX_TENANT_ATTRIBUTES) {
      throw new DomainError('invalid_value', `A tenant declares at most ${MAX_TENANT_ATTRIBUTES} attributes`);
    }
    await uniquely(`Attribute ${spec.name}`, () => tx.insert(tenantAttributes).values({ tenantId, ...spec }));
    return spec;
  });
}

/**
 * Removes a declaration that nothing uses: values stored under it would turn into data no schema
 * describes (and no write could change), a rule naming it would hold nothing, and a connection's
 * attribute mapping filling it would fail every run; all three are 409.
 */
export async function removeTenantAttribute(db: Executor, tenantId: string, name: string): Promise<void> {
  const settings = await loadTenantSettings(db, tenantId);
  const found = settings.attributes.find((a) => a.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new DomainError('not_found', `No attribute ${name} in this tenant's extension`);
  const path = `${URN.tenantUser}:${found.name}`;
  if (settings.authority.rules.some((r) => r.path === path)) {
    throw new DomainError('conflict', `A source of authority rule names ${found.name}; clear it first`);
  }
  // A connection's mapping in force that fills it would fail every run: the mapping changes first.
  const [mapped] = await rows<{ connection_id: string }>(
    db,
    sql`select m.connection_id from connection_mappings m
      where m.tenant_id = ${tenantId} and m.version = (select max(x.version) from connection_mappings x where x.connection_id = m.connection_id)
        and exists (select 1 from jsonb_array_elements(m.mapping -> 'attributes') a where lower(a ->> 'attribute') = lower(${path}))
      limit 1`,
  );
  if (mapped) throw new DomainError('conflict', `The attribute mapping of connection ${mapped.connection_id} fills ${found.name}; change it first`);
  const [used] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), sql`${users.doc} -> ${URN.tenantUser} -> ${found.name} is not null`))
    .limit(1);
  if (used) throw new DomainError('conflict', `Users hold values of ${found.name}; remove them first`);
  await db.delete(tenantAttributes).where(and(eq(tenantAttributes.tenantId, tenantId), eq(tenantAttributes.name, found.name)));
}
