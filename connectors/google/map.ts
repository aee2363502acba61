import type { EmployeeStatus, NamedRef, NormalisedEmployee, RecordError } from '../contract.js';
import type { ManagerRef } from '../managers.js';
import { summariseIssues } from '../http/json.js';
import { applyDateRules } from '../status.js';
import { cleanDate, cleanText, displayNameOf } from '../values.js';
import { directoryUserSchema, type DirectoryUser, type GoogleSettings } from './schema.js';

export interface MappedUser {
  employee: NormalisedEmployee;
  /** Google names the manager by email (`relations[type=manager]`); resolved after the read. */
  manager: ManagerRef;
}

const typeIs = (type: string) => (entry: { type?: string | undefined; customType?: string | undefined }) =>
  entry.type?.toLowerCase() === type || entry.customType?.toLowerCase() === type;

/**
 * One Directory user → a normalised employee. The Directory is not an HR system: a suspended or
 * archived account is a leaver, everyone else is active, and dates exist only when the account
 * keeps them in a custom schema (`settings.dates`). Absent keys mean "empty" (Google omits them).
 */
export function mapGoogleUser(raw: unknown, today: string, dates?: GoogleSettings['dates']): MappedUser | RecordError {
  const parsed = directoryUserSchema.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null ? cleanText((raw as Record<string, unknown>).id) : null;
    return { remoteId: id, code: 'invalid_record', reason: `user has an unexpected shape: ${summariseIssues(parsed.error.issues)}`, dropped: true };
  }
  const u = parsed.data;
  const remoteId = cleanText(u.id);
  if (remoteId === null) return { remoteId: null, code: 'invalid_record', reason: 'user has no id', dropped: true };

  const org = primaryOrganization(u);
  const workEmail = cleanText(u.primaryEmail);
  const firstName = cleanText(u.name?.givenName);
  const lastName = cleanText(u.name?.familyName);
  const custom = dates ? u.customSchemas?.[dates.schema] : undefined;
  const startDate = dates?.startField ? cleanDate(custom?.[dates.startField]) : null;
  const terminationDate = dates?.terminationField ? cleanDate(custom?.[dates.terminationField]) : null;
  const base: EmployeeStatus = u.archived || u.suspended ? 'inactive' : 'active';
  const department = cleanText(org?.department);
  const costCenter = cleanText(org?.costCenter);
  const orgUnit = cleanText(u.orgUnitPath);

  const employee: NormalisedEmployee = {
    remoteId,
    employeeNumber: cleanText(u.externalIds?.find(typeIs('organization'))?.value),
    workEmail,
    personalEmail: personalEmailOf(u),
    firstName,
    lastName,
    preferredName: null,
    displayName: cleanText(u.name?.displayName) ?? displayNameOf({ firstName, lastName, preferredName: null, workEmail, remoteId }),
    status: applyDateRules(base, { startDate, terminationDate }, today),
    rawStatus: u.archived ? 'archived' : u.suspended ? `suspended${u.suspensionReason ? ` (${u.suspensionReason})` : ''}` : 'active',
    startDate,
    terminationDate,
    managerRemoteId: null,
    department: department === null ? null : { name: department },
    // The org unit is the Directory's only structure with an identity: scope rules use its path.
    team: orgUnit === null || orgUnit === '/' ? null : { remoteId: orgUnit, name: orgUnit.split('/').filter(Boolean).at(-1) ?? orgUnit },
    workLocation: locationOf(u),
    jobTitle: cleanText(org?.title),
    costCenters: costCenter === null ? [] : [{ name: costCenter, weight: 100 }],
    bankAccount: null,
    updatedAt: null,
    raw: raw as Record<string, unknown>,
  };
  return { employee, manager: { workEmail: cleanText(u.relations?.find(typeIs('manager'))?.value) } };
}

function primaryOrganization(u: DirectoryUser) {
  return u.organizations?.find((o) => o.primary) ?? u.organizations?.[0];
}

/** `emails[type=home]` (the documented place) or `recoveryEmail` (where many accounts keep it). */
function personalEmailOf(u: DirectoryUser): string | null {
  return cleanText(u.emails?.find(typeIs('home'))?.address) ?? cleanText(u.recoveryEmail);
}

/** The desk's building (with its floor) or, for accounts without buildings, the organization's location. */
function locationOf(u: DirectoryUser): NamedRef | null {
  const desk = u.locations?.find(typeIs('desk')) ?? u.locations?.[0];
  const building = cleanText(desk?.buildingId);
  if (building !== null) return { remoteId: building, name: building };
  const place = cleanText(primaryOrganization(u)?.location) ?? cleanText(u.organizations?.find((o) => cleanText(o.location) !== null)?.location);
  return place === null ? null : { name: place };
}
