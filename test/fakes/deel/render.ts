import type { FakeDeelCompany, FakeDeelEmployment, FakeDeelPerson } from './company.js';

/** How the fake names a manager: as the reference documents, or without the profile id. */
export type ManagerForm = 'full' | 'worker_id' | 'email';

export interface RenderOptions {
  managerForm: ManagerForm;
  /** Top-level keys the token may not see, left out of every record. */
  hidden: ReadonlySet<string>;
}

const ts = (date: string | null) => (date === null ? null : `${date}T00:00:00.000Z`);
const fullName = (p: FakeDeelPerson) => `${p.firstName} ${p.lastName}`;

/** One person as `GET /people` lists them (fields as in the reference's schema). */
export function renderPerson(company: FakeDeelCompany, p: FakeDeelPerson, options: RenderOptions): Record<string, unknown> {
  const manager = p.managerId ? company.get(p.managerId) : undefined;
  const emails: Array<{ type: string; value: string }> = [];
  if (p.workEmail && !p.workEmailOnEmployment) emails.push({ type: 'work', value: p.workEmail });
  if (p.personalEmail) emails.push({ type: 'personal', value: p.personalEmail });
  const lastDays = p.employments.map((e) => e.terminationLastDay).filter((d): d is string => d !== null).sort();
  const out: Record<string, unknown> = {
    id: p.id,
    worker_id: p.workerId,
    external_id: p.externalId,
    first_name: p.firstName,
    last_name: p.lastName,
    preferred_first_name: p.preferredFirstName,
    preferred_last_name: null,
    full_name: fullName(p),
    emails,
    birth_date: p.birthDate,
    hiring_status: p.hiringStatus,
    new_hiring_status: p.newHiringStatus,
    hiring_type: p.hiringType,
    job_title: p.jobTitle,
    start_date: p.startDate,
    // Direct employees only; Deel leaves the last ended contract's day here after a re-hire.
    direct_employee_termination_last_day: p.hiringType === 'direct_employee' ? ts(lastDays.at(-1) ?? null) : null,
    department: p.department,
    direct_manager: managerOf(p, manager, options.managerForm),
    employments: p.employments.map(renderEmployment),
    work_location: p.workLocation,
    country: p.country,
    state: p.hiringStatus === 'inactive' ? 'Inactive' : 'Active',
    updated_at: p.updatedAt,
  };
  for (const key of options.hidden) delete out[key];
  return out;
}

function renderEmployment(e: FakeDeelEmployment): Record<string, unknown> {
  return {
    id: e.id,
    team: e.team,
    job_title: e.jobTitle,
    contract_status: e.contractStatus,
    is_ended: e.isEnded,
    start_date: e.startDate,
    termination_last_day: ts(e.terminationLastDay),
    work_email: e.workEmail,
  };
}

/**
 * `direct_manager`: profile id, worker id (a string here, a number on the person), work email
 * and names. A manager who is an external user is not in `/people`: only the id is known.
 */
function managerOf(p: FakeDeelPerson, manager: FakeDeelPerson | undefined, form: ManagerForm): Record<string, unknown> | null {
  if (!p.managerId) return null;
  if (!manager) return { id: p.managerId, first_name: 'External', last_name: 'Advisor' };
  const all: Record<string, unknown> = {
    id: manager.id,
    worker_id: String(manager.workerId),
    work_email: manager.workEmail || null,
    first_name: manager.firstName,
    last_name: manager.lastName,
  };
  if (form === 'worker_id') delete all.id;
  if (form === 'email') {
    delete all.id;
    delete all.worker_id;
  }
  return all;
}
