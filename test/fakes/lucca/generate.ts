import { asciiFold, departments, firstNames, jobTitles, lastNames, locations } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultToday, type FakeEmployment, type FakeJobPosition, type FakeLuccaCompany, type FakeLuccaPerson, type Ref } from './company.js';

export interface GenerateOptions {
  seed: number;
  size: number;
  today?: string;
  now?: () => number;
  /** Sprinkle the awkward cases real accounts have (default true). */
  quirks?: boolean;
}

/** The account's organisation: establishments (sites) each belong to a legal entity. */
export const org = {
  departments: departments.map((name, i): Ref => ({ id: 10 + i, name })),
  establishments: locations.map((name, i): Ref => ({ id: 100 + i, name })),
  legalEntities: locations.map((name, i): Ref => ({ id: 1 + i, name: `Acme ${name.split(',')[0]}` })),
  costCenters: ['R&D', 'G&A', 'S&M', 'COGS'].map((name, i): Ref => ({ id: 500 + i, name })),
};
/** The analytical axis whose sections are cost centres. */
export const costCenterAxisId = 7;

/**
 * A deterministic company. User ids are a permutation of 1..size and the list order is
 * shuffled, so about half of all managers come after their reports.
 *
 * Quirks (when on): every 500th person has no email; every 700th has the previous person's
 * email; the last person's manager (999999) does not exist; about 5% have left (contract ended),
 * 0.5% leave in the future, 0.5% start in the future; every 97th was re-hired (two contracts with
 * a gap), every 53rd changed job within their contract (two job positions).
 */
export function generatePeople({ seed, size, quirks = true, today = defaultToday }: GenerateOptions): FakeLuccaPerson[] {
  const rnd = createRandom(seed);
  const step = coprimeStep(size);
  const idOf = (i: number) => ((i * step) % size) + 1;
  const folded = { first: firstNames.map(asciiFold), last: lastNames.map(asciiFold) };
  const emailCounts = new Map<string, number>();
  const days = new Map<number, string>();
  const day = (offset: number) => days.get(offset) ?? (days.set(offset, addDays(today, offset)), days.get(offset)!);
  const stamp = `${day(-30)}T08:00:00.000Z`;
  let contractId = 1;
  const people: FakeLuccaPerson[] = new Array(size);

  for (let i = 0; i < size; i++) {
    const id = idOf(i);
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = folded.first[f] && folded.last[l] ? `${folded.first[f]}.${folded.last[l]}` : `employee${id}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const site = rnd.int(org.establishments.length);
    const roll = rnd.next();
    const offset = rnd.int(300);
    let start = day(-30 - rnd.int(3650));
    let end: string | null = null;
    if (i > 0) {
      if (roll > 0.95) end = day(-1 - offset);
      else if (roll > 0.945) end = day(1 + offset);
      else if (roll > 0.94) start = day(1 + offset);
    }
    const employments: FakeEmployment[] = [];
    const jobPositions: FakeJobPosition[] = [];
    const base = {
      jobTitle: rnd.pick(jobTitles),
      // A tree with spans of about seven; the CEO (index 0) reports to nobody.
      managerId: i === 0 ? null : idOf(Math.floor((i - 1) / 7)),
      department: rnd.pick(org.departments),
      establishment: org.establishments[site]!,
    };
    if (quirks && i > 0 && i % 97 === 0 && start > day(-3000)) {
      // Re-hired: an old contract that ended, a gap, then the one above.
      const old: FakeEmployment = { id: contractId++, start: addDays(start, -900), end: addDays(start, -200), legalEntity: org.legalEntities[site]!, updatedAt: stamp };
      employments.push(old);
      jobPositions.push({ ...base, id: contractId++, employmentId: old.id, startsOn: old.start, endsOn: old.end, jobTitle: 'Intern', updatedAt: stamp });
    }
    const employment: FakeEmployment = { id: contractId++, start, end, legalEntity: org.legalEntities[site]!, updatedAt: stamp };
    employments.push(employment);
    if (quirks && i > 0 && i % 53 === 0 && start < day(-400) && end === null) {
      const promotedOn = day(-200);
      jobPositions.push({ ...base, id: contractId++, employmentId: employment.id, startsOn: start, endsOn: day(-201), jobTitle: 'Junior Specialist', updatedAt: stamp });
      jobPositions.push({ ...base, id: contractId++, employmentId: employment.id, startsOn: promotedOn, endsOn: null, updatedAt: stamp });
    } else {
      jobPositions.push({ ...base, id: contractId++, employmentId: employment.id, startsOn: start, endsOn: end, updatedAt: stamp });
    }
    const split = rnd.chance(0.1);
    people[i] = {
      id,
      firstName: firstNames[f]!,
      lastName: lastNames[l]!,
      email: `${local}${seen ? seen + 1 : ''}@acme.test`,
      employeeNumber: String(id).padStart(5, '0'),
      personalEmail: rnd.chance(0.4) ? `${local || `someone${id}`}@home.test` : '',
      bank: rnd.chance(0.9) ? { iban: iban(id), bic: 'AGRIFRPPXXX' } : null,
      costCenters: split ? [org.costCenters[0]!, org.costCenters[1]!] : [rnd.pick(org.costCenters)],
      employments,
      jobPositions,
      modifiedAt: stamp,
    };
  }
  if (quirks) {
    for (let i = 1; i < size; i++) {
      if (i % 500 === 0) people[i]!.email = '';
      else if (i % 700 === 0) people[i]!.email = people[i - 1]!.email;
    }
    if (size > 3) for (const j of people[size - 1]!.jobPositions) j.managerId = 999_999;
  }
  return rnd.shuffle(people);
}

export function generateCompany(options: GenerateOptions): FakeLuccaCompany {
  return createCompany(generatePeople(options), options);
}

/** A French-looking IBAN (the check digits are not computed: nobody validates them here). */
function iban(id: number): string {
  return `FR76${String(30006).padStart(5, '0')}${String(id).padStart(16, '0')}${String(id % 97).padStart(2, '0')}`;
}

function coprimeStep(size: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let step = Math.max(1, Math.floor(size * 0.618));
  while (size > 1 && gcd(step, size) !== 1) step++;
  return step;
}
