import { asciiFold, departments, firstNames, jobTitles, lastNames, locations } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultToday, payfitId, type FakePayfitCompany, type FakePayfitContract, type FakePayfitPerson } from './company.js';

export interface GenerateOptions {
  seed: number;
  size: number;
  today?: string;
  /** Sprinkle the awkward cases real accounts have (default true). */
  quirks?: boolean;
}

export const establishments = locations.map((name, i) => ({ id: payfitId('e5', i + 1), name }));

/**
 * A deterministic company in shuffled order, so about half of all managers come after their
 * reports. About 5 % left (their contract ended, some with a termination date), 0.5 % leave in the
 * future, 0.5 % start in the future, 3 % had an earlier contract (two contracts), 1 % have a new
 * contract being set up next to the current one, 0.2 % are admin-only accounts without any
 * contract. Quirks: every 500th person has no professional email, every 700th the previous
 * person's; the last person's manager does not exist.
 */
export function generatePeople({ seed, size, quirks = true, today = defaultToday }: GenerateOptions): FakePayfitPerson[] {
  const rnd = createRandom(seed);
  const idOf = (i: number) => payfitId('5e', i + 1);
  const folded = { first: firstNames.map(asciiFold), last: lastNames.map(asciiFold) };
  const emailCounts = new Map<string, number>();
  const days = new Map<number, string>();
  const day = (offset: number) => days.get(offset) ?? (days.set(offset, addDays(today, offset)), days.get(offset)!);
  const people: FakePayfitPerson[] = new Array(size);
  let contractNo = 0;
  const contract = (startDate: string, endDate: string | null, jobTitle: string, establishment: FakePayfitContract['establishment'], inCreation = false): FakePayfitContract => ({
    id: payfitId('7c', ++contractNo), startDate, endDate, jobTitle, establishment, ...(inCreation ? { inCreation } : {}),
  });

  for (let i = 0; i < size; i++) {
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = folded.first[f] && folded.last[l] ? `${folded.first[f]}.${folded.last[l]}` : `employee${i + 1}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const roll = rnd.next();
    const offset = rnd.int(300);
    const title = rnd.pick(jobTitles);
    const place = rnd.pick(establishments);
    const start = day(-30 - rnd.int(3650));
    const person: FakePayfitPerson = {
      id: idOf(i),
      matricule: String(i + 1).padStart(4, '0'),
      firstName: firstNames[f]!,
      lastName: lastNames[l]!,
      birthName: rnd.chance(0.05) ? rnd.pick(lastNames) : null,
      personalEmail: `${local || 'someone'}${i}@home.test`,
      professionalEmail: `${local}${seen ? seen + 1 : ''}@acme.test`,
      // A tree with spans of about seven; the CEO (index 0) reports to nobody.
      managerId: i === 0 ? null : idOf(Math.floor((i - 1) / 7)),
      teamName: rnd.pick(departments),
      contracts: [contract(start, null, title, place)],
      terminationDate: null,
      iban: rnd.chance(0.9) ? `FR76${String(3000600001 + i).padStart(10, '0')}${String(i).padStart(11, '0')}89` : null,
      bic: 'AGRIFRPPXXX',
    };
    if (i > 0) {
      const c = person.contracts[0]!;
      if (roll > 0.95) {
        c.endDate = day(-1 - offset);
        if (roll > 0.975) person.terminationDate = c.endDate;
      } else if (roll > 0.945) {
        c.endDate = day(1 + offset);
        person.terminationDate = c.endDate;
      } else if (roll > 0.94) c.startDate = day(1 + offset);
      else if (roll > 0.91) {
        // An earlier contract, ended before the current one began.
        person.contracts.unshift(contract(addDays(start, -900), addDays(start, -200), 'Intern', place));
      } else if (roll > 0.9) person.contracts.push(contract(day(30 + offset), null, title, place, true));
      else if (roll > 0.898) person.contracts = [];
    }
    people[i] = person;
  }
  if (quirks) {
    for (let i = 1; i < size; i++) {
      if (i % 500 === 0) people[i]!.professionalEmail = '';
      else if (i % 700 === 0) people[i]!.professionalEmail = people[i - 1]!.professionalEmail;
    }
    if (size > 3) people[size - 1]!.managerId = payfitId('5e', 0xffffff);
  }
  return rnd.shuffle(people);
}

export function generateCompany(options: GenerateOptions): FakePayfitCompany {
  return createCompany(generatePeople(options), options);
}
