import { addDays } from '../shared/random.js';

/**
 * A Google Workspace account as the Directory keeps it. Accounts are suspended or archived when
 * people leave; there are no HR dates except in the custom schema this account created
 * (`Employment.startDate` / `Employment.terminationDate`), as many companies do. The manager is
 * kept as a person here and served as their current primary email (`relations[type=manager]`).
 */
export interface FakeGoogleUser {
  /** 21 digits, Google-generated. */
  id: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  suspended: boolean;
  archived: boolean;
  isAdmin: boolean;
  orgUnitPath: string;
  /** `externalIds[type=organization]`: '' for none. */
  employeeId: string;
  managerId: string | null;
  /** A manager address outside the account (an advisor at another company). */
  externalManagerEmail?: string;
  title: string;
  department: string;
  costCenter: string;
  /** `locations[type=desk].buildingId` (or the organization's location, by render option). */
  building: string;
  floor: string;
  homeEmail: string;
  creationTime: string;
  lastLoginTime: string;
  startDate: string | null;
  terminationDate: string | null;
  /** A second, non-primary organization (an earlier role kept on the profile). */
  secondOrganization?: { title: string; department: string };
}

export type HireInput = Partial<FakeGoogleUser> & Pick<FakeGoogleUser, 'givenName' | 'familyName' | 'primaryEmail'>;

export interface FakeGoogleCompany {
  readonly customerId: string;
  readonly domain: string;
  readonly today: string;
  /** In the account's natural order (managers may come after their reports). */
  list(): FakeGoogleUser[];
  get(id: string): FakeGoogleUser | undefined;
  byEmail(email: string): FakeGoogleUser | undefined;
  /** Users deleted in the last 20 days (`showDeleted=true`). */
  deleted(): FakeGoogleUser[];
  version(): number;
  hire(input: HireInput): FakeGoogleUser;
  update(id: string, patch: Partial<Omit<FakeGoogleUser, 'id'>>): FakeGoogleUser;
  changeManager(id: string, managerId: string | null): FakeGoogleUser;
  changeEmail(id: string, email: string): FakeGoogleUser;
  /** Records the last day; a past one also suspends the account, a future one leaves it active until then. */
  terminate(id: string, date?: string): FakeGoogleUser;
  /** Unsuspends, sets a new start date and clears the last day. */
  rehire(id: string, date?: string): FakeGoogleUser;
  remove(id: string): void;
  /** Employed today or later, by the account's state and its custom dates (the scenario's oracle). */
  employed(u: FakeGoogleUser): boolean;
}

export const defaultToday = '2026-03-02';
export const defaultDomain = 'acme.test';
export const defaultCustomerId = 'C03az79cb';
export const neverLoggedIn = '1970-01-01T00:00:00.000Z';

export const googleId = (n: number) => `1${String(n).padStart(20, '0')}`;

export function createCompany(users: FakeGoogleUser[], options: { today?: string; domain?: string; customerId?: string } = {}): FakeGoogleCompany {
  const today = options.today ?? defaultToday;
  const byId = new Map(users.map((u) => [u.id, u]));
  const emails = new Map(users.map((u) => [u.primaryEmail.toLowerCase(), u.id]));
  let order = users.map((u) => u.id);
  let listed: FakeGoogleUser[] | undefined;
  const removed: FakeGoogleUser[] = [];
  let next = 900_000_000;
  let version = 0;
  const must = (id: string) => {
    const u = byId.get(id);
    if (!u) throw new Error(`no user ${id} in the fake account`);
    return u;
  };
  const update = (id: string, patch: Partial<FakeGoogleUser>) => {
    version++;
    return Object.assign(must(id), patch);
  };
  return {
    customerId: options.customerId ?? defaultCustomerId,
    domain: options.domain ?? defaultDomain,
    today,
    list: () => (listed ??= order.map((id) => byId.get(id)!)),
    get: (id) => byId.get(id),
    byEmail: (email) => {
      const id = emails.get(email.toLowerCase());
      return id === undefined ? undefined : byId.get(id);
    },
    deleted: () => removed,
    version: () => version,
    hire(input) {
      if (emails.has(input.primaryEmail.toLowerCase())) throw new Error(`Entity already exists: ${input.primaryEmail}`);
      version++;
      const id = input.id ?? googleId(next++);
      const manager = input.managerId ? byId.get(input.managerId) : undefined;
      const user: FakeGoogleUser = {
        id, suspended: false, archived: false, isAdmin: false, orgUnitPath: manager?.orgUnitPath ?? '/', employeeId: '', managerId: null,
        title: 'Employee', department: manager?.department ?? '', costCenter: manager?.costCenter ?? '', building: manager?.building ?? '', floor: '',
        homeEmail: '', creationTime: `${today}T08:00:00.000Z`, lastLoginTime: neverLoggedIn, startDate: today, terminationDate: null,
        ...input,
      };
      byId.set(id, user);
      emails.set(user.primaryEmail.toLowerCase(), id);
      order.push(id);
      listed = undefined;
      return user;
    },
    update,
    changeManager: (id, managerId) => update(id, { managerId }),
    changeEmail(id, email) {
      const u = must(id);
      emails.delete(u.primaryEmail.toLowerCase());
      emails.set(email.toLowerCase(), id);
      return update(id, { primaryEmail: email });
    },
    terminate(id, date = addDays(today, -1)) {
      return update(id, { terminationDate: date, suspended: date < today });
    },
    rehire(id, date = today) {
      return update(id, { suspended: false, archived: false, startDate: date, terminationDate: null });
    },
    remove(id) {
      const u = must(id);
      version++;
      byId.delete(id);
      emails.delete(u.primaryEmail.toLowerCase());
      removed.push(u);
      order = order.filter((x) => x !== id);
      listed = undefined;
    },
    employed: (u) => !u.suspended && !u.archived && !(u.terminationDate !== null && u.terminationDate < today),
  };
}
