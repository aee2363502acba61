import jsonata from 'jsonata';

/**
 * Mapping expressions run for every employee of every run, and most read a few low-variety
 * fields (a department, a first name, a location): the same inputs give the same output, so a run
 * remembers each expression's results by the values it reads. That is only sound when those
 * values can be told from the expression's text, so only expressions made of a known-safe subset
 * of JSONata are remembered: plain field paths, literals, operators, conditions, object and array
 * constructors, and the built-in functions below called with every argument they need. Anything
 * else (`$`, `$$`, wildcards, parent steps, lambdas, variables, `$now()`, a function that would
 * fall back to the whole input as its context) is evaluated every time, as before.
 */

/** Built-ins that depend only on their arguments, with how many arguments keep them off the context. */
const PURE_FUNCTIONS: Record<string, number> = {
  lowercase: 1,
  uppercase: 1,
  trim: 1,
  length: 1,
  string: 1,
  number: 1,
  boolean: 1,
  not: 1,
  exists: 1,
  count: 1,
  sum: 1,
  abs: 1,
  floor: 1,
  ceil: 1,
  round: 1,
  join: 1,
  substring: 2,
  substringBefore: 2,
  substringAfter: 2,
  contains: 2,
  split: 2,
  pad: 2,
  lookup: 2,
  replace: 3,
  fromMillis: 1,
  toMillis: 1,
};

type Node = { type?: string; value?: unknown; steps?: Node[]; lhs?: unknown; expression?: Node; rhs?: Node; condition?: Node; then?: Node; else?: Node; expressions?: Node[]; arguments?: Node[]; procedure?: Node; stages?: unknown; predicate?: unknown; group?: unknown; focus?: unknown; index?: unknown; tuple?: unknown; keepArray?: unknown };

/**
 * The inputs an expression reads, as employee paths (`department`, `raw.customFields`): every value
 * the expression can reach is under one of them. Undefined when the expression is outside the
 * subset above.
 */
export function memoInputsOf(source: string): string[][] | undefined {
  let ast: Node;
  try {
    ast = jsonata(source).ast() as Node;
  } catch {
    return undefined;
  }
  const inputs = new Map<string, string[]>();
  const safe = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.every(safe);
    if (node === null || typeof node !== 'object') return true;
    const n = node as Node;
    // Filters, sorts, grouping, focus and index bindings change what a path reads: not remembered.
    if (n.stages !== undefined || n.predicate !== undefined || n.group !== undefined || n.focus !== undefined || n.index !== undefined || n.tuple !== undefined) return false;
    switch (n.type) {
      case 'string':
      case 'number':
      case 'value':
      case 'regex':
        return true;
      case 'path': {
        const steps = n.steps ?? [];
        if (steps.length === 0 || !steps.every((s) => s.type === 'name' && typeof s.value === 'string' && s.stages === undefined && s.predicate === undefined)) return false;
        const names = steps.map((s) => s.value as string);
        const prefix = names[0] === 'raw' && names.length > 1 ? names.slice(0, 2) : names.slice(0, 1);
        inputs.set(prefix.join('.'), prefix);
        return true;
      }
      case 'binary':
        return safe(n.lhs) && safe(n.rhs);
      case 'condition':
        return safe(n.condition) && safe(n.then) && safe(n.else);
      case 'unary':
        // `-x`, and the object and array constructors.
        return n.value === '-' ? safe(n.expression ?? n.lhs) : n.value === '{' || n.value === '[' ? safe(n.lhs) && safe(n.expressions) : false;
      case 'block':
        return safe(n.expressions);
      case 'function': {
        const name = n.procedure?.type === 'variable' ? String(n.procedure.value) : undefined;
        const needs = name === undefined ? undefined : PURE_FUNCTIONS[name];
        return needs !== undefined && (n.arguments?.length ?? 0) >= needs && safe(n.arguments);
      }
      default:
        return false;
    }
  };
  return safe(ast) ? [...inputs.values()] : undefined;
}

/** Results remembered per expression and run: enough for every department or first name, bounded whatever the data. */
export const MEMO_ENTRIES = 20_000;

export interface Memo {
  /** The key of an employee's inputs, or undefined when this expression is not remembered. */
  keyOf(employee: unknown): string | undefined;
  get(key: string): { value: unknown } | undefined;
  /** Remembers plain values only (an object result would be shared between employees). */
  set(key: string, value: unknown): void;
}

export function createMemo(source: string): Memo {
  const inputs = memoInputsOf(source);
  const results = new Map<string, unknown>();
  return {
    keyOf: (employee) => (inputs ? inputs.map((path) => keyPart(employee, path)).join('\u0001') : undefined),
    get: (key) => (results.has(key) ? { value: results.get(key) } : undefined),
    set: (key, value) => {
      if (results.size >= MEMO_ENTRIES) return;
      if (value !== null && value !== undefined && typeof value === 'object') return;
      results.set(key, value);
    },
  };
}

/** An input's value as a key part; a missing key and a null differ (`$exists` tells them apart). */
function keyPart(employee: unknown, path: readonly string[]): string {
  let current = employee;
  for (const name of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, name)) return '~';
    current = (current as Record<string, unknown>)[name];
  }
  return current === undefined ? '~' : JSON.stringify(current);
}
