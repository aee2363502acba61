import { parse as parseGrammar, type Filter } from 'scim2-parse-filter';
import { err, ok, type Result } from '../errors.js';
import { leafOf, pathToString, resolvePath, resolveSubPath, type ResolvedPath } from '../schemas/resolve.js';
import type { ResourceTypeDef } from '../schemas/types.js';
import type { CompareOp, FilterNode } from './ast.js';
import { unstorable } from '../resource/storable.js';
import { COMPARE_OPS, decodeQuoted, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, prepareFilter, type Prepared } from './lex.js';
import { typedCompare } from './values.js';

/** How paths are resolved: against the resource type, or as sub-attributes of a value filter's attribute. */
type Scope = { rt: ResourceTypeDef; parent?: undefined } | { parent: ResolvedPath; rt?: undefined };

/** RFC 7644 §3.4.2.2 filter → typed tree, every path resolved against `rt`. Never throws. */
export function parseFilter(rt: ResourceTypeDef, text: string): Result<FilterNode> {
  return simpleCompare(rt, text) ?? run({ rt }, text);
}

/** The same, always through the grammar: what `simpleCompare` must agree with. */
export function parseFilterByGrammar(rt: ResourceTypeDef, text: string): Result<FilterNode> {
  return run({ rt }, text);
}

/** `path op "value"` and nothing else: a path token, an operator word, one quoted string (lex.ts's TOKEN). */
const SIMPLE_COMPARE = /^\s*([^\s"()[\]]+)\s+([A-Za-z]{2})\s+("(?:[^"\\]|\\.)*")\s*$/;
const RESERVED = new Set(['not', 'pr', 'and', 'or']);

/**
 * The lookup nearly every Okta and Entra request carries (`userName eq "…"`, `externalId eq "…"`),
 * read without the tokeniser and the grammar library, which cost more CPU than the lookup's query.
 * Only a well-formed comparison of a known attribute is answered here, through the same resolution
 * and typing as the grammar path; anything else (errors included) returns undefined and goes there.
 */
function simpleCompare(rt: ResourceTypeDef, text: string): Result<FilterNode> | undefined {
  if (text.length > MAX_FILTER_LENGTH) return undefined;
  const match = SIMPLE_COMPARE.exec(text);
  if (!match) return undefined;
  const [, rawPath, rawOp, quoted] = match as unknown as [string, string, string, string];
  const op = rawOp.toLowerCase();
  const word = rawPath.toLowerCase();
  if (!COMPARE_OPS.has(op) || COMPARE_OPS.has(word) || RESERVED.has(word) || unstorable(text)) return undefined;
  const value = decodeQuoted(quoted);
  if (unstorable(value)) return undefined;
  const path = resolve({ rt }, rawPath);
  if (!path.ok) return undefined;
  const target = comparable(path.value);
  if (!target.ok) return undefined;
  const node = typedCompare(target.value, op as CompareOp, { text: value, quoted: true });
  return node.ok ? node : undefined;
}

/**
 * The inside of a value filter (`type eq "work"` in `emails[type eq "work"]`), with paths resolved as
 * sub-attributes of `parent`. PATCH paths use this for their bracket part.
 */
export function parseValueFilter(parent: ResolvedPath, text: string): Result<FilterNode> {
  return run({ parent }, text);
}

function run(scope: Scope, text: string): Result<FilterNode> {
  const prepared = prepareFilter(text);
  if (!prepared.ok) return prepared;
  let tree: Filter;
  try {
    tree = parseGrammar(prepared.value.text);
  } catch (e) {
    return err('invalid_filter', `Filter syntax error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const result = convert(tree, scope, prepared.value);
  if (result.ok && depth(result.value) > MAX_FILTER_DEPTH) {
    return err('invalid_filter', `Filter nests deeper than ${MAX_FILTER_DEPTH} levels`);
  }
  return result;
}

function depth(node: FilterNode): number {
  switch (node.kind) {
    case 'and':
    case 'or':
      return 1 + Math.max(...node.children.map(depth));
    case 'not':
      return 1 + depth(node.child);
    case 'valuePath':
      return 1 + depth(node.filter);
    default:
      return 1;
  }
}

const placeholder = (list: readonly string[] | readonly unknown[], token: string, prefix: string) => {
  const i = token.startsWith(prefix) ? Number(token.slice(prefix.length)) : Number.NaN;
  return Number.isInteger(i) && i >= 0 && i < list.length ? i : -1;
};

function resolve(scope: Scope, raw: string): Result<ResolvedPath> {
  const path = scope.rt ? resolvePath(scope.rt, raw) : resolveSubPath(scope.parent, raw);
  if (!path) {
    const where = scope.rt ? `on ${scope.rt.name}` : `in ${pathToString(scope.parent)}`;
    return err('invalid_filter', `Unknown attribute "${raw}" ${where}`);
  }
  if (path.attribute.returned === 'never' || leafOf(path).returned === 'never') {
    return err('invalid_filter', `${pathToString(path)} cannot be used in a filter`);
  }
  return ok(path);
}

/** `emails co "x"` means `emails.value co "x"` (RFC 7644 §3.4.2.2, multi-valued attributes without a sub-attribute). */
function comparable(path: ResolvedPath): Result<ResolvedPath> {
  if (path.subAttribute || path.attribute.type !== 'complex') return ok(path);
  const value = path.attribute.multiValued ? path.attribute.subAttributes?.find((s) => s.name === 'value') : undefined;
  if (value) return ok({ ...path, subAttribute: value });
  return err('invalid_filter', `${pathToString(path)} is complex; compare one of its sub-attributes (e.g. ${pathToString(path)}.<name>)`);
}

function convert(f: Filter, scope: Scope, p: Prepared): Result<FilterNode> {
  switch (f.op) {
    case 'and':
    case 'or': {
      const children: FilterNode[] = [];
      for (const child of f.filters) {
        const c = convert(child, scope, p);
        if (!c.ok) return c;
        children.push(c.value);
      }
      return ok({ kind: f.op, children });
    }
    case 'not': {
      const c = convert(f.filter, scope, p);
      return c.ok ? ok({ kind: 'not', child: c.value }) : c;
    }
    case 'pr': {
      const path = resolve(scope, pathText(f.attrPath, p));
      return path.ok ? ok({ kind: 'present', path: path.value }) : path;
    }
    case '[]': {
      const raw = pathText(f.attrPath, p);
      if (scope.parent) return err('invalid_filter', 'Value filters cannot be nested');
      const path = resolve(scope, raw);
      if (!path.ok) return path;
      const attr = path.value.attribute;
      if (path.value.subAttribute || attr.type !== 'complex' || !attr.multiValued) {
        return err('invalid_filter', `A value filter needs a multi-valued complex attribute; ${raw} is not one`);
      }
      const inner = convert(f.valFilter, { parent: path.value }, p);
      return inner.ok ? ok({ kind: 'valuePath', path: path.value, filter: inner.value }) : inner;
    }
    default: {
      const path = resolve(scope, pathText(f.attrPath, p));
      if (!path.ok) return path;
      const target = comparable(path.value);
      if (!target.ok) return target;
      const i = typeof f.compValue === 'string' ? placeholder(p.values, f.compValue, '#') : -1;
      if (i < 0) return err('invalid_filter', 'Malformed comparison value');
      return typedCompare(target.value, f.op, p.values[i]!);
    }
  }
}

function pathText(token: string, p: Prepared): string {
  const i = placeholder(p.paths, token, 'p');
  return i < 0 ? token : p.paths[i]!;
}
