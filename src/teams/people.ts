import type { DirectoryUser, PlanOperation } from '../sync/plan-types.js';
import type { PlannedEmployee } from '../sync/scope.js';
import type { TeamPerson } from './build-teams.js';

export interface TeamPeopleInput {
  connectionId: string;
  /** The directory before the run's user changes. */
  users: DirectoryUser[];
  /** The HR records as fetched (or the last snapshot), with the manager as HR names them. */
  employees: PlannedEmployee[];
  /** The run's user changes; none when teams are built from the directory as it is. */
  operations: PlanOperation[];
  /** Directory id per remote id, including the ids chosen for this run's creates (absent in a preview). */
  userIdOf: Map<string, string>;
}

/**
 * The in-scope employees of a connection after its run: managed by it and not archived (candidates
 * and invitations included: they are in the org chart already). Built from the directory plus the
 * run's operations, so a preview sees the teams the apply would build without writing a user.
 * The manager stays as HR names it, so a manager out of scope is told apart from no manager.
 */
export function teamPeople(input: TeamPeopleInput): TeamPerson[] {
  const present = new Map<string, string>();
  const remoteOfUser = new Map<string, string>();
  const fields = new Map<string, Record<string, unknown>>();
  for (const u of input.users) {
    if (u.connectionId !== input.connectionId || !u.remoteId || u.management !== 'managed') continue;
    remoteOfUser.set(u.id, u.remoteId);
    if (u.lifecycle !== 'archived') present.set(u.remoteId, u.id);
    if (u.hr) fields.set(u.remoteId, u.hr);
  }
  for (const op of input.operations) {
    switch (op.kind) {
      case 'create':
        // A preview has no id for a user it would create: a stand-in, never written.
        present.set(op.remoteId, input.userIdOf.get(op.remoteId) ?? `new:${op.remoteId}`);
        break;
      case 'link':
      case 'update':
      case 'reactivate':
        present.set(op.remoteId, op.userId);
        break;
      case 'archive':
      case 'release':
        present.delete(op.remoteId ?? remoteOfUser.get(op.userId) ?? '');
        break;
      default: {
        const unreachable: never = op;
        throw new Error(`unknown operation ${JSON.stringify(unreachable)}`);
      }
    }
  }
  const employeeOf = new Map(input.employees.map((e) => [e.remoteId, e]));
  const people: TeamPerson[] = [];
  for (const [remoteId, userId] of present) {
    const e = employeeOf.get(remoteId);
    if (e) {
      // The display name as the user document gets it (hr-doc.ts), read directly: this runs 50,000 times a sync.
      const displayName = e.displayName ?? ([e.firstName, e.lastName].filter(Boolean).join(' ') || e.workEmail || remoteId);
      people.push({ userId, remoteId, displayName, firstName: e.firstName, managerRemoteId: e.managerRemoteId, department: e.department?.name ?? null });
      continue;
    }
    // Without an HR record in this run (an incremental fetch), the fields last applied stand in.
    const hr = fields.get(remoteId);
    if (!hr) continue;
    people.push({
      userId,
      remoteId,
      displayName: String(hr.displayName ?? hr.workEmail ?? remoteId),
      firstName: (hr.givenName as string | null | undefined) ?? null,
      managerRemoteId: (hr.managerRemoteId as string | null | undefined) ?? null,
      department: (hr.department as string | null | undefined) ?? null,
    });
  }
  return people;
}
