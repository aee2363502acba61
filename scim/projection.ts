import { resolvePath, splitUrn } from './schemas/resolve.js';
import type { ResourceTypeDef } from './schemas/types.js';

/** `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9). */
export interface Projection {
  attributes?: string[];
  excludedAttributes?: string[];
}

/** Splits a comma-separated list; a bracket filter (`emails[type eq "work"]`, sent by Microsoft's validator) selects its attribute. */
export function parseAttributeList(raw: string | undefined | null): string[] | undefined {
  if (raw === undefined || raw === null || raw.trim() === '') return undefined;
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of raw) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else current += ch;
  }
  names.push(current);
  return names.map((n) => n.replace(/\[[^\]]*\]/g, '').trim()).filter(Boolean);
}

/** A selected path: the key in the representation (attribute name or extension URN), then optional nested names. */
type Selection = string[];

function select(rt: ResourceTypeDef, name: string): Selection | undefined {
  const { schema, rest } = splitUrn(rt, name);
  if (schema && rest === '') return schema.id === rt.schema.id ? undefined : [schema.id];
  const path = resolvePath(rt, name);
  if (!path) return undefined;
  const head = path.inExtension ? [path.schema, path.attribute.name] : [path.attribute.name];
  return path.subAttribute ? [...head, path.subAttribute.name] : head;
}

const lowerKeyOf = (obj: Record<string, unknown>, key: string) => Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());

function copyPath(from: Record<string, unknown>, to: Record<string, unknown>, path: Selection): void {
  const [head, ...rest] = path;
  const key = lowerKeyOf(from, head!);
  if (key === undefined) return;
  const value = from[key];
  if (rest.length === 0 || value === null || typeof value !== 'object') {
    to[key] = value;
    return;
  }
  if (Array.isArray(value)) {
    const existing = (Array.isArray(to[key]) ? to[key] : value.map(() => ({}))) as Record<string, unknown>[];
    value.forEach((el, i) => {
      if (el && typeof el === 'object') copyPath(el as Record<string, unknown>, existing[i]!, rest);
    });
    to[key] = existing;
    return;
  }
  const target = (to[key] && typeof to[key] === 'object' ? to[key] : {}) as Record<string, unknown>;
  copyPath(value as Record<string, unknown>, target, rest);
  to[key] = target;
}

/**
 * The object without the selected path, copying only the objects and arrays along that path (the
 * rest is shared, never mutated): a deep clone of every resource cost more than the projection.
 */
function withoutPath(obj: Record<string, unknown>, path: Selection): Record<string, unknown> {
  const [head, ...rest] = path;
  const key = lowerKeyOf(obj, head!);
  if (key === undefined) return obj;
  const out = { ...obj };
  if (rest.length === 0) {
    delete out[key];
    return out;
  }
  const value = obj[key];
  if (Array.isArray(value)) out[key] = value.map((el) => (el && typeof el === 'object' ? withoutPath(el as Record<string, unknown>, rest) : el));
  else if (value && typeof value === 'object') out[key] = withoutPath(value as Record<string, unknown>, rest);
  return out;
}

/** `id` and `schemas` are `returned: always` and survive every projection. */
const ALWAYS = ['schemas', 'id'];

export function project(rt: ResourceTypeDef, resource: Record<string, unknown>, projection: Projection): Record<string, unknown> {
  if (projection.attributes) {
    const out: Record<string, unknown> = {};
    for (const key of ALWAYS) if (key in resource) out[key] = resource[key];
    for (const name of projection.attributes) {
      const path = select(rt, name);
      if (path) copyPath(resource, out, path);
    }
    return out;
  }
  if (projection.excludedAttributes) {
    let out = resource;
    for (const name of projection.excludedAttributes) {
      const path = select(rt, name);
      if (path && !(path.length === 1 && ALWAYS.includes(path[0]!))) out = withoutPath(out, path);
    }
    return out;
  }
  return resource;
}

/** Whether a top-level attribute appears in the result; lets the store skip loading e.g. 100,000 members. */
export function isRequested(rt: ResourceTypeDef, projection: Projection, attribute: string): boolean {
  const same = (name: string) => select(rt, name)?.[0]?.toLowerCase() === attribute.toLowerCase();
  if (projection.attributes) return projection.attributes.some(same);
  if (projection.excludedAttributes) return !projection.excludedAttributes.some((n) => same(n) && select(rt, n)!.length === 1);
  return true;
}
