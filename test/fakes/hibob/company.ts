import { addDays } from '../shared/random.js';

/** A list item (department, site): HiBob stores ids and shows names under `humanReadable`. */
export interface ListItem {
  id: string;
  name: string;
}

/** HiBob lifecycle values; leave statuses are account-defined, "parental leave" is common. */
export type Lifecycle = 'hired' | 'employed' | 'garden leave' | 'terminated' | 'parental leave' | 'sick leave';

export interface FakeHibobPerson {
  /** Long numeric strings, as HiBob's are. */
  id: string;
  firstName: string;
  surname: string;
  /** '' for none. */
  email: string;
  privateEmail: string;
  title: string;
  department: ListItem | null;
  site: (ListItem & { siteId: number }) | null;
  startDate: string;
  /** The manager's id; may name nobody in the company. */
  managerId: string | null;
  employeeIdInCompany: number;
  status: 'Active' | 'Inactive';
  lifecycleStatus: Lifecycle;
  terminationDate: string | null;
  /** The Financial › Bank accounts table, primary first, as `GET /people/{id}/bank-accounts` lists it. */
  bankAccounts?: FakeBankAccount[];
}

export interface FakeBankAccount {
  id: number;
  bankAccountType: 'Checking' | 'Savings';
  bankName: string;
  accountNumber: string;
  routingNumber: string;
  iban: string;
  bicOrSwift: string;
  accountNickname: string;
  useForBonus: boolean;
}

export type HireInput = Partial<FakeHibobPerson> & Pick<FakeHibobPerson, 'firstName' | 'surname'>;

export interface FakeHibobCompany {
  readonly today: string;
  /** In response order (managers may come after their reports). */
  list(): FakeHibobPerson[];
  get(id: string): FakeHibobPerson | undefined;
  size(): number;
  hire(input: HireInput): FakeHibobPerson;
  update(id: string, patch: Partial<Omit<FakeHibobPerson, 'id'>>): FakeHibobPerson;
  changeManager(id: string, managerId: string | null): FakeHibobPerson;
  changeEmail(id: string, email: string): FakeHibobPerson;
  /** Past date: terminated and Inactive at once; future date: still employed until then. */
  terminate(id: string, terminationDate?: string): FakeHibobPerson;
  /** Back as "hired" when the new start is in the future, else employed. */
  rehire(id: string, startDate?: string): FakeHibobPerson;
  remove(id: string): void;
}

export const defaultToday = '2026-03-02';

export function createCompany(people: FakeHibobPerson[], options: { today?: string } = {}): FakeHibobCompany {
  const today = options.today ?? defaultToday;
  const byId = new Map(people.map((p) => [p.id, p]));
  let order = people.map((p) => p.id);
  let listed: FakeHibobPerson[] | undefined;
  let nextId = 4_000_000_000_000;
  const must = (id: string) => {
    const p = byId.get(id);
    if (!p) throw new Error(`no employee ${id} in the fake company`);
    return p;
  };
  const update = (id: string, patch: Partial<FakeHibobPerson>) => Object.assign(must(id), patch);

  return {
    today,
    list: () => (listed ??= order.map((id) => byId.get(id)!)),
    get: (id) => byId.get(id),
    size: () => order.length,
    hire(input) {
      const id = input.id ?? String(nextId++);
      const startDate = input.startDate ?? today;
      const person: FakeHibobPerson = {
        id, email: '', privateEmail: '', title: '', department: null, site: null, managerId: null,
        employeeIdInCompany: order.length + 1, status: 'Active', terminationDate: null,
        lifecycleStatus: startDate > today ? 'hired' : 'employed', ...input, startDate,
      };
      byId.set(id, person);
      order.push(id);
      listed = undefined;
      return person;
    },
    update,
    changeManager: (id, managerId) => update(id, { managerId }),
    changeEmail: (id, email) => update(id, { email }),
    terminate(id, terminationDate = addDays(today, -1)) {
      const past = terminationDate < today;
      return update(id, { terminationDate, ...(past ? { status: 'Inactive' as const, lifecycleStatus: 'terminated' as const } : {}) });
    },
    rehire: (id, startDate = today) =>
      update(id, { status: 'Active', lifecycleStatus: startDate > today ? 'hired' : 'employed', startDate, terminationDate: null }),
    remove(id) {
      must(id);
      byId.delete(id);
      order = order.filter((x) => x !== id);
      listed = undefined;
    },
  };
}
