import type { NormalisedEmployee } from '../../connectors/index.js';
import type { MappableAttribute } from './attributes.js';
import { coerce } from './coerce.js';
import { compileExpression, ExpressionError, rawPathsOf, type CompiledExpression } from './expression.js';
import { readPath } from './fields.js';
import { createMemo, type Memo } from './memo.js';
import type { Mapping, Source } from './mapping.js';

/** One employee's mapped values, by attribute path, and what failed (the attribute then has no value). */
export interface MappedValues {
  values: Record<string, unknown>;
  errors: { attribute: string; message: string }[];
}

export interface CompiledMapping {
  /** The attributes it fills, in the mapping's order, spelled as the catalogue spells them. */
  attributes: MappableAttribute[];
  /** The raw-record paths its sources read (for `EmployeesOptions.rawFields`). */
  rawFields: string[];
  /** Synchronous when every source is a field, raw path or constant (the fast path); a promise when expressions run. */
  evaluate(employee: NormalisedEmployee): MappedValues | Promise<MappedValues>;
}

type Step =
  | { kind: 'read'; attr: MappableAttribute; read: (e: NormalisedEmployee) => unknown }
  | { kind: 'expression'; attr: MappableAttribute; expression: CompiledExpression; memo: Memo; timeouts: number };

/**
 * An expression that ran out of time this often in one run is not tried again in that run: a
 * hostile or runaway expression costs a bounded time per run, not its time limit per employee.
 */
export const TIMEOUTS_PER_RUN = 5;

/**
 * Compiles a mapping whose attributes are already resolved (validate.ts): expressions are parsed
 * once here, not once per employee, and field and raw paths are split once.
 */
export function compileMapping(mapping: Mapping, resolve: (path: string) => MappableAttribute): CompiledMapping {
  const steps: Step[] = mapping.attributes.map(({ attribute, source }) => stepOf(resolve(attribute), source));
  const rawFields = new Set<string>();
  for (const { source } of mapping.attributes) {
    if (source.kind === 'raw') rawFields.add(source.path);
    if (source.kind === 'expression') for (const p of rawPathsOf(source.expression)) rawFields.add(p);
  }
  const reads = steps.filter((s): s is Extract<Step, { kind: 'read' }> => s.kind === 'read');
  const expressions = steps.filter((s): s is Extract<Step, { kind: 'expression' }> => s.kind === 'expression');

  const readAll = (e: NormalisedEmployee): MappedValues => {
    const out: MappedValues = { values: {}, errors: [] };
    for (const step of reads) put(out, step.attr, step.read(e));
    return out;
  };
  return {
    attributes: steps.map((s) => s.attr),
    rawFields: [...rawFields],
    evaluate(e) {
      const out = readAll(e);
      if (expressions.length === 0) return out;
      return (async () => {
        // What an expression sees: the employee as normalised, with `raw`; never the bank account.
        const input = { ...e, bankAccount: null };
        for (const step of expressions) {
          if (step.timeouts >= TIMEOUTS_PER_RUN) {
            out.values[step.attr.path] = null;
            out.errors.push({ attribute: step.attr.path, message: `not evaluated: the expression ran out of time ${TIMEOUTS_PER_RUN} times` });
            continue;
          }
          try {
            const key = step.memo.keyOf(input);
            const remembered = key === undefined ? undefined : step.memo.get(key);
            const value = remembered ? remembered.value : await step.expression.evaluate(input);
            if (key !== undefined && !remembered) step.memo.set(key, value);
            put(out, step.attr, value);
          } catch (error) {
            if (error instanceof ExpressionError && error.code === 'D1012') step.timeouts++;
            out.values[step.attr.path] = null;
            out.errors.push({ attribute: step.attr.path, message: (error as Error).message });
          }
        }
        return out;
      })();
    },
  };
}

function put(out: MappedValues, attr: MappableAttribute, value: unknown): void {
  const coerced = coerce(value, attr);
  if (coerced.ok) out.values[attr.path] = coerced.value;
  else {
    out.values[attr.path] = null;
    out.errors.push({ attribute: attr.path, message: coerced.error });
  }
}

function stepOf(attr: MappableAttribute, source: Source): Step {
  switch (source.kind) {
    case 'field': {
      const path = source.field.split('.');
      return { kind: 'read', attr, read: (e) => readPath(e, path) };
    }
    case 'raw': {
      const path = source.path.split('.');
      return { kind: 'read', attr, read: (e) => readPath(e.raw, path) };
    }
    case 'constant': {
      const value = source.value;
      return { kind: 'read', attr, read: () => value };
    }
    case 'expression':
      return { kind: 'expression', attr, expression: compileExpression(source.expression), memo: createMemo(source.expression), timeouts: 0 };
    default: {
      const unreachable: never = source;
      throw new Error(`unknown source ${JSON.stringify(unreachable)}`);
    }
  }
}
