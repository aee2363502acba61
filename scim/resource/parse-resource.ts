import { err, ok, type Result } from '../errors.js';
import { resolvePath, type ResolvedPath } from '../schemas/resolve.js';
import { isTenantUrn } from '../schemas/tenant-user.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import { coerceAttribute, coerceElement } from './coerce.js';
import type { ParsedResource } from './document.js';
import { classifyUrnKey } from './extensions.js';
import { finishDoc } from './finish.js';
import { findKey, isObject } from './json.js';
import { parseMembers } from './members.js';

type Extras = Omit<ParsedResource, 'doc'>;

/** The object that holds `path`'s attribute in a draft: the top level, or the extension's URN key. */
export function holderOf(draft: Record<string, unknown>, path: ResolvedPath): Record<string, unknown> {
  if (!path.inExtension) return draft;
  const existing = draft[path.schema];
  if (isObject(existing)) return existing;
  const created: Record<string, unknown> = {};
  draft[path.schema] = created;
  return created;
}

function readPath(rt: ResourceTypeDef, path: ResolvedPath, value: unknown, draft: Record<string, unknown>, extras: Extras): Result<void> {
  const { attribute: a, subAttribute: sub } = path;
  // RFC 7643 §2.2: readOnly values in a request are ignored (id, meta, groups, manager.displayName).
  if (a.mutability === 'readOnly' || sub?.mutability === 'readOnly' || sub?.name === '$ref') return ok(undefined);
  const label = path.inExtension ? `${path.schema}:${a.name}` : a.name;
  if (a.name === 'password' && a.mutability === 'writeOnly') {
    if (value === null || value === undefined || value === '') return ok(undefined);
    const r = coerceElement(a, value, label);
    if (!r.ok) return r;
    extras.password = r.value as string;
    return ok(undefined);
  }
  if (rt.id === 'Group' && a.name === 'members') {
    const r = parseMembers(value);
    if (!r.ok) return r;
    extras.members = r.value;
    return ok(undefined);
  }
  const holder = holderOf(draft, path);
  if (sub) {
    if (a.multiValued) return ok(undefined);
    const r = coerceElement(sub, value, `${label}.${sub.name}`);
    if (!r.ok) return r;
    const parent = isObject(holder[a.name]) ? (holder[a.name] as Record<string, unknown>) : {};
    parent[sub.name] = r.value;
    holder[a.name] = parent;
    return ok(undefined);
  }
  const r = coerceAttribute(a, value, label);
  if (!r.ok) return r;
  holder[a.name] = r.value;
  return ok(undefined);
}

function readUrnKey(rt: ResourceTypeDef, key: string, value: unknown, declared: string[], draft: Record<string, unknown>, extras: Extras): Result<void> {
  const c = classifyUrnKey(rt, key, declared);
  if (c.kind === 'foreign' || value === null || value === undefined) return ok(undefined);
  // The tenant extension holds what the tenant declared and nothing else: an undeclared name is a mistake to report, not data to keep.
  if (c.kind === 'unknown' && isTenantUrn(c.urn)) return err('invalid_value', `'${key}': this tenant declares no such attribute in its extension.`);
  if (c.kind === 'known' && c.rest !== '') {
    const path = resolvePath(rt, key);
    if (!path && isTenantUrn(c.schema.id)) return err('invalid_value', `'${key}': this tenant declares no such attribute in its extension.`);
    return path ? readPath(rt, path, value, draft, extras) : ok(undefined);
  }
  const urn = c.kind === 'known' ? c.schema.id : c.urn;
  if (c.kind === 'unknown' && c.attribute !== undefined) {
    const holderKey = findKey(draft, urn) ?? urn;
    const holder = isObject(draft[holderKey]) ? (draft[holderKey] as Record<string, unknown>) : {};
    holder[c.attribute] = value;
    draft[holderKey] = holder;
    return ok(undefined);
  }
  if (!isObject(value)) return err('invalid_value', `'${urn}' must be an object of extension attributes.`);
  for (const [k, v] of Object.entries(value)) {
    const r = readUrnKey(rt, `${urn}:${k}`, v, declared, draft, extras);
    if (!r.ok) return r;
  }
  return ok(undefined);
}

/**
 * Parses a POST (create) or PUT (replace) body into the stored document (RFC 7644 §3.3, §3.5.1).
 * Both modes take a full representation, so both require the same attributes; unknown core attributes are
 * ignored (Microsoft's validator PUTs a misspelled `adreses` and expects 200).
 */
export function parseResource(rt: ResourceTypeDef, body: unknown, _mode: 'create' | 'replace'): Result<ParsedResource> {
  if (!isObject(body)) return err('invalid_syntax', 'The request body must be a JSON object.');
  const schemasKey = findKey(body, 'schemas');
  const schemas = schemasKey === undefined ? undefined : body[schemasKey];
  if (!Array.isArray(schemas) || !schemas.every((s): s is string => typeof s === 'string')) {
    return err('invalid_syntax', `'schemas' must be an array of schema URNs including '${rt.schema.id}'.`);
  }
  if (!schemas.some((s) => s.toLowerCase() === rt.schema.id.toLowerCase())) {
    return err('invalid_syntax', `'schemas' must include '${rt.schema.id}'.`);
  }
  const draft: Record<string, unknown> = {};
  const extras: Extras = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === schemasKey) continue;
    if (/^urn:/i.test(key)) {
      const r = readUrnKey(rt, key, value, schemas, draft, extras);
      if (!r.ok) return r;
      continue;
    }
    const path = resolvePath(rt, key);
    // Unqualified names only reach core and common attributes here; extension data needs its URN in a body.
    if (!path || path.inExtension) continue;
    const r = readPath(rt, path, value, draft, extras);
    if (!r.ok) return r;
  }
  const doc = finishDoc(rt, draft);
  if (!doc.ok) return doc;
  return ok({ doc: doc.value, ...extras });
}
