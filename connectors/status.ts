import type { EmployeeStatus } from './contract.js';

/**
 * The date rules every system needs on top of its own status field, because HR systems
 * keep saying "Active" for someone whose last day has passed until a nightly job runs, and
 * for someone signed but not yet started.
 *
 * - termination date before today → inactive (the termination day itself is still worked);
 * - termination date today or later → employed until then, whatever the status says: HR
 *   enters a resignation weeks ahead, and some systems (BambooHR's employment history,
 *   account-defined labels) already say "Terminated" while the person serves their notice.
 *   The sync planner archives them on the date itself (src/sync/scope.ts), so the first run
 *   on or after the date archives, also when the system never flips its status;
 * - start date after today, otherwise active → pending;
 * - leave and inactive from the system are kept when no termination date says otherwise.
 */
export function applyDateRules(
  base: EmployeeStatus,
  dates: { startDate: string | null; terminationDate: string | null },
  today: string,
): EmployeeStatus {
  if (dates.terminationDate !== null && dates.terminationDate < today) return 'inactive';
  if (base === 'inactive') {
    if (dates.terminationDate === null) return 'inactive';
    return dates.startDate !== null && dates.startDate > today ? 'pending' : 'active';
  }
  if (dates.startDate !== null && dates.startDate > today && base === 'active') return 'pending';
  return base;
}

/**
 * Account-defined employment statuses (BambooHR's employmentHistoryStatus, free-text in
 * several systems) read by their common English words. Returns undefined when the word says
 * nothing about the lifecycle (Full-Time, Contractor, …).
 */
export function statusFromLabel(label: string | null): EmployeeStatus | undefined {
  if (label === null) return undefined;
  const l = label.toLowerCase();
  if (/\b(terminated|inactive|former|deceased|resigned|retired)\b/.test(l)) return 'inactive';
  if (/\bleave\b|sabbatical|furlough|parental|maternity|paternity/.test(l)) return 'leave';
  if (/\b(onboarding|pre-?hire|pending)\b/.test(l)) return 'pending';
  return undefined;
}

/** Is this person in the default scope of a connection (employed now or soon)? */
export function isEmployed(status: EmployeeStatus): boolean {
  return status !== 'inactive';
}
