import { changedHrFields, hrFieldsOf } from './hr-fields.js';
import type { DirectoryUser, Plan, PlanConflict, PlanCounts, PlanOperation, PlanSkip } from './plan-types.js';
import { isEmployed, matchesRules, type PlannedEmployee, type ScopeRule } from './scope.js';

export interface PlanInput {
  connectionId: string;
  employees: PlannedEmployee[];
  /** True for a full snapshot: a managed person missing from it has left. Incremental runs infer no deletions. */
  complete: boolean;
  users: DirectoryUser[];
  rules: ScopeRule[];
  onboarding: 'review' | 'auto';
  /** Share of managed users (0–100) a run may archive or release before it is held. */
  safetyThresholdPercent: number;
  /** ISO date (YYYY-MM-DD) that decides past and future termination dates. */
  today: string;
  /** An admin approved this run after a safety stop. */
  approved?: boolean;
  /**
   * Point each report only at a manager who is, or after this plan will be, one of the
   * connection's users; any other manager (out of scope, no work email, a duplicate) counts as
   * none, which keeps "manager changed" from firing on every run. A sync run sets it.
   */
  onlyResolvableManagers?: boolean;
}

/**
 * What the plan does with one HR record, decided before managers are looked at: whether a record
 * becomes a user never depends on its manager, so the decisions tell who can be pointed at.
 * `current` is a managed user whose fields are compared once the manager is known.
 */
type Decision =
  | { kind: 'create'; e: PlannedEmployee; reason: string }
  | { kind: 'link' | 'reactivate' | 'archive'; e: PlannedEmployee; user: DirectoryUser; reason: string }
  | { kind: 'current'; e: PlannedEmployee; user: DirectoryUser }
  | { kind: 'release'; e: PlannedEmployee; user: DirectoryUser };

/** The safety stop never holds a run that removes fewer than this many users. */
export const SAFETY_MINIMUM = 5;

/**
 * Diffs an HR snapshot against the directory. Pure: the same input gives the same plan, so a
 * preview shows exactly what an apply would do. Links by remote id, then by work email
 * (case-insensitive), and never takes over a user another connection manages.
 */
export function planSync(input: PlanInput): Plan {
  const byRemote = new Map<string, DirectoryUser>();
  const byEmail = new Map<string, DirectoryUser>();
  for (const u of input.users) {
    if (u.connectionId === input.connectionId && u.remoteId) byRemote.set(u.remoteId, u);
    for (const email of [u.userName, ...u.emails]) {
      const key = email.toLowerCase();
      if (!byEmail.has(key)) byEmail.set(key, u);
    }
  }
  const decisions: Decision[] = [];
  const conflicts: PlanConflict[] = [];
  const seen = new Set<string>();
  let unchanged = 0;
  const skipped: PlanSkip[] = [];
  const skip = (e: PlannedEmployee, user: DirectoryUser | undefined, reason: string) =>
    skipped.push({ remoteId: e.remoteId, email: e.workEmail ?? null, userId: user?.id ?? null, reason });
  // Two HR records with one work email (HR data entry happens): the first gets the user, the rest are reported.
  const emailTakenBy = new Map<string, string>();

  for (const e of input.employees) {
    seen.add(e.remoteId);
    const employed = isEmployed(e, input.today);
    const inScope = employed && matchesRules(e, input.rules);
    let user = byRemote.get(e.remoteId);
    if (!user && e.workEmail) {
      const candidate = byEmail.get(e.workEmail.toLowerCase());
      if (candidate && candidate.management === 'managed' && candidate.connectionId !== input.connectionId) {
        conflicts.push({ remoteId: e.remoteId, userId: candidate.id, reason: `${e.workEmail} is managed by another connection` });
        continue;
      }
      if (candidate && candidate.connectionId === input.connectionId && candidate.remoteId && candidate.remoteId !== e.remoteId) {
        // The address is another HR record's (two records, one email): never act on that record's user.
        const reason = `work email ${e.workEmail} is also employee ${candidate.remoteId}'s`;
        skip(e, undefined, reason);
        if (inScope) conflicts.push({ remoteId: e.remoteId, userId: candidate.id, reason });
        continue;
      }
      user = candidate;
    }
    const mine = user?.management === 'managed' && user.connectionId === input.connectionId;
    const emailKey = e.workEmail?.toLowerCase();
    if (inScope && emailKey) {
      const owner = emailTakenBy.get(emailKey);
      if (owner !== undefined) {
        const reason = `work email ${e.workEmail} is also employee ${owner}'s`;
        skip(e, user, reason);
        conflicts.push({ remoteId: e.remoteId, userId: user?.id ?? '', reason });
        continue;
      }
      emailTakenBy.set(emailKey, e.remoteId);
    }

    if (inScope) {
      if (!user) {
        if (!e.workEmail) {
          const reason = 'no work email: cannot be invited or matched';
          skip(e, undefined, reason);
          conflicts.push({ remoteId: e.remoteId, userId: '', reason });
          continue;
        }
        decisions.push({ kind: 'create', e, reason: `new in HR (${input.onboarding} onboarding)` });
      } else if (!mine) {
        decisions.push({ kind: 'link', e, user, reason: 'same work email as an existing user' });
      } else if (user.lifecycle === 'archived') {
        decisions.push({ kind: 'reactivate', e, user, reason: 're-hired in HR' });
      } else {
        decisions.push({ kind: 'current', e, user });
      }
      continue;
    }
    if (!user || !mine || user.lifecycle === 'archived') {
      skip(e, user, skipReason(e, employed, user, mine, input.today));
      continue;
    }
    if (!employed) decisions.push({ kind: 'archive', e, user, reason: leftReason(e, input.today) });
    else decisions.push({ kind: 'release', e, user });
  }

  const resolvable = input.onlyResolvableManagers ? resolvableManagers(input, decisions) : undefined;
  const withManager = (e: PlannedEmployee): PlannedEmployee =>
    resolvable && e.managerRemoteId && !resolvable.has(e.managerRemoteId) ? { ...e, managerRemoteId: null } : e;
  const lifecycle = input.onboarding === 'auto' ? 'invited' : 'candidate';
  const operations: PlanOperation[] = [];
  for (const d of decisions) {
    const { e } = d;
    switch (d.kind) {
      case 'create':
        operations.push({ kind: 'create', remoteId: e.remoteId, lifecycle, employee: withManager(e), reason: d.reason });
        break;
      case 'link':
      case 'reactivate':
      case 'archive':
        operations.push({ kind: d.kind, userId: d.user.id, remoteId: e.remoteId, employee: withManager(e), reason: d.reason });
        break;
      case 'current': {
        const employee = withManager(e);
        const changed = changedHrFields(d.user.hr, hrFieldsOf(employee));
        if (changed.length > 0) operations.push({ kind: 'update', userId: d.user.id, remoteId: e.remoteId, employee, changed, reason: `changed in HR: ${changed.join(', ')}` });
        else unchanged++;
        break;
      }
      case 'release':
        operations.push({ kind: 'release', userId: d.user.id, remoteId: e.remoteId, reason: "no longer matches the connection's filter" });
        break;
      default: {
        const unreachable: never = d;
        throw new Error(`unknown decision ${JSON.stringify(unreachable)}`);
      }
    }
  }

  if (input.complete) {
    for (const u of input.users) {
      if (u.connectionId !== input.connectionId || u.management !== 'managed' || u.lifecycle === 'archived') continue;
      if (u.remoteId && !seen.has(u.remoteId)) operations.push({ kind: 'archive', userId: u.id, remoteId: u.remoteId, reason: 'no longer in the HR system' });
    }
  }

  const counts = countOf(operations, unchanged, skipped.length, conflicts.length);
  const held = input.approved ? undefined : safetyStop(input, counts);
  return { counts, operations, conflicts, skipped, ...(held ? { held } : {}) };
}

/**
 * Remote ids a report may point at: the connection's users, and everyone this plan acts on. A
 * managed user without a remote id (linked by email) is acted on only when a field differs, and
 * that comparison is made with the manager as HR gives it, as a plan without this rule would.
 */
function resolvableManagers(input: PlanInput, decisions: Decision[]): Set<string> {
  const resolvable = new Set<string>();
  for (const u of input.users) if (u.connectionId === input.connectionId && u.remoteId) resolvable.add(u.remoteId);
  for (const d of decisions) {
    if (d.kind !== 'current') resolvable.add(d.e.remoteId);
    else if (!resolvable.has(d.e.remoteId) && changedHrFields(d.user.hr, hrFieldsOf(d.e)).length > 0) resolvable.add(d.e.remoteId);
  }
  return resolvable;
}

/** Why an HR record out of scope (or no longer employed) changes nobody. */
function skipReason(e: PlannedEmployee, employed: boolean, user: DirectoryUser | undefined, mine: boolean, today: string): string {
  const why = employed ? "outside the connection's scope" : `no longer employed (${leftReason(e, today)})`;
  if (user && mine) return `${why}; already archived`;
  if (user) return `${why}; ${user.userName} is not managed by this connection`;
  return why;
}

function leftReason(e: PlannedEmployee, today: string): string {
  if (e.terminationDate && e.terminationDate.slice(0, 10) <= today) return `terminated on ${e.terminationDate.slice(0, 10)}`;
  return `HR status ${e.status}`;
}

function countOf(ops: PlanOperation[], unchanged: number, skipped: number, conflicts: number): PlanCounts {
  const counts: PlanCounts = { create: 0, link: 0, update: 0, reactivate: 0, archive: 0, release: 0, unchanged, skipped, conflicts };
  for (const op of ops) counts[op.kind]++;
  return counts;
}

/** product.md "Safety stop": too many removals, or an HR system that suddenly returns no one. */
function safetyStop(input: PlanInput, counts: PlanCounts): Plan['held'] {
  const managed = input.users.filter((u) => u.connectionId === input.connectionId && u.management === 'managed' && u.lifecycle !== 'archived').length;
  const removals = counts.archive + counts.release;
  const threshold = Math.max(SAFETY_MINIMUM, Math.floor((managed * input.safetyThresholdPercent) / 100));
  if (input.complete && input.employees.length === 0 && managed > 0) {
    return { reason: `the HR system returned no employees while ${managed} users are managed`, removals, managed, threshold };
  }
  if (removals > threshold) {
    return { reason: `${removals} of ${managed} managed users would be archived or released (limit ${threshold})`, removals, managed, threshold };
  }
  return undefined;
}
