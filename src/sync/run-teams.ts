import type { ConnectionRow } from '../connections/connection.js';
import type { Executor } from '../db/client.js';
import { teamPeople } from '../teams/people.js';
import { applyTeamPlan, planTeams, teamCounts, teamRecord } from '../teams/plan-teams.js';
import { teamSyncState } from '../teams/settings.js';
import type { DirectoryUser, PlanOperation } from './plan-types.js';
import type { PlannedEmployee } from './scope.js';

export interface TeamRunInput {
  connection: ConnectionRow;
  /** The directory as the run found it, before its user changes. */
  users: DirectoryUser[];
  employees: PlannedEmployee[];
  operations: PlanOperation[];
  userIdOf: Map<string, string>;
  /** false for a preview: plan only. */
  write: boolean;
  /** HR ids whose operation failed to apply: they may have no user, so no team counts them this run. */
  failed?: Set<string>;
}

export interface TeamRunResult {
  counts: Record<string, number>;
  record: ReturnType<typeof teamRecord>;
}

/**
 * The team part of a run, when the connection's team sync is on: plan the teams the run's people
 * form and, when applying, write them. Undefined when team sync is off.
 */
export async function syncTeams(db: Executor, input: TeamRunInput): Promise<TeamRunResult | undefined> {
  const state = teamSyncState(input.connection.teamSync);
  if (!state.enabled) return undefined;
  const connection = { id: input.connection.id, provider: input.connection.provider };
  const operations = input.failed?.size ? input.operations.filter((op) => !op.remoteId || !input.failed!.has(op.remoteId) || op.kind !== 'create') : input.operations;
  const people = teamPeople({ connectionId: connection.id, users: input.users, employees: input.employees, operations, userIdOf: input.userIdOf });
  const plan = await planTeams(db, { tenantId: input.connection.tenantId, connection, settings: state, people, replaceOthers: false });
  if (input.write) await applyTeamPlan(db, { tenantId: input.connection.tenantId, connectionId: connection.id, source: { kind: 'connection', id: connection.id } }, plan);
  return { counts: teamCounts(plan), record: teamRecord(plan) };
}
