import type { Connector } from '../../../connectors/index.js';
import type { ConnectorFactory } from '../../../src/connections/connector-for.js';
import { defaultKey } from '../../fakes/payfit/auth.js';
import { generateCompany } from '../../fakes/payfit/generate.js';
import { createVirtualClock, payfitFor } from '../../fakes/payfit/harness.js';
import { startFakePayfit } from '../../fakes/payfit/server.js';
import type { ProviderUnderTest } from '../providers-under-test.js';
import { testConnectionDeps } from '../sync-fixture.js';

/** PayFit seen through the shared scenario: a key, its company found by introspection, 50 a page. */
export async function payfitUnderTest(size: number, seed: number): Promise<ProviderUnderTest> {
  const clock = createVirtualClock();
  const fake = await startFakePayfit({ company: generateCompany({ seed, size }), now: clock.now });
  const c = fake.company;
  const now = () => new Date(`${c.today}T12:00:00Z`);
  const factory: ConnectorFactory = () => payfitFor(fake, clock, { now }) as Connector;
  const location = (id: string) => c.currentContract(id)?.establishment ?? null;
  return {
    name: 'payfit',
    today: c.today,
    body: { provider: 'payfit', baseUrl: fake.url, credentials: { apiKey: defaultKey } },
    deps: (db) => testConnectionDeps(db, factory, now),
    faults: fake.faults,
    listEndpoint: 'collaborators',
    // 50 a page; the last page is the one without a nextPageToken.
    listRequestsFor: (people) => Math.max(1, Math.ceil(people / 50)),
    midRun: { endpoint: 'collaborators', nth: 2 },
    requests: (endpoint) => fake.counts().byEndpoint[endpoint] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      c.list().map((p) => ({
        id: p.id,
        email: p.professionalEmail,
        employed: c.employed(p),
        location: location(p.id)?.name ?? null,
        managerId: p.managerId,
      })),
    hire: ({ firstName, lastName, email, managerId }) =>
      c.hire({ firstName, lastName, professionalEmail: email, managerId, establishment: location(managerId) }).id,
    terminate: (id, date) => void c.terminate(id, date),
    changeManager: (id, managerId) => void c.changeManager(id, managerId),
    changeEmail: (id, email) => void c.changeEmail(id, email),
    rehire: (id, date) => void c.rehire(id, date),
    touch: (id) => void c.update(id, { teamName: `Team ${Date.now()}` }),
    removeEveryone: () => c.list().forEach((p) => c.remove(p.id)),
    close: () => fake.close(),
  };
}
