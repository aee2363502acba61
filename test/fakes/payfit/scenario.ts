import { createCompany, defaultToday, payfitId, type FakePayfitCompany, type FakePayfitContract, type FakePayfitPerson } from './company.js';
import { establishments } from './generate.js';

/**
 * A small hand-written company with one person per awkward case. "Today" is 2026-03-02; Zoë
 * comes before her manager Łukasz in the list.
 */
const id = (n: number) => payfitId('5e', n);
export const scenarioIds = {
  ceo: id(1),
  reportBeforeManager: id(12),
  lateManager: id(15),
  terminatedPast: id(20),
  contractEndedNoTermination: id(21),
  terminationPastContractOpen: id(22),
  leavingIn20Days: id(23),
  futureHire: id(24),
  rehired: id(25),
  contractInCreation: id(26),
  adminOnly: id(27),
  managerMissing: id(28),
  noWorkEmail: id(29),
  nfdName: id(30),
  cjk: id(31),
} as const;

const [paris, tokyo] = [establishments[8]!, establishments[6]!];
let contractNo = 0;
const contract = (startDate: string, endDate: string | null = null, extra: Partial<FakePayfitContract> = {}): FakePayfitContract => ({
  id: payfitId('7c', ++contractNo), startDate, endDate, jobTitle: 'Engineer', establishment: paris, ...extra,
});

function person(n: number, firstName: string, lastName: string, extra: Partial<FakePayfitPerson> = {}): FakePayfitPerson {
  return {
    id: id(n), matricule: String(n).padStart(4, '0'), firstName, lastName, birthName: null,
    personalEmail: `${n}@home.test`, professionalEmail: `${firstName}.${lastName}@acme.test`.toLowerCase(),
    managerId: id(1), teamName: 'Engineering', contracts: [contract('2021-05-03')], terminationDate: null,
    iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'agrifrppxxx', ...extra,
  };
}

export function scenarioPeople(): FakePayfitPerson[] {
  contractNo = 0;
  return [
    person(1, 'Max', 'Hof', { managerId: null, teamName: 'Direction', contracts: [contract('2019-01-07', null, { jobTitle: 'CEO' })] }),
    person(12, 'Zoë', 'Ólafsdóttir', { professionalEmail: 'zoe.olafsdottir@acme.test', managerId: id(15) }),
    person(15, 'Łukasz', 'Zieliński', { professionalEmail: 'lukasz.zielinski@acme.test', contracts: [contract('2020-02-03', null, { jobTitle: 'Engineering Manager' })] }),
    person(20, 'Tom', 'Baker', { contracts: [contract('2020-01-06', '2025-12-31')], terminationDate: '2025-12-31' }),
    person(21, 'Ada', 'Evans', { contracts: [contract('2024-09-02', '2026-02-27')] }),
    person(22, 'Ben', 'Fischer', { terminationDate: '2026-02-20' }),
    person(23, 'Cleo', 'Garcia', { contracts: [contract('2022-03-01', '2026-03-22')], terminationDate: '2026-03-22' }),
    person(24, 'Dana', 'Weiß', { contracts: [contract('2026-04-01', null, { jobTitle: 'Designer' })] }),
    person(25, 'Eli', 'Ito', { contracts: [contract('2019-01-01', '2023-06-30', { jobTitle: 'Intern' }), contract('2024-01-01', null, { jobTitle: 'Analyst' })], terminationDate: '2023-06-30' }),
    person(26, 'Fay', 'Jensen', { contracts: [contract('2021-05-03', null, { jobTitle: 'Accountant' }), contract('2026-04-01', null, { jobTitle: 'Controller', inCreation: true })] }),
    person(27, 'Gus', 'Admin', { contracts: [], teamName: null }),
    person(28, 'Hal', 'Lee', { managerId: payfitId('5e', 999) }),
    person(29, 'Ivy', 'Novak', { professionalEmail: '' }),
    person(30, 'Jose\u0301', 'Pen\u0303a', { professionalEmail: 'jose.pena@acme.test' }),
    person(31, '美咲', '山田', { professionalEmail: 'misaki.yamada@acme.test', contracts: [contract('2023-04-03', null, { establishment: tokyo })] }),
  ];
}

export function scenarioCompany(options: { today?: string } = {}): FakePayfitCompany {
  return createCompany(scenarioPeople(), { today: defaultToday, ...options });
}
