import { resolvePath, splitUrn } from './schemas/resolve.js';
import type { AttributeDef, ResourceTypeDef } from './schemas/types.js';

/** `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9). */
export interface Projection {
  attributes?: string[];
  excludedAttributes?: string[];
}

/** A projection from the two parameters' lists, holding only those given. */
export function projectionFrom(attributes: string[] | undefined, excludedAttributes: string[] | undefined): Projection {
  const projection: Projection = {};
  if (attributes) projection.attributes = attributes;
  if (excludedAttributes) projection.excludedAttributes = excludedAttributes;
  return projection;
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

/** The key of `obj` that is `key` but for case: the exact spelling first (what a stored document has), then a scan. */
function lowerKeyOf(obj: Record<string, unknown>, key: string): string | undefined {
  if (Object.hasOwn(obj, key)) return key;
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return k;
  return undefined;
}

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
function withoutPath(obj: Record<string, unknown>, path: Selection, dropEmptied = false): Record<string, unknown> {
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
  else if (value && typeof value === 'object') {
    const inner = withoutPath(value as Record<string, unknown>, rest, dropEmptied);
    // An extension that held only a withheld attribute is left out, not shown empty.
    if (dropEmptied && inner !== value && Object.keys(inner).length === 0) delete out[key];
    else out[key] = inner;
  }
  return out;
}

/** `id` and `schemas` are `returned: always` and survive every projection. */
const ALWAYS = ['schemas', 'id'];

/** An attribute a representation leaves out unless asked for (RFC 7643 §7 `returned`): `never`, or `request`. */
interface Withheld {
  path: Selection;
  /** Canonical dotted name, as `requestedAttributes` reports it. */
  name: string;
  returned: 'never' | 'request';
}

const withheldByType = new WeakMap<ResourceTypeDef, Withheld[]>();

function withheld(rt: ResourceTypeDef): Withheld[] {
  const cached = withheldByType.get(rt);
  if (cached) return cached;
  const found: Withheld[] = [];
  const visit = (attrs: AttributeDef[], schema: string | undefined) => {
    for (const a of attrs) {
      const head = schema ? [schema, a.name] : [a.name];
      const name = schema ? `${schema}:${a.name}` : a.name;
      if (a.returned === 'never' || a.returned === 'request') {
        found.push({ path: head, name, returned: a.returned });
        continue;
      }
      for (const sub of a.subAttributes ?? []) {
        if (sub.returned === 'never' || sub.returned === 'request') {
          found.push({ path: [...head, sub.name], name: `${name}.${sub.name}`, returned: sub.returned });
        }
      }
    }
  };
  visit(rt.schema.attributes, undefined);
  for (const e of rt.extensions) visit(e.schema.attributes, e.schema.id);
  withheldByType.set(rt, found);
  return found;
}

/** The names of the attributes a representation may leave out (`returned: never` or `request`), sub-attributes by their own name. */
export const withheldNames = (rt: ResourceTypeDef): string[] => withheld(rt).map((w) => w.path[w.path.length - 1]!);

/**
 * `returned: request` attributes appear only when `attributes` names them or one of their
 * sub-attributes; naming the whole extension that holds them is not enough (RFC 7643 §7).
 */
function named(rt: ResourceTypeDef, projection: Projection, path: Selection): boolean {
  return (projection.attributes ?? []).some((n) => {
    const selected = select(rt, n);
    return selected !== undefined && selected.length >= path.length && path.every((p, i) => p === selected[i]);
  });
}

/** Canonical names of the `returned: request` attributes this projection shows, so the store loads (or opens) only those. */
export function requestedAttributes(rt: ResourceTypeDef, projection: Projection): string[] {
  if (!projection.attributes) return [];
  return withheld(rt).filter((w) => w.returned === 'request' && named(rt, projection, w.path)).map((w) => w.name);
}

function selected(rt: ResourceTypeDef, resource: Record<string, unknown>, projection: Projection): Record<string, unknown> {
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

/** What a projection leaves out, worked out once per projection: a list page projects every resource with the same one. */
const hiddenByProjection = new WeakMap<Projection, Map<ResourceTypeDef, Selection[]>>();

/** Without `attributes` nothing withheld is named: every such request shares one entry. */
const NOTHING_NAMED: Projection = {};

function hidden(rt: ResourceTypeDef, projection: Projection): Selection[] {
  const key = projection.attributes ? projection : NOTHING_NAMED;
  let byType = hiddenByProjection.get(key);
  if (!byType) hiddenByProjection.set(key, (byType = new Map()));
  let paths = byType.get(rt);
  if (!paths) {
    paths = withheld(rt).filter((w) => w.returned === 'never' || !named(rt, key, w.path)).map((w) => w.path);
    byType.set(rt, paths);
  }
  return paths;
}

export function project(rt: ResourceTypeDef, resource: Record<string, unknown>, projection: Projection): Record<string, unknown> {
  let out = selected(rt, resource, projection);
  for (const path of hidden(rt, projection)) out = withoutPath(out, path, true);
  return out;
}

/** Whether a top-level attribute appears in the result; lets the store skip loading e.g. 100,000 members. */
export function isRequested(rt: ResourceTypeDef, projection: Projection, attribute: string): boolean {
  const same = (name: string) => select(rt, name)?.[0]?.toLowerCase() === attribute.toLowerCase();
  if (projection.attributes) return projection.attributes.some(same);
  if (projection.excludedAttributes) return !projection.excludedAttributes.some((n) => same(n) && select(rt, n)!.length === 1);
  return true;
}
