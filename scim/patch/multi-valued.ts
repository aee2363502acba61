import { err, ok, type Result } from '../errors.js';
import type { FilterNode } from '../filter/ast.js';
import { matchesElement } from '../filter/match.js';
import { coerceElement } from '../resource/coerce.js';
import { deepEqual, isObject } from '../resource/json.js';
import type { AttributeDef } from '../schemas/types.js';
import type { PatchOp } from './types.js';

type Element = Record<string, unknown>;

/**
 * The element a filter describes, from its `eq` comparisons joined by `and` (`type eq "work"` → `{type: "work"}`).
 * Entra relies on replace/add through a filter that matches nothing creating that element.
 */
export function seedOf(node: FilterNode): Element | null {
  if (node.kind === 'compare' && node.op === 'eq' && node.path.subAttribute && node.value !== null) {
    const sub = node.path.subAttribute;
    const v = coerceElement(sub, node.value, sub.name);
    return v.ok && v.value !== undefined ? { [sub.name]: v.value } : null;
  }
  if (node.kind !== 'and') return null;
  const seed: Element = {};
  for (const child of node.children) {
    const part = seedOf(child);
    if (!part) return null;
    Object.assign(seed, part);
  }
  return seed;
}

/** Whether `element` holds every sub-attribute of `wanted`, comparing strings as the schema says (caseExact). */
function contains(def: AttributeDef, element: unknown, wanted: unknown): boolean {
  if (!isObject(element) || !isObject(wanted)) return deepEqual(element, wanted);
  return Object.entries(wanted).every(([k, v]) => {
    const sub = def.subAttributes?.find((s) => s.name === k);
    const have = element[k];
    if (sub && !sub.caseExact && typeof v === 'string' && typeof have === 'string') return v.toLowerCase() === have.toLowerCase();
    return deepEqual(have, v);
  });
}

/** RFC 7644 §3.5.2: setting primary on one value clears it on the others. */
function keepOnePrimary(list: Element[], touched: Element[]): void {
  if (!touched.some((e) => e.primary === true)) return;
  for (const e of list) if (!touched.includes(e) && e.primary === true) e.primary = false;
}

/** Applies one operation to a multi-valued attribute held by `holder`, in place. */
export function applyMultiValued(
  holder: Record<string, unknown>,
  def: AttributeDef,
  op: PatchOp,
  filter: FilterNode | undefined,
  sub: AttributeDef | undefined,
  value: unknown,
  label: string,
): Result<void> {
  const current = holder[def.name];
  let list: Element[] = Array.isArray(current) ? current.filter(isObject) : [];
  let touched: Element[] = [];
  const clear = op === 'remove' || value === undefined;
  if (filter) {
    const matched = list.filter((e) => matchesElement(filter, e));
    if (clear) {
      if (sub) for (const e of matched) delete e[sub.name];
      else list = list.filter((e) => !matched.includes(e));
    } else {
      if (matched.length === 0) {
        const seed = seedOf(filter);
        if (!seed) return err('no_target', `No value matches '${label}', and its filter does not describe one to create.`);
        list.push(seed);
        matched.push(seed);
      }
      for (const e of matched) {
        if (sub) e[sub.name] = value;
        else if (op === 'add') Object.assign(e, value);
        else {
          // Replacing a selected value keeps what selected it, so later ops on the same filter find it again.
          const replacement = { ...(seedOf(filter) ?? {}), ...(value as Element) };
          for (const k of Object.keys(e)) delete e[k];
          Object.assign(e, replacement);
        }
      }
      touched = matched;
    }
  } else if (sub) {
    if (clear) for (const e of list) delete e[sub.name];
    else {
      if (list.length === 0) list.push({});
      for (const e of list) e[sub.name] = value;
      touched = list;
    }
  } else if (op === 'remove') {
    // RFC 7644 §3.5.2.2 with a value (the legacy form): remove exactly the listed values, never the rest.
    list = Array.isArray(value) ? list.filter((e) => !value.some((v) => contains(def, e, v))) : [];
  } else if (op === 'replace') {
    list = Array.isArray(value) ? (value as Element[]) : [];
    touched = list;
  } else if (Array.isArray(value)) {
    for (const v of value as Element[]) {
      if (list.some((e) => deepEqual(e, v))) continue;
      list.push(v);
      touched.push(v);
    }
  }
  keepOnePrimary(list, touched);
  holder[def.name] = list;
  return ok(undefined);
}
