import { createCompany, type BambooPerson, type CompanyOptions, type FakeBambooCompany } from './company.js';

/**
 * A small hand-written account with one person per awkward case, for tests that assert on
 * individuals. "Today" is 2026-03-02 (the company default).
 */
export const scenarioIds = {
  ceo: '9',
  hr: '4',
  reportBeforeManager: '12',
  lateManager: '15',
  terminatedPast: '20',
  activeButTerminatedPast: '21',
  leavingFuture: '22',
  futureHire: '23',
  onLeave: '24',
  managerMissing: '25',
  noEmail: '26',
  dupEmailA: '27',
  dupEmailB: '28',
  nfdName: '29',
  preferred: '30',
  cjk: '31',
} as const;

const base = {
  preferredName: '', homeEmail: '', status: 'Active', employmentHistoryStatus: 'Full-Time', hireDate: '2021-05-03',
  terminationDate: '', supervisorEId: '9', department: 'Engineering', division: 'Europe', location: 'Berlin',
  jobTitle: 'Engineer', lastChanged: '2025-11-20T10:00:00Z',
} satisfies Partial<BambooPerson>;

function person(id: string, employeeNumber: string, firstName: string, lastName: string, extra: Partial<BambooPerson> = {}): BambooPerson {
  const workEmail = `${firstName}.${lastName}@acme.test`.toLowerCase();
  return { ...base, id, employeeNumber, firstName, lastName, workEmail, ...extra };
}

export function scenarioPeople(): BambooPerson[] {
  return [
    person('9', '6', 'Jennifer', 'Caldwell', { supervisorEId: '', department: 'Human Resources', location: 'Salt Lake City, Utah', jobTitle: 'VP People', hireDate: '2019-01-07' }),
    person('4', '1', 'Charlotte', 'Abbott', { department: 'Human Resources', location: 'Salt Lake City, Utah', jobTitle: 'Sr. HR Administrator', hireDate: '2025-03-03' }),
    // Comes before their manager (15) in the report.
    person('12', '20', 'Zoë', 'Ólafsdóttir', { supervisorEId: '15', workEmail: 'zoe.olafsdottir@acme.test' }),
    person('15', '3', 'Łukasz', 'Zieliński', { workEmail: 'lukasz.zielinski@acme.test', location: 'Kraków', jobTitle: 'Engineering Manager' }),
    person('20', '30', 'Tom', 'Baker', { status: 'Inactive', employmentHistoryStatus: 'Terminated', terminationDate: '2025-12-31' }),
    person('21', '31', 'Ada', 'Evans', { terminationDate: '2026-02-27' }),
    person('22', '32', 'Ben', 'Fischer', { terminationDate: '2026-04-30' }),
    person('23', '33', 'Cleo', 'Garcia', { hireDate: '2026-04-01' }),
    person('24', '34', 'Dana', 'Hof', { employmentHistoryStatus: 'Leave of Absence' }),
    person('25', '35', 'Eli', 'Ito', { supervisorEId: '404' }),
    person('26', '36', 'Fay', 'Jensen', { workEmail: '' }),
    person('27', '37', 'Sam', 'Lee', { workEmail: 'sam.lee@acme.test' }),
    person('28', '38', 'Sam', 'Lee', { workEmail: 'Sam.Lee@acme.test', location: 'London' }),
    person('29', '39', 'Jose\u0301', 'Pen\u0303a', { workEmail: 'jose.pena@acme.test', location: 'São Paulo' }),
    person('30', '40', 'Margaret', 'Quist', { preferredName: 'Peggy' }),
    person('31', '41', '美咲', '山田', { workEmail: 'misaki.yamada@acme.test', location: 'Tokyo' }),
  ];
}

export function scenarioCompany(options: CompanyOptions = {}): FakeBambooCompany {
  return createCompany(scenarioPeople(), options);
}
