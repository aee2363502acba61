import type { Connector } from '../../connectors/index.js';
import type { HibobSettingsInput } from '../../connectors/hibob/schema.js';
import type { PersonioSettingsInput } from '../../connectors/personio/schema.js';
import type { ConnectorFactory } from '../../src/connections/connector-for.js';
import type { ConnectionDeps } from '../../src/connections/service.js';
import type { Executor } from '../../src/db/client.js';
import { generateCompany as generateBamboo } from '../fakes/bamboohr/generate.js';
import { startFakeBambooHr } from '../fakes/bamboohr/server.js';
import { generateCompany as generateHibob } from '../fakes/hibob/generate.js';
import { hibobFor } from '../fakes/hibob/harness.js';
import { badgeField, costCodeField } from '../fakes/hibob/render.js';
import { defaultServiceUser, startFakeHibob } from '../fakes/hibob/server.js';
import { createVirtualClock } from '../fakes/personio/clock.js';
import { generateCompany as generatePersonio } from '../fakes/personio/generate.js';
import { personioFor, today as personioToday } from '../fakes/personio/harness.js';
import { defaultClient, startFakePersonio } from '../fakes/personio/server.js';
import { badgeKey, costCodeKey } from '../fakes/personio/v1.js';
import type { FaultPlan } from '../fakes/shared/faults.js';
import { payfitUnderTest } from './providers/payfit.js';
import { factorialUnderTest } from './providers/factorial.js';
import { deelUnderTest } from './providers/deel.js';
import { luccaUnderTest } from './providers/lucca.js';
import { humaansUnderTest } from './providers/humaans.js';
import { googleUnderTest } from './providers/google.js';
import { remoteUnderTest } from './providers/remote.js';
import { workdayUnderTest } from './providers/workday.js';
import { bambooConnectionBody, fastBambooHr, fakeNow, testConnectionDeps } from './sync-fixture.js';

/**
 * Every HR system seen through one shape, so one scenario holds every connector to the same bar.
 * The person view is read from the fake's own records (never from what a sync produced): it is
 * the oracle's input.
 */
export interface ScenarioPerson {
  id: string;
  /** Work email as the HR system has it ('' for none). */
  email: string;
  /** Employed today or later, by the HR system's own status and dates. */
  employed: boolean;
  location: string | null;
  managerId: string | null;
  /** The bank account HR holds, for a variant that syncs them; undefined when the provider does not. */
  bankAccount?: { iban: string; bic?: string } | null;
}

export interface NewHire {
  firstName: string;
  lastName: string;
  email: string;
  /** The hire works where their manager works. */
  managerId: string;
}

export interface ProviderUnderTest {
  name: string;
  /** The fake's "today" (YYYY-MM-DD). */
  today: string;
  /** What an admin posts to connect it (without onboarding and scope). */
  body: Record<string, unknown>;
  deps(db: Executor): ConnectionDeps;
  faults: FaultPlan;
  /** The fault plan's name for the request that lists people. */
  listEndpoint: string;
  /** List requests a full read of `people` costs: one report, one search, or one per page. */
  listRequestsFor(people: number): number;
  /** A request in the middle of a full read, to fail there: the endpoint and its 1-based number. */
  midRun: { endpoint: string; nth: number };
  /** How many requests reached an endpoint since the last reset. */
  requests(endpoint: string): number;
  resetCounts(): void;
  people(): ScenarioPerson[];
  hire(person: NewHire): string;
  terminate(id: string, date: string): void;
  changeManager(id: string, managerId: string): void;
  changeEmail(id: string, email: string): void;
  rehire(id: string, date: string): void;
  /** Touches one person so that a successful run has something to apply. */
  touch(id: string): void;
  removeEveryone(): void;
  close(): Promise<void>;
  /**
   * Where the connector keeps the fake account's custom fields in `raw` (dotted paths, as a
   * mapping names them); absent for systems without custom fields. The values are
   * `customFieldsOf(person id)` (test/fakes/shared/custom-fields.ts).
   */
  customFields?: CustomFieldPaths;
}

export interface CustomFieldPaths {
  badge: string;
  costCode: string;
  /**
   * The values are at these paths even when no mapping asks for them (the API sends every
   * field, and the connector keeps it as sent). False where the request must name the fields,
   * or where the connector keys them under `customFields` only on request.
   */
  presentUnasked: boolean;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const gone = (terminationDate: string | null | undefined, today: string) => !!terminationDate && terminationDate < today;

export async function bambooHrUnderTest(size: number, seed: number): Promise<ProviderUnderTest> {
  const fake = await startFakeBambooHr({ company: generateBamboo({ seed, size }) });
  const c = fake.company;
  return {
    name: 'bamboohr',
    today: c.today,
    body: bambooConnectionBody(fake),
    deps: (db) => testConnectionDeps(db, fastBambooHr(fake), fakeNow(fake)),
    faults: fake.faults,
    listEndpoint: 'report',
    listRequestsFor: () => 1,
    midRun: { endpoint: 'report', nth: 1 },
    requests: (endpoint) => fake.counts().byEndpoint[endpoint] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      c.list().map((p) => ({
        id: p.id,
        email: p.workEmail,
        employed: p.status === 'Active' && !gone(p.terminationDate, c.today),
        location: p.location || null,
        managerId: p.supervisorEId || null,
      })),
    hire: ({ firstName, lastName, email, managerId }) =>
      c.hire({ firstName, lastName, workEmail: email, supervisorEId: managerId, location: c.get(managerId)!.location }).id,
    terminate: (id, date) => void c.terminate(id, date),
    changeManager: (id, managerId) => void c.changeManager(id, managerId),
    changeEmail: (id, email) => void c.changeEmail(id, email),
    rehire: (id, date) => void c.rehire(id, date),
    touch: (id) => void c.update(id, { jobTitle: `Title ${Date.now()}` }),
    removeEveryone: () => c.list().forEach((p) => c.remove(p.id)),
    close: () => fake.close(),
    customFields: { badge: 'customBadge', costCode: 'customCostCode', presentUnasked: false },
  };
}

/** `offsetIsPage`: a v1 account that reads `offset` as a page number (one extra list request a run). */
export async function personioUnderTest(apiVersion: 'v1' | 'v2', size: number, seed: number, variants: { offsetIsPage?: boolean } = {}): Promise<ProviderUnderTest> {
  const clock = createVirtualClock();
  const fake = await startFakePersonio({ company: generatePersonio({ seed, size }), now: clock.now, variants });
  const probe = variants.offsetIsPage ? 1 : 0;
  const c = fake.company;
  const today = isoDay(personioToday);
  const factory: ConnectorFactory = (_p, _c, deps) => personioFor(fake, clock, deps.settings as PersonioSettingsInput, deps.fetch ? { fetch: deps.fetch } : {}) as Connector;
  return {
    name: `personio ${apiVersion}${variants.offsetIsPage ? ' (offset read as a page)' : ''}`,
    today,
    body: { provider: 'personio', baseUrl: fake.url, credentials: { clientId: defaultClient.id, clientSecret: defaultClient.secret }, settings: { apiVersion } },
    deps: (db) => testConnectionDeps(db, factory, () => personioToday),
    faults: fake.faults,
    listEndpoint: apiVersion === 'v1' ? 'v1.employees' : 'v2.persons',
    // v1 pages hold 100 and end on a short page; v2 pages hold 50 and end where `next` is absent.
    listRequestsFor: (people) => (apiVersion === 'v1' ? Math.floor(people / 100) + 1 + (people >= 100 ? probe : 0) : Math.ceil(people / 50)),
    // v2 reads employments per person after the list: fail one of those, half-way through.
    midRun: apiVersion === 'v1' ? { endpoint: 'v1.employees', nth: 2 } : { endpoint: 'v2.employments', nth: Math.floor(size / 2) },
    requests: (endpoint) => fake.counts().byEndpoint[endpoint] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      c.list().map((p) => {
        const work = c.current(p);
        return {
          id: String(p.id),
          email: p.email,
          employed: work.status !== 'INACTIVE' && !gone(work.terminationDate, today),
          // v2 names an office by its id only, and scope rules may name either.
          location: (apiVersion === 'v1' ? work.office?.name : work.office && String(work.office.id)) ?? null,
          managerId: work.supervisorId === null ? null : String(work.supervisorId),
        };
      }),
    hire: ({ firstName, lastName, email, managerId }) => {
      const office = c.current(c.get(Number(managerId))!).office;
      return String(c.hire({ firstName, lastName, email, supervisorId: Number(managerId), office }).id);
    },
    terminate: (id, date) => void c.terminate(Number(id), date),
    changeManager: (id, managerId) => void c.changeManager(Number(id), Number(managerId)),
    changeEmail: (id, email) => void c.changeEmail(Number(id), email),
    rehire: (id, date) => void c.rehire(Number(id), date),
    touch: (id) => void c.updateEmployment(Number(id), { position: `Title ${Date.now()}` }),
    removeEveryone: () => c.list().forEach((p) => c.remove(p.id)),
    close: () => fake.close(),
    // Personio sends every attribute the credential may read; the asked-for ones are also keyed.
    customFields: { badge: `customFields.${badgeKey}`, costCode: `customFields.${costCodeKey}`, presentUnasked: false },
  };
}

/**
 * `dayFirst`: the service user's display format is DD/MM/YYYY (HiBob formats human-readable
 * dates with it). `bankAccounts`: the connection syncs bank accounts, one request per person.
 */
export async function hibobUnderTest(size: number, seed: number, variants: { dayFirst?: boolean; bankAccounts?: boolean } = {}): Promise<ProviderUnderTest> {
  const clock = createVirtualClock();
  const fake = await startFakeHibob({ company: generateHibob({ seed, size }), now: clock.now, render: { humanDates: variants.dayFirst ? 'dd/mm/yyyy' : 'iso' } });
  const c = fake.company;
  const factory: ConnectorFactory = (_p, _c, deps) => hibobFor(fake, clock, { settings: deps.settings as HibobSettingsInput, ...(deps.fetch ? { fetch: deps.fetch } : {}) }) as Connector;
  const settings = variants.bankAccounts ? { settings: { bankAccounts: true } } : {};
  return {
    name: `hibob${variants.dayFirst ? ' (day-first dates, bank accounts)' : ''}`,
    today: c.today,
    body: { provider: 'hibob', baseUrl: fake.url, credentials: { serviceUserId: defaultServiceUser.id, token: defaultServiceUser.token }, ...settings },
    deps: (db) => testConnectionDeps(db, factory, () => new Date(`${c.today}T12:00:00Z`)),
    faults: fake.faults,
    listEndpoint: 'search',
    listRequestsFor: () => 1,
    midRun: { endpoint: 'search', nth: 1 },
    requests: (endpoint) => fake.counts().byEndpoint[endpoint] ?? 0,
    resetCounts: () => fake.resetCounts(),
    people: () =>
      c.list().map((p) => ({
        id: p.id,
        email: p.email,
        employed: p.status === 'Active' && p.lifecycleStatus !== 'terminated' && !gone(p.terminationDate, c.today),
        location: p.site?.name ?? null,
        managerId: p.managerId,
        ...(variants.bankAccounts ? { bankAccount: p.bankAccounts?.[0] ? { iban: p.bankAccounts[0].iban, bic: p.bankAccounts[0].bicOrSwift } : null } : {}),
      })),
    hire: ({ firstName, lastName, email, managerId }) =>
      c.hire({ firstName, surname: lastName, email, managerId, site: c.get(managerId)!.site }).id,
    terminate: (id, date) => void c.terminate(id, date),
    changeManager: (id, managerId) => void c.changeManager(id, managerId),
    changeEmail: (id, email) => void c.changeEmail(id, email),
    rehire: (id, date) => void c.rehire(id, date),
    touch: (id) => void c.update(id, { title: `Title ${Date.now()}` }),
    removeEveryone: () => c.list().forEach((p) => c.remove(p.id)),
    close: () => fake.close(),
    // The cost code is a list field: its display name sits in the `humanReadable` copy.
    customFields: { badge: badgeField, costCode: `humanReadable.${costCodeField}`, presentUnasked: false },
  };
}

/** Every way to connect an HR system, each started on a fresh generated company, plus account variants seen in the wild. */
export const providersUnderTest: Array<[string, (size: number, seed: number) => Promise<ProviderUnderTest>]> = [
  ['bamboohr', bambooHrUnderTest],
  ['personio v1', (size, seed) => personioUnderTest('v1', size, seed)],
  ['personio v2', (size, seed) => personioUnderTest('v2', size, seed)],
  ['hibob', (size, seed) => hibobUnderTest(size, seed)],
  ['personio v1 (offset read as a page)', (size, seed) => personioUnderTest('v1', size, seed, { offsetIsPage: true })],
  ['hibob (day-first dates, bank accounts)', (size, seed) => hibobUnderTest(size, seed, { dayFirst: true, bankAccounts: true })],
  ['payfit', payfitUnderTest],
  ['factorial', factorialUnderTest],
  ['deel', deelUnderTest],
  ['lucca', (size, seed) => luccaUnderTest('legacy', size, seed)],
  ['lucca v5', (size, seed) => luccaUnderTest('v5', size, seed)],
  ['humaans', humaansUnderTest],
  ['google', googleUnderTest],
  ['remote', remoteUnderTest],
  ['workday', (size, seed) => workdayUnderTest('soap', size, seed)],
  ['workday raas', (size, seed) => workdayUnderTest('raas', size, seed)],
];
