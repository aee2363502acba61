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
}

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
  const operations: PlanOperation[] = [];
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
        const lifecycle = input.onboarding === 'auto' ? 'invited' : 'candidate';
        operations.push({ kind: 'create', remoteId: e.remoteId, lifecycle, employee: e, reason: `new in HR (${input.onboarding} onboarding)` });
      } else if (!mine) {
        operations.push({ kind: 'link', userId: user.id, remoteId: e.remoteId, employee: e, reason: 'same work email as an existing user' });
      } else if (user.lifecycle === 'archived') {
        operations.push({ kind: 'reactivate', userId: user.id, remoteId: e.remoteId, employee: e, reason: 're-hired in HR' });
      } else {
        const changed = changedHrFields(user.hr, hrFieldsOf(e));
        if (changed.length > 0) operations.push({ kind: 'update', userId: user.id, remoteId: e.remoteId, employee: e, changed, reason: `changed in HR: ${changed.join(', ')}` });
        else unchanged++;
      }
      continue;
    }
    if (!user || !mine || user.lifecycle === 'archived') {
      skip(e, user, skipReason(e, employed, user, mine, input.today));
      continue;
    }
    if (!employed) operations.push({ kind: 'archive', userId: user.id, remoteId: e.remoteId, employee: e, reason: leftReason(e, input.today) });
    else operations.push({ kind: 'release', userId: user.id, remoteId: e.remoteId, reason: "no longer matches the connection's filter" });
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
