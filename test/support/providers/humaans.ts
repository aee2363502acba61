import type { Connector } from '../../../connectors/index.js';
import type { ConnectorFactory } from '../../../src/connections/connector-for.js';
import { generateCompany } from '../../fakes/humaans/generate.js';
import { createVirtualClock, humaansFor } from '../../fakes/humaans/harness.js';
import { defaultToken, startFakeHumaans } from '../../fakes/humaans/server.js';
import type { ProviderUnderTest } from '../providers-under-test.js';
import { testConnectionDeps } from '../sync-fixture.js';

/** Humaans seen through the shared scenario: a private:read token, 250 people a page. */
export async function humaansUnderTest(size: number, seed: number): Promise<ProviderUnderTest> {
  const clock = createVirtualClock();
  const fake = await startFakeHumaans({ company: generateCompany({ seed, size }), now: clock.now });
  const c = fake.company;
  const now = () => new Date(`${c.today}T12:00:00Z`);
  const factory: ConnectorFactory = () => humaansFor(fake, clock, { now }) as Connector;
  return {
    name: 'humaans',
    today: c.today,
    body: { provider: 'humaans', baseUrl: fake.url, credentials: { apiToken: defaultToken } },
    deps: (db) => testConnectionDeps(db, factory, now),
    faults: fake.faults,
    listEndpoint: 'people',
    // 250 a page; the last page is the one where skip + data.length reaches total.
    listRequestsFor: (people) => Math.max(1, Math.ceil(people / 250)),
    midRun: { endpoint: 'people', nth: 2 },
    requests: (endpoint) => fake.counts().byEndpoint[endpoint] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      c.list().map((p) => ({
        id: p.id,
        email: p.email,
        employed: c.employed(p),
        location: c.location(p),
        managerId: c.currentRole(p.id)?.reportingTo ?? null,
      })),
    hire: ({ firstName, lastName, email, managerId }) => {
      const boss = c.get(managerId)!;
      return c.hire({ firstName, lastName, email, managerId, locationId: boss.locationId, remoteCity: boss.remoteCity, remoteCountryCode: boss.remoteCountryCode }).id;
    },
    terminate: (id, date) => void c.terminate(id, date),
    changeManager: (id, managerId) => void c.changeManager(id, managerId),
    changeEmail: (id, email) => void c.changeEmail(id, email),
    rehire: (id, date) => void c.rehire(id, date),
    touch: (id) => void c.update(id, { preferredName: `Name ${Date.now()}` }),
    removeEveryone: () => c.list().forEach((p) => c.remove(p.id)),
    close: () => fake.close(),
    // Values live in `/custom-values`; the connector keys them by the field's name as a path spells it (or its id).
    customFields: { badge: 'customFields.badge', costCode: 'customFields.cost_code', presentUnasked: false },
  };
}
