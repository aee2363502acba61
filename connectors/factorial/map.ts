import type { BankAccount, EmployeeStatus, NamedRef, RecordError } from '../contract.js';
import type { Unresolved } from '../managers.js';
import { applyDateRules } from '../status.js';
import { cleanDate, cleanText, displayNameOf } from '../values.js';
import { employeeSchema, type ContractVersion, type FactorialEmployee } from './schema.js';

/** What a page of employees is mapped with: the contract, team and location lookups. */
export interface MapContext {
  today: string;
  /** The contract version in force for an employee id (see `currentVersion`). */
  contract(employeeId: string): ContractVersion | undefined;
  team(employeeId: string): NamedRef | null;
  locationName(locationId: string): string | null;
}

/** One `/resources/employees/employees` item → a normalised employee whose manager is an id. */
export function mapFactorialEmployee(raw: unknown, ctx: MapContext): Unresolved | RecordError {
  const parsed = employeeSchema.safeParse(raw);
  if (!parsed.success) return invalid(raw, `record does not look like a Factorial employee (${parsed.error.issues[0]?.path.join('.') || 'record'}: ${parsed.error.issues[0]?.message})`);
  const e = parsed.data;
  const remoteId = e.id;
  const contract = ctx.contract(remoteId);
  const startDate = cleanDate(contract?.starts_on) ?? cleanDate(e.seniority_calculation_date);
  const terminationDate = cleanDate(e.terminated_on);
  const firstName = cleanText(e.first_name);
  const lastName = cleanText(e.last_name);
  const preferredName = cleanText(e.preferred_name);
  const workEmail = cleanText(e.login_email) ?? cleanText(e.email);
  const base = factorialStatus(e.active ?? null, { startDate, terminationDate }, ctx.today);
  const locationId = e.location_id ?? null;

  return {
    employee: {
      remoteId,
      employeeNumber: cleanText(e.company_identifier),
      workEmail,
      personalEmail: cleanText(e.personal_email),
      firstName,
      lastName,
      preferredName,
      displayName: preferredName || !cleanText(e.full_name) ? displayNameOf({ firstName, lastName, preferredName, workEmail, remoteId }) : cleanText(e.full_name)!,
      status: applyDateRules(base, { startDate, terminationDate }, ctx.today),
      rawStatus: rawStatus(e),
      startDate,
      terminationDate,
      managerRemoteId: null,
      department: null,
      team: ctx.team(remoteId),
      workLocation: locationId === null ? null : { remoteId: locationId, name: ctx.locationName(locationId) ?? locationId },
      jobTitle: cleanText(contract?.job_title),
      costCenters: [],
      bankAccount: bankAccount(e),
      updatedAt: timestamp(e.updated_at),
      raw: raw as Record<string, unknown>,
    },
    manager: { remoteId: e.manager_id ?? null },
  };
}

/**
 * `active` is the lifecycle signal. A person being let go stays `active: true` with
 * `is_terminating` and a future `terminated_on` until that day. Sources disagree on future
 * starters (active, or not yet), so `active: false` with a start ahead and no termination reads
 * as pending. A hidden `active` (null, for an OAuth user) falls back to the dates alone.
 */
export function factorialStatus(active: boolean | null, dates: { startDate: string | null; terminationDate: string | null }, today: string): EmployeeStatus {
  const { startDate, terminationDate } = dates;
  if (active === true) return 'active';
  if (active === false) {
    if (terminationDate === null && startDate !== null && startDate > today) return 'pending';
    // A termination entered ahead of its date: employed until then, whatever the flag says.
    if (terminationDate !== null && terminationDate >= today) return 'active';
    return 'inactive';
  }
  return terminationDate !== null && terminationDate < today ? 'inactive' : 'active';
}

/**
 * The version in force today: the latest `effective_on` not after today. A scheduled change
 * (a promotion effective next month) is not yet the job title; a person whose only versions
 * lie ahead (a future starter) gets the earliest of them.
 */
export function currentVersion(versions: readonly ContractVersion[], today: string): ContractVersion | undefined {
  let current: ContractVersion | undefined;
  let upcoming: ContractVersion | undefined;
  for (const v of versions) {
    const from = cleanDate(v.effective_on) ?? cleanDate(v.starts_on) ?? '';
    if (from <= today) {
      const best = current ? (cleanDate(current.effective_on) ?? cleanDate(current.starts_on) ?? '') : undefined;
      if (best === undefined || from > best || (from === best && compareIds(v.id, current!.id) > 0)) current = v;
    } else {
      const soonest = upcoming ? (cleanDate(upcoming.effective_on) ?? cleanDate(upcoming.starts_on) ?? '') : undefined;
      if (soonest === undefined || from < soonest) upcoming = v;
    }
  }
  return current ?? upcoming;
}

/** Numeric ids compared as numbers of any length (ids outgrow 2^53). */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

function rawStatus(e: FactorialEmployee): string | null {
  if (e.active === null || e.active === undefined) return null;
  return `${e.active ? 'active' : 'inactive'}${e.is_terminating ? ', terminating' : ''}`;
}

/**
 * `bank_number` is an IBAN only when `bank_number_format` says so (or, with the format hidden
 * or absent, when it looks like one); a UK sort code and account number is not, and the
 * normalised account has no field for it. Factorial keeps no account holder.
 */
function bankAccount(e: FactorialEmployee): BankAccount | null {
  const number = cleanText(e.bank_number)?.replace(/\s+/g, '').toUpperCase() ?? null;
  const format = cleanText(e.bank_number_format)?.toLowerCase() ?? null;
  const isIban = number !== null && (format === 'iban' || (format === null && /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(number)));
  const bic = cleanText(e.swift_bic)?.replace(/\s+/g, '').toUpperCase() ?? null;
  const account: BankAccount = { ...(isIban ? { iban: number } : {}), ...(bic ? { bic } : {}) };
  return Object.keys(account).length ? account : null;
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
