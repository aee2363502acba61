import { addDays } from '../shared/random.js';

/**
 * A PayFit company as PayFit keeps it: collaborators with one or more labour contracts. There is
 * no employee status; what a contract's status says is derived from its dates when served.
 */
export interface FakePayfitContract {
  id: string;
  startDate: string;
  endDate: string | null;
  jobTitle: string;
  /** Still being set up by an admin: listed only with `includeInProgressContracts`. */
  inCreation?: boolean;
  establishment: { id: string; name: string } | null;
}

export interface FakePayfitPerson {
  /** 24 hex digits, PayFit-generated. */
  id: string;
  matricule: string;
  firstName: string;
  lastName: string;
  birthName: string | null;
  /** Always present in PayFit. */
  personalEmail: string;
  /** UK and Spain only, optional: '' for none. */
  professionalEmail: string;
  managerId: string | null;
  teamName: string | null;
  contracts: FakePayfitContract[];
  terminationDate: string | null;
  iban: string | null;
  bic: string | null;
}

export type HireInput = Partial<FakePayfitPerson> & Pick<FakePayfitPerson, 'firstName' | 'lastName'> & {
  startDate?: string;
  jobTitle?: string;
  establishment?: FakePayfitContract['establishment'];
};

export interface FakePayfitCompany {
  readonly id: string;
  readonly today: string;
  /** In response order (managers may come after their reports). */
  list(): FakePayfitPerson[];
  get(id: string): FakePayfitPerson | undefined;
  size(): number;
  /** Bumped by every change, so servers may cache what they derive from the company. */
  version(): number;
  hire(input: HireInput): FakePayfitPerson;
  update(id: string, patch: Partial<Omit<FakePayfitPerson, 'id'>>): FakePayfitPerson;
  /** The contract that is (or was last) in force. */
  currentContract(id: string): FakePayfitContract | undefined;
  changeManager(id: string, managerId: string | null): FakePayfitPerson;
  changeEmail(id: string, email: string): FakePayfitPerson;
  /** Ends the contract in force on that date and records it; a future date keeps them employed until then. */
  terminate(id: string, terminationDate?: string): FakePayfitPerson;
  /** A new contract from `startDate`; PayFit keeps the old termination date on the collaborator. */
  rehire(id: string, startDate?: string): FakePayfitPerson;
  remove(id: string): void;
  /** Employed today or later, by PayFit's own records (the scenario's oracle). */
  employed(p: FakePayfitPerson): boolean;
}

export const defaultToday = '2026-03-02';
export const defaultCompanyId = '5e1f0a2b3c4d5e6f7a8b9c0d';

/** PayFit-looking ids: 24 hex digits, deterministic from a number. */
export const payfitId = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(24 - prefix.length, '0')}`;

export function createCompany(people: FakePayfitPerson[], options: { today?: string; id?: string } = {}): FakePayfitCompany {
  const today = options.today ?? defaultToday;
  const byId = new Map(people.map((p) => [p.id, p]));
  let order = people.map((p) => p.id);
  let listed: FakePayfitPerson[] | undefined;
  let next = 1;
  let version = 0;
  const must = (id: string) => {
    const p = byId.get(id);
    if (!p) throw new Error(`no collaborator ${id} in the fake company`);
    return p;
  };
  const update = (id: string, patch: Partial<FakePayfitPerson>) => {
    version++;
    return Object.assign(must(id), patch);
  };
  const current = (p: FakePayfitPerson) => {
    const real = p.contracts.filter((c) => !c.inCreation);
    const inForce = real.filter((c) => c.startDate <= today && (c.endDate === null || c.endDate >= today));
    const pool = inForce.length ? inForce : real.filter((c) => c.startDate > today).length ? real.filter((c) => c.startDate > today) : real;
    return [...pool].sort((a, b) => a.startDate.localeCompare(b.startDate)).at(-1);
  };

  return {
    id: options.id ?? defaultCompanyId,
    today,
    list: () => (listed ??= order.map((id) => byId.get(id)!)),
    get: (id) => byId.get(id),
    size: () => order.length,
    version: () => version,
    hire(input) {
      version++;
      const { startDate = today, jobTitle = 'Employee', establishment = null, ...rest } = input;
      const id = rest.id ?? payfitId('6f', next++);
      const person: FakePayfitPerson = {
        id, matricule: String(90_000 + next), birthName: null, personalEmail: `${id}@home.test`, professionalEmail: '',
        managerId: null, teamName: null, terminationDate: null, iban: null, bic: null,
        contracts: [{ id: payfitId('7c', next++), startDate, endDate: null, jobTitle, establishment }],
        ...rest,
      };
      byId.set(id, person);
      order.push(id);
      listed = undefined;
      return person;
    },
    update,
    currentContract: (id) => current(must(id)),
    changeManager: (id, managerId) => update(id, { managerId }),
    changeEmail: (id, email) => update(id, { professionalEmail: email }),
    terminate(id, terminationDate = addDays(today, -1)) {
      const p = must(id);
      const contract = current(p);
      if (contract) contract.endDate = terminationDate;
      version++;
      return update(id, { terminationDate });
    },
    rehire(id, startDate = today) {
      const p = must(id);
      const last = current(p);
      version++;
      p.contracts.push({ id: payfitId('7c', next++), startDate, endDate: null, jobTitle: last?.jobTitle ?? 'Employee', establishment: last?.establishment ?? null });
      return p;
    },
    remove(id) {
      must(id);
      version++;
      byId.delete(id);
      order = order.filter((x) => x !== id);
      listed = undefined;
    },
    employed(p) {
      const c = current(p);
      if (!c || (c.endDate !== null && c.endDate < today)) return false;
      // A termination date on or after the contract's start is this contract's.
      return !(p.terminationDate !== null && p.terminationDate >= c.startDate && p.terminationDate < today);
    },
  };
}
