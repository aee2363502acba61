import type { EmployeeStatus, NamedRef, NormalisedEmployee, RecordError } from '../contract.js';
import { applyDateRules, statusFromLabel } from '../status.js';
import { cleanDate, cleanText, displayNameOf } from '../values.js';
import { deelEmailSchema, deelEmploymentSchema, deelManagerSchema, deelPersonSchema, type DeelEmployment, type DeelPerson } from './schema.js';

/** How a person names their manager: the HRIS profile id when given, else the worker id or email. */
export interface DeelManagerRef {
  remoteId: string | null;
  workerId: string | null;
  workEmail: string | null;
}

export interface MappedPerson {
  employee: NormalisedEmployee;
  manager: DeelManagerRef;
  /** The person's own `worker_id`, the key a manager reference may use. */
  workerId: string | null;
}

/** One `GET /people` item → a normalised employee whose manager may still be a reference. */
export function mapDeelPerson(raw: unknown, today: string): MappedPerson | RecordError {
  const parsed = deelPersonSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null ? cleanText((raw as { id?: unknown }).id) : null;
    return { remoteId: id, code: 'invalid_record', reason: id ? 'person record has an unexpected shape' : 'person has no id', dropped: true };
  }
  const p = parsed.data;
  const remoteId = p.id.trim();
  const employments = parseEmployments(p.employments ?? []);
  const employment = pickEmployment(employments, today);
  const firstName = cleanText(p.first_name);
  const lastName = cleanText(p.last_name);
  const preferredName = cleanText(p.preferred_first_name);
  const workEmail = emailOf(p, 'work') ?? cleanText(employment?.work_email) ?? employments.map((e) => cleanText(e.work_email)).find((e) => e !== null) ?? null;
  const startDate = cleanDate(employment?.start_date) ?? cleanDate(p.start_date);
  const terminationDate = terminationOf(p, employment, startDate);
  const rawStatus = rawStatusOf(p, employment);
  const base = deelStatus(p, employment);
  const name = displayNameOf({ firstName, lastName, preferredName, workEmail, remoteId });

  return {
    employee: {
      remoteId,
      employeeNumber: cleanText(p.external_id) ?? cleanText(p.worker_id),
      workEmail,
      personalEmail: emailOf(p, 'personal'),
      firstName,
      lastName,
      preferredName,
      displayName: firstName === null && lastName === null && preferredName === null ? (cleanText(p.full_name) ?? name) : name,
      status: applyDateRules(base, { startDate, terminationDate }, today),
      rawStatus,
      startDate,
      terminationDate,
      managerRemoteId: null,
      department: named(p.department),
      team: named(employment?.team),
      workLocation: named(p.work_location) ?? named(p.country),
      jobTitle: cleanText(p.job_title) ?? cleanText(employment?.job_title),
      costCenters: [],
      bankAccount: null,
      updatedAt: timestamp(p.updated_at),
      raw: p,
    },
    manager: managerRef(p.direct_manager),
    workerId: cleanText(p.worker_id),
  };
}

/**
 * `hiring_status`: active; onboarding → pending; offboarding → still active (the end date
 * decides, via the date rules); inactive. Older or other payloads carry the state elsewhere:
 * `new_hiring_status` (e.g. onboarding_overdue), `person_status` (ACTIVE/INACTIVE), `state`.
 */
export function deelStatus(p: Pick<DeelPerson, 'hiring_status' | 'new_hiring_status' | 'person_status' | 'state'>, employment: DeelEmployment | null): EmployeeStatus {
  for (const value of [p.hiring_status, p.new_hiring_status, employment?.hiring_status, p.person_status, p.state]) {
    const status = fromWord(cleanText(value));
    if (status) return status;
  }
  if (employment && isEnded(employment)) return 'inactive';
  return 'active';
}

function fromWord(value: string | null): EmployeeStatus | undefined {
  if (value === null) return undefined;
  const v = value.toLowerCase().replace(/[\s-]+/g, '_');
  if (v === 'active' || v.startsWith('offboarding')) return 'active';
  if (v.startsWith('onboarding')) return 'pending';
  if (v === 'inactive' || v === 'terminated' || v === 'offboarded') return 'inactive';
  return statusFromLabel(value.replace(/_/g, ' '));
}

function rawStatusOf(p: DeelPerson, employment: DeelEmployment | null): string | null {
  const values = [p.hiring_status, p.new_hiring_status, p.person_status, employment?.contract_status].map(cleanText);
  const distinct = [...new Set(values.filter((v): v is string => v !== null))];
  return distinct.length ? distinct.join(' / ') : null;
}

/**
 * A person may hold several employments (contracts), each with its own status, team and end.
 * The one that decides is a contract that has not ended, the latest-starting if several;
 * when all have ended, the one that ended last (it carries the leaving date).
 */
export function currentEmployment(items: readonly unknown[], today: string): DeelEmployment | null {
  return pickEmployment(parseEmployments(items), today);
}

/** Malformed entries are skipped: one odd contract never drops the person. */
function parseEmployments(items: readonly unknown[]): DeelEmployment[] {
  const out: DeelEmployment[] = [];
  for (const item of items) {
    const parsed = deelEmploymentSchema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

function pickEmployment(parsed: readonly DeelEmployment[], today: string): DeelEmployment | null {
  const open = parsed.filter((e) => !isEnded(e) && !(cleanDate(e.termination_last_day) !== null && cleanDate(e.termination_last_day)! < today));
  const pool = open.length ? open : parsed;
  const key = (e: DeelEmployment) => (open.length ? cleanDate(e.start_date) : cleanDate(e.termination_last_day) ?? cleanDate(e.start_date)) ?? '';
  let best: DeelEmployment | null = null;
  for (const e of pool) if (best === null || key(e) > key(best)) best = e;
  return best;
}

function isEnded(e: DeelEmployment): boolean {
  if (e.is_ended === true) return true;
  return /^(completed|terminated|cancell?ed|ended|inactive|offboarded)$/i.test(e.contract_status ?? '');
}

/**
 * The last working day, from the current contract, else the direct-employee field. A date
 * before the current contract's start belongs to an earlier contract (a re-hire): not a leave.
 */
function terminationOf(p: DeelPerson, employment: DeelEmployment | null, startDate: string | null): string | null {
  const date = cleanDate(employment?.termination_last_day) ?? cleanDate(p.direct_employee_termination_last_day);
  if (date !== null && startDate !== null && date < startDate) return null;
  return date;
}

function emailOf(p: DeelPerson, type: 'work' | 'personal'): string | null {
  const matches: Array<{ value: string; primary: boolean }> = [];
  for (const raw of p.emails ?? []) {
    const e = deelEmailSchema.safeParse(raw);
    const value = e.success ? cleanText(e.data.value) : null;
    if (value !== null && e.data?.type?.toLowerCase() === type) matches.push({ value, primary: e.data.primary === true });
  }
  if (matches.length) return (matches.find((m) => m.primary) ?? matches[0]!).value;
  // Flat fields some payloads (and the OpenAPI file's examples) carry instead of the list.
  return cleanText((p as Record<string, unknown>)[`${type}_email`]);
}

/**
 * `direct_manager` is an object with the manager's profile id (and worker id, email, names);
 * a bare string or number is read as the profile id.
 */
export function managerRef(value: unknown): DeelManagerRef {
  if (typeof value === 'string' || typeof value === 'number') return { remoteId: cleanText(value), workerId: null, workEmail: null };
  const m = deelManagerSchema.safeParse(value);
  if (!m.success) return { remoteId: null, workerId: null, workEmail: null };
  return { remoteId: cleanText(m.data.id), workerId: cleanText(m.data.worker_id), workEmail: cleanText(m.data.work_email) };
}

/** A department, team or location: an object `{id, name}` or a plain name. */
export function named(value: unknown): NamedRef | null {
  if (typeof value === 'string') {
    const name = cleanText(value);
    return name === null ? null : { name };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const remoteId = cleanText(v.id);
  const name = cleanText(v.name) ?? cleanText(v.city) ?? cleanText(v.country) ?? remoteId;
  if (name === null) return null;
  return remoteId === null ? { name } : { remoteId, name };
}

/** An ISO timestamp normalised to UTC, or null when absent or unparseable. */
export function timestamp(raw: unknown): string | null {
  const text = cleanText(raw);
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
