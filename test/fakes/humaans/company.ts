import { addDays } from '../shared/random.js';

/**
 * A Humaans company as Humaans keeps it: people (one employment each, with start and end
 * dates), their effective-dated job roles (title, department, manager), offices and bank
 * accounts. A person's `status` is derived from the dates when served, as Humaans does.
 */
export interface FakeJobRole {
  id: string;
  personId: string;
  jobTitle: string;
  department: string;
  reportingTo: string | null;
  effectiveDate: string;
  endDate: string | null;
}

export interface FakeLocation {
  id: string;
  label: string;
  city: string;
  countryCode: string;
}

export interface FakeBankAccount {
  id: string;
  personId: string;
  bankName: string;
  nameOnAccount: string;
  iban: string;
  swiftCode: string;
  updatedAt: string;
}

export interface FakeHumaansPerson {
  /** Opaque, 24 characters. */
  id: string;
  employeeId: string;
  firstName: string;
  middleName: string | null;
  lastName: string;
  preferredName: string | null;
  /** Work email; '' for none. */
  email: string;
  personalEmail: string;
  employmentStartDate: string;
  firstWorkingDay: string;
  employmentEndDate: string | null;
  lastWorkingDay: string | null;
  leavingReason: string | null;
  teams: Array<{ name: string }>;
  locationId: string | null;
  remoteCity: string | null;
  remoteCountryCode: string | null;
  createdAt: string;
  updatedAt: string;
}

export type HireInput = Partial<FakeHumaansPerson> & Pick<FakeHumaansPerson, 'firstName' | 'lastName'> & {
  managerId?: string | null;
  jobTitle?: string;
  department?: string;
};

export interface FakeHumaansCompany {
  readonly id: string;
  readonly today: string;
  /** In response order (managers may come after their reports). */
  list(): FakeHumaansPerson[];
  get(id: string): FakeHumaansPerson | undefined;
  size(): number;
  /** Bumped by every change, so the server may cache what it renders. */
  version(): number;
  roles(): FakeJobRole[];
  locations(): FakeLocation[];
  bankAccounts(): FakeBankAccount[];
  /** Humaans' derived status on the company's today. */
  status(p: FakeHumaansPerson): 'active' | 'newHire' | 'offboarded';
  /** The role in force today (else the next, else the last). */
  currentRole(id: string): FakeJobRole | undefined;
  hire(input: HireInput): FakeHumaansPerson;
  update(id: string, patch: Partial<Omit<FakeHumaansPerson, 'id'>>): FakeHumaansPerson;
  /** A new job role from today reporting to someone else; the old one ends yesterday. */
  changeManager(id: string, managerId: string | null): void;
  changeEmail(id: string, email: string): void;
  /** Sets the employment end date; a future date keeps the person active until then. */
  terminate(id: string, date?: string): void;
  /** A new employment from `startDate`: Humaans clears the end date and adds a job role. */
  rehire(id: string, startDate?: string): void;
  remove(id: string): void;
  employed(p: FakeHumaansPerson): boolean;
  location(p: FakeHumaansPerson): string | null;
}

export const defaultToday = '2026-03-02';
export const defaultCompanyId = 'T7uqPFK7am4lVRJxh1Ec';

/** Humaans-looking opaque ids, deterministic from a number. */
export const humaansId = (prefix: string, n: number) => `${prefix}${n.toString(36).padStart(24 - prefix.length, '0')}`;

const stamp = (day: string) => `${day}T08:00:00.000Z`;

export function createCompany(
  people: FakeHumaansPerson[],
  roles: FakeJobRole[],
  options: { today?: string; locations: FakeLocation[]; bankAccounts?: FakeBankAccount[] },
): FakeHumaansCompany {
  const today = options.today ?? defaultToday;
  const byId = new Map(people.map((p) => [p.id, p]));
  const rolesOf = new Map<string, FakeJobRole[]>();
  for (const r of roles) rolesOf.set(r.personId, [...(rolesOf.get(r.personId) ?? []), r]);
  let order = people.map((p) => p.id);
  let listed: FakeHumaansPerson[] | undefined;
  let allRoles: FakeJobRole[] | undefined;
  let banks = options.bankAccounts ?? [];
  let next = 1;
  let version = 0;
  let clock = 0;
  const touch = (p: FakeHumaansPerson) => {
    version++;
    // Strictly increasing timestamps, so `updatedAt[$gte]` filters see every change.
    p.updatedAt = new Date(Date.parse(`${today}T09:00:00Z`) + ++clock * 1000).toISOString();
    return p;
  };
  const must = (id: string) => {
    const p = byId.get(id);
    if (!p) throw new Error(`no person ${id} in the fake company`);
    return p;
  };
  const current = (id: string) => {
    const list = rolesOf.get(id) ?? [];
    const inForce = list.filter((r) => r.effectiveDate <= today && (r.endDate === null || r.endDate >= today));
    if (inForce.length) return [...inForce].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate)).at(-1);
    const future = list.filter((r) => r.effectiveDate > today).sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
    return future[0] ?? [...list].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate)).at(-1);
  };
  const addRole = (personId: string, role: Omit<FakeJobRole, 'id' | 'personId'>) => {
    version++;
    const r: FakeJobRole = { id: humaansId('jr', 900_000 + next++), personId, ...role };
    rolesOf.set(personId, [...(rolesOf.get(personId) ?? []), r]);
    allRoles = undefined;
    return r;
  };
  const status = (p: FakeHumaansPerson) =>
    p.employmentEndDate !== null && p.employmentEndDate < today ? 'offboarded' : p.employmentStartDate > today ? 'newHire' : 'active';

  return {
    id: defaultCompanyId,
    today,
    list: () => (listed ??= order.map((id) => byId.get(id)!)),
    get: (id) => byId.get(id),
    size: () => order.length,
    version: () => version,
    roles: () => (allRoles ??= order.flatMap((id) => rolesOf.get(id) ?? [])),
    locations: () => options.locations,
    bankAccounts: () => banks,
    status,
    currentRole: (id) => current(id),
    hire(input) {
      const { managerId = null, jobTitle = 'Employee', department = 'Operations', ...rest } = input;
      const id = rest.id ?? humaansId('hn', next++);
      const start = rest.employmentStartDate ?? today;
      const person: FakeHumaansPerson = {
        id, employeeId: String(90_000 + next), middleName: null, preferredName: null, email: '', personalEmail: `${id}@home.test`,
        employmentStartDate: start, firstWorkingDay: start, employmentEndDate: null, lastWorkingDay: null, leavingReason: null,
        teams: [], locationId: null, remoteCity: null, remoteCountryCode: null, createdAt: stamp(today), updatedAt: stamp(today),
        ...rest,
      };
      byId.set(id, person);
      order.push(id);
      listed = undefined;
      addRole(id, { jobTitle, department, reportingTo: managerId, effectiveDate: start, endDate: null });
      return touch(person);
    },
    update: (id, patch) => touch(Object.assign(must(id), patch)),
    changeManager(id, managerId) {
      const old = current(id);
      if (old && old.effectiveDate < today) old.endDate = addDays(today, -1);
      else if (old) (rolesOf.set(id, (rolesOf.get(id) ?? []).filter((r) => r !== old)), (allRoles = undefined));
      addRole(id, { jobTitle: old?.jobTitle ?? 'Employee', department: old?.department ?? 'Operations', reportingTo: managerId, effectiveDate: today, endDate: null });
      touch(must(id));
    },
    changeEmail: (id, email) => void touch(Object.assign(must(id), { email })),
    terminate(id, date = addDays(today, -1)) {
      touch(Object.assign(must(id), { employmentEndDate: date, lastWorkingDay: date, leavingReason: 'resigned' }));
    },
    rehire(id, startDate = today) {
      const p = must(id);
      const old = current(id);
      Object.assign(p, { employmentStartDate: startDate, firstWorkingDay: startDate, employmentEndDate: null, lastWorkingDay: null, leavingReason: null });
      addRole(id, { jobTitle: old?.jobTitle ?? 'Employee', department: old?.department ?? 'Operations', reportingTo: old?.reportingTo ?? null, effectiveDate: startDate, endDate: null });
      touch(p);
    },
    remove(id) {
      must(id);
      version++;
      byId.delete(id);
      order = order.filter((x) => x !== id);
      banks = banks.filter((b) => b.personId !== id);
      listed = undefined;
      allRoles = undefined;
    },
    employed: (p) => status(p) !== 'offboarded',
    location(p) {
      if (p.locationId !== null) return options.locations.find((l) => l.id === p.locationId)?.label ?? null;
      const remote = [p.remoteCity, p.remoteCountryCode].filter(Boolean).join(', ');
      return remote ? `Remote (${remote})` : null;
    },
  };
}
