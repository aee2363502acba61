import { addDays } from '../shared/random.js';

/** Deel's `hiring_status` values. */
export type HiringStatus = 'active' | 'inactive' | 'onboarding' | 'offboarding';
export type HiringType = 'eor' | 'direct_employee' | 'contractor' | 'global_payroll';

export interface Ref {
  id: string;
  name: string;
}

/** One contract of a person; a person may hold several, each with its own status, title and team. */
export interface FakeDeelEmployment {
  id: string;
  team: Ref | null;
  jobTitle: string;
  /** `in_progress` while running; `completed` or `terminated` once ended. */
  contractStatus: string;
  isEnded: boolean;
  startDate: string;
  /** YYYY-MM-DD; sent as a timestamp. */
  terminationLastDay: string | null;
  /** Where Deel puts the work email when the person's `emails` list has none. */
  workEmail: string | null;
}

export interface FakeDeelPerson {
  /** The HRIS profile id (UUID). */
  id: string;
  workerId: number;
  externalId: string | null;
  firstName: string;
  lastName: string;
  preferredFirstName: string | null;
  /** '' for none. Listed under `emails` unless `workEmailOnEmployment`. */
  workEmail: string;
  /** Some records carry the work email only on their employment. */
  workEmailOnEmployment: boolean;
  personalEmail: string;
  hiringStatus: HiringStatus;
  /** e.g. `onboarding_overdue`; null mostly. */
  newHiringStatus: string | null;
  hiringType: HiringType;
  jobTitle: string;
  startDate: string;
  birthDate: string;
  department: (Ref & { parent: string | null }) | null;
  workLocation: string | null;
  country: string;
  /** The manager's profile id; may name someone outside `/people` (an external user). */
  managerId: string | null;
  employments: FakeDeelEmployment[];
  /** ISO timestamp of the last change. */
  updatedAt: string;
}

export type HireInput = Partial<FakeDeelPerson> & Pick<FakeDeelPerson, 'firstName' | 'lastName'>;

export interface FakeDeelCompany {
  readonly today: string;
  /** In the API's default order (managers may come after their reports). */
  list(): FakeDeelPerson[];
  get(id: string): FakeDeelPerson | undefined;
  byWorkerId(workerId: number): FakeDeelPerson | undefined;
  hire(input: HireInput): FakeDeelPerson;
  update(id: string, patch: Partial<Omit<FakeDeelPerson, 'id'>>): FakeDeelPerson;
  changeManager(id: string, managerId: string | null): FakeDeelPerson;
  changeEmail(id: string, email: string): FakeDeelPerson;
  /** Past day: inactive, contract ended; future day: offboarding, employed until then. */
  terminate(id: string, lastDay?: string): FakeDeelPerson;
  /** A new contract from `startDate`; the old one stays, ended. */
  rehire(id: string, startDate?: string): FakeDeelPerson;
  remove(id: string): void;
  /** Bumped on every change, so servers can cache sorted views. */
  readonly version: number;
}

export const defaultToday = '2026-03-02';

/** A UUID-shaped id that is deterministic from a number (and unique per number). */
export function uuidFor(n: number, salt = 0): string {
  const h = (x: number) => (Math.imul(x ^ 0x5bd1e995, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
  const tail = n.toString(16).padStart(12, '0');
  return `${h(n + salt)}-${h(n * 7 + salt).slice(0, 4)}-4${h(n * 13).slice(0, 3)}-a${h(n * 17).slice(0, 3)}-${tail}`;
}

export function createCompany(people: FakeDeelPerson[], options: { today?: string } = {}): FakeDeelCompany {
  const today = options.today ?? defaultToday;
  const byId = new Map(people.map((p) => [p.id, p]));
  const workers = new Map(people.map((p) => [p.workerId, p]));
  let order = people.map((p) => p.id);
  let listed: FakeDeelPerson[] | undefined;
  let version = 0;
  let nextN = 900_000_000;
  let clock = Date.parse(`${today}T08:00:00Z`);
  const stamp = () => new Date((clock += 1000)).toISOString();
  const must = (id: string) => {
    const p = byId.get(id);
    if (!p) throw new Error(`no person ${id} in the fake company`);
    return p;
  };
  const changed = (p: FakeDeelPerson) => {
    p.updatedAt = stamp();
    version++;
    listed = undefined;
    return p;
  };
  const update = (id: string, patch: Partial<FakeDeelPerson>) => changed(Object.assign(must(id), patch));
  const current = (p: FakeDeelPerson) => p.employments.find((e) => !e.isEnded) ?? p.employments.at(-1)!;

  return {
    today,
    list: () => (listed ??= order.map((id) => byId.get(id)!)),
    get: (id) => byId.get(id),
    byWorkerId: (workerId) => workers.get(workerId),
    get version() {
      return version;
    },
    hire(input) {
      const n = nextN++;
      const startDate = input.startDate ?? today;
      const person: FakeDeelPerson = {
        id: uuidFor(n), workerId: n, externalId: null, preferredFirstName: null, workEmail: '', workEmailOnEmployment: false,
        personalEmail: '', hiringStatus: startDate > today ? 'onboarding' : 'active', newHiringStatus: null, hiringType: 'eor',
        jobTitle: 'New hire', birthDate: '1990-01-01T00:00:00.000Z', department: null, workLocation: null, country: 'DE',
        managerId: null, employments: [], updatedAt: stamp(), ...input, startDate,
      };
      if (person.employments.length === 0) {
        person.employments = [{ id: `emp${n.toString(36)}`, team: null, jobTitle: person.jobTitle, contractStatus: 'in_progress', isEnded: false, startDate, terminationLastDay: null, workEmail: person.workEmail || null }];
      }
      byId.set(person.id, person);
      workers.set(person.workerId, person);
      order.push(person.id);
      return changed(person);
    },
    update,
    changeManager: (id, managerId) => update(id, { managerId }),
    changeEmail(id, email) {
      const p = must(id);
      for (const e of p.employments) if (e.workEmail !== null) e.workEmail = email;
      return update(id, { workEmail: email });
    },
    terminate(id, lastDay = addDays(today, -1)) {
      const p = must(id);
      const e = current(p);
      const past = lastDay < today;
      e.terminationLastDay = lastDay;
      if (past) Object.assign(e, { isEnded: true, contractStatus: 'terminated' });
      return update(id, { hiringStatus: past ? 'inactive' : 'offboarding' });
    },
    rehire(id, startDate = today) {
      const p = must(id);
      for (const e of p.employments) if (!e.isEnded) Object.assign(e, { isEnded: true, contractStatus: 'terminated', terminationLastDay: e.terminationLastDay ?? addDays(startDate, -1) });
      const last = p.employments.at(-1);
      p.employments.push({
        id: `emp${(nextN++).toString(36)}`, team: last?.team ?? null, jobTitle: p.jobTitle, contractStatus: 'in_progress', isEnded: false,
        startDate, terminationLastDay: null, workEmail: last?.workEmail ?? null,
      });
      return update(id, { hiringStatus: startDate > today ? 'onboarding' : 'active', startDate });
    },
    remove(id) {
      const p = must(id);
      byId.delete(id);
      workers.delete(p.workerId);
      order = order.filter((x) => x !== id);
      version++;
      listed = undefined;
    },
  };
}
