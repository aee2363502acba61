import type { Connector } from '../../../connectors/index.js';
import { createLucca } from '../../../connectors/lucca/connector.js';
import type { LuccaCredentialsInput, LuccaSettingsInput } from '../../../connectors/lucca/schema.js';
import type { ConnectorFactory } from '../../../src/connections/connector-for.js';
import { generateCompany } from '../../fakes/lucca/generate.js';
import { luccaCredentials, today } from '../../fakes/lucca/harness.js';
import { startFakeLucca } from '../../fakes/lucca/server.js';
import { createVirtualClock } from '../../fakes/personio/clock.js';
import type { ProviderUnderTest } from '../providers-under-test.js';
import { testConnectionDeps } from '../sync-fixture.js';

/**
 * Lucca through either API, the fake enforcing the account's 50 requests a minute on the
 * connector's own clock. The legacy user shows the legal entity as its site; v5 the job
 * position's business establishment.
 */
export async function luccaUnderTest(api: 'legacy' | 'v5', size: number, seed: number): Promise<ProviderUnderTest> {
  const clock = createVirtualClock();
  const company = generateCompany({ seed, size, now: clock.now });
  const fake = await startFakeLucca({ company, now: clock.now, limit: { perMinute: 50, retryAfter: true } });
  const c = fake.company;
  const factory: ConnectorFactory = (_provider, credentials, deps) =>
    createLucca({
      credentials: credentials as LuccaCredentialsInput,
      settings: (deps.settings ?? {}) as LuccaSettingsInput,
      baseUrl: deps.baseUrl ?? fake.url,
      now: () => today,
      http: { now: clock.now, sleep: clock.sleep, random: () => 0.5, timeoutMs: 2_000 },
    }) as Connector;
  const gone = (end: string | null) => end !== null && end < c.today;
  return {
    name: api === 'legacy' ? 'lucca' : 'lucca v5',
    today: c.today,
    body: {
      provider: 'lucca',
      baseUrl: fake.url,
      credentials: luccaCredentials(api),
      ...(api === 'v5' ? { settings: { tokenUrl: `${fake.url}/connect/token` } } : {}),
    },
    deps: (db) => testConnectionDeps(db, factory, () => today),
    faults: fake.faults,
    listEndpoint: api === 'legacy' ? 'users' : 'employees',
    // Legacy pages hold 1000 and end on a short page; v5 pages hold 100 and end where `links.next` is null.
    listRequestsFor: (people) => (api === 'legacy' ? Math.floor(people / 1000) + 1 : Math.max(1, Math.ceil(people / 100))),
    // v5 reads employments and job positions first, then employees: fail the second page of employees.
    midRun: api === 'legacy' ? { endpoint: 'users', nth: 1 } : { endpoint: 'employees', nth: 2 },
    requests: (endpoint) => fake.counts().byEndpoint[endpoint] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      c.list().map((p) => ({
        id: String(p.id),
        email: p.email,
        employed: !gone(c.applicable(p).end),
        location: api === 'legacy' ? c.applicable(p).legalEntity.name : c.job(p).establishment.name,
        managerId: c.job(p).managerId === null ? null : String(c.job(p).managerId),
      })),
    hire: ({ firstName, lastName, email, managerId }) => {
      const manager = c.get(Number(managerId))!;
      const job = c.job(manager);
      return String(
        c.hire({ firstName, lastName, email, managerId: Number(managerId), establishment: job.establishment, legalEntity: c.applicable(manager).legalEntity, department: job.department }).id,
      );
    },
    terminate: (id, date) => void c.terminate(Number(id), date),
    changeManager: (id, managerId) => void c.changeManager(Number(id), Number(managerId)),
    changeEmail: (id, email) => void c.changeEmail(Number(id), email),
    rehire: (id, date) => void c.rehire(Number(id), date),
    touch: (id) => void c.updateJob(Number(id), { jobTitle: `Title ${Date.now()}` }),
    removeEveryone: () => c.list().forEach((p) => c.remove(p.id)),
    close: () => fake.close(),
    // Legacy only: `e_…` fields come with `fields=extendedData`; v5 documents no custom fields.
    ...(api === 'legacy' ? { customFields: { badge: 'extendedData.e_badge', costCode: 'extendedData.e_costcode', presentUnasked: false } } : {}),
  };
}
