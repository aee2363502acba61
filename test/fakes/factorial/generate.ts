import { asciiFold, departments, firstNames, jobTitles, lastNames, locations } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultToday, type FakeContractVersion, type FakeFactorialCompany, type FakeFactorialEmployee, type FakeLocation, type FakeTeam } from './company.js';

export interface GenerateOptions {
  seed: number;
  size: number;
  today?: string;
  /** Ids from just below 2^53 upwards, so most of them cannot be read as JSON numbers exactly. */
  bigIds?: boolean;
  /** Sprinkle the awkward cases real accounts have (default true). */
  quirks?: boolean;
  now?: () => number;
}

export const fakeLocations: FakeLocation[] = locations.map((name, i) => ({ id: String(i + 1), name, city: name.split(',')[0]! }));

/** 2^53 − 500: the first few hundred ids are exact as numbers, the rest are not. */
export const bigIdBase = 9_007_199_254_740_492n;

/**
 * A deterministic company. Ids are a permutation of the index, and the API lists by id, so
 * about half of all managers come after their reports. Everyone has one contract with one to
 * three versions (promotions; a scheduled one effective next month for some; a re-hire's new
 * start); about 5 % have left, and some leave or start in the future.
 *
 * Quirks (when on): every 500th person has no login email; every 700th has the previous
 * person's; the last person's manager does not exist; some are in two teams.
 */
export function generateData({ seed, size, today = defaultToday, bigIds = false, quirks = true }: GenerateOptions) {
  const rnd = createRandom(seed);
  const base = bigIds ? bigIdBase : 1000n;
  const step = coprimeStep(size);
  const idOf = (i: number) => String(base + BigInt(((i * step) % size) + 1));
  const folded = { first: firstNames.map(asciiFold), last: lastNames.map(asciiFold) };
  const emailCounts = new Map<string, number>();
  const teams: FakeTeam[] = departments.map((name, i) => ({ id: String(i + 1), name, employeeIds: [], leadIds: [] }));
  const employees: FakeFactorialEmployee[] = new Array(size);
  const versions: FakeContractVersion[] = [];
  let versionId = 1;
  const version = (employeeId: string, v: Omit<FakeContractVersion, 'id' | 'employeeId'>) => versions.push({ id: String(versionId++), employeeId, ...v });
  const stampOf = (daysAgo: number, minute: number) => `${addDays(today, -daysAgo)}T${String(8 + (minute % 10)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00.000Z`;

  for (let i = 0; i < size; i++) {
    const id = idOf(i);
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = folded.first[f] && folded.last[l] ? `${folded.first[f]}.${folded.last[l]}` : `employee${i + 1}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const roll = rnd.next();
    const offset = rnd.int(300);
    const startsOn = addDays(today, -30 - rnd.int(3650));
    const bank = rnd.next();
    const person: FakeFactorialEmployee = {
      id,
      accessId: String(BigInt(id) + 100_000n),
      firstName: firstNames[f]!,
      lastName: lastNames[l]!,
      preferredName: rnd.chance(0.05) ? `${firstNames[f]!.slice(0, 3)}` : null,
      loginEmail: `${local}${seen ? seen + 1 : ''}@acme.test`,
      personalEmail: rnd.chance(0.3) ? `${local || 'someone'}@home.test` : null,
      companyIdentifier: `E-${i + 1}`,
      active: true,
      terminatedOn: null,
      // A tree with spans of about seven; the CEO (index 0) reports to nobody.
      managerId: i === 0 ? null : idOf(Math.floor((i - 1) / 7)),
      timeoffManagerId: null,
      locationId: rnd.pick(fakeLocations).id,
      legalEntityId: String(1 + rnd.int(2)),
      bankNumber: bank < 0.8 ? `ES${String(10 + (i % 89))}2080${String(1e15 + i * 7919).slice(0, 16)}` : bank < 0.9 ? `20-00-00 ${String(10_000_000 + i).slice(0, 8)}` : null,
      swiftBic: bank < 0.8 ? 'CAGLESMMXXX' : null,
      bankNumberFormat: bank < 0.8 ? 'iban' : bank < 0.9 ? 'sort_code_and_account_number' : null,
      seniorityCalculationDate: startsOn,
      createdAt: stampOf(30 + offset, i),
      updatedAt: stampOf(1 + rnd.int(20), i),
    };
    person.timeoffManagerId = rnd.chance(0.1) ? idOf(0) : person.managerId;
    let title = rnd.pick(jobTitles);
    const futureStarter = i > 0 && roll > 0.94 && roll <= 0.945;
    if (futureStarter) {
      // A future starter: the contract begins ahead.
      const ahead = addDays(today, 1 + offset);
      version(id, { effectiveOn: ahead, startsOn: ahead, endsOn: null, jobTitle: title });
      person.seniorityCalculationDate = ahead;
    } else {
      version(id, { effectiveOn: startsOn, startsOn, endsOn: null, jobTitle: title });
      if (rnd.chance(0.3)) {
        title = rnd.pick(jobTitles);
        version(id, { effectiveOn: addDays(startsOn, 20), startsOn, endsOn: null, jobTitle: title });
      }
    }
    if (i > 0) {
      if (roll > 0.95) Object.assign(person, { active: false, terminatedOn: addDays(today, -1 - offset) });
      else if (roll > 0.945) person.terminatedOn = addDays(today, 1 + offset);
      else if (roll > 0.93 && !futureStarter) {
        // Left once and came back: a second start on the same contract.
        const back = addDays(today, -10 - offset);
        version(id, { effectiveOn: back, startsOn: back, endsOn: null, jobTitle: title });
      } else if (roll > 0.91 && !futureStarter) {
        // A promotion scheduled for next month: not yet the title.
        version(id, { effectiveOn: addDays(today, 30), startsOn, endsOn: null, jobTitle: `Senior ${title}` });
      }
    }
    const team = teams[rnd.int(teams.length)]!;
    team.employeeIds.push(id);
    if (quirks && i % 50 === 7) teams[(Number(team.id) % teams.length)]!.employeeIds.push(id);
    employees[i] = person;
  }
  if (quirks) {
    for (let i = 1; i < size; i++) {
      if (i % 500 === 0) employees[i]!.loginEmail = '';
      else if (i % 700 === 0) employees[i]!.loginEmail = employees[i - 1]!.loginEmail;
    }
    if (size > 3) employees[size - 1]!.managerId = String(base + 9_000_000n);
  }
  for (const team of teams) team.leadIds = team.employeeIds.slice(0, 1);
  return { employees, versions, teams, locations: fakeLocations };
}

export function generateCompany(options: GenerateOptions): FakeFactorialCompany {
  return createCompany(generateData(options), options);
}

function coprimeStep(size: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let step = Math.max(1, Math.floor(size * 0.618));
  while (size > 1 && gcd(step, size) !== 1) step++;
  return step;
}
