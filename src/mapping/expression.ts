import jsonata from 'jsonata';

/**
 * Mapping expressions are JSONata (https://jsonata.org): a small, well-documented, side-effect-free
 * query language over JSON with the functions a mapping needs (`&` concatenation, `$uppercase`,
 * `$substring`, `$fromMillis`/`$toMillis` date pictures, `$lookup`, `?:` defaults). What an admin
 * types runs for every employee of every run, so it is boxed in:
 * - time: each evaluation stops after `TIME_LIMIT_MS` (JSONata's own guardrail, checked at every step);
 * - depth: at most `STACK_LIMIT` nested evaluations, which ends runaway recursion early;
 * - size: sequences of at most `SEQUENCE_LIMIT` items, `$pad` at most `MAX_OUTPUT_CHARS` wide, and a
 *   result (string, or serialised) of at most `MAX_OUTPUT_CHARS`;
 * - reach: JSONata reads only an object's own properties (`__proto__` and `constructor` are
 *   nothing), calls only its own functions, and `$eval` (a second parser inside) is switched off.
 */

export const TIME_LIMIT_MS = 100;
export const STACK_LIMIT = 300;
export const SEQUENCE_LIMIT = 10_000;
export const MAX_OUTPUT_CHARS = 10_000;

export class ExpressionError extends Error {
  constructor(
    message: string,
    /** JSONata's error code (`S0201`, `D1012`…), or ours (`R0001` output too large). */
    readonly code: string,
  ) {
    super(message);
  }
}

export interface CompiledExpression {
  /** The value for one employee; throws `ExpressionError` when the expression fails or breaks a bound. */
  evaluate(input: unknown): Promise<unknown>;
}

const disabled = (name: string) => () => {
  throw { code: 'R0002', message: `$${name} is not available in mapping expressions` };
};

/** `$pad` builds its padding at once: a width of 1e9 would take a gigabyte before any check ran. */
function boundedPad(str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  if (!Number.isFinite(width) || Math.abs(width) > MAX_OUTPUT_CHARS) throw { code: 'R0001', message: `$pad width is limited to ${MAX_OUTPUT_CHARS}` };
  const fill = char === undefined || char.length === 0 ? ' ' : char;
  const w = Math.trunc(width);
  const missing = Math.abs(w) - [...str].length;
  if (missing <= 0) return str;
  const padding = [...fill.repeat(Math.ceil(missing / fill.length))].slice(0, missing).join('');
  return w > 0 ? str + padding : padding + str;
}

const BINDINGS = {
  pad: boundedPad,
  eval: disabled('eval'),
};

/** Parses once; a syntax error is an `ExpressionError` naming the position. */
export function compileExpression(source: string): CompiledExpression {
  let expr: ReturnType<typeof jsonata>;
  try {
    expr = jsonata(source, { timeout: TIME_LIMIT_MS, stack: STACK_LIMIT, sequence: SEQUENCE_LIMIT } as Parameters<typeof jsonata>[1]);
  } catch (error) {
    throw toExpressionError(error);
  }
  return {
    async evaluate(input) {
      let result: unknown;
      try {
        result = await expr.evaluate(input, BINDINGS);
      } catch (error) {
        throw toExpressionError(error);
      }
      return bounded(result);
    },
  };
}

function bounded(result: unknown): unknown {
  if (typeof result === 'function') return undefined;
  if (typeof result === 'string') {
    if (result.length > MAX_OUTPUT_CHARS) throw new ExpressionError(`the result is longer than ${MAX_OUTPUT_CHARS} characters`, 'R0001');
    return result;
  }
  if (result !== null && typeof result === 'object') {
    // A function defined in the expression is not a value an attribute can hold.
    if ('_jsonata_lambda' in result || '_jsonata_function' in result) return undefined;
    let json: string | undefined;
    try {
      json = JSON.stringify(result, (_k, v: unknown) => (typeof v === 'function' || (v !== null && typeof v === 'object' && ('_jsonata_lambda' in v || '_jsonata_function' in v)) ? undefined : v));
    } catch {
      throw new ExpressionError('the result is not plain data', 'R0003');
    }
    if (json !== undefined && json.length > MAX_OUTPUT_CHARS) throw new ExpressionError(`the result is larger than ${MAX_OUTPUT_CHARS} characters`, 'R0001');
    // A plain copy: no sequence markers or prototypes of JSONata's leave the sandbox.
    return json === undefined ? undefined : JSON.parse(json);
  }
  return result;
}

function toExpressionError(error: unknown): ExpressionError {
  const e = error as { code?: string; message?: string; position?: number; token?: string };
  if (e instanceof RangeError) return new ExpressionError('the expression ran out of room (too deep or too large)', 'R0001');
  const code = typeof e?.code === 'string' ? e.code : 'R0000';
  const at = typeof e?.position === 'number' ? ` (at character ${e.position})` : '';
  const message = (code === 'D1012' ? `the expression took longer than ${TIME_LIMIT_MS} ms` : code === 'D1011' ? `the expression nests deeper than ${STACK_LIMIT} steps` : (e?.message ?? String(error))) + at;
  return new ExpressionError(message, code);
}

/**
 * The raw-record paths an expression reads (`raw.customFields.badge` → `customFields.badge`), so the
 * run can ask connectors that fetch by field list for them. Only plain paths are found; a path built
 * at run time (`$lookup(raw, "x")`) is not, and such a field must be named by a `raw` source too.
 */
export function rawPathsOf(source: string): string[] {
  let ast: unknown;
  try {
    ast = jsonata(source).ast();
  } catch {
    return [];
  }
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const n = node as { type?: string; steps?: { type?: string; value?: unknown }[] };
    if (n.type === 'path' && Array.isArray(n.steps) && n.steps[0]?.type === 'name' && n.steps[0].value === 'raw') {
      const names: string[] = [];
      for (const step of n.steps.slice(1)) {
        if (step.type !== 'name' || typeof step.value !== 'string') break;
        names.push(step.value);
      }
      if (names.length > 0) found.add(names.join('.'));
    }
    for (const value of Object.values(node)) if (value && typeof value === 'object') walk(value);
  };
  walk(ast);
  return [...found];
}
