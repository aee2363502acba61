import { attr } from './build.js';
import type { AttributeDef, AttributeType, ResourceTypeDef, SchemaDef } from './types.js';
import { URN } from './urns.js';

/** The attribute types a tenant may declare in its own extension (RFC 7643 §2.3, complex and binary aside). */
export const TENANT_ATTRIBUTE_TYPES = ['string', 'boolean', 'integer', 'decimal', 'dateTime', 'reference'] as const satisfies readonly AttributeType[];
export type TenantAttributeType = (typeof TENANT_ATTRIBUTE_TYPES)[number];

export interface TenantAttributeSpec {
  name: string;
  type: TenantAttributeType;
  multiValued: boolean;
  caseExact: boolean;
  description: string;
}

/**
 * A tenant's own User extension: one URN for every tenant (so an identity provider's app template
 * needs no per-tenant edit), whose attributes each tenant declares for itself. Every attribute is
 * readWrite and returned by default.
 */
export function tenantUserSchema(specs: TenantAttributeSpec[]): SchemaDef {
  return {
    id: URN.tenantUser,
    name: 'TenantUser',
    description: "This tenant's own User attributes.",
    attributes: specs.map(
      (s): AttributeDef => attr(s.name, s.type, { multiValued: s.multiValued, caseExact: s.caseExact, description: s.description }),
    ),
  };
}

/** A User resource type that also carries the tenant's extension; without attributes, the type as it is. */
export function withTenantExtension(base: ResourceTypeDef, specs: TenantAttributeSpec[]): ResourceTypeDef {
  if (specs.length === 0) return base;
  return { ...base, extensions: [...base.extensions, { schema: tenantUserSchema(specs), required: false }] };
}

/** Whether `urn` is the tenant extension's, which only a tenant's own declarations fill. */
export const isTenantUrn = (urn: string) => urn.toLowerCase() === URN.tenantUser.toLowerCase();
