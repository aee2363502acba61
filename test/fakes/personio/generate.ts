import { asciiFold, departments, firstNames, jobTitles, lastNames, locations } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultToday, type CompanyOptions, type FakeEmployment, type FakePersonioCompany, type FakePersonioPerson, type Unit } from './company.js';

export interface GenerateOptions extends CompanyOptions {
  seed: number;
  size: number;
  /** Sprinkle the awkward cases real accounts have (default true). */
  quirks?: boolean;
}

export const units = {
  departments: departments.map((name, i): Unit => ({ id: 281_500 + i, name })),
  offices: locations.map((name, i): Unit => ({ id: 131_000 + i, name })),
  teams: ['Platform', 'Payments', 'Growth', 'Mobile', 'Data', 'People Ops', 'Équipe Paris'].map((name, i): Unit => ({ id: 77_000 + i, name })),
  costCenters: ['R&D', 'G&A', 'S&M', 'COGS'].map((name, i): Unit => ({ id: 9 + i, name })),
};

/**
 * A deterministic company. Person ids are a permutation of 1..size, so sorting by id (v2's
 * order) and the shuffled v1 order both put about half of all managers after their reports.
 *
 * Quirks (when on): every 500th person has no email; every 700th has the previous person's
 * email; the last person's manager (999999999) does not exist; statuses include leave,
 * terminated in the past, leaving in the future and starting in the future; every 97th person
 * has been re-hired (two employments).
 */
export function generatePeople({ seed, size, quirks = true, today = defaultToday }: GenerateOptions): FakePersonioPerson[] {
  const rnd = createRandom(seed);
  const step = coprimeStep(size);
  const idOf = (i: number) => ((i * step) % size) + 1;
  const folded = { first: firstNames.map(asciiFold), last: lastNames.map(asciiFold) };
  const emailCounts = new Map<string, number>();
  const day = dayCache(today);
  const people: FakePersonioPerson[] = new Array(size);

  for (let i = 0; i < size; i++) {
    const id = idOf(i);
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = folded.first[f] && folded.last[l] ? `${folded.first[f]}.${folded.last[l]}` : `employee${id}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const roll = rnd.next();
    const startDate = day(-30 - rnd.int(3650));
    const stamp = `${startDate}T09:00:00.000Z`;
    const split = rnd.chance(0.1);
    const employment: FakeEmployment = {
      id: `e-${id}-1`,
      status: 'ACTIVE',
      position: rnd.pick(jobTitles),
      // A tree with spans of about seven; the CEO (index 0) reports to nobody.
      supervisorId: i === 0 ? null : idOf(Math.floor((i - 1) / 7)),
      office: rnd.pick(units.offices),
      department: rnd.pick(units.departments),
      team: rnd.chance(0.7) ? rnd.pick(units.teams) : null,
      costCenters: split
        ? [{ ...units.costCenters[0]!, percentage: 60 }, { ...units.costCenters[1]!, percentage: 40 }]
        : [{ ...rnd.pick(units.costCenters), percentage: 100 }],
      startDate,
      terminationDate: null,
      terminationType: null,
      updatedAt: stamp,
    };
    if (i > 0) applyLifecycle(employment, roll, rnd.int(300), day);
    people[i] = {
      id,
      firstName: firstNames[f]!,
      lastName: lastNames[l]!,
      preferredName: rnd.chance(0.05) ? firstNames[rnd.int(firstNames.length)]! : '',
      email: `${local}${seen ? seen + 1 : ''}@acme.test`,
      iban: rnd.chance(0.9) ? iban(rnd.int(1e9), id) : null,
      createdAt: stamp,
      updatedAt: stamp,
      employments: [employment],
    };
  }
  if (quirks) applyQuirks(people, day);
  rnd.shuffle(people);
  return people;
}

export function generateCompany(options: GenerateOptions): FakePersonioCompany {
  return createCompany(generatePeople(options), options);
}

function applyLifecycle(e: FakeEmployment, roll: number, days: number, day: (offset: number) => string): void {
  if (roll > 0.985) e.status = 'LEAVE';
  else if (roll > 0.95) {
    e.status = 'INACTIVE';
    e.terminationDate = day(-1 - days);
    e.terminationType = 'resignation';
  } else if (roll > 0.945) e.terminationDate = day(1 + days); // resigned, working out notice
  else if (roll > 0.94) {
    e.status = 'ONBOARDING'; // signed, not started
    e.startDate = day(1 + days);
  }
}

function applyQuirks(people: FakePersonioPerson[], day: (offset: number) => string): void {
  for (let i = 1; i < people.length; i++) {
    const p = people[i]!;
    if (i % 500 === 0) p.email = '';
    else if (i % 700 === 0) p.email = people[i - 1]!.email;
    if (i % 97 === 0) {
      const now = p.employments[0]!;
      // Left two years ago, came back a year ago: the older contract is INACTIVE.
      p.employments = [
        { ...now, startDate: day(-365), status: now.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE' },
        { ...now, id: `e-${p.id}-0`, status: 'INACTIVE', startDate: day(-2000), terminationDate: day(-730), terminationType: 'resignation' },
      ];
    }
  }
  if (people.length > 3) people[people.length - 1]!.employments[0]!.supervisorId = 999_999_999;
}

/** A German-format IBAN (not check-digit valid; nobody here validates them). */
function iban(n: number, id: number): string {
  return `DE${String(10 + (n % 89)).padStart(2, '0')}${String(n).padStart(10, '0')}${String(id).padStart(8, '0')}`;
}

function coprimeStep(size: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let step = Math.max(1, Math.floor(size * 0.618));
  while (size > 1 && gcd(step, size) !== 1) step++;
  return step;
}

function dayCache(today: string): (offset: number) => string {
  const cache = new Map<number, string>();
  return (offset) => {
    let value = cache.get(offset);
    if (value === undefined) cache.set(offset, (value = addDays(today, offset)));
    return value;
  };
}
