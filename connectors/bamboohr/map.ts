import type { EmployeeStatus, NamedRef, RecordError } from '../contract.js';
import type { Unresolved } from '../managers.js';
import { applyDateRules, statusFromLabel } from '../status.js';
import { cleanDate, cleanText, displayNameOf } from '../values.js';
import { reportRowSchema } from './schema.js';

/**
 * One custom-report row → a normalised employee whose manager is still a reference.
 * Every value arrives as a string; "" and null both mean absent.
 */
export function mapReportRow(row: unknown, today: string): Unresolved | RecordError {
  const parsed = reportRowSchema.safeParse(row);
  if (!parsed.success || typeof row !== 'object' || row === null || Array.isArray(row)) {
    return { remoteId: null, code: 'invalid_record', reason: 'row has no employee id', dropped: true };
  }
  const r = row as Record<string, unknown>;
  const remoteId = parsed.data.id;
  const firstName = cleanText(r.firstName);
  const lastName = cleanText(r.lastName);
  const preferredName = cleanText(r.preferredName);
  const workEmail = cleanText(r.workEmail);
  const startDate = cleanDate(r.hireDate);
  const terminationDate = cleanDate(r.terminationDate);
  const status = cleanText(r.status);
  const employment = cleanText(r.employmentHistoryStatus);

  return {
    employee: {
      remoteId,
      employeeNumber: cleanText(r.employeeNumber),
      workEmail,
      personalEmail: cleanText(r.homeEmail),
      firstName,
      lastName,
      preferredName,
      displayName: displayNameOf({ firstName, lastName, preferredName, workEmail, remoteId }),
      status: applyDateRules(baseStatus(status, employment), { startDate, terminationDate }, today),
      rawStatus: [status, employment].filter((s) => s !== null).join(' / ') || null,
      startDate,
      terminationDate,
      managerRemoteId: null,
      department: named(r.department),
      team: null,
      workLocation: named(r.location),
      jobTitle: cleanText(r.jobTitle),
      costCenters: [],
      bankAccount: null,
      updatedAt: timestamp(r.lastChanged),
      raw: r,
    },
    // supervisorId is the manager's employeeNumber, not their id: never use it as a remote id.
    manager: {
      remoteId: cleanText(r.supervisorEId),
      employeeNumber: cleanText(r.supervisorId),
      workEmail: cleanText(r.supervisorEmail),
    },
  };
}

/**
 * `status` is Active/Inactive; employmentHistoryStatus is an account-defined list that may
 * say Terminated or "Leave of Absence" while status still says Active.
 */
export function baseStatus(status: string | null, employment: string | null): EmployeeStatus {
  if (status?.toLowerCase() === 'inactive') return 'inactive';
  return statusFromLabel(employment) ?? 'active';
}

/** Departments and locations are names in BambooHR; no ids to carry. */
function named(value: unknown): NamedRef | null {
  const name = cleanText(value);
  return name === null ? null : { name };
}

function timestamp(value: unknown): string | null {
  const text = cleanText(value);
  if (text === null) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
