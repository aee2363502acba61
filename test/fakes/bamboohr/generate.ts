import { asciiFold, departments, divisions, firstNames, jobTitles, lastNames, locations } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultToday, type BambooPerson, type CompanyOptions, type FakeBambooCompany } from './company.js';

export interface GenerateOptions extends CompanyOptions {
  seed: number;
  size: number;
  /** Sprinkle the awkward cases real accounts have (default true). */
  quirks?: boolean;
  /** Direct reports per manager (default 7); a smaller span makes a deeper org chart. */
  span?: number;
}

/**
 * A deterministic company. Ids run from 1; employee numbers are a permutation of the same
 * range, so code that reads supervisorId as an id finds a real but wrong person. The report
 * order is shuffled, so about half of all managers come after their reports.
 *
 * Quirks (when on): every 500th person has no work email; every 700th has the previous
 * person's email, and one shares the email of manager id 2; one person's manager (id 999999999)
 * does not exist; statuses include leave,
 * terminated in the past, leaving in the future and hired in the future.
 */
export function generatePeople({ seed, size, quirks = true, span = 7, today = defaultToday, domain = 'acme' }: GenerateOptions): BambooPerson[] {
  const rnd = createRandom(seed);
  const step = coprimeStep(size);
  const foldedFirst = firstNames.map(asciiFold);
  const foldedLast = lastNames.map(asciiFold);
  const emailCounts = new Map<string, number>();
  const people: BambooPerson[] = new Array(size);
  const day = dayCache(today);

  for (let i = 0; i < size; i++) {
    const id = String(i + 1);
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = foldedFirst[f] && foldedLast[l] ? `${foldedFirst[f]}.${foldedLast[l]}` : `employee${id}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const roll = rnd.next();
    const hireDate = day(-30 - rnd.int(3650));
    const person: BambooPerson = {
      id,
      employeeNumber: String(((i * step) % size) + 1),
      firstName: firstNames[f]!,
      lastName: lastNames[l]!,
      preferredName: rnd.chance(0.05) ? firstNames[rnd.int(firstNames.length)]! : '',
      workEmail: `${local}${seen ? seen + 1 : ''}@${domain}.test`,
      homeEmail: '',
      status: 'Active',
      employmentHistoryStatus: roll < 0.04 ? 'Part-Time' : roll < 0.06 ? 'Contractor' : 'Full-Time',
      hireDate,
      terminationDate: '',
      // A tree with spans of `span`; the CEO (index 0) reports to nobody.
      supervisorEId: i === 0 ? '' : String(Math.floor((i - 1) / span) + 1),
      department: rnd.pick(departments),
      division: rnd.pick(divisions),
      location: rnd.pick(locations),
      jobTitle: rnd.pick(jobTitles),
      lastChanged: `${hireDate}T09:00:00Z`,
    };
    if (i > 0) applyLifecycle(person, roll, rnd.int(300), day);
    people[i] = person;
  }
  if (quirks) applyQuirks(people);
  rnd.shuffle(people);
  return people;
}

export function generateCompany(options: GenerateOptions): FakeBambooCompany {
  return createCompany(generatePeople(options), options);
}

function applyLifecycle(p: BambooPerson, roll: number, days: number, day: (offset: number) => string): void {
  if (roll > 0.985) {
    p.employmentHistoryStatus = 'Leave of Absence';
  } else if (roll > 0.95) {
    p.status = 'Inactive';
    p.employmentHistoryStatus = 'Terminated';
    p.terminationDate = day(-1 - days);
  } else if (roll > 0.945) {
    // Resigned, still working out notice: BambooHR's employment history already says
    // Terminated (the row HR entered) while `status` stays Active until the date.
    p.employmentHistoryStatus = 'Terminated';
    p.terminationDate = day(1 + days);
  } else if (roll > 0.94) {
    p.hireDate = day(1 + days); // signed, not started
  }
}

function applyQuirks(people: BambooPerson[]): void {
  for (let i = 1; i < people.length; i++) {
    const p = people[i]!;
    if (i % 500 === 0) p.workEmail = '';
    else if (i % 700 === 0) p.workEmail = people[i - 1]!.workEmail;
  }
  if (people.length > 3) people[people.length - 1]!.supervisorEId = '999999999';
  // A manager (id 2) whose work email someone else also has: email-based lookups must not guess.
  if (people.length > 20) people[people.length - 2]!.workEmail = people[1]!.workEmail;
}

function coprimeStep(size: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let step = Math.max(1, Math.floor(size * 0.618));
  while (size > 1 && gcd(step, size) !== 1) step++;
  return step;
}

/** Date formatting dominates generation time; a few thousand distinct offsets cover everything. */
function dayCache(today: string): (offset: number) => string {
  const cache = new Map<number, string>();
  return (offset) => {
    let value = cache.get(offset);
    if (value === undefined) cache.set(offset, (value = addDays(today, offset)));
    return value;
  };
}
