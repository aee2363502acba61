import type { ResolvedPath } from '../schemas/resolve.js';
import type { AttributeDef } from '../schemas/types.js';
import type { CompareOp, FilterNode } from './ast.js';
import { parseBoolean } from './values.js';

type Obj = Record<string, unknown>;
type Scalar = string | number | boolean | null;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Attribute names and URNs are case-insensitive (RFC 7643 §2.1); canonical documents match exactly first. */
function get(obj: unknown, key: string): unknown {
  if (!isObj(obj)) return undefined;
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  const found = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : obj[found];
}

/** RFC 7644 §3.4.2.2 `pr`: present and non-empty. */
function present(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObj(v)) return Object.keys(v).length > 0;
  return true;
}

function instant(v: unknown): number | null {
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

function compareScalar(def: AttributeDef, actual: unknown, op: CompareOp, expected: Scalar): boolean {
  if (actual === undefined || actual === null || expected === null) return false;
  const order = (a: number | string, b: number | string): boolean => {
    switch (op) {
      case 'eq':
        return a === b;
      case 'ne':
        return a !== b;
      case 'gt':
        return a > b;
      case 'ge':
        return a >= b;
      case 'lt':
        return a < b;
      case 'le':
        return a <= b;
      default:
        return false;
    }
  };
  switch (def.type) {
    case 'boolean': {
      const a = parseBoolean(actual);
      const b = parseBoolean(expected);
      return a !== null && b !== null && (op === 'eq' ? a === b : op === 'ne' ? a !== b : false);
    }
    case 'dateTime': {
      const a = instant(actual);
      const b = instant(expected);
      // The store compares at millisecond precision; so do we.
      return a !== null && b !== null && order(a, b);
    }
    case 'integer':
    case 'decimal': {
      const a = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : Number.NaN;
      const b = Number(expected);
      return !Number.isNaN(a) && !Number.isNaN(b) && order(a, b);
    }
    case 'complex':
      return false;
    default: {
      if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
      const fold = (s: string) => (def.caseExact ? s : s.toLowerCase());
      const a = fold(String(actual));
      const b = fold(String(expected));
      if (op === 'co') return a.includes(b);
      if (op === 'sw') return a.startsWith(b);
      if (op === 'ew') return a.endsWith(b);
      return order(a, b);
    }
  }
}

/** Values a path reaches in a container; multi-valued attributes contribute each element. */
function valuesAt(container: unknown, path: ResolvedPath, inElement: boolean): unknown[] {
  const flat = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  if (inElement) return path.subAttribute ? flat(get(container, path.subAttribute.name)) : flat(container);
  const base = path.inExtension ? get(container, path.schema) : container;
  const attr = get(base, path.attribute.name);
  if (!path.subAttribute) return flat(attr);
  return flat(attr).flatMap((el) => flat(get(el, path.subAttribute!.name)));
}

function evaluate(node: FilterNode, container: unknown, inElement: boolean): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => evaluate(c, container, inElement));
    case 'or':
      return node.children.some((c) => evaluate(c, container, inElement));
    case 'not':
      return !evaluate(node.child, container, inElement);
    case 'present':
      return valuesAt(container, node.path, inElement).some(present);
    case 'valuePath': {
      if (inElement) return false;
      const base = node.path.inExtension ? get(container, node.path.schema) : container;
      const list = get(base, node.path.attribute.name);
      return (Array.isArray(list) ? list : isObj(list) ? [list] : []).some((el) => evaluate(node.filter, el, true));
    }
    case 'compare': {
      const values = valuesAt(container, node.path, inElement);
      const def = node.path.subAttribute ?? node.path.attribute;
      if (node.value === null) {
        const has = values.some(present);
        return node.op === 'eq' ? !has : node.op === 'ne' ? has : false;
      }
      // `ne` holds when the value is absent or different: no value equals it.
      if (node.op === 'ne') return !values.some((v) => compareScalar(def, v, 'eq', node.value));
      return values.some((v) => compareScalar(def, v, node.op, node.value));
    }
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

/** Evaluates a value filter (paths are sub-attributes) against one element of a multi-valued attribute. */
export function matchesElement(node: FilterNode, element: Record<string, unknown>): boolean {
  return evaluate(node, element, true);
}

/**
 * Evaluates a filter against a canonical document: core attributes top-level, extension attributes
 * under their URN key, `id` and `meta` (and derived `groups`/`members`) as extra top-level fields.
 */
export function matchesResource(node: FilterNode, doc: Record<string, unknown>): boolean {
  return evaluate(node, doc, false);
}
