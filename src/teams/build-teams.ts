import type { TeamKind } from '../directory/documents/team-extension.js';
import type { TeamStrategy } from './settings.js';

/**
 * The team builder (product.md, "Teams"): which teams the in-scope people of one connection form,
 * with reviewer, parent team and members. Pure: no store, no clock; the same input always gives the
 * same teams in the same order, so a run with no change in HR changes no team.
 */

export interface TeamPerson {
  userId: string;
  remoteId: string;
  displayName: string;
  firstName: string | null;
  /** The manager's id as the HR system gives it; it may name someone out of scope. */
  managerRemoteId: string | null;
  department: string | null;
}

export type { TeamKind };

export interface DesiredTeam {
  /** Unique per connection: `manager:<remote id>`, `department:<name, lower-cased>` or `unassigned`. */
  key: string;
  kind: TeamKind;
  displayName: string;
  manager: { userId: string; remoteId: string; displayName: string } | null;
  parentKey: string | null;
  /** Directory user ids, sorted. */
  memberIds: string[];
}

export interface BuildOptions {
  strategy: TeamStrategy;
  template: string;
  /** Lower-cased displayNames of groups the builder does not own: team names must avoid them. */
  takenNames?: ReadonlySet<string>;
}

export const UNASSIGNED_KEY = 'unassigned';
export const UNASSIGNED_NAME = 'Unassigned';

/** Remote ids are often numbers: shorter first keeps "9" before "10", and the order total. */
const byKey = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export function buildTeams(people: TeamPerson[], options: BuildOptions): DesiredTeam[] {
  const drafts = options.strategy === 'manager' ? byManager(people) : byDepartment(people);
  return named(drafts, options);
}

type Draft = Omit<DesiredTeam, 'displayName' | 'memberIds'> & { members: TeamPerson[]; nameFields: Record<string, string> };

const managerKey = (remoteId: string) => `manager:${remoteId}`;

/** In-scope manager of a person, or undefined (none, out of scope, or the person themself). */
function managerIn(byRemote: Map<string, TeamPerson>, p: TeamPerson): TeamPerson | undefined {
  if (!p.managerRemoteId || p.managerRemoteId === p.remoteId) return undefined;
  return byRemote.get(p.managerRemoteId);
}

/**
 * A team per manager with direct reports: reviewer the manager, members the reports, parent the
 * team the manager is a member of. The manager is not a member of their own team (they review it);
 * they are a member of their own manager's team. Unassigned holds people with neither manager nor
 * reports, and people whose manager is out of scope (an admin decides where they belong). A team
 * whose manager sits in Unassigned, or at the top, has no parent: Unassigned is a queue, not a
 * level of the org chart.
 */
function byManager(people: TeamPerson[]): Draft[] {
  const byRemote = new Map(people.map((p) => [p.remoteId, p]));
  const teams = new Map<string, Draft>();
  const unassigned: TeamPerson[] = [];
  const hasReports = new Set<string>();
  for (const p of people) {
    const m = managerIn(byRemote, p);
    if (m) hasReports.add(m.remoteId);
  }
  for (const p of people) {
    const m = managerIn(byRemote, p);
    if (!m) {
      if (p.managerRemoteId && p.managerRemoteId !== p.remoteId) unassigned.push(p);
      else if (!hasReports.has(p.remoteId)) unassigned.push(p);
      continue;
    }
    let team = teams.get(m.remoteId);
    if (!team) {
      const grand = managerIn(byRemote, m);
      team = {
        key: managerKey(m.remoteId),
        kind: 'team',
        manager: { userId: m.userId, remoteId: m.remoteId, displayName: m.displayName },
        parentKey: grand ? managerKey(grand.remoteId) : null,
        members: [],
        nameFields: { manager: m.displayName, managerFirstName: m.firstName ?? m.displayName, department: m.department ?? '' },
      };
      teams.set(m.remoteId, team);
    }
    team.members.push(p);
  }
  return withUnassigned([...teams.values()], unassigned);
}

/**
 * A team per department; its reviewer is the member highest in the manager hierarchy (ties: the
 * smallest HR id), its parent the department of that reviewer's manager. No department: Unassigned.
 */
function byDepartment(people: TeamPerson[]): Draft[] {
  const byRemote = new Map(people.map((p) => [p.remoteId, p]));
  const depthOf = new Map<string, number>();
  const depth = (p: TeamPerson): number => {
    const known = depthOf.get(p.remoteId);
    if (known !== undefined) return known;
    // Walk up iteratively (a chain may be thousands long) and stop at a cycle.
    const chain: TeamPerson[] = [];
    const seen = new Set<string>();
    let at: TeamPerson | undefined = p;
    let base = 0;
    while (at && !seen.has(at.remoteId)) {
      const d = depthOf.get(at.remoteId);
      if (d !== undefined) {
        base = d + 1;
        break;
      }
      seen.add(at.remoteId);
      chain.push(at);
      at = managerIn(byRemote, at);
    }
    for (let i = chain.length - 1; i >= 0; i--) depthOf.set(chain[i]!.remoteId, base + (chain.length - 1 - i));
    return depthOf.get(p.remoteId)!;
  };
  const groups = new Map<string, TeamPerson[]>();
  const unassigned: TeamPerson[] = [];
  for (const p of [...people].sort((a, b) => byKey(a.remoteId, b.remoteId))) {
    const name = p.department?.trim();
    if (!name) {
      unassigned.push(p);
      continue;
    }
    const key = `department:${name.toLowerCase()}`;
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  const reviewerOf = new Map<string, TeamPerson>();
  for (const [key, members] of groups) {
    reviewerOf.set(key, members.reduce((best, p) => (depth(p) < depth(best) ? p : best)));
  }
  const departmentKeyOf = (p: TeamPerson) => (p.department?.trim() ? `department:${p.department.trim().toLowerCase()}` : undefined);
  const drafts: Draft[] = [...groups].map(([key, members]) => {
    const reviewer = reviewerOf.get(key)!;
    const above = managerIn(byRemote, reviewer);
    const parentKey = above ? departmentKeyOf(above) : undefined;
    return {
      key,
      kind: 'department',
      manager: { userId: reviewer.userId, remoteId: reviewer.remoteId, displayName: reviewer.displayName },
      parentKey: parentKey && parentKey !== key && groups.has(parentKey) ? parentKey : null,
      members,
      nameFields: { manager: reviewer.displayName, managerFirstName: reviewer.firstName ?? reviewer.displayName, department: members[0]!.department!.trim() },
    };
  });
  return withUnassigned(drafts, unassigned);
}

function withUnassigned(drafts: Draft[], unassigned: TeamPerson[]): Draft[] {
  if (unassigned.length === 0) return drafts;
  return [...drafts, { key: UNASSIGNED_KEY, kind: 'unassigned', manager: null, parentKey: null, members: unassigned, nameFields: {} }];
}

export function renderName(template: string, fields: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => fields[name] ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * DisplayNames are unique per tenant, case-insensitively: Unassigned first, then teams in key order,
 * each taking its rendered name or, when that is taken (two managers called Alex Kim, or a group
 * someone else made), the first free "name (2)", "name (3)"…
 */
function named(drafts: Draft[], options: BuildOptions): DesiredTeam[] {
  const used = new Set(options.takenNames ?? []);
  const ordered = [...drafts].sort((a, b) => (a.kind === 'unassigned' ? -1 : b.kind === 'unassigned' ? 1 : byKey(a.key, b.key)));
  return ordered.map(({ members, nameFields, ...team }) => {
    const base = (team.kind === 'unassigned' ? UNASSIGNED_NAME : renderName(options.template, nameFields)) || team.key;
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base} (${n})`;
    used.add(name.toLowerCase());
    return { ...team, displayName: name, memberIds: members.map((m) => m.userId).sort() };
  });
}
