import { asciiFold, departments, firstNames, jobTitles, lastNames, locations } from '../shared/names.js';
import { addDays, createRandom } from '../shared/random.js';
import { createCompany, defaultToday, type FakeBankAccount, type FakeHibobCompany, type FakeHibobPerson, type ListItem } from './company.js';

export interface GenerateOptions {
  seed: number;
  size: number;
  today?: string;
  /** Sprinkle the awkward cases real accounts have (default true). */
  quirks?: boolean;
}

/** List items: HiBob ids are opaque numeric strings; sites also carry a numeric siteId. */
export const lists = {
  departments: departments.map((name, i): ListItem => ({ id: String(209_192_100 + i), name })),
  sites: locations.map((name, i) => ({ id: String(1_400_000 + i), siteId: 1_400_000 + i, name })),
};

/** HiBob-looking ids: 19 digits, deterministic from the index. */
export const hibobId = (n: number) => String(3_332_883_884_000_000_000n + BigInt(n));

/**
 * A deterministic company. Ids are a permutation of the index, and the response order is
 * shuffled, so about half of all managers come after their reports.
 *
 * Quirks (when on): every 500th person has no email; every 700th has the previous person's;
 * the last person's manager does not exist; lifecycles include garden leave, parental leave,
 * terminated in the past, leaving in the future and hired for a future start.
 */
export function generatePeople({ seed, size, quirks = true, today = defaultToday }: GenerateOptions): FakeHibobPerson[] {
  const rnd = createRandom(seed);
  const step = coprimeStep(size);
  const idOf = (i: number) => hibobId(((i * step) % size) + 1);
  const folded = { first: firstNames.map(asciiFold), last: lastNames.map(asciiFold) };
  const emailCounts = new Map<string, number>();
  const days = new Map<number, string>();
  const day = (offset: number) => days.get(offset) ?? (days.set(offset, addDays(today, offset)), days.get(offset)!);
  const people: FakeHibobPerson[] = new Array(size);

  for (let i = 0; i < size; i++) {
    const f = rnd.int(firstNames.length);
    const l = rnd.int(lastNames.length);
    const local = folded.first[f] && folded.last[l] ? `${folded.first[f]}.${folded.last[l]}` : `employee${i + 1}`;
    const seen = emailCounts.get(local) ?? 0;
    emailCounts.set(local, seen + 1);
    const roll = rnd.next();
    const offset = rnd.int(300);
    const person: FakeHibobPerson = {
      id: idOf(i),
      firstName: firstNames[f]!,
      surname: lastNames[l]!,
      email: `${local}${seen ? seen + 1 : ''}@acme.test`,
      privateEmail: rnd.chance(0.3) ? `${local || 'someone'}@home.test` : '',
      title: rnd.pick(jobTitles),
      department: rnd.pick(lists.departments),
      site: rnd.pick(lists.sites),
      startDate: day(-30 - rnd.int(3650)),
      // A tree with spans of about seven; the CEO (index 0) reports to nobody.
      managerId: i === 0 ? null : idOf(Math.floor((i - 1) / 7)),
      employeeIdInCompany: i + 1,
      status: 'Active',
      lifecycleStatus: 'employed',
      terminationDate: null,
      // Four in five have a bank account on file; derived from the index, not the random stream.
      bankAccounts: i % 5 === 4 ? [] : [bankAccountFor(i)],
    };
    if (i > 0) {
      if (roll > 0.99) person.lifecycleStatus = 'parental leave';
      else if (roll > 0.985) person.lifecycleStatus = 'garden leave';
      else if (roll > 0.95) Object.assign(person, { status: 'Inactive', lifecycleStatus: 'terminated', terminationDate: day(-1 - offset) });
      else if (roll > 0.945) person.terminationDate = day(1 + offset);
      else if (roll > 0.94) Object.assign(person, { lifecycleStatus: 'hired', startDate: day(1 + offset) });
    }
    people[i] = person;
  }
  if (quirks) {
    for (let i = 1; i < size; i++) {
      if (i % 500 === 0) people[i]!.email = '';
      else if (i % 700 === 0) people[i]!.email = people[i - 1]!.email;
    }
    if (size > 3) people[size - 1]!.managerId = '9999999999999999999';
  }
  return rnd.shuffle(people);
}

export function generateCompany(options: GenerateOptions): FakeHibobCompany {
  return createCompany(generatePeople(options), options);
}

/** A German-shaped IBAN unique per index (the fake checks no checksums, nor does the sync). */
export function bankAccountFor(i: number): FakeBankAccount {
  const account = String(1_000_000_000 + i).padStart(10, '0');
  return {
    id: 10_000 + i, bankAccountType: 'Checking', bankName: 'Commerzbank', accountNumber: account, routingNumber: '37040044',
    iban: `DE89370400440${account.slice(-9)}`, bicOrSwift: 'COBADEFFXXX', accountNickname: 'Salary', useForBonus: true,
  };
}

function coprimeStep(size: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let step = Math.max(1, Math.floor(size * 0.618));
  while (size > 1 && gcd(step, size) !== 1) step++;
  return step;
}
