import { z } from 'zod';
import type { EmployeeStatus, NamedRef, NormalisedEmployee, RecordError } from '../contract.js';
import type { Unresolved } from '../managers.js';
import { applyDateRules, statusFromLabel } from '../status.js';
import { cleanText, displayNameOf } from '../values.js';
import { workdayDate } from './map.js';
import type { RaasColumns } from './schema.js';

/**
 * A RaaS report as JSON: `{"Report_Entry": [...]}`. A report with one row may come back as an
 * object rather than a list, and an empty one without the key (?): both are read.
 */
export const reportSchema = z.looseObject({
  Report_Entry: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).nullish(),
});

export function entriesOf(report: z.output<typeof reportSchema>): unknown[] {
  const e = report.Report_Entry;
  if (e === null || e === undefined) return [];
  return Array.isArray(e) ? e : [e];
}

/**
 * One cell as text. Report fields that are references come as `{"Descriptor": …, "ID": …}` (or a
 * list of them for multi-instance fields, the first counting); plain fields as strings, numbers
 * or booleans.
 */
export function cellText(value: unknown): string | null {
  if (Array.isArray(value)) return cellText(value[0]);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'object' && value !== null) {
    const r = value as Record<string, unknown>;
    return cleanText(r.Descriptor ?? r.descriptor ?? r.ID ?? r.WID ?? r.id);
  }
  return cleanText(value);
}

/** A reference cell's id, when the report gives one (`{"ID": …}`), for org units. */
function cellId(value: unknown): string | null {
  if (Array.isArray(value)) return cellId(value[0]);
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  return cleanText(r.ID ?? r.WID ?? r.id);
}

function named(value: unknown): NamedRef | null {
  const name = cellText(value);
  if (!name) return null;
  const id = cellId(value);
  return id && id !== name ? { remoteId: id, name } : { name };
}

/** `1`/`0`, `true`/`false`, yes/no; undefined when the cell is empty or says something else. */
function flag(text: string | null): boolean | undefined {
  if (text === null) return undefined;
  const t = text.toLowerCase();
  if (t === '1' || t === 'true' || t === 'yes' || t === 'y') return true;
  if (t === '0' || t === 'false' || t === 'no' || t === 'n') return false;
  return undefined;
}

/** The status column as a flag (Active_Status 1/0) or a label ("Active", "Terminated", "On Leave"). */
export function raasStatus(statusCell: string | null, onLeaveCell: string | null, hireDate: string | null, today: string): EmployeeStatus {
  if (flag(onLeaveCell) === true) return 'leave';
  const active = flag(statusCell);
  if (active === true) return 'active';
  if (active === false) return hireDate !== null && hireDate > today ? 'pending' : 'inactive';
  // A label that says nothing about the lifecycle (or no status column) reads as employed.
  return statusFromLabel(statusCell) ?? 'active';
}

export function mapReportEntry(raw: unknown, columns: RaasColumns, today: string): Unresolved | RecordError {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { remoteId: null, code: 'invalid_record', reason: 'report row is not an object', dropped: true };
  const row = raw as Record<string, unknown>;
  const remoteId = cellText(row[columns.id]);
  if (!remoteId) return { remoteId: null, code: 'invalid_record', reason: `report row has no ${columns.id}`, dropped: true };
  const firstName = cellText(row[columns.firstName]);
  const lastName = cellText(row[columns.lastName]);
  const preferred = cellText(row[columns.preferredName]);
  const preferredName = preferred !== null && preferred !== firstName ? preferred : null;
  const workEmail = cellText(row[columns.workEmail]);
  const startDate = workdayDate(cellText(row[columns.hireDate]));
  let terminationDate = workdayDate(cellText(row[columns.terminationDate]));
  if (terminationDate !== null && startDate !== null && terminationDate < startDate) terminationDate = null;
  const rawStatus = cellText(row[columns.status]);
  const onLeave = cellText(row[columns.onLeave]);
  const status = applyDateRules(raasStatus(rawStatus, onLeave, startDate, today), { startDate, terminationDate }, today);
  const costCenter = named(row[columns.costCenter]);
  const managerKey = cellText(row[columns.managerId]);
  const employee: NormalisedEmployee = {
    remoteId,
    employeeNumber: cellText(row[columns.employeeId]),
    workEmail,
    personalEmail: cellText(row[columns.personalEmail]),
    firstName,
    lastName,
    preferredName,
    displayName: displayNameOf({ firstName, lastName, preferredName, workEmail, remoteId }),
    status,
    rawStatus: flag(onLeave) === true ? [rawStatus, 'On Leave'].filter(Boolean).join(', ') : rawStatus,
    startDate,
    terminationDate,
    managerRemoteId: null,
    department: named(row[columns.department]),
    team: null,
    workLocation: named(row[columns.location]),
    jobTitle: cellText(row[columns.jobTitle]),
    costCenters: costCenter ? [{ ...costCenter, weight: 100 }] : [],
    bankAccount: null,
    updatedAt: null,
    raw: row,
  };
  // The manager column holds an Employee_ID, or the same kind of id as the id column.
  const manager = managerKey === null ? {} : columns.id === columns.employeeId ? { remoteId: managerKey } : { employeeNumber: managerKey };
  return { employee, manager };
}

/** Report columns the first rows never carry: a report without them leaves those fields empty. */
export function missingColumns(rows: readonly unknown[], columns: RaasColumns): string[] {
  const sample = rows.slice(0, 50).filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  if (sample.length === 0) return [];
  return [...new Set(Object.values(columns))].filter((c) => !sample.some((r) => c in r));
}
