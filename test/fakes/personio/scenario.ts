import { createCompany, defaultToday, type CompanyOptions, type FakeEmployment, type FakePersonioCompany, type FakePersonioPerson } from './company.js';
import { units } from './generate.js';

/**
 * A small hand-written company with one person per awkward case, for tests that assert on
 * individuals. "Today" is 2026-03-02. List order puts Zoë (12) before her manager Łukasz (15);
 * v2's id order does too.
 */
export const scenarioIds = {
  ceo: 1,
  hr: 2,
  reportBeforeManager: 12,
  lateManager: 15,
  terminatedPast: 20,
  activeButTerminatedPast: 21,
  leavingFuture: 22,
  futureHire: 23,
  onLeave: 24,
  managerMissing: 25,
  noEmail: 26,
  dupEmailA: 27,
  dupEmailB: 28,
  nfdName: 29,
  preferred: 30,
  cjk: 31,
  rehired: 32,
} as const;

const [engineering, hr] = [units.departments[0]!, units.departments[6]!];
const [berlin, krakow, tokyo] = [units.offices[2]!, units.offices[5]!, units.offices[6]!];
const stamp = '2025-11-20T10:00:00.000Z';

function employment(id: number, extra: Partial<FakeEmployment> = {}): FakeEmployment {
  return {
    id: `e-${id}-1`, status: 'ACTIVE', position: 'Engineer', supervisorId: 1, office: berlin, department: engineering,
    team: units.teams[0]!, costCenters: [{ ...units.costCenters[0]!, percentage: 100 }], startDate: '2021-05-03',
    terminationDate: null, terminationType: null, updatedAt: stamp, ...extra,
  };
}

function person(id: number, firstName: string, lastName: string, extra: Partial<FakePersonioPerson> = {}, work: Partial<FakeEmployment> = {}): FakePersonioPerson {
  const email = `${firstName}.${lastName}@acme.test`.toLowerCase();
  return { id, firstName, lastName, preferredName: '', email, iban: null, createdAt: stamp, updatedAt: stamp, employments: [employment(id, work)], ...extra };
}

export function scenarioPeople(): FakePersonioPerson[] {
  return [
    person(1, 'Jennifer', 'Caldwell', { iban: 'de89 3704 0044 0532 0130 00' }, { supervisorId: null, department: hr, position: 'VP People', startDate: '2019-01-07' }),
    person(2, 'Charlotte', 'Abbott', { iban: 'DE02120300000000202051' }, { department: hr, position: 'Sr. HR Administrator', startDate: '2025-03-03' }),
    person(12, 'Zoë', 'Ólafsdóttir', { email: 'zoe.olafsdottir@acme.test' }, { supervisorId: 15 }),
    person(15, 'Łukasz', 'Zieliński', { email: 'lukasz.zielinski@acme.test' }, {
      office: krakow, position: 'Engineering Manager',
      costCenters: [{ ...units.costCenters[0]!, percentage: 60 }, { ...units.costCenters[1]!, percentage: 40 }],
    }),
    person(20, 'Tom', 'Baker', {}, { status: 'INACTIVE', terminationDate: '2025-12-31', terminationType: 'resignation' }),
    person(21, 'Ada', 'Evans', {}, { terminationDate: '2026-02-27' }),
    person(22, 'Ben', 'Fischer', {}, { terminationDate: '2026-04-30' }),
    person(23, 'Cleo', 'Garcia', {}, { status: 'ONBOARDING', startDate: '2026-04-01' }),
    person(24, 'Dana', 'Hof', {}, { status: 'LEAVE' }),
    person(25, 'Eli', 'Ito', {}, { supervisorId: 404 }),
    person(26, 'Fay', 'Jensen', { email: '' }),
    person(27, 'Sam', 'Lee', { email: 'sam.lee@acme.test' }),
    person(28, 'Sam', 'Lee', { email: 'Sam.Lee@acme.test' }, { office: units.offices[1]! }),
    person(29, 'Jose\u0301', 'Pen\u0303a', { email: 'jose.pena@acme.test' }, { office: units.offices[4]! }),
    person(30, 'Margaret', 'Quist', { preferredName: 'Peggy' }),
    person(31, '美咲', '山田', { email: 'misaki.yamada@acme.test' }, { office: tokyo, team: null }),
    {
      ...person(32, 'Ivo', 'Novak'),
      employments: [
        employment(32, { id: 'e-32-2', startDate: '2025-06-01', position: 'Staff Engineer' }),
        employment(32, { id: 'e-32-1', status: 'INACTIVE', startDate: '2019-02-01', terminationDate: '2023-01-31', terminationType: 'resignation' }),
      ],
    },
  ];
}

export function scenarioCompany(options: CompanyOptions = {}): FakePersonioCompany {
  return createCompany(scenarioPeople(), { today: defaultToday, ...options });
}
