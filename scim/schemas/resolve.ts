import { commonAttributes } from './common.js';
import type { AttributeDef, ResourceTypeDef, SchemaDef } from './types.js';

/** An attribute path resolved against a resource type: canonical names, the owning schema and the definitions. */
export interface ResolvedPath {
  /** URN of the owning schema; '' for the common attributes id, externalId and meta. */
  schema: string;
  /** True when the attribute lives in an extension, i.e. under the extension's URN key in the document. */
  inExtension: boolean;
  attribute: AttributeDef;
  subAttribute?: AttributeDef;
}

const findAttr = (list: AttributeDef[] | undefined, name: string) =>
  list?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** Canonical dotted form: `name.givenName`, `urn:…:enterprise:2.0:User:manager.value`. */
export function pathToString(p: ResolvedPath): string {
  const base = p.inExtension ? `${p.schema}:${p.attribute.name}` : p.attribute.name;
  return p.subAttribute ? `${base}.${p.subAttribute.name}` : base;
}

/** Splits an optional schema URN prefix off a path (RFC 7644 §3.10); URNs contain dots, so match known URNs first. */
export function splitUrn(rt: ResourceTypeDef, raw: string): { schema?: SchemaDef; unknownUrn?: string; rest: string } {
  if (!/^urn:/i.test(raw)) return { rest: raw };
  const lower = raw.toLowerCase();
  for (const schema of [rt.schema, ...rt.extensions.map((e) => e.schema)]) {
    const id = schema.id.toLowerCase();
    if (lower === id) return { schema, rest: '' };
    if (lower.startsWith(`${id}:`)) return { schema, rest: raw.slice(id.length + 1) };
  }
  const cut = raw.lastIndexOf(':');
  return { unknownUrn: raw.slice(0, cut), rest: raw.slice(cut + 1) };
}

/**
 * Resolves `attr`, `attr.sub`, or a URN-qualified form, case-insensitively.
 * An unqualified name is looked up in the core schema, then the common attributes, then the extensions
 * (Microsoft's validator sends `Manager.Value` without the enterprise URN).
 * Returns null for anything unknown.
 */
export function resolvePath(rt: ResourceTypeDef, raw: string): ResolvedPath | null {
  const { schema, unknownUrn, rest } = splitUrn(rt, raw.trim());
  if (unknownUrn !== undefined || rest === '') return null;
  const [head, sub, ...extra] = rest.split('.');
  if (!head || extra.length > 0) return null;
  const candidates: { schema: SchemaDef | null; list: AttributeDef[] }[] = schema
    ? [{ schema, list: schema.attributes }]
    : [
        { schema: rt.schema, list: rt.schema.attributes },
        { schema: null, list: commonAttributes },
        ...rt.extensions.map((e) => ({ schema: e.schema, list: e.schema.attributes })),
      ];
  for (const c of candidates) {
    const attribute = findAttr(c.list, head);
    if (!attribute) continue;
    const resolved: ResolvedPath = {
      schema: c.schema?.id ?? '',
      inExtension: c.schema !== null && c.schema.id !== rt.schema.id,
      attribute,
    };
    if (sub === undefined) return resolved;
    const subAttribute = findAttr(attribute.subAttributes, sub);
    return subAttribute ? { ...resolved, subAttribute } : null;
  }
  return null;
}

/** Resolves a sub-attribute name relative to a complex attribute (inside a value filter `emails[type eq "work"]`). */
export function resolveSubPath(parent: ResolvedPath, raw: string): ResolvedPath | null {
  // Clients sometimes write the fully qualified name inside brackets; accept `emails.type` as well as `type`.
  const name = raw.includes('.') ? raw.slice(raw.lastIndexOf('.') + 1) : raw;
  const subAttribute = findAttr(parent.attribute.subAttributes, name);
  return subAttribute ? { ...parent, subAttribute } : null;
}

/** The definition that governs comparisons: the sub-attribute if any, else the attribute. */
export const leafOf = (p: ResolvedPath): AttributeDef => p.subAttribute ?? p.attribute;
