import type { ResourceDoc } from '../../scim/resource/document.js';
import { uuidv7 } from '../db/ids.js';
import { changedAttributes } from '../events/append.js';
import type { DesiredTeam } from './build-teams.js';
import { teamDoc } from './team-doc.js';
import type { CurrentGroup, TeamChanges } from '../directory/documents/team-extension.js';

export type { CurrentGroup, TeamChanges };

export interface DiffInput {
  desired: DesiredTeam[];
  /** This connection's managed teams. */
  current: CurrentGroup[];
  /** Other groups to remove (enabling replaces the tenant's teams); empty on a regular run. */
  replace?: CurrentGroup[];
  connection: { id: string; provider: string };
}

/**
 * What to write so the store holds exactly the desired teams: matched by key, so a renamed manager's
 * team keeps its id (and its place in the app on top); a team that loses its last report goes away.
 */
export function diffTeams(input: DiffInput): TeamChanges {
  const byKey = new Map(input.current.filter((c) => c.key).map((c) => [c.key!, c]));
  const idOf = new Map<string, string>();
  for (const t of input.desired) idOf.set(t.key, byKey.get(t.key)?.id ?? uuidv7());
  const nameOf = new Map(input.desired.map((t) => [t.key, t.displayName]));
  const changes: TeamChanges = { create: [], update: [], remove: [], addMembers: [], removeMembers: [], touched: [] };
  for (const t of input.desired) {
    const id = idOf.get(t.key)!;
    const doc = teamDoc({
      displayName: t.displayName,
      kind: t.kind,
      key: t.key,
      manager: t.manager,
      parent: t.parentKey && idOf.has(t.parentKey) ? { id: idOf.get(t.parentKey)!, displayName: nameOf.get(t.parentKey)! } : null,
      connection: input.connection,
    });
    const current = byKey.get(t.key);
    if (!current) {
      changes.create.push({ id, key: t.key, displayName: t.displayName, doc });
      for (const m of t.memberIds) changes.addMembers.push({ groupId: id, memberId: m });
      continue;
    }
    const had = new Set(current.memberIds);
    const wanted = new Set(t.memberIds);
    let moved = false;
    for (const m of t.memberIds) if (!had.has(m)) (changes.addMembers.push({ groupId: id, memberId: m }), (moved = true));
    for (const m of current.memberIds) if (!wanted.has(m)) (changes.removeMembers.push({ groupId: id, memberId: m }), (moved = true));
    const changed = changedAttributes(current.doc, doc);
    if (changed.length > 0) changes.update.push({ id, key: t.key, displayName: t.displayName, doc, version: current.version, changed, was: current.displayName });
    else if (moved) changes.touched.push({ id, version: current.version });
  }
  const kept = new Set(input.desired.map((t) => t.key));
  for (const c of [...input.current.filter((g) => !g.key || !kept.has(g.key)), ...(input.replace ?? [])]) {
    changes.remove.push({ id: c.id, displayName: c.displayName, doc: c.doc, version: c.version });
  }
  return changes;
}

export const noTeamChanges = (c: TeamChanges) =>
  c.create.length + c.update.length + c.remove.length + c.addMembers.length + c.removeMembers.length === 0;
