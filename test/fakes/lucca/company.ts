import { addDays } from '../shared/random.js';

/** A department, legal entity or business establishment: Lucca gives each an integer id and a name. */
export interface Ref {
  id: number;
  name: string;
}

/** One contract (v5 `employment`). A person has several over time, never overlapping. */
export interface FakeEmployment {
  id: number;
  start: string;
  end: string | null;
  legalEntity: Ref;
  updatedAt: string;
}

/** What the person does within an employment (v5 `job-position`); the legacy user flattens the applicable one. */
export interface FakeJobPosition {
  id: number;
  employmentId: number;
  startsOn: string;
  endsOn: string | null;
  jobTitle: string;
  /** The manager's user id; may name nobody in the company. */
  managerId: number | null;
  department: Ref | null;
  establishment: Ref;
  updatedAt: string;
}

export interface FakeLuccaPerson {
  id: number;
  firstName: string;
  lastName: string;
  /** '' for none. */
  email: string;
  /** A string with leading zeros. */
  employeeNumber: string;
  personalEmail: string;
  bank: { iban: string; bic: string } | null;
  /** Cost-centre sections of the analytical axis (legacy `userAxisValues_{axisId}`). */
  costCenters: Ref[];
  /** Oldest first. */
  employments: FakeEmployment[];
  jobPositions: FakeJobPosition[];
  /** ISO UTC timestamp of the last change. */
  modifiedAt: string;
}

export interface HireInput {
  firstName: string;
  lastName: string;
  email?: string;
  startDate?: string;
  endDate?: string | null;
  managerId?: number | null;
  jobTitle?: string;
  department?: Ref | null;
  establishment: Ref;
  legalEntity: Ref;
}

export interface FakeLuccaCompany {
  readonly today: string;
  /** In list order (part of the fixture: managers may come after their reports). */
  list(): FakeLuccaPerson[];
  get(id: number): FakeLuccaPerson | undefined;
  size(): number;
  /** Bumped on every change, so servers can cache what they derive from the list. */
  readonly version: number;
  /** The current employment, else the next one, else the last: v5's `applicableEmployment`. */
  applicable(p: FakeLuccaPerson): FakeEmployment;
  /** The job position of the applicable employment that is current (or its latest). */
  job(p: FakeLuccaPerson): FakeJobPosition;
  /** `active` (employed today), `upcoming` (only a future contract), `deactivated` (every contract ended). */
  status(p: FakeLuccaPerson): 'active' | 'upcoming' | 'deactivated';
  hire(input: HireInput): FakeLuccaPerson;
  update(id: number, patch: Partial<Pick<FakeLuccaPerson, 'firstName' | 'lastName' | 'email' | 'personalEmail' | 'bank'>>): FakeLuccaPerson;
  updateJob(id: number, patch: Partial<Omit<FakeJobPosition, 'id' | 'employmentId' | 'updatedAt'>>): FakeLuccaPerson;
  changeManager(id: number, managerId: number | null): FakeLuccaPerson;
  changeEmail(id: number, email: string): FakeLuccaPerson;
  /** Ends the applicable contract on `date`; a date ahead keeps the person employed until then. */
  terminate(id: number, date?: string): FakeLuccaPerson;
  /** A new contract (and job position like the last one) from `startDate`. */
  rehire(id: number, startDate?: string): FakeLuccaPerson;
  remove(id: number): void;
}

export const defaultToday = '2026-03-02';

export function createCompany(people: FakeLuccaPerson[], options: { today?: string; now?: () => number } = {}): FakeLuccaCompany {
  const today = options.today ?? defaultToday;
  const now = options.now ?? Date.now;
  const byId = new Map(people.map((p) => [p.id, p]));
  let order = people.map((p) => p.id);
  let listed: FakeLuccaPerson[] | undefined;
  let version = 0;
  // Loops, not Math.max(...list): 50,000 people are too many arguments for a call.
  let nextId = 1;
  let nextContract = 1;
  for (const p of people) {
    nextId = Math.max(nextId, p.id + 1);
    for (const e of p.employments) nextContract = Math.max(nextContract, e.id + 1);
    for (const j of p.jobPositions) nextContract = Math.max(nextContract, j.id + 1);
  }
  const stamp = () => new Date(now()).toISOString();
  const must = (id: number) => {
    const p = byId.get(id);
    if (!p) throw new Error(`no user ${id} in the fake company`);
    return p;
  };
  const touch = (p: FakeLuccaPerson) => {
    p.modifiedAt = stamp();
    version++;
    return p;
  };

  function applicable(p: FakeLuccaPerson): FakeEmployment {
    const current = p.employments.find((e) => e.start <= today && (e.end === null || e.end >= today));
    if (current) return current;
    const next = p.employments.filter((e) => e.start > today).sort((a, b) => a.start.localeCompare(b.start))[0];
    return next ?? p.employments.at(-1)!;
  }
  function job(p: FakeLuccaPerson): FakeJobPosition {
    const employment = applicable(p);
    const positions = p.jobPositions.filter((j) => j.employmentId === employment.id);
    return positions.find((j) => j.startsOn <= today && (j.endsOn === null || j.endsOn >= today)) ?? positions.at(-1) ?? p.jobPositions.at(-1)!;
  }
  const updateJob = (id: number, patch: Partial<FakeJobPosition>) => {
    const p = must(id);
    Object.assign(job(p), patch, { updatedAt: stamp() });
    return touch(p);
  };

  return {
    today,
    list: () => (listed ??= order.map((id) => byId.get(id)!)),
    get: (id) => byId.get(id),
    size: () => order.length,
    get version() {
      return version;
    },
    applicable,
    job,
    status(p) {
      const e = applicable(p);
      if (e.start > today) return 'upcoming';
      return e.end !== null && e.end < today ? 'deactivated' : 'active';
    },
    hire(input) {
      const id = nextId++;
      const at = stamp();
      const employment: FakeEmployment = { id: nextContract++, start: input.startDate ?? today, end: input.endDate ?? null, legalEntity: input.legalEntity, updatedAt: at };
      const person: FakeLuccaPerson = {
        id, firstName: input.firstName, lastName: input.lastName, email: input.email ?? '', employeeNumber: String(id).padStart(5, '0'),
        personalEmail: '', bank: null, costCenters: [], employments: [employment], modifiedAt: at,
        jobPositions: [{
          id: nextContract++, employmentId: employment.id, startsOn: employment.start, endsOn: employment.end, jobTitle: input.jobTitle ?? '',
          managerId: input.managerId ?? null, department: input.department ?? null, establishment: input.establishment, updatedAt: at,
        }],
      };
      byId.set(id, person);
      order.push(id);
      listed = undefined;
      version++;
      return person;
    },
    update: (id, patch) => touch(Object.assign(must(id), patch)),
    updateJob,
    changeManager: (id, managerId) => updateJob(id, { managerId }),
    changeEmail: (id, email) => touch(Object.assign(must(id), { email })),
    terminate(id, date = addDays(today, -1)) {
      const p = must(id);
      const e = applicable(p);
      const at = stamp();
      Object.assign(e, { end: date, updatedAt: at });
      for (const j of p.jobPositions) if (j.employmentId === e.id && (j.endsOn === null || j.endsOn > date)) Object.assign(j, { endsOn: date, updatedAt: at });
      return touch(p);
    },
    rehire(id, startDate = today) {
      const p = must(id);
      const previous = job(p);
      const last = p.employments.at(-1)!;
      const at = stamp();
      const employment: FakeEmployment = { id: nextContract++, start: startDate, end: null, legalEntity: last.legalEntity, updatedAt: at };
      p.employments.push(employment);
      p.jobPositions.push({ ...previous, id: nextContract++, employmentId: employment.id, startsOn: startDate, endsOn: null, updatedAt: at });
      return touch(p);
    },
    remove(id) {
      must(id);
      byId.delete(id);
      order = order.filter((x) => x !== id);
      listed = undefined;
      version++;
    },
  };
}
