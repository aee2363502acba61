import { badgeFieldIdentifier, costCodeFieldIdentifier } from '../../fakes/factorial/custom-fields.js';
import type { Connector } from '../../../connectors/index.js';
import type { FactorialSettingsInput } from '../../../connectors/factorial/schema.js';
import type { ConnectorFactory } from '../../../src/connections/connector-for.js';
import { generateCompany } from '../../fakes/factorial/generate.js';
import { createVirtualClock, factorialFor } from '../../fakes/factorial/harness.js';
import { defaultApiKey, startFakeFactorial } from '../../fakes/factorial/server.js';
import type { ProviderUnderTest } from '../providers-under-test.js';
import { testConnectionDeps } from '../sync-fixture.js';

/** Factorial through the shared scenario: an API key, cursor paging, pages of 100. */
export async function factorialUnderTest(size: number, seed: number): Promise<ProviderUnderTest> {
  const clock = createVirtualClock();
  const fake = await startFakeFactorial({ company: generateCompany({ seed, size, now: clock.now }), now: clock.now });
  const c = fake.company;
  const factory: ConnectorFactory = (_p, _c, deps) => factorialFor(fake, clock, deps.settings as FactorialSettingsInput) as Connector;
  const locationName = (id: string | null) => c.locations().find((l) => l.id === id)?.name ?? null;
  return {
    name: 'factorial',
    today: c.today,
    body: { provider: 'factorial', baseUrl: fake.url, credentials: { apiKey: defaultApiKey } },
    deps: (db) => testConnectionDeps(db, factory, () => new Date(`${c.today}T12:00:00Z`)),
    faults: fake.faults,
    listEndpoint: 'employees',
    // Pages of 100; the last says has_next_page: false (a full last page included).
    listRequestsFor: (people) => Math.max(1, Math.ceil(people / 100)),
    midRun: { endpoint: 'employees', nth: 2 },
    requests: (endpoint) => fake.counts().byEndpoint[endpoint] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      c.list().map((p) => ({
        id: p.id,
        email: p.loginEmail,
        employed: c.employed(p),
        location: locationName(p.locationId),
        managerId: p.managerId,
      })),
    hire: ({ firstName, lastName, email, managerId }) =>
      c.hire({ firstName, lastName, loginEmail: email, managerId, locationId: c.get(managerId)!.locationId }).id,
    terminate: (id, date) => void c.terminate(id, date),
    changeManager: (id, managerId) => void c.changeManager(id, managerId),
    changeEmail: (id, email) => void c.changeEmail(id, email),
    rehire: (id, date) => void c.rehire(id, date),
    // A job title lives on the newest contract version.
    touch: (id) => void c.addVersion(id, { jobTitle: `Title ${Date.now()}`, effectiveOn: c.today }),
    removeEveryone: () => [...c.list()].forEach((p) => c.remove(p.id)),
    close: () => fake.close(),
    // Values live in `/resources/custom_fields/values`; the connector keys them by field identifier.
    customFields: { badge: `customFields.${badgeFieldIdentifier}`, costCode: `customFields.${costCodeFieldIdentifier}`, presentUnasked: false },
  };
}
