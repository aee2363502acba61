import { hrKeyOf, mappedValuesOf } from './mapped.js';
import type { PlannedEmployee } from './scope.js';

/**
 * The HR fields a managed user carries (and that are locked against edits elsewhere), in a stable
 * shape so two snapshots compare equal exactly when nothing an admin would see has changed: the
 * fields the sync always fills (work email, manager, the HR extension's), then each attribute the
 * connection's mapping fills (directory-users.ts reads the same shape back from the documents).
 */
export function hrFieldsOf(e: PlannedEmployee): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    workEmail: e.workEmail?.toLowerCase() ?? null,
    managerRemoteId: e.managerRemoteId,
    location: e.workLocation?.name ?? null,
    startDate: (e.startDate as string | null | undefined) ?? null,
    terminationDate: e.terminationDate,
    bankAccount: (e.bankAccount as Record<string, unknown> | null | undefined) ?? null,
  };
  const mapped = mappedValuesOf(e);
  for (const path in mapped) fields[hrKeyOf(path)] = mapped[path] ?? null;
  return fields;
}

/** Names of the HR fields that differ; empty when the user is up to date. */
export function changedHrFields(before: Record<string, unknown> | null, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((k) => !sameValue(before?.[k] ?? null, after[k] ?? null));
}

/** HR fields are mostly strings or null; serialising is only for the odd structured value (this runs 100,000 times a sync). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
