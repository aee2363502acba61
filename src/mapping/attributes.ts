import { enterpriseUserSchema } from '../../scim/schemas/enterprise-user.js';
import type { TenantAttributeSpec } from '../../scim/schemas/tenant-user.js';
import type { AttributeDef, AttributeType } from '../../scim/schemas/types.js';
import { URN } from '../../scim/schemas/urns.js';
import { userSchema } from '../../scim/schemas/user.js';

/** A directory attribute a mapping may fill: its full path and what a value must be. */
export interface MappableAttribute {
  /** As written in a mapping and in authority rules: `title`, `name.givenName`, `urn:…:User:costCenter`. */
  path: string;
  /** Where it sits in the user document: `['name', 'givenName']`, `[URN, 'costCenter']`. */
  docPath: string[];
  type: Exclude<AttributeType, 'complex' | 'binary'>;
  multiValued: boolean;
}

/**
 * Attributes the sync fills itself, because the directory's identity and the HR lifecycle depend on
 * them: `userName` and `emails` (the work email: linking and sign-in), `active` (the lifecycle),
 * the enterprise `manager` (the manager's directory id), and the HR extension (read-only). A mapping
 * that names one is refused.
 */
export const FIXED_ATTRIBUTES = ['userName', 'emails', 'active', `${URN.enterpriseUser}:manager`, URN.hrUser] as const;

function simpleOf(attrs: AttributeDef[], urn: string | null): MappableAttribute[] {
  const out: MappableAttribute[] = [];
  for (const a of attrs) {
    if (a.mutability === 'readOnly' || a.mutability === 'writeOnly' || a.type === 'binary') continue;
    const prefix = urn ? `${urn}:` : '';
    const base = urn ? [urn] : [];
    if (a.type === 'complex') {
      // Sub-attributes of single-valued complex ones (`name.givenName`); multi-valued complex ones
      // (phone numbers, addresses) have no single value to map.
      if (a.multiValued) continue;
      for (const s of a.subAttributes ?? []) {
        if (s.mutability === 'readOnly' || s.mutability === 'writeOnly' || s.type === 'complex' || s.type === 'binary') continue;
        out.push({ path: `${prefix}${a.name}.${s.name}`, docPath: [...base, a.name, s.name], type: s.type, multiValued: s.multiValued });
      }
      continue;
    }
    out.push({ path: `${prefix}${a.name}`, docPath: [...base, a.name], type: a.type, multiValued: a.multiValued });
  }
  return out;
}

const fixed = (path: string) => FIXED_ATTRIBUTES.some((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}:`));

const CORE_AND_ENTERPRISE: MappableAttribute[] = [...simpleOf(userSchema.attributes, null), ...simpleOf(enterpriseUserSchema.attributes, URN.enterpriseUser)].filter(
  (a) => !fixed(a.path) && a.path !== 'password' && a.path !== 'externalId',
);

/** Every attribute a mapping may name in this tenant: core, enterprise, and the tenant's own extension. */
export function mappableAttributes(tenantAttributes: TenantAttributeSpec[]): Map<string, MappableAttribute> {
  const all = [
    ...CORE_AND_ENTERPRISE,
    ...tenantAttributes.map((s): MappableAttribute => ({ path: `${URN.tenantUser}:${s.name}`, docPath: [URN.tenantUser, s.name], type: s.type, multiValued: s.multiValued })),
  ];
  // Paths compare case-insensitively, as SCIM attribute names do (RFC 7643 §2.1).
  return new Map(all.map((a) => [a.path.toLowerCase(), a]));
}

/** `fixed` for the error message: why a path is not in the catalogue. */
export const isFixedAttribute = fixed;
