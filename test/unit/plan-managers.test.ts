import { describe, expect, it } from 'vitest';
import { planSync, type PlanInput } from '../../src/sync/plan.js';
import type { Plan } from '../../src/sync/plan-types.js';
import { CONN, emp, managed, TODAY } from '../support/plan-fixtures.js';

const base = (over: Partial<PlanInput>): PlanInput => ({
  connectionId: CONN,
  employees: [],
  complete: true,
  users: [],
  rules: [],
  onboarding: 'auto',
  safetyThresholdPercent: 100,
  today: TODAY,
  ...over,
});

/**
 * The rule spelled out as two plans: the first tells who will be a user, the second points each
 * report only at such a manager. The planner must give exactly this in one pass.
 */
function planTwice(input: PlanInput): Plan {
  const draft = planSync(input);
  const present = new Set(input.users.filter((u) => u.connectionId === input.connectionId && u.remoteId).map((u) => u.remoteId!));
  for (const op of draft.operations) if (op.remoteId) present.add(op.remoteId);
  const employees = input.employees.map((e) => (e.managerRemoteId && !present.has(e.managerRemoteId) ? { ...e, managerRemoteId: null } : e));
  return planSync({ ...input, employees });
}

const managerOf = (plan: Plan) =>
  Object.fromEntries(plan.operations.flatMap((op) => ('employee' in op && op.employee ? [[`${op.kind}:${op.remoteId}`, op.employee.managerRemoteId]] : [])));

const london = [{ field: 'workLocation' as const, op: 'in' as const, values: ['London'] }];

describe('planSync with onlyResolvableManagers', () => {
  it.each<[string, Partial<PlanInput>, Record<string, string | null>]>([
    ['a manager hired in the same run is kept', { employees: [emp('a', { managerRemoteId: 'b' }), emp('b')] }, { 'create:a': 'b', 'create:b': null }],
    ['a manager missing from HR and the directory counts as none', { employees: [emp('a', { managerRemoteId: 'ghost' })] }, { 'create:a': null }],
    ['a manager outside the scope counts as none', { employees: [emp('a', { managerRemoteId: 'b' }), emp('b', { workLocation: { name: 'Berlin' } })], rules: london }, { 'create:a': null }],
    ['a manager without a work email counts as none', { employees: [emp('a', { managerRemoteId: 'b' }), emp('b', { workEmail: null })] }, { 'create:a': null }],
    [
      'a manager who is a duplicate of someone else counts as none',
      { employees: [emp('c'), emp('a', { managerRemoteId: 'b' }), emp('b', { workEmail: 'c@acme.test' })] },
      { 'create:c': null, 'create:a': null },
    ],
    ['a manager managed by another connection counts as none', { employees: [emp('a', { managerRemoteId: 'b' }), emp('b')], users: [managed('b', { connectionId: 'other' })] }, { 'create:a': null }],
    ['a manager already a user of the connection is kept, even unchanged', { employees: [emp('a', { managerRemoteId: 'b' }), emp('b')], users: [managed('b')] }, { 'create:a': 'b' }],
    ['a manager archived earlier is still a user', { employees: [emp('a', { managerRemoteId: 'b' })], users: [managed('b', { lifecycle: 'archived' })] }, { 'create:a': 'b' }],
    ['a manager linked by email this run is kept', { employees: [emp('a', { managerRemoteId: 'b' }), emp('b')], users: [managed('b', { management: 'manual', connectionId: null, remoteId: null })] }, { 'create:a': 'b', 'link:b': null }],
    ['a manager leaving this run is kept', { employees: [emp('a', { managerRemoteId: 'b' }), emp('b', { status: 'inactive' })], users: [managed('b')] }, { 'create:a': 'b', 'archive:b': null }],
    ['a manager released this run is kept', { employees: [emp('a', { managerRemoteId: 'b', workLocation: { name: 'London' } }), emp('b', { workLocation: { name: 'Berlin' } })], users: [managed('b')], rules: london }, { 'create:a': 'b' }],
    ['an unresolvable manager is no change for a user without one', { employees: [emp('a', { managerRemoteId: 'ghost' })], users: [managed('a')] }, {}],
    ['…and a change for a user who had one', { employees: [emp('a', { managerRemoteId: 'ghost' })], users: [managed('a', {}, emp('a', { managerRemoteId: 'b' })), managed('b', { remoteId: 'b2' })] }, { 'update:a': null }],
    [
      // A managed user without a remote id is acted on only when a field differs (as HR gives it).
      'a manager managed without a remote id who changed in HR is kept',
      { employees: [emp('a', { managerRemoteId: 'b' }), emp('b', { jobTitle: 'CTO' })], users: [managed('b', { remoteId: null })] },
      { 'create:a': 'b', 'update:b': null },
    ],
    [
      'a manager managed without a remote id who did not change counts as none',
      { employees: [emp('a', { managerRemoteId: 'b' }), emp('b')], users: [managed('b', { remoteId: null })] },
      { 'create:a': null },
    ],
    [
      '…unless their own manager is what changed, as HR gives it',
      { employees: [emp('a', { managerRemoteId: 'b' }), emp('b', { managerRemoteId: 'a' })], users: [managed('b', { remoteId: null })] },
      { 'create:a': 'b', 'update:b': 'a' },
    ],
  ])('%s', (_, over, expected) => {
    const input = base(over);
    const plan = planSync({ ...input, onlyResolvableManagers: true });
    expect(managerOf(plan)).toEqual(expected);
    expect(plan).toEqual(planTwice(input));
  });

  it('leaves managers as HR gives them without the option', () => {
    const plan = planSync(base({ employees: [emp('a', { managerRemoteId: 'ghost' })] }));
    expect(managerOf(plan)).toEqual({ 'create:a': 'ghost' });
  });

  it('gives the two-plan result on a mixed company', () => {
    // Every shape at once, so the one pass and the two plans are compared on ordering and counts too.
    const employees = Array.from({ length: 60 }, (_, i) =>
      emp(`p${i}`, {
        managerRemoteId: i % 7 === 0 ? null : `p${(i * 5) % 60}`,
        status: i % 11 === 0 ? 'inactive' : 'active',
        workLocation: { name: i % 4 === 0 ? 'Berlin' : 'London' },
        workEmail: i % 13 === 0 ? null : `p${i % 50}@acme.test`,
        jobTitle: i % 3 === 0 ? 'Engineer' : null,
      }),
    );
    const users = Array.from({ length: 40 }, (_, i) =>
      managed(`p${i * 2}`, {
        lifecycle: i % 9 === 0 ? 'archived' : 'active',
        ...(i % 6 === 0 ? { remoteId: null } : {}),
        ...(i % 10 === 0 ? { management: 'manual', connectionId: null, remoteId: null } : {}),
      }),
    );
    const input = base({ employees, users, rules: london, onboarding: 'review' });
    const plan = planSync({ ...input, onlyResolvableManagers: true });
    expect(plan.operations.length).toBeGreaterThan(10);
    expect(plan).toEqual(planTwice(input));
  });
});
