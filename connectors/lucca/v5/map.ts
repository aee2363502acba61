import type { BankAccount, EmployeeStatus, NamedRef, RecordError } from '../../contract.js';
import type { Unresolved } from '../../managers.js';
import { applyDateRules, statusFromLabel } from '../../status.js';
import { cleanDate, cleanText, displayNameOf } from '../../values.js';
import { named } from '../legacy/map.js';
import {
  v5BankAccountSchema,
  v5EmployeeSchema,
  v5EmploymentSchema,
  v5JobPositionSchema,
  v5NamedSchema,
  v5PersonalRecordSchema,
  type V5List,
} from './schema.js';

/** What the read keeps of a job position: a company's worth of them stays in memory. */
export interface JobInfo {
  id: string;
  employeeId: string | null;
  employmentId: string | null;
  jobTitle: string | null;
  managerId: string | null;
  department: NamedRef | null;
  location: NamedRef | null;
  startsOn: string | null;
  lastUpdatedAt: string | null;
}

export interface EmploymentInfo {
  id: string;
  employeeId: string | null;
  start: string | null;
  end: string | null;
  lastUpdatedAt: string | null;
}

export interface PersonalInfo {
  email: string | null;
  bankAccount: BankAccount | null;
}

export interface V5MapContext {
  today: string;
  employment(id: string | null, employeeId: string): EmploymentInfo | null;
  job(id: string | null, employeeId: string, employmentId: string | null): JobInfo | null;
  personal(employeeId: string): PersonalInfo | null;
}

/** A job position, with its department and business establishment named from the page's `embedded`. */
export function compactJobPosition(raw: unknown, embedded: V5List['embedded']): JobInfo | null {
  const parsed = v5JobPositionSchema.safeParse(raw);
  if (!parsed.success) return null;
  const j = parsed.data;
  return {
    id: j.id,
    employeeId: j.employee?.id ?? null,
    employmentId: j.employment?.id ?? null,
    jobTitle: cleanText(j.jobTitle),
    managerId: j.manager?.id ?? null,
    department: embeddedRef(embedded, 'department', j.department?.id),
    location: embeddedRef(embedded, 'business-establishment', j.businessEstablishment?.id),
    startsOn: cleanDate(j.startsOn),
    lastUpdatedAt: timestamp(j.lastUpdatedAt),
  };
}

export function compactEmployment(raw: unknown): EmploymentInfo | null {
  const parsed = v5EmploymentSchema.safeParse(raw);
  if (!parsed.success) return null;
  const e = parsed.data;
  return {
    id: e.id,
    employeeId: e.employee?.id ?? null,
    start: cleanDate(e.start ?? e.startsOn),
    end: cleanDate(e.end ?? e.endsOn),
    lastUpdatedAt: timestamp(e.lastUpdatedAt),
  };
}

export function compactPersonalRecord(raw: unknown): { employeeId: string; info: PersonalInfo } | null {
  const parsed = v5PersonalRecordSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.employee) return null;
  return { employeeId: parsed.data.employee.id, info: { email: cleanText(parsed.data.email), bankAccount: v5BankAccount(parsed.data.bankAccount) } };
}

/** An employee with their applicable employment and job position → a normalised employee. */
export function mapV5Employee(raw: unknown, ctx: V5MapContext): Unresolved | RecordError {
  const parsed = v5EmployeeSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null ? cleanText((raw as { id?: unknown }).id) : null;
    return { remoteId: id, code: 'invalid_record', reason: id === null ? 'employee has no id' : 'employee has an unexpected shape', dropped: true };
  }
  const e = parsed.data;
  const remoteId = e.id;
  const employment = ctx.employment(e.applicableEmployment?.id ?? null, remoteId);
  const job = ctx.job(e.applicableJobPosition?.id ?? null, remoteId, employment?.id ?? null);
  const personal = ctx.personal(remoteId);
  const firstName = cleanText(e.givenName);
  const lastName = cleanText(e.familyName);
  const workEmail = cleanText(e.email);
  const startDate = employment?.start ?? null;
  const terminationDate = employment?.end ?? null;
  const rawStatus = cleanText(e.status);
  return {
    employee: {
      remoteId,
      employeeNumber: cleanText(e.employeeNumber),
      workEmail,
      personalEmail: personal?.email ?? null,
      firstName,
      lastName,
      preferredName: null,
      displayName: displayNameOf({ firstName, lastName, preferredName: null, workEmail, remoteId }),
      status: applyDateRules(v5Status(rawStatus), { startDate, terminationDate }, ctx.today),
      rawStatus,
      startDate,
      terminationDate,
      managerRemoteId: job?.managerId ?? null,
      department: job?.department ?? null,
      team: null,
      workLocation: job?.location ?? null,
      jobTitle: job?.jobTitle ?? null,
      costCenters: [],
      bankAccount: personal?.bankAccount ?? null,
      updatedAt: latest(timestamp(e.lastUpdatedAt), employment?.lastUpdatedAt ?? null, job?.lastUpdatedAt ?? null),
      raw: { employee: e, employment, jobPosition: job },
    },
    manager: { remoteId: job?.managerId ?? null },
  };
}

/** `active`, `upcoming` (hired, not started), `deactivated` (left). v5 has no leave status. */
export function v5Status(raw: string | null): EmployeeStatus {
  switch (raw?.toLowerCase()) {
    case 'active':
      return 'active';
    case 'upcoming':
      return 'pending';
    case 'deactivated':
    case 'inactive':
      return 'inactive';
    default:
      return statusFromLabel(raw) ?? 'active';
  }
}

/** Either documented shape of `bankAccount`; an account identifier counts as an IBAN only when it is one. */
export function v5BankAccount(raw: unknown): BankAccount | null {
  const parsed = v5BankAccountSchema.safeParse(raw);
  if (!parsed.success) return null;
  const b = parsed.data;
  const identifier = cleanText(b.accountIdentifier)?.replace(/\s+/g, '').toUpperCase() ?? null;
  const iban = cleanText(b.iban)?.replace(/\s+/g, '').toUpperCase() ?? (identifier && /^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(identifier) ? identifier : null);
  const bic = cleanText(b.bic) ?? cleanText(b.bankIdentifier);
  const holder = cleanText(b.holder) ?? cleanText(b.accountHolder);
  if (!iban && !bic && !holder) return null;
  return { ...(iban ? { iban } : {}), ...(bic ? { bic } : {}), ...(holder ? { holder } : {}) };
}

/**
 * Each embedded department or establishment as a reference, built once per page: a page of 100
 * job positions names the same few units over and over, and the job positions share the one
 * (read-only) reference. Keyed by the embedded object itself.
 */
const embeddedRefs = new WeakMap<object, NamedRef | null>();

function embeddedRef(embedded: V5List['embedded'], type: string, id: string | undefined): NamedRef | null {
  if (!id) return null;
  const entry = embedded?.[type]?.[id];
  // Not embedded (or not visible): the id stands in for the name rather than dropping the reference.
  if (typeof entry !== 'object' || entry === null) return named({ id, name: null });
  let ref = embeddedRefs.get(entry);
  if (ref === undefined) {
    const found = v5NamedSchema.safeParse(entry);
    ref = named({ id, name: found.success ? (found.data.name ?? null) : null });
    embeddedRefs.set(entry, ref);
  }
  return ref;
}

const zoned = /[zZ]|[+-]\d{2}:?\d{2}$/;

/** An instant with its zone, as ISO UTC; one without a zone is ambiguous and dropped. */
function timestamp(value: unknown): string | null {
  const text = cleanText(value);
  if (text === null || !zoned.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** ISO UTC timestamps compare as strings. */
function latest(...stamps: Array<string | null>): string | null {
  let last: string | null = null;
  for (const s of stamps) if (s !== null && (last === null || s > last)) last = s;
  return last;
}
