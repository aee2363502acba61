import type { EmployeeStatus, NamedRef, RecordError } from '../contract.js';
import type { Unresolved } from '../managers.js';
import { applyDateRules, statusFromLabel } from '../status.js';
import { cleanText, displayNameOf } from '../values.js';
import { hibobDate, readField, readHuman, readListItem } from './read.js';
import { reportsToSchema } from './schema.js';

/** One `/people/search` result → a normalised employee whose manager is still a reference. */
export function mapHibobEmployee(raw: unknown, today: string): Unresolved | RecordError {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return invalid('record is not an object');
  const r = raw as Record<string, unknown>;
  const remoteId = cleanText(readField(r, 'root.id'));
  if (remoteId === null) return invalid('record has no id');

  const firstName = cleanText(readField(r, 'root.firstName'));
  const lastName = cleanText(readField(r, 'root.surname'));
  const workEmail = cleanText(readField(r, 'root.email'));
  const startDate = hibobDate(readField(r, 'work.startDate'));
  const terminationDate = hibobDate(readField(r, 'internal.terminationDate'));
  // Display forms ("Terminated"), as an admin sees them in HiBob; the rules below ignore case.
  const status = cleanText(readHuman(r, 'internal.status'));
  const lifecycle = cleanText(readHuman(r, 'internal.lifecycleStatus'));
  const name = { firstName, lastName, preferredName: null, workEmail, remoteId };

  return {
    employee: {
      remoteId,
      employeeNumber: cleanText(readField(r, 'work.employeeIdInCompany')),
      workEmail,
      personalEmail: cleanText(readField(r, 'home.privateEmail')),
      firstName,
      lastName,
      preferredName: null,
      displayName: cleanText(readField(r, 'root.displayName')) ?? displayNameOf(name),
      status: applyDateRules(hibobStatus(status, lifecycle, startDate, today), { startDate, terminationDate }, today),
      rawStatus: [status, lifecycle].filter((s) => s !== null).join(' / ') || null,
      startDate,
      terminationDate,
      managerRemoteId: null,
      department: listItem(r, 'work.department'),
      team: null,
      workLocation: site(r),
      jobTitle: cleanText(readHuman(r, 'work.title')),
      costCenters: [],
      bankAccount: null,
      updatedAt: null,
      raw: r,
    },
    manager: managerRef(r),
  };
}

/**
 * `internal.lifecycleStatus` is the finer signal (hired, employed, garden leave, terminated,
 * and leave statuses such as "parental leave"); `internal.status` (Active/Inactive) decides
 * only when the lifecycle is absent or unknown. A "hired" person whose start date has passed
 * has started: HiBob flips the lifecycle overnight, and we should not lag behind it.
 */
export function hibobStatus(status: string | null, lifecycle: string | null, startDate: string | null, today: string): EmployeeStatus {
  const l = lifecycle?.toLowerCase().replace(/[_-]+/g, ' ').trim();
  if (l) {
    if (l === 'terminated') return 'inactive';
    if (l === 'hired') return startDate === null || startDate > today ? 'pending' : 'active';
    if (l === 'employed') return status?.toLowerCase() === 'inactive' ? 'inactive' : 'active';
    if (/\bleave\b/.test(l)) return 'leave';
    const byWords = statusFromLabel(l);
    if (byWords) return byWords;
  }
  return status?.toLowerCase() === 'inactive' ? 'inactive' : 'active';
}

/**
 * `work.reportsTo.id` is the manager's id. `work.manager` is too in machine form, but under
 * `humanReadable: REPLACE` it may arrive as a display name, so it is only trusted when it
 * looks like a HiBob id (digits); the reportsTo email is the fallback key.
 */
function managerRef(r: Record<string, unknown>): Unresolved['manager'] {
  const reportsTo = reportsToSchema.safeParse(readField(r, 'work.reportsTo'));
  const viaReportsTo = reportsTo.success ? cleanText(reportsTo.data.id) : null;
  const manager = cleanText(readField(r, 'work.manager'));
  return {
    remoteId: viaReportsTo ?? (manager !== null && /^\d+$/.test(manager) ? manager : null),
    workEmail: reportsTo.success ? cleanText(reportsTo.data.email) : null,
  };
}

/** The site's numeric id (`work.siteId`) is the stable one; the list item id is the fallback. */
function site(r: Record<string, unknown>): NamedRef | null {
  const item = listItem(r, 'work.site');
  if (item === null) return null;
  const remoteId = cleanText(readField(r, 'work.siteId')) ?? item.remoteId ?? null;
  return remoteId === null ? { name: item.name } : { remoteId, name: item.name };
}

function listItem(r: Record<string, unknown>, path: string): NamedRef | null {
  const { id, name } = readListItem(r, path);
  const label = cleanText(name);
  if (label === null) return null;
  const remoteId = cleanText(id);
  return remoteId === null ? { name: label } : { remoteId, name: label };
}

function invalid(reason: string): RecordError {
  return { remoteId: null, code: 'invalid_record', reason, dropped: true };
}
