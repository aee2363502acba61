import { asciiFold, departments, firstNames, jobTitles, lastNames, locations as cityNames } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultToday, humaansId, type FakeBankAccount, type FakeHumaansCompany, type FakeHumaansPerson, type FakeJobRole, type FakeLocation } from './company.js';

export interface GenerateOptions {
  seed: number;
  size: number;
  today?: string;
  /** Sprinkle the awkward cases real accounts have (default true). */
  quirks?: boolean;
}

const countries = ['US', 'GB', 'DE', 'CH', 'BR', 'PL', 'JP', 'NL', 'FR', 'CA'];
export const fakeLocations: FakeLocation[] = cityNames
  .filter((c) => c !== 'Remote')
  .map((label, i) => ({ id: humaansId('lo', i + 1), label, city: label.split(',')[0]!, countryCode: countries[i % countries.length]! }));

/**
 * A deterministic company in shuffled order, so about half of all managers come after their
 * reports. About 5 % are offboarded (end date passed), 0.5 % leave in the future (still
 * `active`), 0.5 % start in the future (`newHire`), 3 % changed job role once (two rows, the old
 * one ended), 5 % work remotely (no office, a city and country instead), 85 % have a bank account.
 * Quirks: every 500th person has no work email, every 700th the previous person's; the last
 * person reports to someone who does not exist.
 */
export function generateCompany({ seed, size, quirks = true, today = defaultToday }: GenerateOptions): FakeHumaansCompany {
  const rnd = createRandom(seed);
  const idOf = (i: number) => humaansId('p', i + 1);
  const folded = { first: firstNames.map(asciiFold), last: lastNames.map(asciiFold) };
  const emailCounts = new Map<string, number>();
  const people: FakeHumaansPerson[] = new Array(size);
  const roles: FakeJobRole[] = [];
  const banks: FakeBankAccount[] = [];
  let roleNo = 0;

  for (let i = 0; i < size; i++) {
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = folded.first[f] && folded.last[l] ? `${folded.first[f]}.${folded.last[l]}` : `employee${i + 1}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const roll = rnd.next();
    const offset = rnd.int(300);
    let start = addDays(today, -30 - rnd.int(3650));
    let end: string | null = null;
    if (i > 0) {
      if (roll > 0.95) end = addDays(today, -1 - offset);
      else if (roll > 0.945) end = addDays(today, 1 + offset);
      else if (roll > 0.94) start = addDays(today, 1 + offset);
    }
    const remote = rnd.chance(0.05);
    const place = rnd.pick(fakeLocations);
    const id = idOf(i);
    people[i] = {
      id,
      employeeId: String(i + 1).padStart(4, '0'),
      firstName: firstNames[f]!,
      middleName: rnd.chance(0.1) ? rnd.pick(firstNames) : null,
      lastName: lastNames[l]!,
      preferredName: rnd.chance(0.05) ? rnd.pick(firstNames) : null,
      email: `${local}${seen ? seen + 1 : ''}@acme.test`,
      personalEmail: `${local || 'someone'}${i}@home.test`,
      employmentStartDate: start,
      firstWorkingDay: start,
      employmentEndDate: end,
      lastWorkingDay: end,
      leavingReason: end ? rnd.pick(['resigned', 'dismissed', 'endOfContract']) : null,
      teams: rnd.chance(0.9) ? [{ name: rnd.pick(departments) }] : [],
      locationId: remote ? null : place.id,
      remoteCity: remote ? rnd.pick(['Lisbon', 'Tallinn', 'Kyiv', 'Łódź', 'Málaga']) : null,
      remoteCountryCode: remote ? rnd.pick(['PT', 'EE', 'UA', 'PL', 'ES']) : null,
      createdAt: `${addDays(start, -20)}T10:00:00.000Z`,
      updatedAt: `${addDays(today, -1 - rnd.int(400))}T08:00:00.000Z`,
    };
    // A tree with spans of about seven; the CEO (index 0) reports to nobody.
    const reportingTo = i === 0 ? null : idOf(Math.floor((i - 1) / 7));
    const title = rnd.pick(jobTitles);
    const department = rnd.pick(departments);
    if (i > 0 && roll > 0.91 && roll <= 0.94) {
      // An earlier role, ended the day before the current one began, under another manager.
      const changed = addDays(start, 200);
      const safeChange = changed < today ? changed : start;
      roles.push({ id: humaansId('jr', ++roleNo), personId: id, jobTitle: 'Intern', department, reportingTo: idOf(Math.max(0, Math.floor((i - 1) / 7) - 1)), effectiveDate: start, endDate: addDays(safeChange, -1) });
      roles.push({ id: humaansId('jr', ++roleNo), personId: id, jobTitle: title, department, reportingTo, effectiveDate: safeChange, endDate: end });
    } else {
      roles.push({ id: humaansId('jr', ++roleNo), personId: id, jobTitle: title, department, reportingTo, effectiveDate: start, endDate: end });
    }
    if (rnd.chance(0.85)) {
      banks.push({
        id: humaansId('ba', i + 1), personId: id, bankName: 'Banque Fictive', nameOnAccount: `${firstNames[f]} ${lastNames[l]}`,
        iban: `GB${String(10 + (i % 89))}NWBK${String(60161331926819 + i).padStart(14, '0')}`, swiftCode: 'NWBKGB2L', updatedAt: '2025-01-01T00:00:00.000Z',
      });
    }
  }
  if (quirks) {
    for (let i = 1; i < size; i++) {
      if (i % 500 === 0) people[i]!.email = '';
      else if (i % 700 === 0) people[i]!.email = people[i - 1]!.email;
    }
    if (size > 3) {
      const lastId = idOf(size - 1);
      for (const r of roles) if (r.personId === lastId) r.reportingTo = humaansId('p', 36 ** 6);
    }
  }
  // Job roles come in their own order too: a person's rows are not next to each other.
  return createCompany(rnd.shuffle(people), rnd.shuffle(roles), { today, locations: fakeLocations, bankAccounts: banks });
}
