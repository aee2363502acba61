import { and, eq, ne } from 'drizzle-orm';
import { DomainError } from '../../scim/errors.js';
import type { Executor } from '../db/client.js';
import { connections } from '../db/schema.js';
import { releaseTeams } from '../directory/groups/team-writes.js';
import type { ChangeSource } from '../events/append.js';
import { loadDirectoryUsers } from '../sync/directory-users.js';
import { loadSnapshot } from '../sync/snapshot.js';
import { teamPeople } from '../teams/people.js';
import { applyTeamPlan, planTeams, teamPreview, type TeamPlan, type TeamPreview } from '../teams/plan-teams.js';
import { teamSettingsSchema, teamSyncState, templateOf, type TeamSettingsInput, type TeamSyncState } from '../teams/settings.js';
import type { ConnectionRow } from './connection.js';
import { claimConnection } from './lease.js';
import { releaseLease } from './outcome.js';
import { findConnection, type ConnectionDeps } from './service.js';

/**
 * Team sync of a connection (product.md, "Teams"): settings, preview, enable (which replaces the
 * tenant's teams, after the admin confirms), and stop (the teams stay, editable). Runs keep the
 * teams in step afterwards (sync/run-teams.ts).
 */

export interface TeamSyncView {
  connectionId: string;
  enabled: boolean;
  strategy: TeamSyncState['strategy'];
  nameTemplate: string;
  enabledAt: string | null;
  enabledBy: string | null;
}

export function teamSyncView(row: ConnectionRow): TeamSyncView {
  const state = teamSyncState(row.teamSync);
  return {
    connectionId: row.id,
    enabled: state.enabled,
    strategy: state.strategy,
    nameTemplate: templateOf(state),
    enabledAt: state.enabledAt ?? null,
    enabledBy: state.enabledBy ?? null,
  };
}

function parseSettings(body: unknown): TeamSettingsInput {
  const parsed = teamSettingsSchema.safeParse(body ?? {});
  if (!parsed.success) throw new DomainError('invalid_value', parsed.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

const stored = (state: TeamSyncState): Record<string, unknown> => ({ ...state });

async function writeState(db: Executor, row: ConnectionRow, state: TeamSyncState): Promise<ConnectionRow> {
  const [updated] = await db
    .update(connections)
    .set({ teamSync: stored(state), updatedAt: new Date() })
    .where(and(eq(connections.tenantId, row.tenantId), eq(connections.id, row.id)))
    .returning();
  return updated!;
}

const open = async (db: Executor, tenantId: string, id: string) => {
  const row = await findConnection(db, tenantId, id);
  if (row.status === 'disconnected') throw new DomainError('conflict', `Connection ${id} is disconnected`);
  return row;
};

export async function getTeamSync(db: Executor, tenantId: string, id: string): Promise<TeamSyncView> {
  return teamSyncView(await findConnection(db, tenantId, id));
}

/** Strategy and name template; while on, the next run regroups and renames accordingly. */
export async function configureTeamSync(db: Executor, tenantId: string, id: string, body: unknown): Promise<TeamSyncView> {
  const settings = parseSettings(body);
  const row = await open(db, tenantId, id);
  const state = teamSyncState(row.teamSync);
  return teamSyncView(await writeState(db, row, { ...state, ...settings }));
}

/** The teams the connection's people form now, from the directory and the last HR snapshot. */
async function plan(db: Executor, row: ConnectionRow, settings: TeamSettingsInput, replaceOthers: boolean): Promise<TeamPlan> {
  const state = { ...teamSyncState(row.teamSync), ...settings };
  const [users, employees] = await Promise.all([loadDirectoryUsers(db, row.tenantId), loadSnapshot(db, row.id)]);
  const people = teamPeople({ connectionId: row.id, users, employees, operations: [], userIdOf: new Map() });
  return planTeams(db, { tenantId: row.tenantId, connection: { id: row.id, provider: row.provider }, settings: state, people, replaceOthers });
}

export type TeamSyncPreview = TeamPreview & { settings: { strategy: TeamSyncState['strategy']; nameTemplate: string } };

/**
 * What enabling would do, writing nothing: the teams to create (reviewer, parent, members), the
 * tenant's existing teams to remove. Settings in the body are tried without being saved.
 */
export async function previewTeamSync(db: Executor, tenantId: string, id: string, body: unknown): Promise<TeamSyncPreview> {
  const settings = parseSettings(body);
  const row = await open(db, tenantId, id);
  const state = { ...teamSyncState(row.teamSync), ...settings };
  const result = await plan(db, row, settings, !state.enabled);
  return { settings: { strategy: state.strategy, nameTemplate: templateOf(state) }, ...teamPreview(result) };
}

/**
 * Enable, once the admin has seen the preview: replaces every group of the tenant with the teams
 * (each change through the change feed), under the connection's lease so no run writes at the same
 * time, then turns team sync on with the settings given.
 */
export async function enableTeamSync(deps: ConnectionDeps, tenantId: string, id: string, body: unknown, actor: string, source: ChangeSource): Promise<TeamSyncView & { preview: TeamPreview }> {
  const { confirm, ...rest } = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (confirm !== true) throw new DomainError('invalid_value', 'confirm: must be true; enabling team sync replaces the tenant\'s teams (see the preview first)');
  const settings = parseSettings(rest);
  const current = await open(deps.db, tenantId, id);
  if (teamSyncState(current.teamSync).enabled) throw new DomainError('conflict', `Team sync of connection ${id} is already on`);
  // One org chart per tenant: a second connection's team sync would replace the first one's teams.
  const others = await deps.db.select().from(connections).where(and(eq(connections.tenantId, tenantId), ne(connections.id, id)));
  const owner = others.find((o) => o.status !== 'disconnected' && teamSyncState(o.teamSync).enabled);
  if (owner) throw new DomainError('conflict', `Team sync is already on for connection ${owner.id} of this tenant; stop it there first`);
  const row = await claimConnection(deps.db, deps.owner, deps.leaseSeconds, tenantId, id);
  if (!row) throw new DomainError('conflict', `A sync of connection ${id} is running; enable team sync when it has finished`);
  try {
    const result = await plan(deps.db, row, settings, true);
    await applyTeamPlan(deps.db, { tenantId, connectionId: id, source }, result);
    const state: TeamSyncState = { ...teamSyncState(row.teamSync), ...settings, enabled: true, enabledAt: (deps.now?.() ?? new Date()).toISOString(), enabledBy: actor };
    const updated = await writeState(deps.db, row, state);
    return { ...teamSyncView(updated), preview: teamPreview(result) };
  } finally {
    await releaseLease(deps.db, id, deps.owner);
  }
}

/** Stop: the teams stay, no longer owned by the connection, and are editable like any group. */
export async function disableTeamSync(deps: ConnectionDeps, tenantId: string, id: string, source: ChangeSource): Promise<TeamSyncView & { released: number }> {
  const current = await open(deps.db, tenantId, id);
  if (!teamSyncState(current.teamSync).enabled) throw new DomainError('conflict', `Team sync of connection ${id} is not on`);
  const row = await claimConnection(deps.db, deps.owner, deps.leaseSeconds, tenantId, id);
  if (!row) throw new DomainError('conflict', `A sync of connection ${id} is running; stop team sync when it has finished`);
  try {
    return await deps.db.transaction(async (tx) => {
      const x = tx as unknown as Executor;
      const released = await releaseTeams(x, { tenantId, connectionId: id, source });
      const state = teamSyncState(row.teamSync);
      const { enabledAt: _at, enabledBy: _by, ...rest } = state;
      const updated = await writeState(x, row, { ...rest, enabled: false });
      return { ...teamSyncView(updated), released };
    });
  } finally {
    await releaseLease(deps.db, id, deps.owner);
  }
}
