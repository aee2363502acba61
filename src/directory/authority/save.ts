import { and, eq, inArray } from 'drizzle-orm';
import { DomainError } from '../../../scim/errors.js';
import { pathToString, resolvePath } from '../../../scim/schemas/resolve.js';
import type { ResourceTypeDef } from '../../../scim/schemas/types.js';
import type { Executor } from '../../db/client.js';
import { connections, tenantAuthority } from '../../db/schema.js';
import { loadTenantSettings } from '../tenant-settings.js';
import { connectionOf, parseOwner, type Authority, type Policy, type Rule, type Writer } from './rules.js';

/** Far more than the attributes a User has; a bound on what one tenant row holds. */
const MAX_RULES = 300;

/** An edit of the rules: path → owner, or null to open the path to every source; policies by writer. */
export interface AuthorityEdit {
  rules?: Record<string, string | null>;
  policies?: Partial<Record<Writer, Policy>>;
}

/** The canonical form of a rule's path, or a 400 naming what is wrong with it. */
export function canonicalRulePath(userType: ResourceTypeDef, raw: string): string {
  const resolved = resolvePath(userType, raw);
  if (!resolved) throw new DomainError('invalid_value', `rules: unknown attribute ${raw}`);
  const { attribute: a, subAttribute: sub } = resolved;
  const name = pathToString(resolved);
  if (a.mutability === 'readOnly' || a.mutability === 'writeOnly' || sub?.mutability === 'readOnly' || sub?.name === '$ref') {
    throw new DomainError('invalid_value', `rules: ${name} is not written by any source (read-only or write-only)`);
  }
  if (sub && a.multiValued) {
    const whole = resolved.inExtension ? `${resolved.schema}:${a.name}` : a.name;
    throw new DomainError('invalid_value', `rules: ${name} is part of the multi-valued ${whole}; name it whole`);
  }
  return name;
}

/** Validates a whole rule set against the tenant's User type and connections; returns it canonical and sorted. */
export async function validateRules(db: Executor, tenantId: string, userType: ResourceTypeDef, rules: Map<string, string>): Promise<Rule[]> {
  if (rules.size > MAX_RULES) throw new DomainError('invalid_value', `rules: at most ${MAX_RULES}`);
  const out = new Map<string, Rule>();
  for (const [rawPath, rawOwner] of rules) {
    const path = canonicalRulePath(userType, rawPath);
    const owner = parseOwner(rawOwner);
    if (!owner) throw new DomainError('invalid_value', `rules.${rawPath}: owner must be hr, scim, manual or connection:<id>, got ${JSON.stringify(rawOwner)}`);
    if (out.has(path)) throw new DomainError('invalid_value', `rules: ${path} is named twice`);
    out.set(path, { path, owner });
  }
  const paths = [...out.keys()];
  for (const p of paths) {
    const inside = paths.find((q) => q !== p && q.toLowerCase().startsWith(`${p.toLowerCase()}.`));
    if (inside) throw new DomainError('invalid_value', `rules: ${inside} is part of ${p}; give a rule to one of them`);
  }
  const named = [...new Set([...out.values()].map((r) => connectionOf(r.owner)).filter((id): id is string => id !== undefined))];
  if (named.length > 0) {
    const found = await db
      .select({ id: connections.id })
      .from(connections)
      .where(and(eq(connections.tenantId, tenantId), inArray(connections.id, named)));
    const missing = named.find((id) => !found.some((f) => f.id === id));
    if (missing) throw new DomainError('invalid_value', `rules: connection ${missing} is not an HR connection of this tenant`);
  }
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** Applies an edit to the tenant's current rules and policies, validated as a whole, and saves the result. */
export async function saveAuthority(db: Executor, tenantId: string, edit: AuthorityEdit): Promise<Authority> {
  const settings = await loadTenantSettings(db, tenantId);
  const rules = new Map(settings.authority.rules.map((r) => [r.path, r.owner as string]));
  for (const [rawPath, owner] of Object.entries(edit.rules ?? {})) {
    // An edit names paths as the client likes (case, with or without the URN); the saved set is canonical.
    const resolved = resolvePath(settings.userType, rawPath);
    const key = resolved ? pathToString(resolved) : rawPath;
    const existing = [...rules.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
    if (existing) rules.delete(existing);
    if (owner !== null) rules.set(key, owner);
  }
  const authority: Authority = {
    rules: await validateRules(db, tenantId, settings.userType, rules),
    policies: { ...settings.authority.policies, ...edit.policies },
  };
  await db
    .insert(tenantAuthority)
    .values({ tenantId, rules: authority.rules, policies: authority.policies })
    .onConflictDoUpdate({ target: tenantAuthority.tenantId, set: { rules: authority.rules, policies: authority.policies, updatedAt: new Date() } });
  return authority;
}

/** Back to the defaults: HR owns what it fills in, SCIM writes to it are ignored. */
export async function resetAuthority(db: Executor, tenantId: string): Promise<void> {
  await db.delete(tenantAuthority).where(eq(tenantAuthority.tenantId, tenantId));
}
