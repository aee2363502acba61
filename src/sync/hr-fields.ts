import type { PlannedEmployee } from './scope.js';

/**
 * The HR fields a managed user carries (and that are locked against edits elsewhere), in a stable
 * shape so two snapshots compare equal exactly when nothing an admin would see has changed.
 */
export function hrFieldsOf(e: PlannedEmployee): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    givenName: e.firstName,
    familyName: e.lastName,
    displayName: e.displayName ?? ([e.firstName, e.lastName].filter(Boolean).join(' ') || null),
    workEmail: e.workEmail?.toLowerCase() ?? null,
    title: e.jobTitle ?? null,
    department: e.department?.name ?? null,
    managerRemoteId: e.managerRemoteId,
    employeeNumber: e.employeeNumber ?? null,
    costCenter: (e.costCenters as { name: string }[] | undefined)?.map((c) => c.name).join(', ') || null,
    location: e.workLocation?.name ?? null,
    startDate: (e.startDate as string | null | undefined) ?? null,
    terminationDate: e.terminationDate,
    bankAccount: (e.bankAccount as Record<string, unknown> | null | undefined) ?? null,
  };
  return fields;
}

/** Names of the HR fields that differ; empty when the user is up to date. */
export function changedHrFields(before: Record<string, unknown> | null, after: Record<string, unknown>): string[] {
  // A loop rather than keys().filter(): this runs once per person per run, and most find nothing.
  const changed: string[] = [];
  for (const k in after) if (!sameValue(before?.[k] ?? null, after[k] ?? null)) changed.push(k);
  return changed;
}

/** HR fields are strings or null; serialising is only for the odd structured value (this runs 100,000 times a sync). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
