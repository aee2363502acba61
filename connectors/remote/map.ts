import type { BankAccount, EmployeeStatus, NamedRef, NormalisedEmployee, RecordError } from '../contract.js';
import type { ManagerRef } from '../managers.js';
import { applyDateRules } from '../status.js';
import { cleanDate, cleanText } from '../values.js';
import { employmentDetailSchema, employmentSchema, type RemoteOffboarding } from './schema.js';

/** Remote's employment statuses (developer.remote.com, "User status"). */
const statusMap: Record<string, EmployeeStatus> = {
  active: 'active',
  // Still employed until the offboarding's termination date (the date rules end it).
  offboarding: 'active',
  archived: 'inactive',
  deleted: 'inactive',
  created: 'pending',
  pre_hire: 'pending',
  initiated: 'pending',
  invited: 'pending',
  pending: 'pending',
  review: 'pending',
  job_title_review: 'pending',
  pending_post_self_enrollment_actions: 'pending',
  created_awaiting_reserve: 'pending',
  created_reserve_paid: 'pending',
  incomplete: 'pending',
};

/** When `status` is missing or new: the lifecycle stage decides, and anything else waits as pending. */
function statusOf(status: string | null, stage: string | null): EmployeeStatus {
  const known = status === null ? undefined : statusMap[status.toLowerCase()];
  if (known) return known;
  const s = stage?.toLowerCase() ?? '';
  if (s === 'offboarded') return 'inactive';
  if (s === 'onboarded' || s === 'offboarding') return 'active';
  return 'pending';
}

export interface RemoteMapped {
  employee: NormalisedEmployee;
  manager: ManagerRef;
}

/**
 * One employment → a normalised employee. `detail` is `GET /employments/{id}` (undefined when it
 * could not be read: no manager, dates or bank then), `offboardings` the employment's
 * offboardings (the current one gives the termination date).
 */
export function mapRemoteEmployment(raw: unknown, detail: unknown, offboardings: readonly RemoteOffboarding[], today: string): RemoteMapped | RecordError {
  const listed = employmentSchema.safeParse(raw);
  if (!listed.success) return invalid(raw, `employment is not readable: ${listed.error.issues[0]?.path.join('.') || 'record'} ${listed.error.issues[0]?.message ?? ''}`.trim());
  const parsedDetail = detail === undefined ? undefined : employmentDetailSchema.safeParse(detail);
  if (parsedDetail && !parsedDetail.success) return invalid(raw, `employment detail is not readable: ${parsedDetail.error.issues[0]?.path.join('.') ?? ''} ${parsedDetail.error.issues[0]?.message ?? ''}`.trim());
  const d = parsedDetail?.data;
  if (d && d.id !== listed.data.id) return invalid(raw, `employment detail belongs to ${d.id}`);
  // The detail is newer than nothing and as new as the list: its values win where present.
  const e = { ...listed.data, ...(d ? withoutNullish(d) : {}) } as typeof listed.data & Partial<NonNullable<typeof d>>;
  const remoteId = e.id;

  const rawStatus = cleanText(e.status);
  const stage = cleanText(e.employment_lifecycle_stage);
  const startDate = cleanDate(e.provisional_start_date) ?? cleanDate(e.seniority_date);
  const offboarding = currentOffboarding(offboardings, startDate);
  const terminationDate = cleanDate(offboarding?.termination_date);
  const status = applyDateRules(statusOf(rawStatus, stage), { startDate, terminationDate }, today);

  const personalEmail = cleanText(e.personal_email);
  const login = cleanText(e.login_email);
  // `work_email` is often null; the login address is the work one unless it is the personal one.
  const workEmail = cleanText(e.work_email) ?? (login !== null && login.toLowerCase() !== personalEmail?.toLowerCase() ? login : null);
  const { firstName, lastName, preferredName } = namesOf(d?.basic_information);
  const fullName = cleanText(e.full_name);
  const given = preferredName ?? firstName;
  const displayName = [given, lastName].filter((p) => p !== null).join(' ') || fullName || workEmail || personalEmail || remoteId;
  const managerId = cleanText(d?.manager_employment_id);

  return {
    employee: {
      remoteId,
      employeeNumber: cleanText(e.external_id) ?? cleanText(e.short_id),
      workEmail,
      personalEmail,
      firstName,
      lastName,
      preferredName,
      displayName,
      status,
      rawStatus: [rawStatus, stage].filter((s) => s !== null).join(', ') || null,
      startDate,
      terminationDate,
      managerRemoteId: managerId === remoteId ? null : managerId,
      department: departmentOf(listed.data.department, listed.data.department_id ?? null) ?? departmentOf(d?.department, d?.department_id ?? null),
      team: null,
      workLocation: countryOf(e.country),
      jobTitle: cleanText(e.job_title),
      costCenters: [],
      bankAccount: bankOf(d?.bank_account_details),
      updatedAt: timestamp(d?.updated_at),
      raw: { ...(raw as Record<string, unknown>), ...(d ? { detail } : {}), ...(offboarding ? { offboarding } : {}) },
    },
    // Not on Remote (an outside manager): only an email, resolved against the snapshot.
    manager: managerId ? { remoteId: managerId } : { workEmail: cleanText(d?.manager_email) },
  };
}

/**
 * The offboarding that ends this employment: not cancelled or declined, and not one that ended
 * an earlier spell (a termination date before the start date belongs to the time before a
 * rehire on the same employment). The latest date wins when several remain.
 */
export function currentOffboarding(list: readonly RemoteOffboarding[], startDate: string | null): RemoteOffboarding | undefined {
  let best: RemoteOffboarding | undefined;
  for (const o of list) {
    const date = cleanDate(o.termination_date);
    if (date === null || /cancel|declin|reject|withdraw/i.test(o.status ?? '')) continue;
    if (startDate !== null && date < startDate) continue;
    if (!best || date > cleanDate(best.termination_date)!) best = o;
  }
  return best;
}

/**
 * `basic_information` is country-shaped (?): name parts may be `first_name`/`last_name`,
 * `given_name`/`family_name`, or only `name` (the full name, which is not split: name order
 * differs by country); `preferred_name` where collected.
 */
export function namesOf(info: Record<string, unknown> | null | undefined): { firstName: string | null; lastName: string | null; preferredName: string | null } {
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const v = cleanText(info?.[k]);
      if (v !== null) return v;
    }
    return null;
  };
  return {
    firstName: pick('first_name', 'given_name'),
    lastName: pick('last_name', 'family_name', 'surname'),
    preferredName: pick('preferred_name', 'preferred_first_name'),
  };
}

function departmentOf(value: unknown, id: string | null): NamedRef | null {
  if (typeof value === 'object' && value !== null) {
    const o = value as { id?: unknown; name?: unknown };
    return departmentOf(o.name, cleanText(o.id) ?? id);
  }
  const name = cleanText(value);
  if (name === null) return null;
  const remoteId = cleanText(id);
  return remoteId === null ? { name } : { remoteId, name };
}

function countryOf(value: unknown): NamedRef | null {
  if (typeof value === 'string') {
    const name = cleanText(value);
    return name === null ? null : { name };
  }
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  const name = cleanText(c.name) ?? cleanText(c.code);
  if (name === null) return null;
  const code = cleanText(c.code) ?? cleanText(c.alpha_2_code);
  return code === null ? { name } : { remoteId: code, name };
}

/**
 * `bank_account_details[]` is country-shaped: the IBAN may be `iban` or, where the country has
 * one, an `account_number` that is an IBAN; the BIC `bic`, `swift_code`, `swift` or `bic_swift`;
 * the holder `account_holder`, `account_holder_name`, `holder_name` or `name`. Keys are
 * matched without regard to case. A local account number that is not an IBAN has no place in
 * the normalised account.
 */
export function bankOf(value: unknown): BankAccount | null {
  const entries = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const lower = new Map(Object.entries(entry as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
    const get = (...keys: string[]) => keys.map((k) => cleanText(lower.get(k))).find((v) => v !== null) ?? null;
    const ibanLike = (v: string | null) => (v !== null && /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(v) ? v : null);
    const squash = (v: string | null) => v?.replace(/\s+/g, '').toUpperCase() ?? null;
    const iban = ibanLike(squash(get('iban'))) ?? ibanLike(squash(get('account_number', 'accountnumber')));
    const bic = squash(get('bic', 'swift_code', 'swift', 'bic_swift', 'swift_bic'));
    const holder = get('account_holder', 'account_holder_name', 'holder_name', 'name');
    const account: BankAccount = { ...(iban ? { iban } : {}), ...(bic ? { bic } : {}), ...(holder ? { holder } : {}) };
    if (account.iban || account.bic) return account;
  }
  return null;
}

function withoutNullish<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}

function timestamp(raw: unknown): string | null {
  const text = cleanText(raw);
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function invalid(raw: unknown, reason: string): RecordError {
  const id = typeof raw === 'object' && raw !== null ? cleanText((raw as { id?: unknown }).id) : null;
  return { remoteId: id, code: 'invalid_record', reason, dropped: true };
}
