import { afterEach, describe, expect, it } from 'vitest';
import { createVirtualClock } from '../fakes/personio/clock.js';
import { generateCompany } from '../fakes/personio/generate.js';
import { collect, personioFor } from '../fakes/personio/harness.js';
import { scenarioIds as ids } from '../fakes/personio/scenario.js';
import { defaultClient, startFakePersonio, type FakePersonio, type FakePersonioOptions } from '../fakes/personio/server.js';

let fake: FakePersonio | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Omit<FakePersonioOptions, 'now'> = {}) {
  const clock = createVirtualClock();
  fake = await startFakePersonio({ ...options, now: clock.now });
  return { clock, fake };
}

const v2 = { apiVersion: 'v2' } as const;

describe('Personio v2 over HTTP', () => {
  it('follows cursors and fetches every employment for a 2,000-person company', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 5, size: 2000 }) });
    const run = await collect(personioFor(fake, clock, v2).employees());
    expect(run.byId.size).toBe(2000);
    expect(run.errors).toEqual([]);
    const counts = fake.counts().byEndpoint;
    expect(counts).toMatchObject({ 'v2.token': 1, 'v2.persons': 40, 'v2.employments': 2000 });
    // Each department and team is looked up once, not once per person.
    expect(counts['v2.org-units']).toBeLessThanOrEqual(12 + 7);
    expect(run.employees.filter((e) => e.department?.name === 'Engineering').length).toBeGreaterThan(0);
  });

  it('decides status, manager and dates by the most recent employment', async () => {
    const { clock, fake } = await setup();
    const run = await collect(personioFor(fake, clock, { ...v2, ibanAttribute: 'iban' }).employees());
    const get = (id: number) => run.byId.get(String(id))!;
    expect(get(ids.rehired)).toMatchObject({ status: 'active', startDate: '2025-06-01', terminationDate: null, jobTitle: 'Staff Engineer' });
    expect(get(ids.terminatedPast)).toMatchObject({ status: 'inactive', rawStatus: 'INACTIVE', terminationDate: '2025-12-31' });
    expect(get(ids.activeButTerminatedPast).status).toBe('inactive');
    expect(get(ids.futureHire)).toMatchObject({ status: 'pending', rawStatus: 'ONBOARDING' });
    expect(get(ids.onLeave).status).toBe('leave');
    expect(get(ids.reportBeforeManager).managerRemoteId).toBe(String(ids.lateManager));
    expect(get(ids.managerMissing).managerRemoteId).toBe('404');
    expect(get(ids.lateManager)).toMatchObject({
      department: { remoteId: '281500', name: 'Engineering' },
      team: { remoteId: '77000', name: 'Platform' },
      workLocation: { remoteId: '131005', name: '131005' },
      costCenters: [{ remoteId: '9', weight: 60 }, { remoteId: '10', weight: 40 }],
    });
    expect(get(ids.ceo).bankAccount).toEqual({ iban: 'DE89370400440532013000' });
    expect(get(ids.nfdName).lastName).toBe('Peña');
  });

  it('looks org units up with their type, as Personio requires; one that fails costs its name and a warning, never the run', async () => {
    const { clock, fake } = await setup();
    fake.brokenOrgUnits.add('77000');
    const run = await collect(personioFor(fake, clock, v2).employees());
    // Every lookup carried `type` (the fake answers 400 without it) and none was a 400.
    const lookups = fake.requests.filter((r) => r.path.startsWith('/v2/org-units/'));
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((r) => r.status !== 400)).toBe(true);
    expect(run.errors).toEqual([]);
    expect(run.byId.get(String(ids.lateManager))).toMatchObject({
      department: { remoteId: '281500', name: 'Engineering' },
      // The team that could not be looked up: its id stands in for the missing name.
      team: { remoteId: '77000', name: '77000' },
    });
    expect(run.warnings).toEqual([expect.stringMatching(/could not name team 77000 .*answered 500/)]);
    expect(run.warnings.join(' ')).not.toMatch(/department 281500/);
  });

  it('keeps employment requests within the configured concurrency', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 3, size: 120 }), latencyMs: { 'v2.employments': 15 } });
    await collect(personioFor(fake, clock, { ...v2, employmentConcurrency: 3 }).employees());
    expect(fake.inFlight.maxEmployments).toBe(3);
    expect(fake.counts().byEndpoint['v2.employments']).toBe(120);
  });

  it('renews a refused token once even when many requests are refused at the same time', async () => {
    const { clock, fake } = await setup({ latencyMs: { 'v2.employments': 5 } });
    const personio = personioFor(fake, clock, { ...v2, employmentConcurrency: 6 });
    await collect(personio.employees());
    fake.tokens.revokeAll();
    fake.resetCounts();
    const run = await collect(personio.employees());
    expect(run.byId.size).toBe(17);
    expect(fake.counts().byEndpoint['v2.token']).toBe(1);
    expect(personio.stats.tokensIssued).toBe(2);
  });

  it('warns when the bank attribute is not readable', async () => {
    const { clock, fake } = await setup({ credentials: { [defaultClient.id]: { secret: defaultClient.secret, hidden: ['dynamic_21827', 'employment.supervisor'] } } });
    const run = await collect(personioFor(fake, clock, { ...v2, ibanAttribute: 'IBAN' }).employees());
    expect(run.employees.every((e) => e.bankAccount === null && e.managerRemoteId === null)).toBe(true);
    expect(run.warnings.join('\n')).toMatch(/IBAN, employment\.supervisor/);
  });

  it('says an incremental run is not a snapshot', async () => {
    const { clock, fake } = await setup();
    const personio = personioFor(fake, clock, v2);
    const since = new Date(clock.now()).toISOString();
    clock.advance(1000);
    fake.company.changeManager(ids.cjk, ids.lateManager);
    const hired = fake.company.hire({ firstName: 'Nia', lastName: 'Berg', email: 'nia.berg@acme.test', startDate: '2026-06-01', supervisorId: ids.ceo });
    const delta = await collect(personio.employees({ updatedSince: since }));
    expect(delta.pages.every((p) => p.complete === false)).toBe(true);
    expect([...delta.byId.keys()].sort()).toEqual([String(ids.cjk), String(hired.id)].sort());
    expect(delta.byId.get(String(hired.id))!.status).toBe('pending');
    expect(fake.requests.find((r) => r.endpoint === 'v2.persons')!.path).toBe('/v2/persons');
  });

  it('validates: wrong secret, missing employments scope, and a good credential', async () => {
    const { clock, fake } = await setup({
      credentials: { [defaultClient.id]: { secret: defaultClient.secret }, narrow: { secret: 's', scopes: ['persons'] } },
    });
    const wrong = await personioFor(fake, clock, v2, { credentials: { clientId: defaultClient.id, clientSecret: 'nope' } }).validate();
    expect(wrong).toMatchObject({ ok: false, kind: 'invalid_credentials', message: expect.stringMatching(/client ID and secret.*invalid_client/) });
    const narrow = await personioFor(fake, clock, v2, { credentials: { clientId: 'narrow', clientSecret: 's' } }).validate();
    expect(narrow).toMatchObject({ ok: false, kind: 'missing_permission', message: expect.stringMatching(/employments:read/) });
    expect(await personioFor(fake, clock, v2).validate()).toEqual({ ok: true, warnings: [] });
  });

  it('fails a run on bad credentials without retrying the token endpoint', async () => {
    const { clock, fake } = await setup();
    const personio = personioFor(fake, clock, v2, { credentials: { clientId: defaultClient.id, clientSecret: 'nope' } });
    await expect(collect(personio.employees())).rejects.toMatchObject({ kind: 'auth', retryable: false, status: 400 });
    expect(fake.counts().byEndpoint).toEqual({ 'v2.token': 1 });
  });
});
