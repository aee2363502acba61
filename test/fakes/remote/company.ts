import { addDays } from '../shared/random.js';

/**
 * A Remote company as Remote keeps it: one employment per worker, with its status, lifecycle
 * stage, country-shaped details, and offboardings (which hold termination dates) apart.
 */
export interface FakeCountry {
  code: string;
  alpha_2_code: string;
  name: string;
}

export interface FakeEmployment {
  /** A UUID. */
  id: string;
  shortId: string;
  externalId: string | null;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  jobTitle: string;
  status: string;
  lifecycleStage: string;
  country: FakeCountry;
  department: { id: string; name: string } | null;
  loginEmail: string;
  personalEmail: string;
  workEmail: string | null;
  startDate: string;
  managerId: string | null;
  /** The manager's email when the manager is not on Remote (then `managerId` is null). */
  managerEmail: string | null;
  bank: Record<string, string> | null;
  updatedAt: string;
}

export interface FakeOffboarding {
  id: string;
  employmentId: string;
  terminationDate: string;
  status: 'submitted' | 'in_review' | 'completed' | 'cancelled';
  confidential: boolean;
}

export interface FakeRemoteCompany {
  readonly id: string;
  readonly today: string;
  /** In response order (managers may come after their reports); deleted ones are gone. */
  list(): FakeEmployment[];
  get(id: string): FakeEmployment | undefined;
  size(): number;
  /** Bumped by every change, so the server may cache what it derives. */
  version(): number;
  offboardings(): FakeOffboarding[];
  offboardingsOf(id: string): FakeOffboarding[];
  hire(input: Partial<FakeEmployment> & Pick<FakeEmployment, 'firstName' | 'lastName'>): FakeEmployment;
  update(id: string, patch: Partial<Omit<FakeEmployment, 'id'>>): FakeEmployment;
  changeManager(id: string, managerId: string | null): FakeEmployment;
  changeEmail(id: string, email: string): FakeEmployment;
  /** An offboarding with that termination date; a past date archives the employment, a future one leaves it `offboarding`. */
  terminate(id: string, terminationDate?: string, options?: { confidential?: boolean; archive?: boolean }): FakeEmployment;
  /** The (?) of Remote's docs: the same employment comes back, or a new one is created for the worker. */
  rehire(id: string, startDate?: string, mode?: 'same_employment' | 'new_employment'): FakeEmployment;
  /** Deleted: Remote's list no longer shows it. */
  remove(id: string): void;
  /** Employed today or later, by Remote's own records (the scenario's oracle). */
  employed(e: FakeEmployment): boolean;
}

export const defaultToday = '2026-03-02';
export const defaultCompanyId = '0f6b2a6e-3c1d-4f7e-9a2b-5c8d1e4f7a90';

/** A deterministic UUID-shaped id from a prefix digit and a number. */
export const remoteId = (kind: number, n: number) => {
  const hex = n.toString(16).padStart(12, '0');
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
};

export const pendingStatuses = ['created', 'pre_hire', 'initiated', 'invited', 'pending', 'review', 'job_title_review', 'pending_post_self_enrollment_actions', 'created_awaiting_reserve', 'created_reserve_paid'];

export function createCompany(people: FakeEmployment[], offboardings: FakeOffboarding[] = [], options: { today?: string; id?: string } = {}): FakeRemoteCompany {
  const today = options.today ?? defaultToday;
  const byId = new Map(people.map((p) => [p.id, p]));
  let order = people.map((p) => p.id);
  let listed: FakeEmployment[] | undefined;
  let offs = [...offboardings];
  let offsBy: Map<string, FakeOffboarding[]> | undefined;
  let next = people.length + 1;
  let nextOff = offs.length + 1;
  let version = 0;
  const stamp = () => `${today}T10:00:00.000Z`;
  const must = (id: string) => {
    const p = byId.get(id);
    if (!p) throw new Error(`no employment ${id} in the fake company`);
    return p;
  };
  const touched = () => {
    version++;
    listed = undefined;
    offsBy = undefined;
  };
  const update = (id: string, patch: Partial<FakeEmployment>) => {
    touched();
    return Object.assign(must(id), patch, { updatedAt: stamp() });
  };
  const offboardingsOf = (id: string) => {
    if (!offsBy) {
      offsBy = new Map();
      for (const o of offs) offsBy.set(o.employmentId, [...(offsBy.get(o.employmentId) ?? []), o]);
    }
    return offsBy.get(id) ?? [];
  };
  const current = (e: FakeEmployment) =>
    offboardingsOf(e.id)
      .filter((o) => o.status !== 'cancelled' && o.terminationDate >= e.startDate)
      .sort((a, b) => a.terminationDate.localeCompare(b.terminationDate))
      .at(-1);

  const company: FakeRemoteCompany = {
    id: options.id ?? defaultCompanyId,
    today,
    list: () => (listed ??= order.map((id) => byId.get(id)!)),
    get: (id) => byId.get(id),
    size: () => order.length,
    version: () => version,
    offboardings: () => offs,
    offboardingsOf,
    hire(input) {
      const n = next++;
      const id = input.id ?? remoteId(0xe, n);
      const startDate = input.startDate ?? today;
      const e: FakeEmployment = {
        id, shortId: `H${n.toString(36).toUpperCase().padStart(5, '0')}`, externalId: null, preferredName: null, jobTitle: 'Employee',
        status: startDate > today ? 'invited' : 'active', lifecycleStage: startDate > today ? 'onboarding' : 'onboarded',
        country: { code: 'PRT', alpha_2_code: 'PT', name: 'Portugal' }, department: null,
        loginEmail: input.workEmail ?? `${id}@home.test`, personalEmail: `${id}@home.test`, workEmail: null,
        startDate, managerId: null, managerEmail: null, bank: null, updatedAt: stamp(),
        ...input,
      };
      byId.set(id, e);
      order.push(id);
      touched();
      return e;
    },
    update,
    changeManager: (id, managerId) => update(id, { managerId, managerEmail: null }),
    changeEmail: (id, email) => update(id, { workEmail: email, loginEmail: email }),
    terminate(id, terminationDate = addDays(today, -1), opts = {}) {
      const e = must(id);
      const past = terminationDate < today;
      offs = [...offs, { id: remoteId(0xf, nextOff++), employmentId: id, terminationDate, status: past ? 'completed' : 'submitted', confidential: opts.confidential ?? false }];
      const archive = opts.archive ?? past;
      return update(e.id, archive ? { status: 'archived', lifecycleStage: 'offboarded' } : { status: 'offboarding', lifecycleStage: 'offboarding' });
    },
    rehire(id, startDate = today, mode = 'same_employment') {
      const e = must(id);
      const future = startDate > today;
      const fresh = { status: future ? 'invited' : 'active', lifecycleStage: future ? 'onboarding' : 'onboarded', startDate };
      if (mode === 'same_employment') return update(id, fresh);
      const { id: _old, shortId: _s, ...rest } = e;
      return company.hire({ ...rest, ...fresh });
    },
    remove(id) {
      must(id);
      byId.delete(id);
      order = order.filter((x) => x !== id);
      touched();
    },
    employed(e) {
      if (e.status === 'archived' || e.status === 'deleted') return false;
      const off = current(e);
      return !(off && off.terminationDate < today);
    },
  };
  return company;
}
