import type { BankAccount, EmployeeStatus, NamedRef, NormalisedEmployee, RecordError } from '../contract.js';
import type { Unresolved } from '../managers.js';
import { summariseIssues } from '../http/json.js';
import { applyDateRules, statusFromLabel } from '../status.js';
import { cleanDate, cleanText, displayNameOf } from '../values.js';
import { personSchema, type HumaansBankAccount, type HumaansJobRole } from './schema.js';

export interface MapContext {
  today: string;
  /** Every job role row of a person (any order); undefined when job roles could not be read. */
  roles(personId: string): readonly HumaansJobRole[] | undefined;
  locationLabel(locationId: string): string | null;
  bankAccount(personId: string): HumaansBankAccount | undefined;
}

/**
 * Humaans' own statuses: `active`, `newHire` (signed, not started) and `offboarded`. A future
 * leaver stays `active` with a future `employmentEndDate`; leave only exists as time-away.
 */
export function statusOf(raw: string | null): EmployeeStatus {
  switch ((raw ?? '').replace(/[\s_-]/g, '').toLowerCase()) {
    case 'active':
      return 'active';
    case 'newhire':
      return 'pending';
    case 'offboarded':
      return 'inactive';
    default:
      return statusFromLabel(raw) ?? 'active';
  }
}

/**
 * The job role in force today: `effectiveDate ≤ today` and `endDate` empty or not yet passed,
 * the latest such; else the first one still to come (a future starter's); else the last one.
 */
export function currentRole(rows: readonly HumaansJobRole[], today: string): HumaansJobRole | null {
  const dated = rows.map((r) => ({ r, from: cleanDate(r.effectiveDate), to: cleanDate(r.endDate) }));
  const byFrom = (a: { from: string | null }, b: { from: string | null }) => (a.from ?? '').localeCompare(b.from ?? '');
  const inForce = dated.filter((d) => (d.from === null || d.from <= today) && (d.to === null || d.to >= today)).sort(byFrom);
  if (inForce.length) return inForce.at(-1)!.r;
  const future = dated.filter((d) => d.from !== null && d.from > today).sort(byFrom);
  if (future.length) return future[0]!.r;
  return dated.sort(byFrom).at(-1)?.r ?? null;
}

export function mapHumaansPerson(raw: unknown, ctx: MapContext): Unresolved | RecordError {
  const parsed = personSchema.safeParse(raw);
  if (!parsed.success) {
    const remoteId = typeof raw === 'object' && raw !== null ? cleanText((raw as Record<string, unknown>).id) : null;
    return { remoteId, code: 'invalid_record', reason: `person does not match the Humaans schema: ${summariseIssues(parsed.error.issues)}`, dropped: true };
  }
  const p = parsed.data;
  const remoteId = cleanText(p.id);
  if (remoteId === null) return { remoteId: null, code: 'invalid_record', reason: 'person has no id', dropped: true };

  const startDate = cleanDate(p.employmentStartDate) ?? cleanDate(p.firstWorkingDay);
  let terminationDate = cleanDate(p.employmentEndDate) ?? cleanDate(p.lastWorkingDay);
  // An end date before the start belongs to an earlier employment (a re-hire kept it).
  if (terminationDate !== null && startDate !== null && terminationDate < startDate) terminationDate = null;
  const rawStatus = cleanText(p.status);
  const status = applyDateRules(statusOf(rawStatus), { startDate, terminationDate }, ctx.today);

  const roles = ctx.roles(remoteId);
  const role = roles ? currentRole(roles, ctx.today) : null;
  const firstName = cleanText(p.firstName);
  const lastName = cleanText(p.lastName);
  const preferredName = cleanText(p.preferredName);
  const workEmail = cleanText(p.email);
  const managerRemoteId = cleanText(role?.reportingTo);

  const employee: NormalisedEmployee = {
    remoteId,
    employeeNumber: cleanText(p.employeeId),
    workEmail,
    personalEmail: cleanText(p.personalEmail),
    firstName,
    lastName,
    preferredName,
    displayName: displayNameOf({ firstName, lastName, preferredName, workEmail, remoteId }),
    status,
    rawStatus,
    startDate,
    terminationDate,
    managerRemoteId,
    department: named(typeof role?.department === 'object' && role.department !== null ? role.department.name : role?.department),
    team: teamOf(p.teams),
    workLocation: locationOf(p.locationId, p.remoteCity, p.remoteCountryCode, ctx),
    jobTitle: cleanText(role?.jobTitle),
    costCenters: [],
    bankAccount: bankOf(ctx.bankAccount(remoteId)),
    updatedAt: timestamp(p.updatedAt),
    raw: raw as Record<string, unknown>,
  };
  return { employee, manager: { remoteId: managerRemoteId } };
}

/** `teams: [{name}]`; the first named one is the person's team. */
function teamOf(teams: readonly unknown[] | null | undefined): NamedRef | null {
  for (const t of teams ?? []) {
    if (typeof t === 'string') {
      const name = cleanText(t);
      if (name) return { name };
    } else if (typeof t === 'object' && t !== null) {
      const r = t as Record<string, unknown>;
      const name = cleanText(r.name);
      if (!name) continue;
      const remoteId = cleanText(r.id);
      return remoteId ? { remoteId, name } : { name };
    }
  }
  return null;
}

/** An office by its `/locations` label; a remote worker by city and country. */
function locationOf(locationId: string | null, city: unknown, country: unknown, ctx: MapContext): NamedRef | null {
  if (locationId !== null) {
    const label = ctx.locationLabel(locationId);
    return label ? { remoteId: locationId, name: label } : null;
  }
  const name = [cleanText(city), cleanText(country)].filter(Boolean).join(', ');
  return name ? { name: `Remote (${name})` } : null;
}

function bankOf(account: HumaansBankAccount | undefined): BankAccount | null {
  if (!account) return null;
  const iban = (cleanText(account.iban) ?? cleanText(account.accountNumber))?.replace(/\s+/g, '').toUpperCase();
  const bic = (cleanText(account.swiftCode) ?? cleanText(account.bic))?.replace(/\s+/g, '').toUpperCase();
  const holder = cleanText(account.nameOnAccount);
  if (!iban && !bic) return null;
  return { ...(iban ? { iban } : {}), ...(bic ? { bic } : {}), ...(holder ? { holder } : {}) };
}

function named(value: unknown): NamedRef | null {
  const name = cleanText(value);
  return name === null ? null : { name };
}

function timestamp(value: unknown): string | null {
  const text = cleanText(value);
  if (text === null) return null;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : null;
}
