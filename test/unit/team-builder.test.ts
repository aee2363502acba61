import { describe, expect, it } from 'vitest';
import { buildTeams, renderName, type TeamPerson } from '../../src/teams/build-teams.js';
import { teamSettingsSchema } from '../../src/teams/settings.js';

/** `id>manager` (or `id` for none), department after a slash: `b>a/Sales`. Names are "Person <id>". */
function org(spec: string): TeamPerson[] {
  return spec
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => {
      const [who, department] = s.split('/');
      const [id, manager] = who!.split('>');
      return { userId: `u-${id}`, remoteId: id!, displayName: `Person ${id}`, firstName: `P${id}`, managerRemoteId: manager ?? null, department: department ?? null };
    });
}

/** Teams as `name: manager -> members ^parent`, easy to read in a table. */
function summary(people: TeamPerson[], options: Partial<Parameters<typeof buildTeams>[1]> = {}) {
  return buildTeams(people, { strategy: 'manager', template: "{manager}'s team", ...options }).map(
    (t) => `${t.displayName}: ${t.manager?.remoteId ?? '-'} -> ${t.memberIds.map((m) => m.slice(2)).join(',')}${t.parentKey ? ` ^${t.parentKey}` : ''}`,
  );
}

describe('team builder: manager hierarchy', () => {
  it.each([
    ['nobody', '', []],
    ['one person alone goes to Unassigned', 'a', ['Unassigned: - -> a']],
    ['a manager and two reports: the manager reviews, is no member', 'a b>a c>a', ["Person a's team: a -> b,c"]],
    [
      'three levels: the parent is the team the manager belongs to',
      'a b>a c>b d>b',
      ["Person a's team: a -> b", "Person b's team: b -> c,d ^manager:a"],
    ],
    ['a manager out of scope: Unassigned', 'a b>a c>zz', ["Unassigned: - -> c", "Person a's team: a -> b"]],
    [
      'out-of-scope manager but own reports: in Unassigned, and heads a team without parent',
      'c>zz d>c',
      ["Unassigned: - -> c", "Person c's team: c -> d"],
    ],
    ['someone who is their own manager counts as having none', 'a>a', ['Unassigned: - -> a']],
    ['two roots with reports: two top teams, nobody unassigned', 'a b>a x y>x', ["Person a's team: a -> b", "Person x's team: x -> y"]],
    ['a cycle still yields teams (each the parent of the other)', 'a>b b>a', ["Person a's team: a -> b ^manager:b", "Person b's team: b -> a ^manager:a"]],
  ])('%s', (_name, spec, expected) => {
    expect(summary(org(spec))).toEqual(expected);
  });

  it('builds the example org of the README', () => {
    const person = (id: string, name: string, manager: string | null): TeamPerson => ({ userId: name, remoteId: id, displayName: name, firstName: name.split(' ')[0]!, managerRemoteId: manager, department: null });
    const people = [
      person('1', 'Ada Park', null),
      person('2', 'Ben Ortiz', '1'),
      person('3', 'Cleo Ng', '1'),
      person('4', 'Dan Wu', '2'),
      person('5', 'Eve Ross', '2'),
      person('6', 'Fay Lund', '3'),
      person('7', 'Gil Moss', null),
      person('8', 'Hal Kent', '99'),
    ];
    const teams = buildTeams(people, { strategy: 'manager', template: "{manager}'s team" });
    const nameOf = new Map(teams.map((t) => [t.key, t.displayName]));
    expect(teams.map((t) => [t.displayName, t.manager?.displayName ?? null, t.memberIds.join(', '), t.parentKey ? nameOf.get(t.parentKey) : null])).toEqual([
      ['Unassigned', null, 'Gil Moss, Hal Kent', null],
      ["Ada Park's team", 'Ada Park', 'Ben Ortiz, Cleo Ng', null],
      ["Ben Ortiz's team", 'Ben Ortiz', 'Dan Wu, Eve Ross', "Ada Park's team"],
      ["Cleo Ng's team", 'Cleo Ng', 'Fay Lund', "Ada Park's team"],
    ]);
  });

  it('is independent of input order', () => {
    const people = org('a b>a c>b d>b e f>zz');
    expect(summary([...people].reverse())).toEqual(summary(people));
  });
});

describe('team builder: names', () => {
  const twoAlexes: TeamPerson[] = [
    { userId: 'u1', remoteId: '1', displayName: 'Alex Kim', firstName: 'Alex', managerRemoteId: null, department: 'Sales' },
    { userId: 'u2', remoteId: '2', displayName: 'alex kim', firstName: 'Alex', managerRemoteId: null, department: 'Ops' },
    { userId: 'u3', remoteId: '3', displayName: 'R3', firstName: null, managerRemoteId: '1', department: null },
    { userId: 'u4', remoteId: '4', displayName: 'R4', firstName: null, managerRemoteId: '2', department: null },
  ];
  it.each([
    ['default template, same name twice (case-insensitive)', "{manager}'s team", [], ["Alex Kim's team", "alex kim's team (2)"]],
    ['a name someone else uses is skipped', "{manager}'s team", ["alex kim's team"], ["Alex Kim's team (2)", "alex kim's team (3)"]],
    ['first name and department', '{managerFirstName} ({department})', [], ['Alex (Sales)', 'Alex (Ops)']],
    ['a template with no placeholder still gives unique names', 'Team', [], ['Team', 'Team (2)']],
  ])('%s', (_name, template, taken, expected) => {
    const teams = buildTeams(twoAlexes, { strategy: 'manager', template, takenNames: new Set(taken) });
    expect(teams.map((t) => t.displayName)).toEqual(expected);
  });

  it('Unassigned takes its name before any team', () => {
    const teams = buildTeams(org('a b>a c'), { strategy: 'manager', template: 'Unassigned' });
    expect(teams.map((t) => t.displayName).sort()).toEqual(['Unassigned', 'Unassigned (2)']);
    expect(teams.find((t) => t.kind === 'unassigned')!.displayName).toBe('Unassigned');
  });

  it.each([
    ['{manager}', { manager: 'Ann Lee' }, 'Ann Lee'],
    ["{manager}'s team", { manager: 'Ann Lee' }, "Ann Lee's team"],
    ['{department}  team', { department: '' }, 'team'],
  ])('renders %s', (template, fields, expected) => {
    expect(renderName(template, fields)).toBe(expected);
  });

  it.each([
    [{ nameTemplate: '{manager} crew' }, true],
    [{ nameTemplate: '{boss} crew' }, false],
    [{ nameTemplate: '  ' }, false],
    [{ strategy: 'department' }, true],
    [{ strategy: 'location' }, false],
    [{ other: 1 }, false],
  ])('settings %j valid: %s', (input, valid) => {
    expect(teamSettingsSchema.safeParse(input).success).toBe(valid);
  });
});

describe('team builder: departments', () => {
  it.each([
    [
      'one team per department; reviewer the highest member; parent the department above',
      'a/Exec b>a/Sales c>b/Sales d>a/Ops e>d/Ops f>d',
      ['Unassigned: - -> f', 'Exec: a -> a', 'Ops: d -> d,e ^department:exec', 'Sales: b -> b,c ^department:exec'],
    ],
    ['department names compare case-insensitively', 'a/Sales b>a/sales', ['Sales: a -> a,b']],
  ])('%s', (_name, spec, expected) => {
    const teams = summary(org(spec), { strategy: 'department', template: '{department}' });
    expect(teams.sort()).toEqual(expected.sort());
  });
});
