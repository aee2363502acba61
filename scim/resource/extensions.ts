import { splitUrn } from '../schemas/resolve.js';
import type { ResourceTypeDef, SchemaDef } from '../schemas/types.js';

/** How a URN-qualified key or path (RFC 7644 §3.10) relates to the resource type. */
export type UrnKey =
  /** A schema of this resource type; `rest` is the attribute path after the URN ('' = the whole schema). */
  | { kind: 'known'; schema: SchemaDef; rest: string }
  /** An extension we do not define (Entra custom attributes); `attribute` absent = the whole extension object. */
  | { kind: 'unknown'; urn: string; attribute?: string }
  /** A core or message schema of another resource type: not extension data. */
  | { kind: 'foreign' };

const FOREIGN = /^urn:ietf:params:scim:(schemas:core|api):/i;

/**
 * Classifies `key`, which starts with `urn:`. Unknown URNs contain colons, so the whole key is an extension URN
 * when the body declares it in `schemas` or when it ends in the resource type's name (`…:2.0:User`);
 * otherwise its last segment is an attribute (Entra sends `urn:…:CustomExt:2.0:User:costCode` undeclared).
 */
export function classifyUrnKey(rt: ResourceTypeDef, key: string, declared: readonly string[] = []): UrnKey {
  const { schema, unknownUrn, rest } = splitUrn(rt, key);
  if (schema) return { kind: 'known', schema, rest };
  const lower = key.toLowerCase();
  const declaredAs = declared.find((d) => d.toLowerCase() === lower);
  const tail = (rest ?? '').toLowerCase();
  const whole = declaredAs !== undefined || tail === rt.id.toLowerCase() || tail === rt.schema.name.toLowerCase();
  const urn = whole ? (declaredAs ?? key) : (unknownUrn ?? key);
  if (FOREIGN.test(urn)) return { kind: 'foreign' };
  if (whole) return { kind: 'unknown', urn };
  const declaredUrn = declared.find((d) => d.toLowerCase() === urn.toLowerCase());
  return { kind: 'unknown', urn: declaredUrn ?? urn, attribute: rest };
}
