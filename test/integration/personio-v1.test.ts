import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../connectors/http/errors.js';
import { createVirtualClock } from '../fakes/personio/clock.js';
import { generateCompany } from '../fakes/personio/generate.js';
import { collect, personioFor } from '../fakes/personio/harness.js';
import { scenarioIds as ids } from '../fakes/personio/scenario.js';
import { startFakePersonio, type FakePersonio, type FakePersonioOptions } from '../fakes/personio/server.js';

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

describe('Personio v1 over HTTP', () => {
  it('reads a 2,000-person company in pages of 100 with one token', async () => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 11, size: 2000 }) });
    const run = await collect(personioFor(fake, clock).employees());
    expect(run.byId.size).toBe(2000);
    expect(run.pages.every((p) => p.complete)).toBe(true);
    expect(run.errors).toEqual([]);
    expect(fake.counts().byEndpoint).toEqual({ 'v1.auth': 1, 'v1.employees': 20 });
    // The quirks survive the trip: a manager outside the company is kept as given.
    expect(run.employees.filter((e) => e.managerRemoteId === '999999999')).toHaveLength(1);
    expect(run.employees.filter((e) => e.workEmail === null).length).toBeGreaterThan(0);
  });

  it.each([
    ['offset 100 is an empty page', 100, 3, [0, 100, 1, 2]],
    ['offset 10 is page 10, far down the list', 10, 25, [0, 10, 1, 2]],
  ])('reads an account that takes offset as a page number (%s), whole, with one wasted request', async (_case, pageSize, pages, firstOffsets) => {
    const { clock, fake } = await setup({ company: generateCompany({ seed: 12, size: 250 }), variants: { offsetIsPage: true } });
    const run = await collect(personioFor(fake, clock, { pageSize }).employees());
    expect(run.byId.size).toBe(250);
    expect(run.errors).toEqual([]);
    expect(run.pages.every((p) => p.complete)).toBe(true);
    expect(fake.counts().byEndpoint['v1.employees']).toBe(pages + 1);
    const offsets = fake.requests.filter((r) => r.endpoint === 'v1.employees').map((r) => Number(new URLSearchParams(r.query).get('offset')));
    expect(offsets.slice(0, 4)).toEqual(firstOffsets);
  });

  it('maps the awkward people of the scenario', async () => {
    const { clock, fake } = await setup();
    const run = await collect(personioFor(fake, clock, { ibanAttribute: 'IBAN' }).employees());
    const get = (id: number) => run.byId.get(String(id))!;
    expect(get(ids.reportBeforeManager).managerRemoteId).toBe(String(ids.lateManager));
    expect(get(ids.managerMissing).managerRemoteId).toBe('404');
    expect(get(ids.ceo).managerRemoteId).toBeNull();
    expect(get(ids.terminatedPast)).toMatchObject({ status: 'inactive', rawStatus: 'inactive', terminationDate: '2025-12-31' });
    expect(get(ids.activeButTerminatedPast).status).toBe('inactive');
    expect(get(ids.leavingFuture)).toMatchObject({ status: 'active', terminationDate: '2026-04-30' });
    expect(get(ids.futureHire)).toMatchObject({ status: 'pending', rawStatus: 'onboarding', startDate: '2026-04-01' });
    expect(get(ids.onLeave).status).toBe('leave');
    expect(get(ids.noEmail).workEmail).toBeNull();
    expect(get(ids.nfdName).firstName).toBe('José');
    expect(get(ids.preferred).displayName).toBe('Peggy Quist');
    expect(get(ids.cjk).displayName).toBe('美咲 山田');
    expect(get(ids.ceo).bankAccount).toEqual({ iban: 'DE89370400440532013000' });
    expect(get(ids.lateManager)).toMatchObject({
      workLocation: { remoteId: '131005', name: 'Kraków' },
      costCenters: [{ remoteId: '9', name: 'R&D', weight: 60 }, { remoteId: '10', name: 'G&A', weight: 40 }],
      startDate: '2021-05-03',
    });
    // Both Sam Lees arrive; telling them apart by email is the planner's job.
    expect([get(ids.dupEmailA).workEmail, get(ids.dupEmailB).workEmail]).toEqual(['sam.lee@acme.test', 'Sam.Lee@acme.test']);
  });

  it('stops on a short last page and on an exact multiple without an empty extra request', async () => {
    const { clock, fake } = await setup();
    await collect(personioFor(fake, clock, { pageSize: 5 }).employees());
    const offsets = fake.requests.filter((r) => r.endpoint === 'v1.employees').map((r) => r.path);
    expect(offsets).toHaveLength(4); // 17 people: 5 + 5 + 5 + 2
    fake.company.remove(ids.cjk);
    fake.resetCounts();
    await collect(personioFor(fake, clock, { pageSize: 4 }).employees()); // 16 people: 4 × 4
    expect(fake.counts().byEndpoint['v1.employees']).toBe(4);
  });

  it('reuses its token across runs, renews it before expiry, and once on a 401', async () => {
    const { clock, fake } = await setup({ tokenTtlS: 3600 });
    const personio = personioFor(fake, clock);
    await personio.validate();
    await collect(personio.employees());
    expect(fake.counts().byEndpoint['v1.auth']).toBe(1);

    clock.advance(3600_000); // expired: renewed up front, no 401 spent on it
    await collect(personio.employees());
    expect(fake.counts().byEndpoint['v1.auth']).toBe(2);
    expect(fake.counts().byStatus['401']).toBeUndefined();

    fake.tokens.revokeAll(); // Personio forgot the token: one 401, one renewal, the run goes on
    const run = await collect(personio.employees());
    expect(run.byId.size).toBe(17);
    expect(fake.counts().byEndpoint['v1.auth']).toBe(3);
    expect(fake.counts().byStatus['401']).toBe(1);
    expect(personio.stats.tokensIssued).toBe(3);
  });

  it('sends the partner headers when configured', async () => {
    const { clock, fake } = await setup();
    const seen: Array<string | null> = [];
    const spy: typeof fetch = async (input, init) => {
      seen.push(new Headers(init?.headers).get('x-personio-partner-id'));
      return fetch(input, init);
    };
    await collect(personioFor(fake, clock, { partnerId: 'ROLLCALL', appId: 'rollcall-sync' }, { fetch: spy }).employees());
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set(['ROLLCALL']));
  });

  it('treats attributes the credential may not read as absent, with a warning', async () => {
    const { clock, fake } = await setup({ credentials: { 'test-client': { secret: 'test-secret', hidden: ['email', 'dynamic_21827'] } } });
    fake.dropOnPage.set(1, ['supervisor']);
    const run = await collect(personioFor(fake, clock, { ibanAttribute: 'dynamic_21827', pageSize: 10 }).employees());
    expect(run.errors).toEqual([]);
    expect(run.employees.every((e) => e.workEmail === null && e.bankAccount === null)).toBe(true);
    expect(run.warnings.join('\n')).toMatch(/email, dynamic_21827/);
    expect(run.warnings.join('\n')).toMatch(/supervisor/);
    expect(run.pages[1]!.employees.every((e) => e.managerRemoteId === null)).toBe(true);
  });

  it('reflects hires, leavers, manager and email changes, and re-hires between runs', async () => {
    const { clock, fake } = await setup();
    const personio = personioFor(fake, clock);
    await collect(personio.employees());
    const since = new Date(clock.now()).toISOString();
    clock.advance(60_000);
    const hired = fake.company.hire({ firstName: 'Nia', lastName: 'Østergård', email: 'nia@acme.test', supervisorId: ids.ceo });
    fake.company.terminate(ids.hr, '2026-02-28');
    fake.company.changeManager(ids.reportBeforeManager, ids.ceo);
    fake.company.changeEmail(ids.preferred, 'peggy.quist@acme.test');
    fake.company.rehire(ids.terminatedPast, '2026-05-01');

    const full = await collect(personio.employees());
    const get = (id: number) => full.byId.get(String(id))!;
    expect(get(hired.id)).toMatchObject({ lastName: 'Østergård', managerRemoteId: String(ids.ceo), status: 'active' });
    expect(get(ids.hr).status).toBe('inactive');
    expect(get(ids.reportBeforeManager).managerRemoteId).toBe(String(ids.ceo));
    expect(get(ids.preferred).workEmail).toBe('peggy.quist@acme.test');
    expect(get(ids.terminatedPast)).toMatchObject({ status: 'pending', startDate: '2026-05-01', terminationDate: null });

    const delta = await collect(personio.employees({ updatedSince: since }));
    expect(delta.pages.every((p) => !p.complete)).toBe(true);
    expect([...delta.byId.keys()].sort()).toEqual([hired.id, ids.hr, ids.reportBeforeManager, ids.preferred, ids.terminatedPast].map(String).sort());
  });

  it('refuses to call a list that shifted under it a snapshot', async () => {
    const { clock, fake } = await setup();
    const pages = personioFor(fake, clock, { pageSize: 5 }).employees()[Symbol.asyncIterator]();
    await pages.next();
    fake.company.remove(ids.ceo); // on the first page: everyone after moves up one place
    const failure = await (async () => {
      for (;;) if ((await pages.next()).done) return undefined;
    })().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(HttpError);
    expect(failure).toMatchObject({ retryable: true, message: expect.stringMatching(/changed during the run/) });
  });
});
