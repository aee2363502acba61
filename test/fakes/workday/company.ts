import { addDays } from '../shared/random.js';

/**
 * A Workday tenant as Get_Workers and a RaaS report show it: workers with one or more positions
 * (each under its manager's supervisory organisation), hire and termination dates, and the
 * moment of the last transaction entered for each (what the transaction log filters on).
 */
export interface FakeRef {
  id: string;
  name: string;
}

export interface FakePosition {
  positionId: string;
  title: string;
  jobProfile: string;
  location: FakeRef;
  costCenter: FakeRef;
  /** The manager's WID; null for the top of the organisation. */
  managerId: string | null;
  primary: boolean;
}

export interface FakeWorker {
  /** 32 hex characters. */
  wid: string;
  /** Employee_ID, or Contingent_Worker_ID for a contingent worker. */
  employeeId: string;
  contingent: boolean;
  firstName: string;
  lastName: string;
  preferredFirstName: string | null;
  /** '' for none. */
  workEmail: string;
  homeEmail: string;
  hireDate: string;
  originalHireDate: string;
  terminationDate: string | null;
  onLeave: boolean;
  /** Primary first, as Workday lists them. */
  positions: FakePosition[];
  /** ISO moment of the last transaction entered for this worker. */
  updatedAt: string;
}

export type HireInput = Pick<FakeWorker, 'firstName' | 'lastName' | 'workEmail'> & Partial<FakeWorker> & { managerId: string | null; location?: FakeRef };

export interface FakeWorkdayCompany {
  readonly tenant: string;
  readonly today: string;
  list(): FakeWorker[];
  get(wid: string): FakeWorker | undefined;
  size(): number;
  primary(w: FakeWorker): FakePosition;
  /** Terminated as of `date`: the termination date has passed. */
  terminatedAsOf(w: FakeWorker, date: string): boolean;
  /** Employed today or later: not terminated before today. */
  employed(w: FakeWorker): boolean;
  /** The supervisory organisation a manager leads (every position under them belongs to it). */
  orgOf(managerWid: string): FakeRef | undefined;
  hire(input: HireInput): FakeWorker;
  update(wid: string, patch: Partial<Omit<FakeWorker, 'wid'>>): FakeWorker;
  updatePrimary(wid: string, patch: Partial<FakePosition>): FakeWorker;
  changeManager(wid: string, managerId: string | null): void;
  changeEmail(wid: string, email: string): void;
  terminate(wid: string, date?: string): void;
  rehire(wid: string, date?: string): void;
  remove(wid: string): void;
}

export const defaultToday = '2026-03-02';
export const defaultTenant = 'acme';

/** A WID-looking id, deterministic from a number. */
export function widOf(n: number): string {
  let h = (n * 2654435761) >>> 0;
  let out = '';
  for (let i = 0; i < 4; i++) {
    h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

export function createCompany(workers: FakeWorker[], options: { today?: string; tenant?: string } = {}): FakeWorkdayCompany {
  const today = options.today ?? defaultToday;
  const byId = new Map(workers.map((w) => [w.wid, w]));
  let order = workers.map((w) => w.wid);
  let listed: FakeWorker[] | undefined;
  let next = 1;
  let clock = 0;
  const touch = (w: FakeWorker) => {
    // Strictly increasing entry moments, so the transaction log sees every change.
    w.updatedAt = new Date(Date.parse(`${today}T09:00:00Z`) + ++clock * 1000).toISOString();
    return w;
  };
  const must = (wid: string) => {
    const w = byId.get(wid);
    if (!w) throw new Error(`no worker ${wid} in the fake tenant`);
    return w;
  };
  const primary = (w: FakeWorker) => w.positions.find((p) => p.primary) ?? w.positions[0]!;
  return {
    tenant: options.tenant ?? defaultTenant,
    today,
    list: () => (listed ??= order.map((id) => byId.get(id)!)),
    get: (wid) => byId.get(wid),
    size: () => order.length,
    primary,
    terminatedAsOf: (w, date) => w.terminationDate !== null && w.terminationDate < date,
    employed: (w) => !(w.terminationDate !== null && w.terminationDate < today),
    orgOf(managerWid) {
      const m = byId.get(managerWid);
      return m ? { id: `SUP-${m.employeeId}`, name: `${primary(m).title} team (${m.firstName} ${m.lastName})` } : undefined;
    },
    hire(input) {
      const { managerId, location, ...rest } = input;
      const boss = managerId ? byId.get(managerId) : undefined;
      const n = 800_000 + next++;
      const start = rest.hireDate ?? today;
      const bossPosition = boss ? primary(boss) : undefined;
      const worker: FakeWorker = {
        wid: widOf(n), employeeId: String(n), contingent: false, preferredFirstName: null, homeEmail: `${n}@home.test`,
        hireDate: start, originalHireDate: start, terminationDate: null, onLeave: false, updatedAt: '',
        positions: [{
          positionId: `P-${n}`, title: 'Employee', jobProfile: 'Employee', primary: true, managerId,
          location: location ?? bossPosition?.location ?? { id: 'LOC-1', name: 'London' },
          costCenter: bossPosition?.costCenter ?? { id: 'CC-100', name: '100 Operations' },
        }],
        ...rest,
      };
      byId.set(worker.wid, worker);
      order.push(worker.wid);
      listed = undefined;
      return touch(worker);
    },
    update: (wid, patch) => touch(Object.assign(must(wid), patch)),
    updatePrimary(wid, patch) {
      const w = must(wid);
      Object.assign(primary(w), patch);
      return touch(w);
    },
    changeManager(wid, managerId) {
      const w = must(wid);
      primary(w).managerId = managerId;
      touch(w);
    },
    changeEmail: (wid, email) => void touch(Object.assign(must(wid), { workEmail: email })),
    terminate(wid, date = addDays(today, -1)) {
      touch(Object.assign(must(wid), { terminationDate: date }));
    },
    rehire(wid, date = today) {
      touch(Object.assign(must(wid), { hireDate: date, terminationDate: null }));
    },
    remove(wid) {
      must(wid);
      byId.delete(wid);
      order = order.filter((x) => x !== wid);
      listed = undefined;
    },
  };
}
