import type { Connector } from '../../../connectors/index.js';
import type { RemoteSettingsInput } from '../../../connectors/remote/schema.js';
import type { ConnectorFactory } from '../../../src/connections/connector-for.js';
import { generateCompany } from '../../fakes/remote/generate.js';
import { createVirtualClock, remoteFor } from '../../fakes/remote/harness.js';
import { defaultApiToken, startFakeRemote } from '../../fakes/remote/server.js';
import type { ProviderUnderTest } from '../providers-under-test.js';
import { testConnectionDeps } from '../sync-fixture.js';

/** Remote through the shared scenario: a customer API token, pages of 100, 20 requests a minute on a virtual clock. */
export async function remoteUnderTest(size: number, seed: number): Promise<ProviderUnderTest> {
  const clock = createVirtualClock();
  const fake = await startFakeRemote({ company: generateCompany({ seed, size }), now: clock.now });
  const c = fake.company;
  const now = () => new Date(`${c.today}T12:00:00Z`);
  const factory: ConnectorFactory = (_p, _c, deps) => remoteFor(fake, clock, { now, settings: deps.settings as RemoteSettingsInput }) as Connector;
  return {
    name: 'remote',
    today: c.today,
    body: { provider: 'remote', baseUrl: fake.url, credentials: { apiToken: defaultApiToken } },
    deps: (db) => testConnectionDeps(db, factory, now),
    faults: fake.faults,
    listEndpoint: 'employments',
    // Pages of 100; the last is the one whose current_page equals total_pages.
    listRequestsFor: (people) => Math.max(1, Math.ceil(people / 100)),
    // Details are read one employment at a time after each page: fail one half-way through.
    midRun: { endpoint: 'employment', nth: Math.floor(size / 2) },
    requests: (endpoint) => fake.counts().byEndpoint[endpoint] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      c.list().map((e) => ({
        id: e.id,
        email: e.workEmail ?? '',
        employed: c.employed(e),
        location: e.country.name,
        managerId: e.managerId ?? (e.managerEmail ? (c.list().find((m) => m.workEmail === e.managerEmail)?.id ?? null) : null),
      })),
    hire: ({ firstName, lastName, email, managerId }) =>
      c.hire({ firstName, lastName, workEmail: email, loginEmail: email, managerId, country: c.get(managerId)!.country }).id,
    terminate: (id, date) => void c.terminate(id, date),
    changeManager: (id, managerId) => void c.changeManager(id, managerId),
    changeEmail: (id, email) => void c.changeEmail(id, email),
    rehire: (id, date) => void c.rehire(id, date),
    touch: (id) => void c.update(id, { jobTitle: `Title ${Date.now()}` }),
    removeEveryone: () => [...c.list()].forEach((e) => c.remove(e.id)),
    close: () => fake.close(),
    // Values are read per employment; the connector keys them by the field's name as a path spells it (or its id).
    customFields: { badge: 'customFields.badge', costCode: 'customFields.cost_code', presentUnasked: false },
  };
}
