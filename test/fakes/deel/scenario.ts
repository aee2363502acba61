import { createCompany, defaultToday, type FakeDeelCompany, type FakeDeelEmployment, type FakeDeelPerson } from './company.js';
import { lists } from './generate.js';

/**
 * A small hand-written company with one person per awkward case. "Today" is 2026-03-02; Zoë
 * (…012) is listed before her manager Łukasz (…015).
 */
export const scenarioIds = {
  ceo: '00000000-0000-4000-a000-000000000001',
  hr: '00000000-0000-4000-a000-000000000002',
  reportBeforeManager: '00000000-0000-4000-a000-000000000012',
  lateManager: '00000000-0000-4000-a000-000000000015',
  terminatedPast: '00000000-0000-4000-a000-000000000020',
  offboardingPast: '00000000-0000-4000-a000-000000000021',
  leavingFuture: '00000000-0000-4000-a000-000000000022',
  futureHire: '00000000-0000-4000-a000-000000000023',
  overdue: '00000000-0000-4000-a000-000000000024',
  twoContracts: '00000000-0000-4000-a000-000000000025',
  rehiredDirect: '00000000-0000-4000-a000-000000000026',
  externalManager: '00000000-0000-4000-a000-000000000027',
  noEmail: '00000000-0000-4000-a000-000000000028',
  emailOnEmployment: '00000000-0000-4000-a000-000000000029',
  dupEmailA: '00000000-0000-4000-a000-000000000030',
  dupEmailB: '00000000-0000-4000-a000-000000000031',
  nfdName: '00000000-0000-4000-a000-000000000032',
  cjk: '00000000-0000-4000-a000-000000000033',
} as const;
export const outsiderManagerId = '00000000-0000-4000-a000-000000009999';

const [engineering, people] = [lists.departments[0]!, lists.departments[6]!];
const [platform, analytics] = [lists.teams[0]!, lists.teams[1]!];

function contract(n: number, extra: Partial<FakeDeelEmployment> = {}): FakeDeelEmployment {
  return { id: `ctr${n}`, team: platform, jobTitle: 'Engineer', contractStatus: 'in_progress', isEnded: false, startDate: '2021-05-03', terminationLastDay: null, workEmail: null, ...extra };
}

function person(n: number, firstName: string, lastName: string, extra: Partial<FakeDeelPerson> = {}): FakeDeelPerson {
  const id = `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`;
  const workEmail = extra.workEmail ?? `${firstName}.${lastName}@acme.test`.toLowerCase();
  return {
    id, workerId: 100 + n, externalId: `E-${String(n).padStart(4, '0')}`, firstName, lastName, preferredFirstName: null, workEmail,
    workEmailOnEmployment: false, personalEmail: '', hiringStatus: 'active', newHiringStatus: null, hiringType: 'eor', jobTitle: 'Engineer',
    startDate: '2021-05-03', birthDate: '1990-04-01T00:00:00.000Z', department: engineering, workLocation: 'Berlin', country: 'DE',
    managerId: scenarioIds.ceo, employments: [contract(n, { workEmail })], updatedAt: '2026-02-20T10:00:00.000Z', ...extra,
  };
}

export function scenarioPeople(): FakeDeelPerson[] {
  return [
    person(1, 'Max', 'Hof', { managerId: null, department: people, jobTitle: 'CEO', personalEmail: 'max@home.test', preferredFirstName: 'Maxi' }),
    person(2, 'Lea', 'Novak', { department: people, jobTitle: 'Designer', startDate: '2022-10-10', employments: [contract(2, { startDate: '2022-10-10', team: analytics })] }),
    person(12, 'Zoë', 'Ólafsdóttir', { workEmail: 'zoe.olafsdottir@acme.test', managerId: scenarioIds.lateManager }),
    person(15, 'Łukasz', 'Zieliński', { workEmail: 'lukasz.zielinski@acme.test', jobTitle: 'Engineering Manager' }),
    person(20, 'Tom', 'Baker', { hiringStatus: 'inactive', employments: [contract(20, { isEnded: true, contractStatus: 'terminated', terminationLastDay: '2025-12-31' })] }),
    person(21, 'Ada', 'Evans', { hiringStatus: 'offboarding', employments: [contract(21, { terminationLastDay: '2026-02-27' })] }),
    person(22, 'Ben', 'Fischer', { hiringStatus: 'offboarding', employments: [contract(22, { terminationLastDay: '2026-04-30' })] }),
    person(23, 'Cleo', 'Garcia', { hiringStatus: 'onboarding', startDate: '2026-04-01', employments: [contract(23, { startDate: '2026-04-01' })] }),
    person(24, 'Dana', 'Weiß', { hiringStatus: 'onboarding', newHiringStatus: 'onboarding_overdue', startDate: '2026-02-16', employments: [contract(24, { startDate: '2026-02-16' })] }),
    person(25, 'Priya', 'Nair', {
      jobTitle: 'Data Analyst',
      employments: [
        contract(25, { id: 'ctr25a', team: platform, jobTitle: 'Intern', isEnded: true, contractStatus: 'completed', startDate: '2019-01-07', terminationLastDay: '2019-12-20' }),
        contract(25, { id: 'ctr25b', team: analytics, jobTitle: 'Data Analyst', startDate: '2020-02-03' }),
      ],
    }),
    person(26, 'Eli', 'Ito', {
      hiringType: 'direct_employee',
      startDate: '2025-09-01',
      employments: [
        contract(26, { id: 'ctr26a', isEnded: true, contractStatus: 'terminated', startDate: '2020-01-06', terminationLastDay: '2024-06-30' }),
        contract(26, { id: 'ctr26b', startDate: '2025-09-01' }),
      ],
    }),
    person(27, 'Fay', 'Jensen', { managerId: outsiderManagerId }),
    person(28, 'Gus', 'Quist', { workEmail: '', employments: [contract(28)] }),
    person(29, 'Ida', 'Rossi', { workEmail: 'ida.rossi@acme.test', workEmailOnEmployment: true, personalEmail: 'ida@home.test' }),
    person(30, 'Sam', 'Lee', { workEmail: 'sam.lee@acme.test' }),
    person(31, 'Sam', 'Lee', { workEmail: 'SAM.LEE@acme.test' }),
    person(32, 'Jose\u0301', 'Pen\u0303a', { workEmail: 'jose.pena@acme.test' }),
    person(33, '美咲', '山田', { workEmail: 'misaki.yamada@acme.test', workLocation: 'Tokyo', country: 'JP' }),
  ];
}

export function scenarioCompany(options: { today?: string } = {}): FakeDeelCompany {
  return createCompany(scenarioPeople(), { today: defaultToday, ...options });
}
