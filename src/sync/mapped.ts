import type { NormalisedEmployee } from '../../connectors/index.js';
import { URN } from '../../scim/schemas/urns.js';
import type { MappableAttribute } from '../mapping/attributes.js';
import type { CompiledMapping, MappedValues } from '../mapping/compile.js';
import { defaultMapping } from '../mapping/defaults.js';
import { validateMapping } from '../mapping/validate.js';
import type { PlannedEmployee } from './scope.js';

/**
 * The mapped attributes an employee carries through planning and the snapshot
 * (`PlannedEmployee.mapped`: attribute path → value, computed once when the page arrives).
 */

const base = validateMapping(defaultMapping(), []);
if (!base.ok) throw new Error(`the base mapping is invalid: ${JSON.stringify(base.problems)}`);
/** Today's fixed behaviour as a compiled mapping: field sources only, so it evaluates synchronously. */
export const BASE_COMPILED: CompiledMapping = base.compiled;

/**
 * An employee's mapped values: those computed when it was fetched, else (a record planned without a
 * mapping, as the planner's unit tests do) the base mapping's, from the normalised fields.
 */
export function mappedValuesOf(e: PlannedEmployee): Record<string, unknown> {
  const stored = e.mapped as Record<string, unknown> | undefined;
  if (stored) return stored;
  return withDisplayNameFallback((BASE_COMPILED.evaluate(e as unknown as NormalisedEmployee) as MappedValues).values, e);
}

/**
 * `displayName` is what every client shows: when the mapping fills it but its source gave nothing,
 * it is the first and last name, else the work email, as before mappings.
 */
export function withDisplayNameFallback(values: Record<string, unknown>, e: Pick<PlannedEmployee, 'firstName' | 'lastName' | 'workEmail'>): Record<string, unknown> {
  if (!('displayName' in values) || values.displayName !== null) return values;
  const fallback = [e.firstName, e.lastName].filter(Boolean).join(' ') || e.workEmail?.trim() || null;
  return { ...values, displayName: fallback };
}

/**
 * The name a mapped attribute has among a user's HR fields (hr-fields.ts) and in an update's
 * "changed in HR" list: the short names HR fields always had (`givenName`, `title`, `department`),
 * the full path for a tenant's own attributes (whose names may repeat a sub-attribute's).
 */
export function hrKeyOf(path: string): string {
  // Asked for every attribute of every person twice a run: worked out once per path.
  let key = hrKeys.get(path);
  if (key === undefined) {
    key = path.startsWith('name.') ? path.slice('name.'.length) : path.startsWith(`${URN.enterpriseUser}:`) ? path.slice(URN.enterpriseUser.length + 1) : path;
    if (hrKeys.size < 10_000) hrKeys.set(path, key);
  }
  return key;
}

const hrKeys = new Map<string, string>();

export type { MappableAttribute };
