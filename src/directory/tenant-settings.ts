import { asc, eq } from 'drizzle-orm';
import { groupResourceType, userResourceType } from '../../scim/schemas/resource-types.js';
import { withTenantExtension, type TenantAttributeSpec, type TenantAttributeType } from '../../scim/schemas/tenant-user.js';
import type { ResourceTypeDef } from '../../scim/schemas/types.js';
import type { Executor } from '../db/client.js';
import { tenantAttributes, tenantAuthority } from '../db/schema.js';
import { DEFAULT_AUTHORITY, type Authority, type Owner, type Policy, type Writer } from './authority/rules.js';

/** What a tenant has configured about its users' documents: its own extension and who owns which field. */
export interface TenantSettings {
  attributes: TenantAttributeSpec[];
  /** The User resource type with the tenant's extension; the server's own when it declares none. */
  userType: ResourceTypeDef;
  authority: Authority;
  /** Whether `authority` is the default (no rules saved). */
  defaultAuthority: boolean;
}

export async function loadTenantSettings(db: Executor, tenantId: string): Promise<TenantSettings> {
  const [attributes, [saved]] = await Promise.all([
    db.select().from(tenantAttributes).where(eq(tenantAttributes.tenantId, tenantId)).orderBy(asc(tenantAttributes.createdAt), asc(tenantAttributes.name)),
    db.select().from(tenantAuthority).where(eq(tenantAuthority.tenantId, tenantId)),
  ]);
  const specs = attributes.map((a) => ({
    name: a.name,
    type: a.type as TenantAttributeType,
    multiValued: a.multiValued,
    caseExact: a.caseExact,
    description: a.description,
  }));
  const authority: Authority = saved
    ? {
        rules: saved.rules.map((r) => ({ path: r.path, owner: r.owner as Owner })),
        policies: { ...DEFAULT_AUTHORITY.policies, ...(saved.policies as Partial<Record<Writer, Policy>>) },
      }
    : DEFAULT_AUTHORITY;
  return { attributes: specs, userType: withTenantExtension(userResourceType, specs), authority, defaultAuthority: !saved };
}

export interface TenantSettingsCache {
  get(tenantId: string): Promise<TenantSettings>;
  /** The tenant's resource types as its SCIM clients see them. */
  resourceTypes(tenantId: string): Promise<ResourceTypeDef[]>;
  /** Drop what this process holds for a tenant, after it saved new settings. */
  forget(tenantId: string): void;
}

/**
 * Settings are read on every SCIM request (discovery, validation) and every user write, and change
 * rarely: each process keeps them for `ttlMs`. A save drops them at once in the process that made
 * it; other replicas see it within `ttlMs`.
 */
export function createTenantSettingsCache(db: Executor, ttlMs = 5_000): TenantSettingsCache {
  const held = new Map<string, { at: number; settings: Promise<TenantSettings> }>();
  const get = (tenantId: string) => {
    const now = Date.now();
    const hit = held.get(tenantId);
    if (hit && now - hit.at < ttlMs) return hit.settings;
    const settings = loadTenantSettings(db, tenantId);
    held.set(tenantId, { at: now, settings });
    // A failed read is not kept: the next call tries again.
    settings.catch(() => held.get(tenantId)?.settings === settings && held.delete(tenantId));
    return settings;
  };
  return {
    get,
    resourceTypes: async (tenantId) => [(await get(tenantId)).userType, groupResourceType],
    forget: (tenantId) => void held.delete(tenantId),
  };
}
