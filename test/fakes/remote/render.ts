import type { FakeEmployment, FakeOffboarding, FakeRemoteCompany } from './company.js';

/** The (?) of Remote's docs, each playable: the connector must read every one. */
export interface RenderOptions {
  /** Name parts in `basic_information`: `first_name`/`last_name`, `given_name`/`family_name`, or none (only `full_name`). */
  nameParts: 'first_last' | 'given_family' | 'none';
  /** The detail envelope: `{data:{employment:{…}}}` (documented) or `{data:{…}}`. */
  detailEnvelope: 'employment' | 'bare';
  /** `department` in the detail: a name (as in the list) or `{id, name}`. */
  detailDepartment: 'name' | 'object';
}

export const defaultRender: RenderOptions = { nameParts: 'first_last', detailEnvelope: 'employment', detailDepartment: 'name' };

const fullName = (e: FakeEmployment) => `${e.firstName} ${e.lastName}`;

/** `GET /v1/employments` items: minimal. */
export function renderListItem(e: FakeEmployment): Record<string, unknown> {
  return {
    id: e.id,
    short_id: e.shortId,
    external_id: e.externalId,
    full_name: fullName(e),
    job_title: e.jobTitle,
    status: e.status,
    employment_lifecycle_stage: e.lifecycleStage,
    employment_model: 'eor',
    type: 'employee',
    country: e.country,
    department: e.department?.name ?? null,
    department_id: e.department?.id ?? null,
    login_email: e.loginEmail,
    personal_email: e.personalEmail,
    work_email: e.workEmail,
    work_address_details: {},
  };
}

/** `GET /v1/employments/{id}`: the list item plus dates, manager, bank and country-shaped personal details. */
export function renderDetail(company: FakeRemoteCompany, e: FakeEmployment, options: RenderOptions): unknown {
  const names =
    options.nameParts === 'first_last'
      ? { first_name: e.firstName, last_name: e.lastName, ...(e.preferredName ? { preferred_name: e.preferredName } : {}) }
      : options.nameParts === 'given_family'
        ? { given_name: e.firstName, family_name: e.lastName }
        : {};
  const employment = {
    ...renderListItem(e),
    ...(options.detailDepartment === 'object' ? { department: e.department } : {}),
    company_id: company.id,
    provisional_start_date: e.startDate,
    seniority_date: null,
    manager_employment_id: e.managerId,
    manager_email: e.managerEmail,
    basic_information: { name: fullName(e), ...names, email: e.personalEmail },
    bank_account_details: e.bank ? [e.bank] : [],
    address_details: { country: e.country.alpha_2_code },
    updated_at: e.updatedAt,
    created_at: `${e.startDate}T00:00:00.000Z`,
  };
  return { data: options.detailEnvelope === 'employment' ? { employment } : employment };
}

export function renderOffboarding(o: FakeOffboarding): Record<string, unknown> {
  return { id: o.id, employment_id: o.employmentId, termination_date: o.terminationDate, status: o.status, confidential: o.confidential, type: 'termination' };
}
