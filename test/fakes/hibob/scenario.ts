import { createCompany, defaultToday, type FakeHibobCompany, type FakeHibobPerson } from './company.js';
import { lists } from './generate.js';

/**
 * A small hand-written company with one person per awkward case. "Today" is 2026-03-02; Zoë
 * (…12) comes before her manager Łukasz (…15) in the response.
 */
export const scenarioIds = {
  ceo: '3001',
  hr: '3002',
  reportBeforeManager: '3012',
  lateManager: '3015',
  terminatedPast: '3020',
  activeButTerminatedPast: '3021',
  leavingFuture: '3022',
  futureHire: '3023',
  gardenLeave: '3024',
  parentalLeave: '3025',
  managerMissing: '3026',
  noEmail: '3027',
  dupEmailA: '3028',
  dupEmailB: '3029',
  nfdName: '3030',
  cjk: '3031',
} as const;

const [engineering, people] = [lists.departments[0]!, lists.departments[6]!];
const [berlin, tokyo] = [lists.sites[2]!, lists.sites[6]!];

function person(id: string, n: number, firstName: string, surname: string, extra: Partial<FakeHibobPerson> = {}): FakeHibobPerson {
  return {
    id, firstName, surname, email: `${firstName}.${surname}@acme.test`.toLowerCase(), privateEmail: '', title: 'Engineer',
    department: engineering, site: berlin, startDate: '2021-05-03', managerId: '3001', employeeIdInCompany: n,
    status: 'Active', lifecycleStatus: 'employed', terminationDate: null, ...extra,
  };
}

export function scenarioPeople(): FakeHibobPerson[] {
  return [
    person('3001', 1, 'Max', 'Hof', { managerId: null, department: people, title: 'CEO', privateEmail: 'max@home.test' }),
    person('3002', 2, 'Lea', 'Novak', { department: people, title: 'Designer', startDate: '2022-10-10' }),
    person('3012', 12, 'Zoë', 'Ólafsdóttir', { email: 'zoe.olafsdottir@acme.test', managerId: '3015' }),
    person('3015', 15, 'Łukasz', 'Zieliński', { email: 'lukasz.zielinski@acme.test', title: 'Engineering Manager' }),
    person('3020', 20, 'Tom', 'Baker', { status: 'Inactive', lifecycleStatus: 'terminated', terminationDate: '2025-12-31' }),
    person('3021', 21, 'Ada', 'Evans', { terminationDate: '2026-02-27' }),
    person('3022', 22, 'Ben', 'Fischer', { terminationDate: '2026-04-30' }),
    person('3023', 23, 'Cleo', 'Garcia', { lifecycleStatus: 'hired', startDate: '2026-04-01' }),
    person('3024', 24, 'Dana', 'Weiß', { lifecycleStatus: 'garden leave', terminationDate: '2026-05-31' }),
    person('3025', 25, 'Priya', 'Nair', { lifecycleStatus: 'parental leave' }),
    person('3026', 26, 'Eli', 'Ito', { managerId: '3999' }),
    person('3027', 27, 'Fay', 'Jensen', { email: '' }),
    person('3028', 28, 'Sam', 'Lee', { email: 'sam.lee@acme.test' }),
    person('3029', 29, 'Sam', 'Lee', { email: 'SAM.LEE@acme.test' }),
    person('3030', 30, 'Jose\u0301', 'Pen\u0303a', { email: 'jose.pena@acme.test' }),
    person('3031', 31, '美咲', '山田', { email: 'misaki.yamada@acme.test', site: tokyo }),
  ];
}

export function scenarioCompany(options: { today?: string } = {}): FakeHibobCompany {
  return createCompany(scenarioPeople(), { today: defaultToday, ...options });
}
