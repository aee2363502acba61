import { asciiFold, departments, firstNames, jobTitles, lastNames, locations } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultToday, uuidFor, type FakeDeelCompany, type FakeDeelPerson, type HiringType, type Ref } from './company.js';

export interface GenerateOptions {
  seed: number;
  size: number;
  today?: string;
  /** Sprinkle the awkward cases real accounts have (default true). */
  quirks?: boolean;
}

const parents = ['Product', 'Go-to-market', 'G&A'];
export const lists = {
  departments: departments.map((name, i) => ({ id: uuidFor(i + 1, 7), name, parent: parents[i % parents.length]! })),
  teams: ['Platform', 'Analytics', 'Payments', 'Growth', 'Onboarding', 'Équipe Paris', 'チーム東京', 'Support EMEA'].map((name, i): Ref => ({ id: uuidFor(i + 1, 11), name })),
  locations,
  countries: ['DE', 'GB', 'FR', 'ES', 'PL', 'JP', 'BR', 'US', 'CA', 'CH'],
};
const hiringTypes: HiringType[] = ['eor', 'eor', 'direct_employee', 'contractor', 'global_payroll'];

/**
 * A deterministic company in a shuffled order, so about half of all managers come after their
 * reports. Ids are UUIDs (profile ids) with a numeric worker id beside them.
 *
 * Quirks (when on): every 9th person has their work email only on their employment; every
 * 500th has none, every 700th the previous person's; every 40th holds two contracts (an ended
 * one and the current one, in another team); the last person's manager is an external user
 * who is not in `/people`; statuses include leavers (inactive, contract ended), people leaving
 * later (offboarding), future starters (onboarding, some `onboarding_overdue`).
 */
export function generatePeople({ seed, size, quirks = true, today = defaultToday }: GenerateOptions): FakeDeelPerson[] {
  const rnd = createRandom(seed);
  const idOf = (i: number) => uuidFor(i + 1, seed);
  const folded = { first: firstNames.map(asciiFold), last: lastNames.map(asciiFold) };
  const emailCounts = new Map<string, number>();
  const people: FakeDeelPerson[] = new Array(size);
  const updatedAt = `${addDays(today, -1)}T18:00:00.000Z`;

  for (let i = 0; i < size; i++) {
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = folded.first[f] && folded.last[l] ? `${folded.first[f]}.${folded.last[l]}` : `employee${i + 1}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const roll = rnd.next();
    const offset = rnd.int(300);
    const startDate = addDays(today, -30 - rnd.int(3650));
    const workEmail = `${local}${seen ? seen + 1 : ''}@acme.test`;
    const title = rnd.pick(jobTitles);
    const team = rnd.pick(lists.teams);
    const person: FakeDeelPerson = {
      id: idOf(i),
      workerId: 1000 + i,
      externalId: rnd.chance(0.8) ? `E-${String(i + 1).padStart(5, '0')}` : null,
      firstName: firstNames[f]!,
      lastName: lastNames[l]!,
      preferredFirstName: rnd.chance(0.05) ? firstNames[f]!.slice(0, 3) : null,
      workEmail,
      workEmailOnEmployment: quirks && i % 9 === 4,
      personalEmail: rnd.chance(0.3) ? `${local || 'someone'}@home.test` : '',
      hiringStatus: 'active',
      newHiringStatus: null,
      hiringType: rnd.pick(hiringTypes),
      jobTitle: title,
      startDate,
      birthDate: `${1960 + rnd.int(40)}-0${1 + rnd.int(9)}-1${rnd.int(9)}T00:00:00.000Z`,
      department: rnd.pick(lists.departments),
      workLocation: rnd.pick(lists.locations),
      country: rnd.pick(lists.countries),
      // A tree with spans of about seven; the CEO (index 0) reports to nobody.
      managerId: i === 0 ? null : idOf(Math.floor((i - 1) / 7)),
      employments: [{ id: `c${(i + 1).toString(36)}x${seed}`, team, jobTitle: title, contractStatus: 'in_progress', isEnded: false, startDate, terminationLastDay: null, workEmail }],
      updatedAt,
    };
    const work = person.employments[0]!;
    if (i > 0) {
      if (roll > 0.95) {
        Object.assign(work, { isEnded: true, contractStatus: 'terminated', terminationLastDay: addDays(today, -1 - offset) });
        person.hiringStatus = 'inactive';
      } else if (roll > 0.945) {
        work.terminationLastDay = addDays(today, 1 + offset);
        person.hiringStatus = 'offboarding';
      } else if (roll > 0.94) {
        person.startDate = work.startDate = addDays(today, 1 + offset);
        person.hiringStatus = 'onboarding';
        if (rnd.chance(0.3)) person.newHiringStatus = 'onboarding_overdue';
      }
    }
    people[i] = person;
  }
  if (quirks) {
    for (let i = 1; i < size; i++) {
      const p = people[i]!;
      if (i % 500 === 0) {
        p.workEmail = '';
        p.employments[0]!.workEmail = null;
      } else if (i % 700 === 0) p.workEmail = p.employments[0]!.workEmail = people[i - 1]!.workEmail;
      if (i % 40 === 7 && p.hiringStatus === 'active') {
        // An earlier contract, ended, in another team: listed first, it must not decide.
        const earlier = addDays(p.startDate, -400);
        p.employments.unshift({ id: `old${i.toString(36)}`, team: lists.teams[(i + 3) % lists.teams.length]!, jobTitle: 'Intern', contractStatus: 'completed', isEnded: true, startDate: earlier, terminationLastDay: addDays(p.startDate, -1), workEmail: p.workEmail });
      }
    }
    if (size > 3) people[size - 1]!.managerId = uuidFor(99_999_999, 3);
  }
  return rnd.shuffle(people);
}

export function generateCompany(options: GenerateOptions): FakeDeelCompany {
  return createCompany(generatePeople(options), options);
}
