import { err, ok, type Result } from '../errors.js';
import { leafOf, pathToString, type ResolvedPath } from '../schemas/resolve.js';
import type { AttributeType } from '../schemas/types.js';
import type { CompareOp, FilterNode } from './ast.js';
import type { RawValue } from './lex.js';

const ORDERED: CompareOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];
const ALL: CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** Which comparisons mean something for a type (RFC 7644 §3.4.2.2: gt/ge/lt/le on booleans and binary are errors). */
export const OPS_BY_TYPE: Record<AttributeType, CompareOp[]> = {
  string: ALL,
  reference: ALL,
  binary: ['eq', 'ne'],
  boolean: ['eq', 'ne'],
  dateTime: ORDERED,
  integer: ORDERED,
  decimal: ORDERED,
  complex: [],
};

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * xsd:dateTime → ISO instant. Entra sends seven fractional digits and an offset
 * (`2015-10-10T14:38:21.8617979-07:00`); we keep milliseconds, the precision the store compares at.
 * A value without an offset is read as UTC so the result never depends on the server's zone.
 */
export function parseDateTime(text: string): string | null {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return null;
  const [, date, hm, sec, frac, zone] = m;
  const ms = (frac ?? '').padEnd(3, '0').slice(0, 3);
  const offset = !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = hm ? Date.parse(`${date}T${hm}:${sec ?? '00'}.${ms}${offset}`) : Date.parse(`${date}T00:00:00Z`);
  // xsd:dateTime has no year 0, nor does PostgreSQL: 0000-… (or 0001-01-01 at a positive offset) is not a date.
  return Number.isNaN(t) || t < FIRST_INSTANT ? null : new Date(t).toISOString();
}

const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');

/** "True"/"False" in any case: Entra sends booleans as strings (`addresses[primary EQ "True"]`). */
export function parseBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return null;
  const v = value.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : null;
}

/** Builds the typed comparison for a resolved path, or explains why the comparison is meaningless. */
export function typedCompare(path: ResolvedPath, op: CompareOp, raw: RawValue): Result<FilterNode> {
  const leaf = leafOf(path);
  const name = pathToString(path);
  if (!OPS_BY_TYPE[leaf.type].includes(op)) {
    return err('invalid_filter', `Operator "${op}" cannot be used with ${name} (type ${leaf.type})`);
  }
  // ABNF literals are case-insensitive, so a bare NULL is the null literal; `x eq null` asks for absence.
  if (!raw.quoted && raw.text.toLowerCase() === 'null') {
    if (op === 'eq') return ok({ kind: 'not', child: { kind: 'present', path } });
    if (op === 'ne') return ok({ kind: 'present', path });
    return err('invalid_filter', `Operator "${op}" cannot compare ${name} with null`);
  }
  const compare = (value: string | number | boolean): Result<FilterNode> => ok({ kind: 'compare', path, op, value });
  switch (leaf.type) {
    case 'boolean': {
      const b = parseBoolean(raw.text);
      return b === null ? err('invalid_filter', `${name} is a boolean; "${raw.text}" is not true or false`) : compare(b);
    }
    case 'dateTime': {
      const d = parseDateTime(raw.text);
      return d === null ? err('invalid_filter', `${name} is a dateTime; "${raw.text}" is not a valid date`) : compare(d);
    }
    case 'integer':
    case 'decimal': {
      const n = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw.text.trim()) ? Number(raw.text) : Number.NaN;
      if (!Number.isFinite(n) || (leaf.type === 'integer' && !Number.isInteger(n))) {
        return err('invalid_filter', `${name} is an ${leaf.type}; "${raw.text}" is not a valid number`);
      }
      return compare(n);
    }
    case 'string':
    case 'reference':
    case 'binary':
      return compare(raw.text);
    case 'complex':
      return err('invalid_filter', `${name} is complex; compare one of its sub-attributes`);
    default: {
      const unreachable: never = leaf.type;
      return unreachable;
    }
  }
}
