import { describe, expect, it } from 'vitest';
import { planSync, type PlanInput } from '../../src/sync/plan.js';
import { CONN, emp, managed, TODAY } from '../support/plan-fixtures.js';

const base = (over: Partial<PlanInput>): PlanInput => ({
  connectionId: CONN,
  employees: [],
  complete: true,
  users: [],
  rules: [],
  onboarding: 'review',
  safetyThresholdPercent: 20,
  today: TODAY,
  ...over,
});

const kinds = (input: PlanInput) => planSync(input).operations.map((o) => `${o.kind}:${'remoteId' in o ? o.remoteId : ''}`);

describe('planSync', () => {
  it.each<[string, Partial<PlanInput>, string[]]>([
    ['a new hire becomes a candidate in review mode', { employees: [emp('a')] }, ['create:a']],
    ['…and an invited user in auto mode', { employees: [emp('a')], onboarding: 'auto' }, ['create:a']],
    ['an onboarding person is in scope', { employees: [emp('a', { status: 'pending' })] }, ['create:a']],
    ['a person on leave is in scope', { employees: [emp('a', { status: 'leave' })] }, ['create:a']],
    ['a future termination date is still employed', { employees: [emp('a', { terminationDate: '2027-01-31' })] }, ['create:a']],
    ['a past termination date is not', { employees: [emp('a', { terminationDate: '2026-01-31' })] }, []],
    ['termination today counts as left', { employees: [emp('a', { terminationDate: TODAY })] }, []],
    ['an inactive newcomer is ignored', { employees: [emp('a', { status: 'inactive' })] }, []],
    [
      'a manual user with the same email (any case) is linked',
      { employees: [emp('a', { workEmail: 'A@ACME.test' })], users: [managed('a', { management: 'manual', connectionId: null, remoteId: null })] },
      ['link:a'],
    ],
    ['an unchanged managed user produces nothing', { employees: [emp('a')], users: [managed('a')] }, []],
    ['a changed title is an update', { employees: [emp('a', { jobTitle: 'CTO' })], users: [managed('a')] }, ['update:a']],
    ['a manager change is an update', { employees: [emp('a', { managerRemoteId: 'b' })], users: [managed('a')] }, ['update:a']],
    ['an email change is matched by remote id and updated', { employees: [emp('a', { workEmail: 'new@acme.test' })], users: [managed('a')] }, ['update:a']],
    ['a leaver is archived', { employees: [emp('a', { status: 'inactive' })], users: [managed('a')] }, ['archive:a']],
    ['a person missing from a full snapshot is archived', { employees: [emp('b')], users: [managed('a'), managed('b')] }, ['archive:a']],
    ['…but not from an incremental one', { employees: [emp('b')], complete: false, users: [managed('a'), managed('b')] }, []],
    ['a re-hire is reactivated', { employees: [emp('a')], users: [managed('a', { lifecycle: 'archived' })] }, ['reactivate:a']],
    [
      'an employee outside the filter is released',
      { employees: [emp('a', { workLocation: { name: 'Berlin' } })], users: [managed('a')], rules: [{ field: 'workLocation', op: 'in', values: ['london', 'Paris'] }] },
      ['release:a'],
    ],
    [
      'filter rules narrow the hires',
      { employees: [emp('a'), emp('b', { workLocation: { name: 'Berlin' } })], rules: [{ field: 'workLocation', op: 'in', values: ['London'] }] },
      ['create:a'],
    ],
    [
      'a rule may name a unit by its HR id (Personio v2 gives offices no name)',
      {
        employees: [emp('a', { workLocation: { remoteId: '131003', name: '131003' } }), emp('b', { workLocation: { remoteId: '131004', name: 'Paris' } })],
        rules: [{ field: 'workLocation', op: 'notIn', values: ['131003'] }],
      },
      ['create:b'],
    ],
    [
      'a department rule matches the name whatever its case',
      { employees: [emp('a', { department: { remoteId: '7', name: 'Finance' } }), emp('b', { department: { name: 'Sales' } })], rules: [{ field: 'department', op: 'in', values: ['FINANCE'] }] },
      ['create:a'],
    ],
    ['an already archived leaver is left alone', { employees: [emp('a', { status: 'inactive' })], users: [managed('a', { lifecycle: 'archived' })] }, []],
  ])('%s', (_, over, expected) => {
    expect(kinds(base(over))).toEqual(expected);
  });

  it('sets the lifecycle of created users from the onboarding mode', () => {
    const [review] = planSync(base({ employees: [emp('a')] })).operations;
    const [auto] = planSync(base({ employees: [emp('a')], onboarding: 'auto' })).operations;
    expect(review).toMatchObject({ kind: 'create', lifecycle: 'candidate' });
    expect(auto).toMatchObject({ kind: 'create', lifecycle: 'invited' });
  });

  it('never links a user another connection manages, and reports it', () => {
    const plan = planSync(base({ employees: [emp('a')], users: [managed('a', { connectionId: 'other' })] }));
    expect(plan.operations).toEqual([]);
    expect(plan.conflicts).toEqual([expect.objectContaining({ remoteId: 'a', userId: 'u-a' })]);
  });

  it('reports a hire without a work email instead of creating it', () => {
    const plan = planSync(base({ employees: [emp('a', { workEmail: null })] }));
    expect(plan.operations).toEqual([]);
    expect(plan.counts.conflicts).toBe(1);
  });

  it('never touches manual users missing from the snapshot', () => {
    expect(kinds(base({ users: [managed('m', { management: 'manual', connectionId: null, remoteId: null })] }))).toEqual([]);
  });

  describe('safety stop', () => {
    const team = (n: number) => Array.from({ length: n }, (_, i) => managed(`p${i}`));
    const staying = (n: number, from: number) => Array.from({ length: n }, (_, i) => emp(`p${from + i}`));

    it.each([
      ['5 of 10 removed: at or under the minimum of 5', 10, 5, false],
      ['6 of 10 removed: over the minimum', 10, 6, true],
      ['20 of 100 removed: at 20 %', 100, 20, false],
      ['21 of 100 removed: over 20 %', 100, 21, true],
    ])('%s', (_, size, removed, held) => {
      const plan = planSync(base({ users: team(size), employees: staying(size - removed, removed) }));
      expect(plan.counts.archive).toBe(removed);
      expect(Boolean(plan.held)).toBe(held);
    });

    it('holds a run that sees no employees while managing some', () => {
      const plan = planSync(base({ users: team(2), employees: [] }));
      expect(plan.held?.reason).toMatch(/no employees/);
    });

    it('lets an approved run through', () => {
      expect(planSync(base({ users: team(10), employees: [], approved: true })).held).toBeUndefined();
    });
  });
});
