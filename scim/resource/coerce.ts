import { err, ok, type Result } from '../errors.js';
import { enterpriseUserSchema } from '../schemas/enterprise-user.js';
import type { AttributeDef } from '../schemas/types.js';
import { isObject } from './json.js';

/** The one attribute whose wire forms vary most between clients; see coerceManager. */
export const managerDef = enterpriseUserSchema.attributes.find((a) => a.name === 'manager') as AttributeDef;

/** RFC 7643 §2.3.2 booleans; Microsoft's validator and Entra also send "True"/"False" strings. */
export function coerceBoolean(value: unknown, path: string): Result<boolean> {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return ok(true);
    if (lower === 'false') return ok(false);
  }
  return err('invalid_value', `'${path}' must be a boolean, got ${JSON.stringify(value)}.`);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function coerceScalar(def: AttributeDef, value: unknown, path: string): Result<unknown> {
  switch (def.type) {
    case 'boolean':
      return coerceBoolean(value, path);
    case 'integer':
    case 'decimal': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n) || (def.type === 'integer' && !Number.isInteger(n))) {
        return err('invalid_value', `'${path}' must be ${def.type === 'integer' ? 'an integer' : 'a number'}.`);
      }
      return ok(n);
    }
    case 'complex':
      return err('invalid_value', `'${path}' is complex and must be an object.`);
    case 'dateTime':
      // RFC 7643 §2.3.5: an xsd:dateTime, e.g. 2026-03-01T09:00:00Z.
      if (typeof value === 'string' && DATE_TIME.test(value.trim()) && !Number.isNaN(Date.parse(value.trim()))) return ok(value.trim());
      return err('invalid_value', `'${path}' must be a dateTime such as 2026-03-01T09:00:00Z, got ${JSON.stringify(value)}.`);
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof value === 'string') return ok(value);
      // Clients serialise ids and employee numbers as numbers; the schema says string.
      if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
      return err('invalid_value', `'${path}' must be a string, got ${Array.isArray(value) ? 'an array' : typeof value}.`);
    default: {
      const unreachable: never = def.type;
      return unreachable;
    }
  }
}

/**
 * The enterprise manager arrives as a bare id, `{ "value": id }` or Entra's `[{ "$ref": null, "value": id }]`.
 * Only `value` is stored ($ref and displayName are derived); "" or null means "no manager".
 */
export function coerceManager(value: unknown, path: string): Result<unknown> {
  if (value === null || value === undefined || value === '') return ok(undefined);
  if (Array.isArray(value)) {
    if (value.length === 0) return ok(undefined);
    if (value.length > 1) return err('invalid_value', `'${path}' holds one manager, got ${value.length}.`);
    return coerceManager(value[0], path);
  }
  if (isObject(value)) {
    const key = Object.keys(value).find((k) => k.toLowerCase() === 'value');
    return coerceManager(key === undefined ? undefined : value[key], `${path}.value`);
  }
  if (typeof value === 'string' || typeof value === 'number') return ok({ value: String(value) });
  return err('invalid_value', `'${path}' must be a manager id or { "value": id }.`);
}

/**
 * One value of `def` (one element when multi-valued). Returns ok(undefined) for "no value".
 * Unknown and readOnly sub-attributes are dropped (RFC 7643 §2.2: readOnly input is ignored), so is `$ref`,
 * which the server derives.
 */
export function coerceElement(def: AttributeDef, value: unknown, path: string): Result<unknown> {
  if (value === null || value === undefined) return ok(undefined);
  if (def === managerDef) return coerceManager(value, path);
  if (def.type !== 'complex') return coerceScalar(def, value, path);
  const subs = def.subAttributes ?? [];
  if (!isObject(value)) {
    // `"emails": ["a@x.com"]`, or Microsoft's `add members "some id"`: a bare value is the `value` sub-attribute.
    const valueSub = subs.find((s) => s.name === 'value');
    if (def.multiValued && valueSub && ['string', 'number', 'boolean'].includes(typeof value)) {
      return coerceElement(def, { value }, path);
    }
    return err('invalid_value', `'${path}' must be an object.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const sub = subs.find((s) => s.name.toLowerCase() === key.toLowerCase());
    if (!sub || sub.mutability === 'readOnly' || sub.name === '$ref') continue;
    const r = coerceElement(sub, raw, `${path}.${sub.name}`);
    if (!r.ok) return r;
    if (r.value !== undefined) out[sub.name] = r.value;
  }
  return ok(Object.keys(out).length > 0 ? out : undefined);
}

/** RFC 7643 §2.4: at most one element of a multi-valued attribute is primary. */
export function checkPrimary(list: unknown[], path: string): Result<void> {
  const primaries = list.filter((e) => isObject(e) && e.primary === true).length;
  return primaries > 1 ? err('invalid_value', `'${path}': at most one value may have primary true.`) : ok(undefined);
}

/** A whole attribute value: multi-valued attributes become arrays (a single object is wrapped). */
export function coerceAttribute(def: AttributeDef, value: unknown, path: string): Result<unknown> {
  if (value === null || value === undefined) return ok(undefined);
  if (!def.multiValued) return coerceElement(def, value, path);
  const items = Array.isArray(value) ? value : [value];
  const out: unknown[] = [];
  for (const [i, item] of items.entries()) {
    const r = coerceElement(def, item, `${path}[${i}]`);
    if (!r.ok) return r;
    if (r.value !== undefined) out.push(r.value);
  }
  if (out.length === 0) return ok(undefined);
  const p = checkPrimary(out, path);
  return p.ok ? ok(out) : p;
}
