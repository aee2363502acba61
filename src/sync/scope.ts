import { z } from 'zod';

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
  [field: string]: unknown;
}

/** A narrowing rule on a normalised field: `workLocation is one of Remote, London, Paris`. */
export const scopeRuleSchema = z.object({
  field: z.enum(['workLocation', 'department', 'team', 'jobTitle', 'status', 'employeeNumber', 'workEmailDomain']),
  op: z.enum(['in', 'notIn']),
  values: z.array(z.string().min(1)).min(1),
});
export type ScopeRule = z.infer<typeof scopeRuleSchema>;

/** The values a rule may name for a field: a unit's name or its id in the HR system (Personio v2 gives only ids). */
function fieldValues(e: PlannedEmployee, field: ScopeRule['field']): string[] {
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
      const unreachable: never = field;
      return unreachable;
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
