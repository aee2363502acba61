import type { FakeContractVersion, FakeFactorialCompany, FakeFactorialEmployee, FakeTeam } from './company.js';

/** How the fake writes what it serves: the (?) variants of the fact sheet, each by option. */
export interface RenderOptions {
  /** `auto`: integers before API 2026-07-01, strings from then on. */
  ids: 'auto' | 'integer' | 'string';
  /** Which email property carries the login email: sources show `login_email`, `email`, or both. */
  emails: 'both' | 'login_email' | 'email';
  /** Future starters: `active: true` already, or `active: false` until their first day. */
  futureStarters: 'active' | 'inactive';
}

export const defaultRender: RenderOptions = { ids: 'auto', emails: 'both', futureStarters: 'active' };

/**
 * Integer ids are written as markers and turned into bare JSON numbers after stringifying, so
 * an id beyond 2^53 goes out with every digit, exactly as a server with 64-bit ids writes it.
 */
const intMarker = '#int#';
export const toJson = (body: unknown) => JSON.stringify(body).replace(/"#int#(-?\d+)"/g, '$1');

export function idWriter(version: string, ids: RenderOptions['ids']): (id: string | null) => string | null {
  const integers = ids === 'integer' || (ids === 'auto' && version < '2026-07-01');
  return (id) => (id === null ? null : integers ? `${intMarker}${id}` : id);
}

/** One employee as `/resources/employees/employees` lists it; `hidden` properties are null. */
export function renderEmployee(
  company: FakeFactorialCompany,
  p: FakeFactorialEmployee,
  opts: { version: string; render: RenderOptions; hidden: ReadonlySet<string> },
): Record<string, unknown> {
  const id = idWriter(opts.version, opts.render.ids);
  const today = company.today;
  const contract = company.currentVersion(p.id);
  const left = p.terminatedOn !== null && p.terminatedOn < today;
  const notStarted = p.terminatedOn === null && (contract?.startsOn ?? '') > today;
  const active = p.active && !left && !(notStarted && opts.render.futureStarters === 'inactive');
  const email = p.loginEmail || null;
  const record: Record<string, unknown> = {
    id: id(p.id),
    access_id: id(p.accessId),
    first_name: p.firstName,
    last_name: p.lastName,
    full_name: `${p.firstName} ${p.lastName}`,
    preferred_name: p.preferredName,
    ...(opts.render.emails !== 'email' ? { login_email: email } : {}),
    ...(opts.render.emails !== 'login_email' ? { email } : {}),
    ...(opts.version >= '2026-01-01' ? { communications_email: email } : {}),
    personal_email: p.personalEmail,
    company_identifier: p.companyIdentifier,
    active,
    is_terminating: active && p.terminatedOn !== null && p.terminatedOn >= today,
    terminated_on: p.terminatedOn,
    manager_id: id(p.managerId),
    timeoff_manager_id: id(p.timeoffManagerId),
    location_id: id(p.locationId),
    legal_entity_id: id(p.legalEntityId),
    bank_number: p.bankNumber,
    swift_bic: p.swiftBic,
    bank_number_format: p.bankNumberFormat,
    seniority_calculation_date: p.seniorityCalculationDate,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
  // What the user's permission group may not see comes back null, never as an error.
  for (const field of opts.hidden) if (field in record && field !== 'id') record[field] = null;
  return record;
}

export function renderVersion(v: FakeContractVersion, write: (id: string | null) => string | null): Record<string, unknown> {
  return {
    id: write(v.id),
    employee_id: write(v.employeeId),
    effective_on: v.effectiveOn,
    starts_on: v.startsOn,
    ends_on: v.endsOn,
    job_title: v.jobTitle,
    job_catalog_level_id: null,
    job_catalog_role_id: null,
    has_trial_period: false,
  };
}

export function renderTeam(t: FakeTeam, write: (id: string | null) => string | null): Record<string, unknown> {
  return { id: write(t.id), company_id: write('1'), name: t.name, description: null, avatar: null, employee_ids: t.employeeIds.map(write), lead_ids: t.leadIds.map(write) };
}
