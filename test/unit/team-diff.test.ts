import { describe, expect, it } from 'vitest';
import { URN } from '../../scim/schemas/urns.js';
import type { DirectoryUser, PlanOperation } from '../../src/sync/plan-types.js';
import type { PlannedEmployee } from '../../src/sync/scope.js';
import type { DesiredTeam } from '../../src/teams/build-teams.js';
import { diffTeams, type CurrentGroup } from '../../src/teams/diff-teams.js';
import { teamPeople } from '../../src/teams/people.js';
import { teamDoc } from '../../src/teams/team-doc.js';

const connection = { id: 'c1', provider: 'bamboohr' };
const team = (key: string, name: string, members: string[], parentKey: string | null = null): DesiredTeam => ({
  key,
  kind: 'team',
  displayName: name,
  manager: { userId: `m-${key}`, remoteId: key, displayName: name },
  parentKey,
  memberIds: members,
});
/** A stored team as the diff would have written it. */
const stored = (id: string, t: DesiredTeam, parent: { id: string; displayName: string } | null = null, version = 3): CurrentGroup => ({
  id,
  key: t.key,
  displayName: t.displayName,
  doc: teamDoc({ displayName: t.displayName, kind: t.kind, key: t.key, manager: t.manager, parent, connection }),
  version,
  memberIds: t.memberIds,
});

describe('team diff', () => {
  const a = team('manager:1', "A's team", ['u2', 'u3']);
  const b = team('manager:2', "B's team", ['u4'], 'manager:1');
  const current = [stored('g1', a), stored('g2', b, { id: 'g1', displayName: "A's team" })];

  it.each([
    ['nothing changed: nothing to write', [a, b], { create: 0, update: 0, remove: 0, addMembers: 0, removeMembers: 0, touched: 0 }],
    ['a move: one member out, one in, both teams touched, no document change', [team('manager:1', "A's team", ['u2']), team('manager:2', "B's team", ['u3', 'u4'], 'manager:1')], { update: 0, addMembers: 1, removeMembers: 1, touched: 2 }],
    ['a rename: both documents change (the child shows the parent name)', [team('manager:1', "Zed's team", ['u2', 'u3']), b], { create: 0, update: 2, touched: 0 }],
    ['a manager leaves: the team goes, the rest stays as it is', [a], { remove: 1, update: 0, touched: 0 }],
    ['a new manager: a new team with its members', [a, b, team('manager:9', "N's team", ['u7', 'u8'])], { create: 1, addMembers: 2 }],
  ])('%s', (_name, desired, counts) => {
    const changes = diffTeams({ desired, current, connection });
    const actual = Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.length]));
    expect(actual).toMatchObject(counts);
  });

  it('keeps ids across renames and records what changed', () => {
    const changes = diffTeams({ desired: [team('manager:1', "Zed's team", ['u2', 'u3']), b], current, connection });
    const renamed = changes.update.find((u) => u.id === 'g1')!;
    // The reviewer's display changes with the name here, so the extension changes too.
    expect(renamed).toMatchObject({ displayName: "Zed's team", was: "A's team", version: 3, changed: ['displayName', URN.teamGroup] });
    expect(changes.update.find((u) => u.id === 'g2')!.doc[URN.teamGroup]).toMatchObject({ parent: { value: 'g1', display: "Zed's team" } });
  });

  it('enabling removes the other groups too', () => {
    const other: CurrentGroup = { id: 'x', key: null, displayName: 'Hand-made', doc: { schemas: [URN.group], displayName: 'Hand-made' }, version: 1, memberIds: [] };
    expect(diffTeams({ desired: [a, b], current, replace: [other], connection }).remove.map((r) => r.id)).toEqual(['x']);
  });
});

describe('the people of a run', () => {
  const employee = (remoteId: string, manager: string | null): PlannedEmployee => ({
    remoteId,
    workEmail: `${remoteId}@acme.test`,
    firstName: `F${remoteId}`,
    lastName: 'L',
    displayName: null,
    status: 'active',
    terminationDate: null,
    managerRemoteId: manager,
  });
  const user = (id: string, remoteId: string, lifecycle: DirectoryUser['lifecycle'] = 'active', connectionId = 'c1'): DirectoryUser => ({
    id,
    userName: `${remoteId}@acme.test`,
    emails: [],
    lifecycle,
    management: 'managed',
    connectionId,
    remoteId,
    hr: { displayName: `Stored ${remoteId}`, managerRemoteId: null, department: null, givenName: null },
  });
  const employees = ['1', '2', '3', '4'].map((id) => employee(id, id === '1' ? null : '1'));
  const ops: PlanOperation[] = [
    { kind: 'create', remoteId: '4', lifecycle: 'invited', employee: employees[3]!, reason: 'new' },
    { kind: 'archive', userId: 'u2', remoteId: '2', reason: 'left' },
  ];

  it.each([
    ['the directory alone: archived and other connections are out', [], new Map(), ['u1:1', 'u2:2']],
    ['a preview: creates get a stand-in, archives drop out', ops, new Map(), ['u1:1', 'new:4:4']],
    ['an apply: creates get their new ids', ops, new Map([['4', 'u4']]), ['u1:1', 'u4:4']],
  ])('%s', (_name, operations, userIdOf, expected) => {
    const users = [user('u1', '1'), user('u2', '2'), user('u3', '3', 'archived'), user('u9', '9', 'active', 'c2')];
    const people = teamPeople({ connectionId: 'c1', users, employees, operations, userIdOf });
    expect(people.map((p) => `${p.userId}:${p.remoteId}`).sort()).toEqual(expected.sort());
    // The manager as HR names it, and the name from the HR record of this run.
    expect(people.find((p) => p.remoteId === '1')).toMatchObject({ managerRemoteId: null, displayName: 'F1 L', firstName: 'F1' });
  });
});
