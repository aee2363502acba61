import type { NormalisedEmployee, RecordError } from '../contract.js';
import type { DeelManagerRef, MappedPerson } from './map.js';

/**
 * Managers across pages. Deel names a manager by HRIS profile id (the remote id itself), so
 * most people are final as soon as their page arrives and are passed on at once; only those
 * whose manager comes as a worker id or email alone wait for the end of the read, when every
 * person has been seen (a manager may sit on a later page than their reports). The indexes
 * hold two strings per person, never the records.
 */
export interface ManagerResolver {
  /** Records the person's keys; returns the employee when final, undefined when it waits. */
  add(person: MappedPerson): { employee: NormalisedEmployee; error?: RecordError } | undefined;
  /** The waiting people, resolved against everyone seen. */
  finish(): { employees: NormalisedEmployee[]; errors: RecordError[] };
}

export function createManagerResolver(): ManagerResolver {
  const byWorkerId = new Map<string, string | typeof many>();
  const byEmail = new Map<string, string | typeof many>();
  const waiting: MappedPerson[] = [];

  return {
    add(person) {
      note(byWorkerId, person.workerId, person.employee.remoteId);
      note(byEmail, person.employee.workEmail?.toLowerCase() ?? null, person.employee.remoteId);
      const { remoteId, workerId, workEmail } = person.manager;
      if (remoteId !== null || (workerId === null && workEmail === null)) return settle(person.employee, remoteId);
      waiting.push(person);
      return undefined;
    },
    finish() {
      const employees: NormalisedEmployee[] = [];
      const errors: RecordError[] = [];
      for (const person of waiting) {
        const found = lookup(person.manager, byWorkerId, byEmail);
        const settled = settle(person.employee, found.remoteId, found.problem);
        employees.push(settled.employee);
        if (settled.error) errors.push(settled.error);
      }
      waiting.length = 0;
      return { employees, errors };
    },
  };
}

const many = Symbol('many');

function note(index: Map<string, string | typeof many>, key: string | null, remoteId: string): void {
  if (key === null) return;
  const existing = index.get(key);
  index.set(key, existing === undefined || existing === remoteId ? remoteId : many);
}

function lookup(ref: DeelManagerRef, byWorkerId: Map<string, string | typeof many>, byEmail: Map<string, string | typeof many>): {
  remoteId: string | null;
  problem?: Pick<RecordError, 'code' | 'reason'>;
} {
  let problem: Pick<RecordError, 'code' | 'reason'> | undefined;
  for (const [label, key, index] of [
    ['worker id', ref.workerId, byWorkerId],
    ['work email', ref.workEmail?.toLowerCase() ?? null, byEmail],
  ] as const) {
    if (key === null) continue;
    const hit = index.get(key);
    if (typeof hit === 'string') return { remoteId: hit };
    // Keep looking: the next key may still name the manager uniquely.
    problem ??= hit === undefined
      ? { code: 'unresolved_manager', reason: `manager with ${label} ${key} is not among the people this token can list` }
      : { code: 'ambiguous_manager', reason: `several people have the manager's ${label} ${key}` };
  }
  return { remoteId: null, ...(problem ? { problem } : {}) };
}

function settle(employee: NormalisedEmployee, managerRemoteId: string | null, problem?: Pick<RecordError, 'code' | 'reason'>): { employee: NormalisedEmployee; error?: RecordError } {
  if (managerRemoteId !== null && managerRemoteId === employee.remoteId) {
    return { employee, error: { remoteId: employee.remoteId, code: 'unresolved_manager', reason: 'is recorded as their own manager', dropped: false } };
  }
  const settled = managerRemoteId === null ? employee : { ...employee, managerRemoteId };
  return problem ? { employee: settled, error: { remoteId: employee.remoteId, ...problem, dropped: false } } : { employee: settled };
}
