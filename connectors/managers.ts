import type { NormalisedEmployee, RecordError } from './contract.js';

/**
 * How a record names its manager before resolution, best key first. Systems that give the
 * manager's remote id need none of this; BambooHR gives an employee number or an email.
 */
export interface ManagerRef {
  remoteId?: string | null;
  employeeNumber?: string | null;
  workEmail?: string | null;
}

export interface Unresolved {
  employee: NormalisedEmployee;
  manager: ManagerRef;
}

/**
 * Turns every ManagerRef into the manager's remoteId. Runs after the whole snapshot is read:
 * a manager may come after their reports. A remote id is trusted even when that person is
 * not in the snapshot (they may be outside this credential's view, and the planner decides
 * what a dangling link means); a number or email that matches nobody, or several people,
 * leaves the manager empty and says why — guessing would put someone in the wrong team.
 */
export function resolveManagers(items: readonly Unresolved[]): { employees: NormalisedEmployee[]; errors: RecordError[] } {
  // Built on first need: most systems name managers by remote id and never look anyone up.
  let indexes: Indexes | undefined;
  const lookup = (): Indexes =>
    (indexes ??= { byNumber: indexBy(items, (e) => e.employeeNumber), byEmail: indexBy(items, (e) => e.workEmail?.toLowerCase() ?? null) });
  const errors: RecordError[] = [];
  const employees = items.map(({ employee, manager }) => {
    const found = pick(manager, lookup);
    let managerRemoteId = found.remoteId;
    if (managerRemoteId === employee.remoteId) {
      errors.push(issue(employee, 'unresolved_manager', 'is recorded as their own manager'));
      managerRemoteId = null;
    } else if (found.problem) {
      errors.push(issue(employee, found.problem.code, found.problem.reason));
    }
    return managerRemoteId === employee.managerRemoteId ? employee : { ...employee, managerRemoteId };
  });
  return { employees, errors };
}

type Index = Map<string, string[]>;
interface Indexes {
  byNumber: Index;
  byEmail: Index;
}

function pick(ref: ManagerRef, lookup: () => Indexes): {
  remoteId: string | null;
  problem?: { code: RecordError['code']; reason: string };
} {
  if (ref.remoteId) return { remoteId: ref.remoteId };
  if (!ref.employeeNumber && !ref.workEmail) return { remoteId: null };
  const { byNumber, byEmail } = lookup();
  const attempts: Array<[string, string | null | undefined, Index]> = [
    ['employee number', ref.employeeNumber, byNumber],
    ['work email', ref.workEmail?.toLowerCase(), byEmail],
  ];
  let problem: { code: RecordError['code']; reason: string } | undefined;
  for (const [label, key, index] of attempts) {
    if (!key) continue;
    const hits = index.get(key) ?? [];
    if (hits.length === 1) return { remoteId: hits[0]! };
    // Keep looking: a later key may still identify the manager uniquely.
    problem ??= hits.length === 0
      ? { code: 'unresolved_manager', reason: `manager with ${label} ${key} is not in the snapshot` }
      : { code: 'ambiguous_manager', reason: `${hits.length} people have the manager's ${label} ${key}` };
  }
  return problem ? { remoteId: null, problem } : { remoteId: null };
}

function indexBy(items: readonly Unresolved[], key: (e: NormalisedEmployee) => string | null): Index {
  const index: Index = new Map();
  for (const { employee } of items) {
    const k = key(employee);
    if (!k) continue;
    const list = index.get(k);
    if (list) list.push(employee.remoteId);
    else index.set(k, [employee.remoteId]);
  }
  return index;
}

function issue(employee: NormalisedEmployee, code: RecordError['code'], reason: string): RecordError {
  return { remoteId: employee.remoteId, code, reason, dropped: false };
}
