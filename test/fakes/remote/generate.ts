import { asciiFold, departments, firstNames, jobTitles, lastNames } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultToday, pendingStatuses, remoteId, type FakeCountry, type FakeEmployment, type FakeOffboarding, type FakeRemoteCompany } from './company.js';

export interface GenerateOptions {
  seed: number;
  size: number;
  today?: string;
  /** Sprinkle the awkward cases real accounts have (default true). */
  quirks?: boolean;
}

export const countries: FakeCountry[] = [
  { code: 'PRT', alpha_2_code: 'PT', name: 'Portugal' },
  { code: 'DEU', alpha_2_code: 'DE', name: 'Germany' },
  { code: 'POL', alpha_2_code: 'PL', name: 'Poland' },
  { code: 'JPN', alpha_2_code: 'JP', name: 'Japan' },
  { code: 'BRA', alpha_2_code: 'BR', name: 'Brazil' },
  { code: 'GBR', alpha_2_code: 'GB', name: 'United Kingdom' },
  { code: 'CAN', alpha_2_code: 'CA', name: 'Canada' },
  { code: 'FRA', alpha_2_code: 'FR', name: 'France' },
];
const departmentRefs = departments.map((name, i) => ({ id: remoteId(0xd, i + 1), name }));

/** Country-shaped bank details, as Remote collects them per country. */
function bankFor(country: FakeCountry, i: number): Record<string, string> {
  const n = String(i).padStart(10, '0');
  switch (country.alpha_2_code) {
    case 'GB':
      return { account_holder: 'Holder', sort_code: '12-34-56', account_number: n.slice(-8) };
    case 'CAN':
    case 'CA':
      return { account_holder_name: 'Holder', institution_number: '001', transit_number: '00011', account_number: n };
    case 'JP':
    case 'BR':
      return { name: 'Holder', bank_name: 'Bank', account_number: n, swift_code: 'BANKJPJT' };
    default:
      return { account_holder: 'Holder', iban: `${country.alpha_2_code}50 0002 0123 ${n.slice(0, 4)} ${n.slice(4)} 54`, bic_swift: `BANK${country.alpha_2_code}XX` };
  }
}

/**
 * A deterministic company in shuffled order, so about half of all managers come after their
 * reports. About 4 % left (archived, offboarding completed), 1 % are past their termination
 * date but still `offboarding` (Remote archives later), 0.5 % leave in the future, 0.5 % start
 * in the future (an onboarding status), 0.3 % had an offboarding cancelled, 1 % have a
 * confidential offboarding, 2 % have a manager who is not on Remote (only an email), 3 % have
 * no work email (the login is the personal address). Rehired workers (0.5 %) have an archived
 * earlier employment beside the new one.
 */
export function generatePeople({ seed, size, quirks = true, today = defaultToday }: GenerateOptions): { people: FakeEmployment[]; offboardings: FakeOffboarding[] } {
  const rnd = createRandom(seed);
  const idOf = (i: number) => remoteId(0xa, i + 1);
  const folded = { first: firstNames.map(asciiFold), last: lastNames.map(asciiFold) };
  const emailCounts = new Map<string, number>();
  const people: FakeEmployment[] = [];
  const offboardings: FakeOffboarding[] = [];
  let off = 0;
  const offboard = (employmentId: string, terminationDate: string, status: FakeOffboarding['status'], confidential = false) =>
    offboardings.push({ id: remoteId(0xf, ++off), employmentId, terminationDate, status, confidential });

  for (let i = 0; i < size; i++) {
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = folded.first[f] && folded.last[l] ? `${folded.first[f]}.${folded.last[l]}` : `employee${i + 1}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const work = `${local}${seen ? seen + 1 : ''}@acme.test`;
    const personal = `${local || 'someone'}.${i}@home.test`;
    const roll = rnd.next();
    const offset = 1 + rnd.int(300);
    const country = rnd.pick(countries);
    const noWorkEmail = quirks && i > 0 && rnd.chance(0.03);
    const e: FakeEmployment = {
      id: idOf(i),
      shortId: (1_000_000 + i).toString(36).toUpperCase(),
      externalId: rnd.chance(0.8) ? `E-${i + 1}` : null,
      firstName: firstNames[f]!,
      lastName: lastNames[l]!,
      preferredName: rnd.chance(0.05) ? rnd.pick(firstNames) : null,
      jobTitle: rnd.pick(jobTitles),
      status: 'active',
      lifecycleStage: 'onboarded',
      country,
      department: rnd.chance(0.95) ? rnd.pick(departmentRefs) : null,
      loginEmail: noWorkEmail ? personal : work,
      personalEmail: personal,
      workEmail: noWorkEmail ? null : work,
      startDate: addDays(today, -30 - rnd.int(3000)),
      // A tree with spans of about seven; the first person reports to nobody.
      managerId: i === 0 ? null : idOf(Math.floor((i - 1) / 7)),
      managerEmail: null,
      bank: rnd.chance(0.9) ? bankFor(country, i) : null,
      updatedAt: `${addDays(today, -rnd.int(400))}T08:30:00.000Z`,
    };
    people.push(e);
    if (i === 0 || !quirks) continue;
    if (roll > 0.96) {
      e.status = 'archived';
      e.lifecycleStage = 'offboarded';
      offboard(e.id, addDays(today, -offset), 'completed', roll > 0.99);
    } else if (roll > 0.95) {
      // Past the date, not yet archived: the date decides.
      e.status = 'offboarding';
      e.lifecycleStage = 'offboarding';
      offboard(e.id, addDays(today, -1 - rnd.int(5)), 'in_review');
    } else if (roll > 0.945) {
      e.status = 'offboarding';
      e.lifecycleStage = 'offboarding';
      offboard(e.id, addDays(today, offset), 'submitted');
    } else if (roll > 0.94) {
      e.startDate = addDays(today, offset);
      e.status = rnd.pick(pendingStatuses);
      e.lifecycleStage = 'onboarding';
    } else if (roll > 0.937) {
      offboard(e.id, addDays(today, offset), 'cancelled');
    } else if (roll > 0.917) {
      // The manager is not on Remote: only an email (here someone who is, named by address).
      const boss = people[Math.floor((i - 1) / 7)]!;
      if (boss.workEmail) {
        e.managerId = null;
        e.managerEmail = boss.workEmail;
      }
    }
  }
  if (quirks) {
    // Rehires: the earlier employment stays archived next to the new one (same person, same addresses).
    for (let i = 11; i < size; i += 200) {
      const now = people[i]!;
      if (now.status !== 'active') continue;
      const earlier: FakeEmployment = { ...now, id: remoteId(0xb, i), shortId: `R${i}`, status: 'archived', lifecycleStage: 'offboarded', startDate: addDays(now.startDate, -700), managerId: null };
      people.push(earlier);
      offboard(earlier.id, addDays(now.startDate, -100), 'completed');
    }
  }
  rnd.shuffle(people);
  return { people, offboardings };
}

export function generateCompany(options: GenerateOptions): FakeRemoteCompany {
  const { people, offboardings } = generatePeople(options);
  return createCompany(people, offboardings, { today: options.today ?? defaultToday });
}
