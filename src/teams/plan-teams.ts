import type { Executor } from '../db/client.js';
import { loadTeamGroups, writeTeamChanges, type TeamWriteScope } from '../directory/groups/team-writes.js';
import { buildTeams, type DesiredTeam, type TeamPerson } from './build-teams.js';
import { diffTeams, type TeamChanges } from './diff-teams.js';
import { templateOf, type TeamSyncState } from './settings.js';

export interface TeamPlanInput {
  tenantId: string;
  connection: { id: string; provider: string };
  settings: Pick<TeamSyncState, 'strategy' | 'nameTemplate'>;
  people: TeamPerson[];
  /** Enabling: every group of the tenant the connection does not own is removed (product.md, "Teams"). */
  replaceOthers: boolean;
}

export interface TeamPlan {
  desired: DesiredTeam[];
  changes: TeamChanges;
  people: TeamPerson[];
}

/** Reads the connection's teams (and the other groups' names) and diffs them against the teams the people form. */
export async function planTeams(db: Executor, input: TeamPlanInput): Promise<TeamPlan> {
  const { managed, others } = await loadTeamGroups(db, input.tenantId, input.connection.id, true);
  const takenNames = new Set(input.replaceOthers ? [] : others.map((g) => g.displayName.toLowerCase()));
  const desired = buildTeams(input.people, { strategy: input.settings.strategy, template: templateOf(input.settings), takenNames });
  const changes = diffTeams({ desired, current: managed, connection: input.connection, ...(input.replaceOthers ? { replace: others } : {}) });
  return { desired, changes, people: input.people };
}

export function applyTeamPlan(db: Executor, scope: TeamWriteScope, plan: TeamPlan): Promise<void> {
  return writeTeamChanges(db, scope, plan.changes);
}

/** Counts of a team plan, for a run's counts and an admin's preview. */
export function teamCounts(plan: TeamPlan): Record<string, number> {
  const c = plan.changes;
  return {
    teams: plan.desired.length,
    teamsCreated: c.create.length,
    teamsUpdated: c.update.length,
    teamsRemoved: c.remove.length,
    teamMembersAdded: c.addMembers.length,
    teamMembersRemoved: c.removeMembers.length,
    unassigned: plan.desired.find((t) => t.kind === 'unassigned')?.memberIds.length ?? 0,
  };
}

/** What a run records of its team changes: counts and the names, not every membership. */
export function teamRecord(plan: TeamPlan) {
  const c = plan.changes;
  return {
    counts: teamCounts(plan),
    created: c.create.map((t) => t.displayName),
    renamed: c.update.filter((u) => u.displayName !== u.was).map((u) => ({ from: u.was, to: u.displayName })),
    removed: c.remove.map((r) => r.displayName),
  };
}

/** The full preview an admin confirms before enabling: every team with reviewer, parent and members. */
export function teamPreview(plan: TeamPlan) {
  const nameOf = new Map(plan.people.map((p) => [p.userId, p.displayName]));
  const teamName = new Map(plan.desired.map((t) => [t.key, t.displayName]));
  const created = new Set(plan.changes.create.map((t) => t.key));
  return {
    ...teamRecord(plan),
    teams: plan.desired.map((t) => ({
      key: t.key,
      kind: t.kind,
      displayName: t.displayName,
      new: created.has(t.key),
      manager: t.manager ? { id: t.manager.userId, displayName: t.manager.displayName } : null,
      parent: t.parentKey ? (teamName.get(t.parentKey) ?? null) : null,
      members: t.memberIds.map((id) => ({ id, displayName: nameOf.get(id) ?? id })),
    })),
    removed: plan.changes.remove.map((r) => ({ id: r.id, displayName: r.displayName })),
  };
}
export type TeamPreview = ReturnType<typeof teamPreview>;
