import { payrollSchema } from '../../fakes/google/render.js';
import type { Connector } from '../../../connectors/index.js';
import type { GoogleSettingsInput } from '../../../connectors/google/schema.js';
import type { ConnectorFactory } from '../../../src/connections/connector-for.js';
import { generateCompany, staffOrgUnit } from '../../fakes/google/generate.js';
import { createVirtualClock, datesSettings, googleFor } from '../../fakes/google/harness.js';
import { startFakeGoogle } from '../../fakes/google/server.js';
import type { ProviderUnderTest } from '../providers-under-test.js';
import { testConnectionDeps } from '../sync-fixture.js';

const pageSize = 100;

/** Google Workspace seen through the shared scenario: HR dates from a custom schema, 100 users a page. */
export async function googleUnderTest(size: number, seed: number): Promise<ProviderUnderTest> {
  const clock = createVirtualClock();
  const fake = await startFakeGoogle({ company: generateCompany({ seed, size }), now: clock.now });
  const c = fake.company;
  const staff = () => c.list().filter((u) => u.orgUnitPath.startsWith(`${staffOrgUnit}/`));
  const now = () => new Date(`${c.today}T12:00:00Z`);
  const factory: ConnectorFactory = (_p, _c, deps) => googleFor(fake, clock, { now, settings: deps.settings as GoogleSettingsInput }) as Connector;
  return {
    name: 'google',
    today: c.today,
    body: {
      provider: 'google',
      baseUrl: fake.url,
      credentials: { serviceAccountKey: JSON.stringify(fake.serviceAccount.key), adminEmail: fake.admin },
      // Only the staff org unit: the admin account the sync acts as is not a person to provision.
      settings: { ...datesSettings, pageSize, query: `orgUnitPath='${staffOrgUnit}'` },
    },
    deps: (db) => testConnectionDeps(db, factory, now),
    faults: fake.faults,
    listEndpoint: 'users',
    // The last page is the one without a nextPageToken.
    listRequestsFor: (people) => Math.max(1, Math.ceil(people / pageSize)),
    midRun: { endpoint: 'users', nth: 2 },
    requests: (endpoint) => fake.counts().byEndpoint[endpoint] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      staff().map((u) => ({
        id: u.id,
        email: u.primaryEmail,
        employed: c.employed(u),
        location: u.building || null,
        managerId: u.externalManagerEmail ? null : u.managerId,
      })),
    hire: ({ firstName, lastName, email, managerId }) => c.hire({ givenName: firstName, familyName: lastName, primaryEmail: email, managerId }).id,
    terminate: (id, date) => void c.terminate(id, date),
    changeManager: (id, managerId) => void c.changeManager(id, managerId),
    changeEmail: (id, email) => void c.changeEmail(id, email),
    rehire: (id, date) => void c.rehire(id, date),
    touch: (id) => void c.update(id, { title: `Title ${Date.now()}` }),
    removeEveryone: () => staff().forEach((u) => c.remove(u.id)),
    close: () => fake.close(),
    // `projection=full` carries every custom schema; nothing has to be asked for.
    customFields: { badge: `customSchemas.${payrollSchema}.badge`, costCode: `customSchemas.${payrollSchema}.costCode`, presentUnasked: true },
  };
}
