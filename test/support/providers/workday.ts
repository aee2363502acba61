import type { Connector } from '../../../connectors/index.js';
import type { WorkdaySettingsInput } from '../../../connectors/workday/schema.js';
import type { ConnectorFactory } from '../../../src/connections/connector-for.js';
import { generateCompany } from '../../fakes/workday/generate.js';
import { createVirtualClock, raasSettings, workdayFor } from '../../fakes/workday/harness.js';
import { defaultUser, startFakeWorkday } from '../../fakes/workday/server.js';
import type { ProviderUnderTest } from '../providers-under-test.js';
import { testConnectionDeps } from '../sync-fixture.js';

const pageSize = 100;

/**
 * Workday seen through the shared scenario, either way an admin may connect: Get_Workers over
 * SOAP (100 workers a page, terminated workers included) or a RaaS report as JSON (one request).
 */
export async function workdayUnderTest(api: 'soap' | 'raas', size: number, seed: number): Promise<ProviderUnderTest> {
  const clock = createVirtualClock();
  const fake = await startFakeWorkday({ company: generateCompany({ seed, size }), now: clock.now });
  const c = fake.company;
  const now = () => new Date(`${c.today}T12:00:00Z`);
  const factory: ConnectorFactory = (_p, _c, deps) => workdayFor(fake, clock, { now, settings: deps.settings as WorkdaySettingsInput }) as Connector;
  const settings = api === 'soap' ? { pageSize } : raasSettings(fake);
  const endpoint = api === 'soap' ? 'Get_Workers' : 'report';
  return {
    name: api === 'soap' ? 'workday' : 'workday raas',
    today: c.today,
    body: { provider: 'workday', baseUrl: fake.url, credentials: { ...defaultUser }, settings },
    deps: (db) => testConnectionDeps(db, factory, now),
    faults: fake.faults,
    listEndpoint: endpoint,
    // Pages of 100 until Page reaches Total_Pages; the report is one response.
    listRequestsFor: (people) => (api === 'soap' ? Math.max(1, Math.ceil(people / pageSize)) : 1),
    midRun: { endpoint, nth: api === 'soap' ? 2 : 1 },
    requests: (e) => fake.counts().byEndpoint[e] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      c.list().map((w) => ({
        id: api === 'soap' ? w.wid : w.employeeId,
        email: w.workEmail,
        employed: c.employed(w),
        location: c.primary(w).location.name,
        managerId: ((m) => (m ? (api === 'soap' ? m.wid : m.employeeId) : null))(c.primary(w).managerId ? c.get(c.primary(w).managerId!) : undefined),
      })),
    hire: ({ firstName, lastName, email, managerId }) => {
      const boss = api === 'soap' ? c.get(managerId) : c.list().find((w) => w.employeeId === managerId);
      const hired = c.hire({ firstName, lastName, workEmail: email, managerId: boss!.wid, location: c.primary(boss!).location });
      return api === 'soap' ? hired.wid : hired.employeeId;
    },
    terminate: (id, date) => c.terminate(widOf(id), date),
    changeManager: (id, managerId) => c.changeManager(widOf(id), widOf(managerId)),
    changeEmail: (id, email) => c.changeEmail(widOf(id), email),
    rehire: (id, date) => c.rehire(widOf(id), date),
    touch: (id) => void c.update(widOf(id), { preferredFirstName: `Name${Date.now()}` }),
    removeEveryone: () => c.list().forEach((w) => c.remove(w.wid)),
    close: () => fake.close(),
    // RaaS only: custom fields are the report's own columns; Get_Workers carries none.
    ...(api === 'raas' ? { customFields: { badge: 'CF_Badge_Number', costCode: 'CF_Cost_Code', presentUnasked: true } } : {}),
  };

  /** The scenario names people by the connection's remote id: a WID over SOAP, an Employee_ID in the report. */
  function widOf(id: string): string {
    return api === 'soap' ? id : c.list().find((w) => w.employeeId === id)!.wid;
  }
}
