import { addDays } from '../shared/random.js';

/** Factorial's records as the fake keeps them; ids are decimal strings (they outgrow 2^53). */
export interface FakeFactorialEmployee {
  id: string;
  accessId: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  /** '' for none. */
  loginEmail: string;
  personalEmail: string | null;
  companyIdentifier: string | null;
  /** The lifecycle flag as HR last saved it; see `renderedStatus` for what the API shows today. */
  active: boolean;
  terminatedOn: string | null;
  managerId: string | null;
  timeoffManagerId: string | null;
  locationId: string | null;
  legalEntityId: string;
  bankNumber: string | null;
  swiftBic: string | null;
  bankNumberFormat: 'iban' | 'sort_code_and_account_number' | null;
  seniorityCalculationDate: string;
  createdAt: string;
  updatedAt: string;
}

/** One contract, many versions: a hire, a promotion, a re-hire each add one. */
export interface FakeContractVersion {
  id: string;
  employeeId: string;
  effectiveOn: string;
  startsOn: string;
  endsOn: string | null;
  jobTitle: string;
}

export interface FakeTeam {
  id: string;
  name: string;
  /** Members, leavers included: Factorial does not take terminated people out of teams. */
  employeeIds: string[];
  leadIds: string[];
}

export interface FakeLocation {
  id: string;
  name: string;
  city: string;
}

export type HireInput = Partial<FakeFactorialEmployee> & Pick<FakeFactorialEmployee, 'firstName' | 'lastName'> & { startsOn?: string; jobTitle?: string; teamId?: string };

export interface FakeFactorialCompany {
  readonly today: string;
  /** Sorted by id ascending, as the API lists them. */
  list(): FakeFactorialEmployee[];
  get(id: string): FakeFactorialEmployee | undefined;
  versionsOf(id: string): FakeContractVersion[];
  teams(): FakeTeam[];
  locations(): FakeLocation[];
  /** Employed today or later: what the scenario's oracle compares against. */
  employed(p: FakeFactorialEmployee): boolean;
  /** The newest version in force today (or the first one ahead, for a future starter). */
  currentVersion(id: string): FakeContractVersion | undefined;
  hire(input: HireInput): FakeFactorialEmployee;
  update(id: string, patch: Partial<Omit<FakeFactorialEmployee, 'id'>>): FakeFactorialEmployee;
  changeManager(id: string, managerId: string | null): FakeFactorialEmployee;
  changeEmail(id: string, email: string): FakeFactorialEmployee;
  /** Past date: inactive at once; future date: active and "terminating" until then. */
  terminate(id: string, terminatedOn?: string): FakeFactorialEmployee;
  /** Active again with a new contract version starting on `startsOn`. */
  rehire(id: string, startsOn?: string): FakeFactorialEmployee;
  /** A new contract version (a promotion), possibly effective in the future. */
  addVersion(id: string, version: { jobTitle: string; effectiveOn: string }): FakeContractVersion;
  remove(id: string): void;
}

export const defaultToday = '2026-03-02';

/** Numeric ids of any length compared as numbers. */
export const byId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export function createCompany(
  data: { employees: FakeFactorialEmployee[]; versions: FakeContractVersion[]; teams: FakeTeam[]; locations: FakeLocation[] },
  options: { today?: string; now?: () => number } = {},
): FakeFactorialCompany {
  const today = options.today ?? defaultToday;
  const stamp = () => new Date((options.now ?? Date.now)()).toISOString();
  const employees = new Map(data.employees.map((e) => [e.id, e]));
  const versions = new Map<string, FakeContractVersion[]>();
  for (const v of data.versions) (versions.get(v.employeeId) ?? versions.set(v.employeeId, []).get(v.employeeId)!).push(v);
  const teams = data.teams;
  let sorted: FakeFactorialEmployee[] | undefined;
  const maxOf = (ids: Iterable<string>) => [...ids].reduce((m, id) => (byId(id, m) > 0 ? id : m), '0');
  let nextEmployee = BigInt(maxOf(employees.keys())) + 1n;
  let nextVersion = BigInt(maxOf(data.versions.map((v) => v.id))) + 1n;
  const must = (id: string) => {
    const e = employees.get(id);
    if (!e) throw new Error(`no employee ${id} in the fake company`);
    return e;
  };
  const update = (id: string, patch: Partial<FakeFactorialEmployee>) => Object.assign(must(id), patch, { updatedAt: stamp() });
  const addVersion = (id: string, v: Omit<FakeContractVersion, 'id' | 'employeeId'>) => {
    const version = { id: String(nextVersion++), employeeId: id, ...v };
    (versions.get(id) ?? versions.set(id, []).get(id)!).push(version);
    return version;
  };
  const currentVersion = (id: string) => {
    const list = [...(versions.get(id) ?? [])].sort((a, b) => (a.effectiveOn < b.effectiveOn ? -1 : a.effectiveOn > b.effectiveOn ? 1 : byId(a.id, b.id)));
    return list.filter((v) => v.effectiveOn <= today).pop() ?? list[0];
  };

  return {
    today,
    list: () => (sorted ??= [...employees.values()].sort((a, b) => byId(a.id, b.id))),
    get: (id) => employees.get(id),
    versionsOf: (id) => versions.get(id) ?? [],
    teams: () => teams,
    locations: () => data.locations,
    currentVersion,
    employed(p) {
      if (p.terminatedOn !== null && p.terminatedOn < today) return false;
      return p.active || (p.terminatedOn === null && (currentVersion(p.id)?.startsOn ?? '') > today);
    },
    hire(input) {
      const id = input.id ?? String(nextEmployee++);
      const { startsOn = today, jobTitle = 'New starter', teamId, ...fields } = input;
      const person: FakeFactorialEmployee = {
        id, accessId: String(BigInt(id) + 100_000n), preferredName: null, loginEmail: '', personalEmail: null, companyIdentifier: null,
        active: true, terminatedOn: null, managerId: null, timeoffManagerId: null, locationId: null, legalEntityId: '1',
        bankNumber: null, swiftBic: null, bankNumberFormat: null, seniorityCalculationDate: startsOn, createdAt: stamp(), updatedAt: stamp(),
        ...fields,
      };
      person.timeoffManagerId ??= person.managerId;
      employees.set(id, person);
      sorted = undefined;
      addVersion(id, { effectiveOn: startsOn, startsOn, endsOn: null, jobTitle });
      if (teamId) teams.find((t) => t.id === teamId)?.employeeIds.push(id);
      return person;
    },
    update,
    changeManager: (id, managerId) => update(id, { managerId }),
    changeEmail: (id, email) => update(id, { loginEmail: email }),
    terminate(id, terminatedOn = addDays(today, -1)) {
      // Both cases keep the person in their teams (the documented quirk).
      return update(id, { terminatedOn, active: terminatedOn >= today });
    },
    rehire(id, startsOn = today) {
      addVersion(id, { effectiveOn: startsOn, startsOn, endsOn: null, jobTitle: currentVersion(id)?.jobTitle ?? 'Returner' });
      return update(id, { active: true, terminatedOn: null, seniorityCalculationDate: startsOn });
    },
    addVersion(id, { jobTitle, effectiveOn }) {
      const startsOn = currentVersion(id)?.startsOn ?? effectiveOn;
      return addVersion(id, { effectiveOn, startsOn, endsOn: null, jobTitle });
    },
    remove(id) {
      must(id);
      employees.delete(id);
      versions.delete(id);
      sorted = undefined;
    },
  };
}
