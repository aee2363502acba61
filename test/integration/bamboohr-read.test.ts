import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalisedEmployeeSchema, type EmployeeStatus } from '../../connectors/contract.js';
import type { BambooPerson } from '../fakes/bamboohr/company.js';
import { connectTo, readAll } from '../fakes/bamboohr/connect.js';
import { generateCompany } from '../fakes/bamboohr/generate.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';

/**
 * The status rules restated from docs/hr-apis.md and product.md, independently of the
 * connector's code: a termination date in the future means employed until then, whatever
 * the labels say (BambooHR's history says Terminated as soon as HR enters it).
 */
function expectedStatus(p: BambooPerson, today: string): EmployeeStatus {
  if (p.terminationDate && p.terminationDate < today) return 'inactive';
  if (!p.terminationDate && (p.status === 'Inactive' || p.employmentHistoryStatus === 'Terminated')) return 'inactive';
  if (p.employmentHistoryStatus === 'Leave of Absence') return 'leave';
  if (p.hireDate > today) return 'pending';
  return 'active';
}

describe('BambooHR connector reads 2,000 employees from the fake', () => {
  let fake: FakeBambooHr;
  beforeAll(async () => {
    fake = await startFakeBambooHr({
      company: generateCompany({ seed: 2026, size: 2000 }),
      keys: {
        [defaultKey]: {},
        'no-eid': { hiddenFields: ['supervisorEId'] },
        'email-only': { hiddenFields: ['supervisorEId', 'supervisorId'] },
      },
    });
  });
  afterAll(() => fake.close());

  it.each(['subdomain', 'gateway'] as const)('on the %s host style, every field of every person', async (style) => {
    fake.resetCounts();
    const run = await readAll(connectTo(fake, { style, pageSize: 500 }));
    expect(fake.counts().byEndpoint).toEqual({ report: 1 });
    expect(run.pages.map((p) => [p.employees.length, p.complete])).toEqual([[500, true], [500, true], [500, true], [500, true]]);
    expect(run.errors).toEqual([]);
    expect(run.byId.size).toBe(2000);

    const today = fake.company.today;
    for (const p of fake.company.list()) {
      const e = run.byId.get(p.id)!;
      expect(normalisedEmployeeSchema.safeParse(e).success).toBe(true);
      expect(e).toMatchObject({
        employeeNumber: p.employeeNumber,
        firstName: p.firstName,
        lastName: p.lastName,
        workEmail: p.workEmail || null,
        managerRemoteId: p.supervisorEId || null,
        status: expectedStatus(p, today),
        startDate: p.hireDate,
        terminationDate: p.terminationDate || null,
        department: { name: p.department },
        workLocation: { name: p.location },
        jobTitle: p.jobTitle,
      });
    }
  });

  it('resolves managers through supervisorId (employee numbers) when the key cannot see supervisorEId', async () => {
    const full = await readAll(connectTo(fake));
    const run = await readAll(connectTo(fake, { apiKey: 'no-eid' }));
    const present = (id: string) => full.byId.has(id);
    for (const e of run.employees) {
      const expected = full.byId.get(e.remoteId)!.managerRemoteId;
      // A manager who is not in the account has no employee number to translate.
      expect(e.managerRemoteId).toBe(expected && present(expected) ? expected : null);
    }
    expect(run.pages[0]!.warnings).toBeUndefined();
  });

  it('falls back to supervisorEmail, and refuses to guess when that email is shared', async () => {
    const full = await readAll(connectTo(fake));
    const run = await readAll(connectTo(fake, { apiKey: 'email-only' }));
    const ambiguous = new Set(run.errors.filter((e) => e.code === 'ambiguous_manager').map((e) => e.remoteId));
    expect(ambiguous.size).toBeGreaterThan(0);
    let resolved = 0;
    for (const e of run.employees) {
      const expected = full.byId.get(e.remoteId)!.managerRemoteId;
      if (ambiguous.has(e.remoteId)) expect(e.managerRemoteId).toBeNull();
      else if (e.managerRemoteId !== null) {
        expect(e.managerRemoteId).toBe(expected);
        resolved++;
      }
    }
    expect(resolved).toBeGreaterThan(1900);
  });

  it.each([
    ['null for empty values', { emptyAs: null }],
    ['mixed "" and null', { emptyAs: 'mixed' }],
    ['0000-00-00 for empty dates', { emptyDate: '0000-00-00' }],
  ] as const)('reads the same data when BambooHR sends %s', async (_name, render) => {
    const reference = await readAll(connectTo(fake));
    Object.assign(fake.render, render);
    try {
      const run = await readAll(connectTo(fake));
      expect(run.employees.map(({ raw: _raw, ...e }) => e)).toEqual(reference.employees.map(({ raw: _raw, ...e }) => e));
    } finally {
      Object.assign(fake.render, { emptyAs: '', emptyDate: '' });
    }
  });
});
