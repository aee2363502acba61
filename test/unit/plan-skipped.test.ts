import { describe, expect, it } from 'vitest';
import { planSync, type PlanInput } from '../../src/sync/plan.js';
import { planLines } from '../../src/sync/run-operations.js';
import { CONN, emp, managed as user, TODAY } from '../support/plan-fixtures.js';

const input = (over: Partial<PlanInput>): PlanInput => ({
  connectionId: CONN,
  employees: [],
  complete: false,
  users: [],
  rules: [],
  onboarding: 'review',
  safetyThresholdPercent: 100,
  today: TODAY,
  ...over,
});

const tokyoOnly = [{ field: 'workLocation' as const, op: 'in' as const, values: ['Tokyo'] }];

describe('who a plan skips, and why', () => {
  it.each<[string, Partial<PlanInput>, { remoteId: string; userId: string | null; reason: RegExp }[]]>([
    ['a newcomer outside the scope', { employees: [emp('a')], rules: tokyoOnly }, [{ remoteId: 'a', userId: null, reason: /^outside the connection's scope$/ }]],
    ['a leaver HR still lists, never a user', { employees: [emp('a', { terminationDate: '2026-01-31' })] }, [{ remoteId: 'a', userId: null, reason: /^no longer employed \(terminated on 2026-01-31\)$/ }]],
    ['an inactive status', { employees: [emp('a', { status: 'inactive' })] }, [{ remoteId: 'a', userId: null, reason: /^no longer employed \(HR status inactive\)$/ }]],
    [
      'an archived user who is still a leaver',
      { employees: [emp('a', { terminationDate: '2026-01-31' })], users: [user('a', { lifecycle: 'archived' })] },
      [{ remoteId: 'a', userId: 'u-a', reason: /already archived$/ }],
    ],
    [
      "someone else's user outside the scope",
      { employees: [emp('a')], rules: tokyoOnly, users: [user('a', { management: 'manual', connectionId: null, remoteId: null })] },
      [{ remoteId: 'a', userId: 'u-a', reason: /a@acme\.test is not managed by this connection$/ }],
    ],
    ['no work email', { employees: [emp('a', { workEmail: null })] }, [{ remoteId: 'a', userId: null, reason: /^no work email/ }]],
    ['one work email on two records: the second', { employees: [emp('a'), emp('b', { workEmail: 'a@acme.test' })] }, [{ remoteId: 'b', userId: null, reason: /is also employee a's$/ }]],
    ['an employee in scope is not skipped', { employees: [emp('a')] }, []],
  ])('%s', (_name, over, expected) => {
    const plan = planSync(input(over));
    expect(plan.skipped.map((s) => ({ remoteId: s.remoteId, userId: s.userId, reason: s.reason }))).toEqual(expected.map((e) => ({ ...e, reason: expect.stringMatching(e.reason) })));
    expect(plan.counts.skipped).toBe(plan.skipped.length);
  });

  it('lists the operations in plan order, then the skipped records', () => {
    const plan = planSync(input({ employees: [emp('a'), emp('b', { status: 'inactive' }), emp('c')] }));
    expect(planLines(plan).map((l) => `${l.kind}:${l.remoteId}`)).toEqual(['create:a', 'create:c', 'skipped:b']);
    expect(planLines(plan)[0]).toEqual({ kind: 'create', remoteId: 'a', email: 'a@acme.test', lifecycle: 'candidate', reason: 'new in HR (review onboarding)' });
  });
});
