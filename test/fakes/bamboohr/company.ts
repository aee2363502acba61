import { addDays } from '../shared/random.js';

/**
 * A BambooHR account as the fake stores it. Values are strings as BambooHR gives them, ''
 * for empty. The manager is stored as an id; the report derives supervisorId (the manager's
 * employeeNumber) and supervisorEmail from it, as BambooHR does.
 */
export interface BambooPerson {
  id: string;
  employeeNumber: string;
  firstName: string;
  lastName: string;
  preferredName: string;
  workEmail: string;
  homeEmail: string;
  status: 'Active' | 'Inactive';
  employmentHistoryStatus: string;
  hireDate: string;
  terminationDate: string;
  /** The manager's id; may name someone who is not in the account (deleted). */
  supervisorEId: string;
  department: string;
  division: string;
  location: string;
  jobTitle: string;
  lastChanged: string;
}

export type ChangeAction = 'Inserted' | 'Updated' | 'Deleted';

export interface FakeBambooCompany {
  readonly domain: string;
  readonly today: string;
  /** People in report order (the order is part of the fixture: managers may come after reports). */
  list(): BambooPerson[];
  get(id: string): BambooPerson | undefined;
  size(): number;
  hire(person: Partial<BambooPerson> & Pick<BambooPerson, 'firstName' | 'lastName'>): BambooPerson;
  update(id: string, patch: Partial<Omit<BambooPerson, 'id' | 'lastChanged'>>): BambooPerson;
  changeManager(id: string, managerId: string): BambooPerson;
  changeEmail(id: string, workEmail: string): BambooPerson;
  /**
   * Sets the termination date. The employment history says Terminated at once (HR enters the
   * row ahead of time); `status` turns Inactive only once that date has passed.
   */
  terminate(id: string, terminationDate?: string): BambooPerson;
  rehire(id: string, hireDate?: string): BambooPerson;
  remove(id: string): void;
  changesSince(sinceIso: string): Array<{ id: string; action: ChangeAction; lastChanged: string }>;
}

export interface CompanyOptions {
  domain?: string;
  /** The fake's "today" for status rules; fixed so generated data is reproducible. */
  today?: string;
  /** Clock for lastChanged stamps of mutations. */
  now?: () => Date;
}

export const defaultToday = '2026-03-02';

export function createCompany(people: BambooPerson[], options: CompanyOptions = {}): FakeBambooCompany {
  const domain = options.domain ?? 'acme';
  const today = options.today ?? defaultToday;
  const now = options.now ?? (() => new Date());
  const byId = new Map(people.map((p) => [p.id, p]));
  let order = people.map((p) => p.id);
  const events: Array<{ id: string; action: ChangeAction; at: string }> = [];
  let nextId = Math.max(0, ...people.map((p) => Number(p.id) || 0)) + 1;

  const must = (id: string) => {
    const p = byId.get(id);
    if (!p) throw new Error(`no employee ${id} in the fake company`);
    return p;
  };
  const touch = (id: string, action: ChangeAction) => {
    const at = now().toISOString();
    events.push({ id, action, at });
    return at;
  };
  const update = (id: string, patch: Partial<BambooPerson>) => {
    const person = must(id);
    Object.assign(person, patch, { lastChanged: touch(id, 'Updated') });
    return person;
  };

  return {
    domain,
    today,
    list: () => order.map((id) => byId.get(id)!),
    get: (id) => byId.get(id),
    size: () => order.length,
    hire(input) {
      const id = input.id ?? String(nextId++);
      const person: BambooPerson = {
        id, employeeNumber: id, preferredName: '', workEmail: '', homeEmail: '', status: 'Active',
        employmentHistoryStatus: 'Full-Time', hireDate: today, terminationDate: '', supervisorEId: '',
        department: '', division: '', location: '', jobTitle: '', ...input, lastChanged: touch(id, 'Inserted'),
      };
      byId.set(id, person);
      order.push(id);
      return person;
    },
    update,
    changeManager: (id, managerId) => update(id, { supervisorEId: managerId }),
    changeEmail: (id, workEmail) => update(id, { workEmail }),
    terminate(id, terminationDate = addDays(today, -1)) {
      const past = terminationDate < today;
      return update(id, { terminationDate, employmentHistoryStatus: 'Terminated', ...(past ? { status: 'Inactive' } : {}) });
    },
    rehire: (id, hireDate = today) =>
      update(id, { status: 'Active', employmentHistoryStatus: 'Full-Time', hireDate, terminationDate: '' }),
    remove(id) {
      must(id);
      byId.delete(id);
      order = order.filter((x) => x !== id);
      touch(id, 'Deleted');
    },
    changesSince(sinceIso) {
      const since = Date.parse(sinceIso);
      const latest = new Map<string, { id: string; action: ChangeAction; lastChanged: string }>();
      for (const e of events) {
        if (Date.parse(e.at) < since) continue;
        const prior = latest.get(e.id);
        // Inserted then Updated within the window is still news of an insert.
        const action = prior?.action === 'Inserted' && e.action === 'Updated' ? 'Inserted' : e.action;
        latest.set(e.id, { id: e.id, action, lastChanged: e.at });
      }
      return [...latest.values()];
    },
  };
}
