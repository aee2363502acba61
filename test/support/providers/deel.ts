import type { Connector } from '../../../connectors/index.js';
import { generateCompany } from '../../fakes/deel/generate.js';
import { createVirtualClock, deelFor, today } from '../../fakes/deel/harness.js';
import { defaultToken, startFakeDeel } from '../../fakes/deel/server.js';
import type { ConnectorFactory } from '../../../src/connections/connector-for.js';
import type { ProviderUnderTest } from '../providers-under-test.js';
import { testConnectionDeps } from '../sync-fixture.js';

/** Deel's pages hold 200; only an empty page ends the read. */
const pageSize = 200;

export async function deelUnderTest(size: number, seed: number): Promise<ProviderUnderTest> {
  const clock = createVirtualClock();
  const fake = await startFakeDeel({ company: generateCompany({ seed, size }), now: clock.now, perSecond: 5 });
  const c = fake.company;
  // Each connector paces itself from its first request; on a virtual clock, runs would otherwise
  // start in the same instant as the last one ended and share its one-second window.
  const factory: ConnectorFactory = () => {
    clock.advance(1000);
    return deelFor(fake, clock) as Connector;
  };
  const lastDay = (id: string) => {
    const p = c.get(id)!;
    return (p.employments.find((e) => !e.isEnded) ?? p.employments.at(-1))?.terminationLastDay ?? null;
  };
  return {
    name: 'deel',
    today: c.today,
    body: { provider: 'deel', baseUrl: fake.url, credentials: { apiToken: defaultToken } },
    deps: (db) => testConnectionDeps(db, factory, () => today),
    faults: fake.faults,
    listEndpoint: 'people',
    listRequestsFor: (people) => Math.ceil(people / pageSize) + 1,
    midRun: { endpoint: 'people', nth: 2 },
    requests: (endpoint) => fake.counts().byEndpoint[endpoint] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      c.list().map((p) => {
        const end = lastDay(p.id);
        return {
          id: p.id,
          email: p.workEmail,
          employed: p.hiringStatus !== 'inactive' && !(end !== null && end < c.today),
          location: p.workLocation,
          managerId: p.managerId,
        };
      }),
    hire: ({ firstName, lastName, email, managerId }) => c.hire({ firstName, lastName, workEmail: email, managerId, workLocation: c.get(managerId)!.workLocation }).id,
    terminate: (id, date) => void c.terminate(id, date),
    changeManager: (id, managerId) => void c.changeManager(id, managerId),
    changeEmail: (id, email) => void c.changeEmail(id, email),
    rehire: (id, date) => void c.rehire(id, date),
    touch: (id) => void c.update(id, { jobTitle: `Title ${Date.now()}` }),
    removeEveryone: () => c.list().forEach((p) => c.remove(p.id)),
    close: () => fake.close(),
    // Values come one worker at a time from `/people/{id}/custom_fields`, keyed by the field's name as a path spells it.
    customFields: { badge: 'customFields.badge', costCode: 'customFields.cost_code', presentUnasked: false },
  };
}
