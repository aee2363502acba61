import { addDays } from '../shared/random.js';

/** A department, office, team or cost center: Personio gives each an id and a name. */
export interface Unit {
  id: number;
  name: string;
}

export type EmploymentStatus = 'ACTIVE' | 'INACTIVE' | 'ONBOARDING' | 'LEAVE';

/** One employment contract. v1 shows the current one flattened into the employee. */
export interface FakeEmployment {
  id: string;
  status: EmploymentStatus;
  position: string;
  /** The manager's person id; may name nobody in the company (deleted, or another entity). */
  supervisorId: number | null;
  office: Unit | null;
  department: Unit | null;
  team: Unit | null;
  costCenters: Array<Unit & { percentage: number }>;
  startDate: string;
  terminationDate: string | null;
  terminationType: string | null;
  updatedAt: string;
}

export interface FakePersonioPerson {
  id: number;
  firstName: string;
  lastName: string;
  preferredName: string;
  /** '' for none. */
  email: string;
  iban: string | null;
  createdAt: string;
  updatedAt: string;
  /** Most recent first, as v2 lists them. */
  employments: FakeEmployment[];
}

export type HireInput = Partial<Omit<FakePersonioPerson, 'employments'>> &
  Pick<FakePersonioPerson, 'firstName' | 'lastName'> &
  Partial<Omit<FakeEmployment, 'id' | 'updatedAt'>>;

export interface FakePersonioCompany {
  readonly today: string;
  /** In v1 list order (part of the fixture: managers may come after their reports). */
  list(): FakePersonioPerson[];
  get(id: number): FakePersonioPerson | undefined;
  size(): number;
  current(person: FakePersonioPerson): FakeEmployment;
  hire(input: HireInput): FakePersonioPerson;
  update(id: number, patch: Partial<Omit<FakePersonioPerson, 'id' | 'employments' | 'updatedAt'>>): FakePersonioPerson;
  updateEmployment(id: number, patch: Partial<Omit<FakeEmployment, 'id' | 'updatedAt'>>): FakePersonioPerson;
  changeManager(id: number, managerId: number | null): FakePersonioPerson;
  changeEmail(id: number, email: string): FakePersonioPerson;
  /** Sets the termination date; the employment turns INACTIVE only once that date has passed. */
  terminate(id: number, terminationDate?: string): FakePersonioPerson;
  /** A new employment on top of the old one, ONBOARDING when it starts in the future. */
  rehire(id: number, startDate?: string): FakePersonioPerson;
  remove(id: number): void;
  changedSince(iso: string): FakePersonioPerson[];
}

export interface CompanyOptions {
  /** The fake's "today"; fixed so generated data is reproducible. */
  today?: string;
  /** Clock for updatedAt stamps of mutations. */
  now?: () => number;
}

export const defaultToday = '2026-03-02';

export function createCompany(people: FakePersonioPerson[], options: CompanyOptions = {}): FakePersonioCompany {
  const today = options.today ?? defaultToday;
  const now = options.now ?? Date.now;
  const byId = new Map(people.map((p) => [p.id, p]));
  let order = people.map((p) => p.id);
  // Every list request reads the whole company; rebuilding 50,000 entries per page dominated.
  let listed: FakePersonioPerson[] | undefined;
  let nextId = Math.max(0, ...order) + 1;
  let nextEmployment = 1;
  const stamp = () => new Date(now()).toISOString();

  const must = (id: number) => {
    const p = byId.get(id);
    if (!p) throw new Error(`no person ${id} in the fake company`);
    return p;
  };
  const current = (p: FakePersonioPerson) => p.employments[0]!;
  const touch = (p: FakePersonioPerson) => {
    p.updatedAt = stamp();
    return p;
  };
  const updateEmployment = (id: number, patch: Partial<FakeEmployment>) => {
    const p = must(id);
    Object.assign(current(p), patch, { updatedAt: stamp() });
    return touch(p);
  };

  return {
    today,
    list: () => (listed ??= order.map((id) => byId.get(id)!)),
    get: (id) => byId.get(id),
    size: () => order.length,
    current,
    hire(input) {
      const id = input.id ?? nextId++;
      nextId = Math.max(nextId, id + 1);
      const at = stamp();
      const startDate = input.startDate ?? today;
      const person: FakePersonioPerson = {
        id, firstName: input.firstName, lastName: input.lastName, preferredName: input.preferredName ?? '',
        email: input.email ?? '', iban: input.iban ?? null, createdAt: at, updatedAt: at,
        employments: [{
          id: `e-${id}-${nextEmployment++}`, status: input.status ?? (startDate > today ? 'ONBOARDING' : 'ACTIVE'),
          position: input.position ?? '', supervisorId: input.supervisorId ?? null, office: input.office ?? null,
          department: input.department ?? null, team: input.team ?? null, costCenters: input.costCenters ?? [],
          startDate, terminationDate: input.terminationDate ?? null, terminationType: input.terminationType ?? null, updatedAt: at,
        }],
      };
      byId.set(id, person);
      order.push(id);
      listed = undefined;
      return person;
    },
    update: (id, patch) => touch(Object.assign(must(id), patch)),
    updateEmployment,
    changeManager: (id, managerId) => updateEmployment(id, { supervisorId: managerId }),
    changeEmail: (id, email) => touch(Object.assign(must(id), { email })),
    terminate(id, terminationDate = addDays(today, -1)) {
      const past = terminationDate < today;
      return updateEmployment(id, { terminationDate, terminationType: 'resignation', ...(past ? { status: 'INACTIVE' as const } : {}) });
    },
    rehire(id, startDate = today) {
      const p = must(id);
      const previous = current(p);
      p.employments.unshift({
        ...previous, costCenters: [...previous.costCenters], id: `e-${id}-${nextEmployment++}`,
        status: startDate > today ? 'ONBOARDING' : 'ACTIVE', startDate, terminationDate: null, terminationType: null, updatedAt: stamp(),
      });
      return touch(p);
    },
    remove(id) {
      must(id);
      byId.delete(id);
      order = order.filter((x) => x !== id);
      listed = undefined;
    },
    changedSince(iso) {
      const since = new Date(Date.parse(iso)).toISOString();
      return this.list().filter((p) => p.updatedAt > since);
    },
  };
}
