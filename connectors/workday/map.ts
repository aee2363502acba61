import type { EmployeeStatus, NamedRef, NormalisedEmployee, RecordError } from '../contract.js';
import type { Unresolved } from '../managers.js';
import { applyDateRules } from '../status.js';
import { cleanDate, cleanText, displayNameOf } from '../values.js';
import { costCentersOf, departmentOf, managerOf, organizationsOf, primaryJob } from './positions.js';
import { child, children, attr, idsOf, isTrue, textAt, textOf, type XmlNode } from './xml.js';

/** Workday dates carry an offset (`2000-01-01-08:00`, `2000-01-01Z`): the date is as HR entered it. */
export function workdayDate(value: unknown): string | null {
  const text = cleanText(textOf(value));
  return text === null ? null : cleanDate(text.slice(0, 10));
}

export interface WorkerStatus {
  status: EmployeeStatus;
  rawStatus: string;
}

/**
 * `Worker_Status_Data` flags: Terminated → inactive, On_Leave (directly or in Leave_Status_Data)
 * → leave, Active → active; neither active nor terminated is a pre-hire (pending) when the hire
 * date is ahead, else inactive. The date rules then apply: a hire date ahead makes an active
 * worker pending, a termination date ahead keeps a terminated one employed until then.
 */
export function statusOf(statusData: XmlNode | undefined, hireDate: string | null, today: string): WorkerStatus {
  const terminated = isTrue(statusData?.Terminated);
  const onLeave = isTrue(statusData?.On_Leave) || children(statusData, 'Leave_Status_Data').some((l) => isTrue((l as XmlNode).On_Leave));
  const active = isTrue(statusData?.Active);
  if (terminated) return { status: 'inactive', rawStatus: 'Terminated' };
  if (onLeave) return { status: 'leave', rawStatus: 'On Leave' };
  if (active) return { status: 'active', rawStatus: 'Active' };
  if (hireDate !== null && hireDate > today) return { status: 'pending', rawStatus: 'Pre-hire' };
  return { status: 'inactive', rawStatus: 'Inactive' };
}

/** The work (else first) email of a usage type: WORK or HOME, the one marked primary first. */
export function emailOf(contact: XmlNode | undefined, usage: 'WORK' | 'HOME'): string | null {
  let fallback: string | null = null;
  for (const entry of children(contact, 'Email_Address_Data')) {
    const address = cleanText(textAt(entry, 'Email_Address'));
    if (!address) continue;
    const types = children(child(entry, 'Usage_Data'), 'Type_Data');
    const matching = types.filter((t) => (idsOf(child(t, 'Type_Reference')).get('Communication_Usage_Type_ID') ?? '').toUpperCase() === usage);
    if (matching.length === 0) continue;
    if (matching.some((t) => isTrue(attr(t, 'Primary')))) return address;
    fallback ??= address;
  }
  return fallback;
}

export function mapWorker(raw: unknown, today: string): Unresolved | RecordError {
  if (typeof raw !== 'object' || raw === null) return { remoteId: null, code: 'invalid_record', reason: 'worker is not an element with content', dropped: true };
  const worker = raw as XmlNode;
  const ids = idsOf(child(worker, 'Worker_Reference'));
  const data = child(worker, 'Worker_Data');
  const remoteId = ids.get('WID') ?? null;
  const employeeNumber = cleanText(ids.get('Employee_ID') ?? ids.get('Contingent_Worker_ID') ?? textAt(data, 'Worker_ID'));
  if (!remoteId) {
    return { remoteId: employeeNumber, code: 'invalid_record', reason: 'worker has no WID in Worker_Reference (is Include_Reference granted?)', dropped: true };
  }
  if (!data) return { remoteId, code: 'invalid_record', reason: 'worker has no Worker_Data', dropped: true };

  const personal = child(data, 'Personal_Data');
  const legal = child(personal, 'Name_Data', 'Legal_Name_Data', 'Name_Detail_Data');
  const preferred = child(personal, 'Name_Data', 'Preferred_Name_Data', 'Name_Detail_Data');
  const firstName = cleanText(textAt(legal, 'First_Name'));
  const lastName = cleanText(textAt(legal, 'Last_Name'));
  // Workday copies the legal name into the preferred one when there is none.
  const preferredFirst = cleanText(textAt(preferred, 'First_Name'));
  const preferredName = preferredFirst !== null && preferredFirst !== firstName ? preferredFirst : null;
  const contact = child(personal, 'Contact_Data');
  const workEmail = emailOf(contact, 'WORK');

  const employment = child(data, 'Employment_Data');
  const statusData = child(employment, 'Worker_Status_Data');
  const startDate = workdayDate(statusData?.Hire_Date) ?? workdayDate(statusData?.Original_Hire_Date);
  let terminationDate = workdayDate(statusData?.Termination_Date);
  // A termination before the (latest) hire belongs to an earlier employment: a re-hire keeps it.
  if (terminationDate !== null && startDate !== null && terminationDate < startDate) terminationDate = null;
  const { status: base, rawStatus } = statusOf(statusData, startDate, today);
  const status = applyDateRules(base, { startDate, terminationDate }, today);

  const job = primaryJob(children(employment, 'Worker_Job_Data'));
  const position = child(job, 'Position_Data');
  const orgs = organizationsOf(job, data);
  const department = departmentOf(orgs);
  const manager = managerOf(job, data, department?.remoteId ?? null, { remoteId, employeeNumber });

  const employee: NormalisedEmployee = {
    remoteId,
    employeeNumber,
    workEmail,
    personalEmail: emailOf(contact, 'HOME'),
    firstName,
    lastName,
    preferredName,
    displayName: displayNameOf({ firstName, lastName, preferredName, workEmail, remoteId }),
    status,
    rawStatus,
    startDate,
    terminationDate,
    managerRemoteId: manager.remoteId ?? null,
    department,
    team: null,
    workLocation: locationOf(position),
    jobTitle: cleanText(textAt(position, 'Business_Title')) ?? cleanText(textAt(position, 'Position_Title')) ?? cleanText(textAt(position, 'Job_Profile_Summary_Data', 'Job_Profile_Name')),
    costCenters: costCentersOf(orgs),
    bankAccount: null,
    updatedAt: null,
    raw: worker,
  };
  return { employee, manager };
}

function locationOf(position: XmlNode | undefined): NamedRef | null {
  const site = child(position, 'Business_Site_Summary_Data');
  const name = cleanText(textAt(site, 'Name'));
  if (!name) return null;
  const id = idsOf(child(site, 'Location_Reference')).get('Location_ID');
  return id ? { remoteId: id, name } : { name };
}
