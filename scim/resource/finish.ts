import { err, ok, type Result } from '../errors.js';
import { commonAttributes } from '../schemas/common.js';
import type { AttributeDef, ResourceTypeDef } from '../schemas/types.js';
import { checkPrimary, coerceManager, managerDef } from './coerce.js';
import type { ResourceDoc } from './document.js';
import { isObject, prune } from './json.js';

/** Attributes that never live in the document: server-owned, write-only, or Group membership (its own table). */
const storedElsewhere = (rt: ResourceTypeDef, a: AttributeDef) =>
  a.mutability === 'readOnly' || a.mutability === 'writeOnly' || (rt.id === 'Group' && a.name === 'members');

function place(rt: ResourceTypeDef, attrs: AttributeDef[], source: Record<string, unknown>, target: Record<string, unknown>, prefix: string): Result<void> {
  for (const a of attrs) {
    if (storedElsewhere(rt, a)) continue;
    let v = prune(source[a.name]);
    if (a === managerDef) {
      const m = coerceManager(v, `${prefix}${a.name}`);
      if (!m.ok) return m;
      v = m.value;
    }
    if (v === undefined) continue;
    if (a.multiValued && Array.isArray(v)) {
      const p = checkPrimary(v, `${prefix}${a.name}`);
      if (!p.ok) return p;
    }
    target[a.name] = v;
  }
  return ok(undefined);
}

/**
 * Brings a draft (canonical names, coerced values) into the stored form described in document.ts:
 * schema attribute order, no empty values, `schemas` listing exactly the URNs that hold data, and
 * required attributes present (RFC 7643 §2.2; User userName, Group displayName).
 */
export function finishDoc(rt: ResourceTypeDef, draft: Record<string, unknown>): Result<ResourceDoc> {
  const doc: ResourceDoc = { schemas: [rt.schema.id] };
  for (const attrs of [commonAttributes, rt.schema.attributes]) {
    const r = place(rt, attrs, draft, doc, '');
    if (!r.ok) return r;
  }
  const known = new Set([rt.schema.id.toLowerCase()]);
  for (const { schema } of rt.extensions) {
    known.add(schema.id.toLowerCase());
    const source = draft[schema.id];
    if (!isObject(source)) continue;
    const obj: Record<string, unknown> = {};
    const r = place(rt, schema.attributes, source, obj, `${schema.id}:`);
    if (!r.ok) return r;
    if (Object.keys(obj).length === 0) continue;
    doc[schema.id] = obj;
    doc.schemas.push(schema.id);
  }
  // Unknown extensions (Entra custom attributes) are kept as sent; only absent values are dropped.
  for (const [key, value] of Object.entries(draft)) {
    if (!/^urn:/i.test(key) || known.has(key.toLowerCase()) || !isObject(value)) continue;
    const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
    if (Object.keys(kept).length === 0) continue;
    doc[key] = kept;
    doc.schemas.push(key);
  }
  for (const a of rt.schema.attributes) {
    if (!a.required) continue;
    const v = doc[a.name];
    if (typeof v !== 'string' || v.trim() === '') return err('invalid_value', `'${a.name}' is required and must be a non-empty string.`);
  }
  return ok(doc);
}
