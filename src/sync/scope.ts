import { z } from 'zod';
import { normalisedEmployeeSchema } from '../../connectors/contract.js';
import { userSchema } from '../../scim/schemas/user.js';

/** The employee fields the planner reads; connectors produce a superset (see connectors/contract.ts). */
export interface PlannedEmployee {
  remoteId: string;
  workEmail: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  status: 'active' | 'pending' | 'leave' | 'inactive';
  terminationDate: string | null;
  managerRemoteId: string | null;
  employeeNumber?: string | null;
  jobTitle?: string | null;
  department?: { name: string; remoteId?: string } | null;
  workLocation?: { name: string; remoteId?: string } | null;
  team?: { name: string; remoteId?: string } | null;
  /** The connection's mapped attribute values (path → value), computed when the record arrived. */
  mapped?: Record<string, unknown>;
  /** The raw-record fields the scope rules name (path → value); the rest of `raw` is not kept. */
  scopeRaw?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The fields rules could always name; they keep their meaning (a unit matches by name or id). */
export const CLASSIC_SCOPE_FIELDS = ['workLocation', 'department', 'team', 'jobTitle', 'status', 'employeeNumber', 'workEmailDomain'] as const;

/**
 * What a rule may name besides those: any normalised employee field (`rawStatus`,
 * `costCenters.name`), a field of the HR record as received (`raw.customFields.shift`), or an
 * attribute the connection's mapping fills (`title`, `urn:…:tenant:2.0:User:badge`).
 */
const SCOPE_FIELD = /^(raw\.[^.\s]+(\.[^.\s]+)*|[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*|urn:[A-Za-z0-9:._-]+:[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)?)$/;

/**
 * Names a rule's first segment may start with when it has no `raw.` or URN prefix: the normalised
 * employee's fields and the core User attributes a mapping can fill. Anything else (a typo, a field
 * no connector has) would match no one, or everyone with `notIn`, without a word: refused instead.
 */
const KNOWN_FIRST_SEGMENTS = new Set([...CLASSIC_SCOPE_FIELDS, ...Object.keys(normalisedEmployeeSchema.shape), ...userSchema.attributes.map((a) => a.name)].map((n) => n.toLowerCase()));

const knownScopeField = (field: string) => field.startsWith('raw.') || field.startsWith('urn:') || KNOWN_FIRST_SEGMENTS.has(field.split('.')[0]!.toLowerCase());

/** A narrowing rule on a field: `workLocation is one of Remote, London, Paris`. */
export const scopeRuleSchema = z.object({
  field: z
    .string()
    .max(300)
    .regex(SCOPE_FIELD, 'a normalised field, raw.<path> or an attribute path')
    .refine(knownScopeField, 'not a normalised employee field, raw.<path> or an attribute a mapping fills'),
  op: z.enum(['in', 'notIn']),
  values: z.array(z.string().min(1)).min(1),
});
export type ScopeRule = z.infer<typeof scopeRuleSchema>;

/** The raw-record paths scope rules read (`raw.x.y` → `x.y`), for the connector's field list and the snapshot. */
export function scopeRawPaths(rules: readonly ScopeRule[]): string[] {
  return [...new Set(rules.flatMap((r) => (r.field.startsWith('raw.') ? [r.field.slice('raw.'.length)] : [])))];
}

/** Strings a value offers a rule: itself, each item of a list, a unit's name and id. */
function valuesOf(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value.flatMap(valuesOf);
  if (typeof value === 'object') {
    const unit = value as { name?: unknown; remoteId?: unknown; value?: unknown };
    return [unit.name, unit.remoteId, unit.value].filter((v): v is string => typeof v === 'string');
  }
  return [String(value)];
}

function readOwn(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current)) return current.map((item) => readOwn(item, [key]));
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The values a rule may name for a field: a unit's name or its id in the HR system (Personio v2 gives only ids). */
function fieldValues(e: PlannedEmployee, field: string): string[] {
  switch (field) {
    case 'workLocation':
    case 'department':
    case 'team': {
      const unit = e[field];
      return unit ? [unit.name, unit.remoteId].filter((v): v is string => typeof v === 'string') : [];
    }
    case 'jobTitle':
    case 'employeeNumber':
      return e[field] ? [e[field]] : [];
    case 'status':
      return [e.status];
    case 'workEmailDomain': {
      const domain = e.workEmail?.split('@')[1];
      return domain ? [domain] : [];
    }
    default: {
      // The run keeps the raw fields rules name (run.ts) and the mapped values on each employee.
      if (field.startsWith('raw.')) return valuesOf((e.scopeRaw as Record<string, unknown> | undefined)?.[field.slice('raw.'.length)]);
      const mapped = e.mapped as Record<string, unknown> | undefined;
      if (mapped) {
        const key = Object.keys(mapped).find((k) => k.toLowerCase() === field.toLowerCase());
        if (key) return valuesOf(mapped[key]);
      }
      return valuesOf(readOwn(e, field.split('.')));
    }
  }
}

/** Still employed: active, onboarding or on leave, and no termination date today or earlier. */
export function isEmployed(e: PlannedEmployee, today: string): boolean {
  if (e.status === 'inactive') return false;
  return e.terminationDate === null || e.terminationDate.slice(0, 10) > today;
}

/** The connection's filter, compared case-insensitively; every rule must hold. */
export function matchesRules(e: PlannedEmployee, rules: ScopeRule[]): boolean {
  return rules.every((rule) => {
    const values = fieldValues(e, rule.field).map((v) => v.toLowerCase());
    const listed = rule.values.some((v) => values.includes(v.toLowerCase()));
    return rule.op === 'in' ? listed : !listed;
  });
}
