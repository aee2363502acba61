import { sql, type SQL } from 'drizzle-orm';
import type { CompareOp } from '../../scim/filter/ast.js';
import type { AttributeDef } from '../../scim/schemas/types.js';

/** A value to compare: a typed column, or a JSONB value from the document. */
export type Source =
  | { form: 'text'; expr: SQL }
  | { form: 'bool'; expr: SQL }
  | { form: 'ts'; expr: SQL }
  | { form: 'json'; expr: SQL };

/** SQL's three-valued logic would make `not (absent = x)` NULL, i.e. false; filters need two values. */
export const bool = (cond: SQL) => sql`coalesce(${cond}, false)`;

/** A SQL string literal for names from our own schema definitions (never request text). */
export const lit = (s: string) => sql.raw(`'${s.replace(/'/g, "''")}'`);

/** Rows `e(v[, n])` of a JSONB array; anything that is not an array (absent, null, an object) yields none. */
export const elements = (arr: SQL, ordinal = false) =>
  sql`jsonb_array_elements(case when jsonb_typeof(${arr}) = 'array' then ${arr} end) ${sql.raw(ordinal ? 'with ordinality as e(v, n)' : 'as e(v)')}`;

const jsonText = (x: SQL) => sql`(case when jsonb_typeof(${x}) in ('string', 'number', 'boolean') then ${x} #>> '{}' end)`;
const jsonTime = (x: SQL) =>
  sql`(case when jsonb_typeof(${x}) = 'string' and (${x} #>> '{}') ~ '^\\d{4}-\\d{2}-\\d{2}' then (${x} #>> '{}')::timestamptz end)`;
const jsonNumber = (x: SQL) => sql`(case when jsonb_typeof(${x}) = 'number' then (${x})::numeric end)`;
const jsonBool = (x: SQL) => sql`(case when jsonb_typeof(${x}) = 'boolean' then (${x})::boolean end)`;

const ORDER: Partial<Record<CompareOp, string>> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };
const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');

function textCompare(expr: SQL, caseExact: boolean, op: CompareOp, value: string): SQL {
  const left = caseExact ? expr : sql`lower(${expr})`;
  const right = (v: string) => (caseExact ? sql`${v}::text` : sql`lower(${v}::text)`);
  const like = (pattern: string) => sql`${left} like ${right(pattern)} escape '\\'`;
  switch (op) {
    case 'co':
      return like(`%${likeEscape(value)}%`);
    case 'sw':
      return like(`${likeEscape(value)}%`);
    case 'ew':
      return like(`%${likeEscape(value)}`);
    case 'eq':
      return sql`${left} = ${right(value)}`;
    default: {
      const o = ORDER[op];
      // Byte order, so ordering is the same on every store and matches the in-memory evaluation.
      return o ? sql`${left} collate "C" ${sql.raw(o)} ${right(value)}` : sql`false`;
    }
  }
}

/**
 * dateTimes are compared at millisecond precision, the precision clients see in `meta`: rows carry
 * microseconds, and `meta.lastModified gt <a value we returned>` must not return that same row again.
 */
function timeCompare(expr: SQL, op: CompareOp, iso: string): SQL {
  const at = sql`${iso}::timestamptz`;
  const next = sql`(${iso}::timestamptz + interval '1 millisecond')`;
  switch (op) {
    case 'eq':
      return sql`(${expr} >= ${at} and ${expr} < ${next})`;
    case 'gt':
      return sql`${expr} >= ${next}`;
    case 'ge':
      return sql`${expr} >= ${at}`;
    case 'lt':
      return sql`${expr} < ${at}`;
    case 'le':
      return sql`${expr} < ${next}`;
    default:
      return sql`false`;
  }
}

export function compareSource(src: Source, def: AttributeDef, op: CompareOp, value: string | number | boolean): SQL {
  if (src.form === 'bool') {
    return typeof value === 'boolean' && op === 'eq' ? sql`${src.expr} = ${sql.raw(String(value))}` : sql`false`;
  }
  if (src.form === 'ts') return timeCompare(src.expr, op, String(value));
  if (src.form === 'text') return textCompare(src.expr, def.caseExact, op, String(value));
  switch (def.type) {
    case 'boolean':
      return typeof value === 'boolean' && op === 'eq' ? sql`${src.expr} = ${sql.raw(`'${value}'::jsonb`)}` : sql`false`;
    case 'dateTime':
      return timeCompare(jsonTime(src.expr), op, String(value));
    case 'integer':
    case 'decimal': {
      const o = ORDER[op];
      return o && typeof value === 'number' ? sql`${jsonNumber(src.expr)} ${sql.raw(o)} ${String(value)}::numeric` : sql`false`;
    }
    case 'complex':
      return sql`false`;
    default:
      return textCompare(jsonText(src.expr), def.caseExact, op, String(value));
  }
}

/** RFC 7644 §3.4.2.2 `pr`: has a non-empty value (not null, "", [] or {}). */
export function presentSource(src: Source): SQL {
  switch (src.form) {
    case 'json':
      return sql`${src.expr} not in ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb)`;
    case 'text':
      return sql`${src.expr} <> ''`;
    default:
      return sql`${src.expr} is not null`;
  }
}

/** A sortable scalar; text in byte order, folded when the attribute is case-insensitive. */
export function sortScalar(src: Source, def: AttributeDef): SQL {
  if (src.form !== 'json' && src.form !== 'text') return src.expr;
  if (src.form === 'json') {
    if (def.type === 'boolean') return jsonBool(src.expr);
    if (def.type === 'dateTime') return jsonTime(src.expr);
    if (def.type === 'integer' || def.type === 'decimal') return jsonNumber(src.expr);
  }
  const text = src.form === 'json' ? jsonText(src.expr) : src.expr;
  return def.caseExact ? sql`${text} collate "C"` : sql`lower(${text}) collate "C"`;
}
