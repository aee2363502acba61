import { customFieldsOf } from '../shared/custom-fields.js';
import type { FakeRequest, Reply } from '../shared/server.js';
import { readClientCredentials, type FakeCredential, type TokenStore } from './auth.js';
import type { FakePersonioCompany, FakePersonioPerson, Unit } from './company.js';

export const ibanKey = 'dynamic_21827';
/** Custom attributes the fake account has; like the IBAN, a credential sees them only when whitelisted. */
export const badgeKey = 'dynamic_31002';
export const costCodeKey = 'dynamic_31003';

export interface V1Context {
  company: FakePersonioCompany;
  credentials: Map<string, FakeCredential>;
  tokens: TokenStore;
  /** Page index (0-based) → attributes that page leaves out, on top of the credential's. */
  dropOnPage: Map<number, string[]>;
  /** Account variants seen in the wild. */
  variants: PersonioVariants;
}

export interface PersonioVariants {
  /** The account reads `offset` as a 0-based page number instead of the first item's index. */
  offsetIsPage: boolean;
}

export function v1Error(status: number, message: string): Reply {
  return { status, body: { success: false, error: { code: status, message } } };
}

/** `POST /v1/auth`: 401 when the pair is missing, 403 when it is wrong. */
export function v1Auth(req: FakeRequest, ctx: V1Context): Reply {
  const pair = readClientCredentials(req.body, req.headers['content-type']);
  if (!pair) return v1Error(401, 'client_id and client_secret are required');
  const credential = ctx.credentials.get(pair.id);
  if (!credential || credential.secret !== pair.secret) return v1Error(403, 'Wrong credentials');
  const { token, expiresIn } = ctx.tokens.issue(pair.id);
  return { status: 200, body: { success: true, data: { token, expires_in: expiresIn, scope: 'employees:read' } } };
}

/**
 * `GET /v1/company/employees?limit&offset[&updated_since]`: offset is the first item's index
 * (as documented), or the page number in an account with the `offsetIsPage` variant.
 */
export function v1Employees(req: FakeRequest, ctx: V1Context, credential: FakeCredential): Reply {
  if (credential.access === 'none') return v1Error(403, 'Access to this resource is not allowed for the credential');
  const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 50) || 50));
  const offset = Math.max(0, Number(req.query.get('offset') ?? 0) || 0);
  const since = req.query.get('updated_since');
  if (since !== null && Number.isNaN(Date.parse(since))) return v1Error(400, 'updated_since must be an ISO 8601 date');
  const people = since === null ? ctx.company.list() : ctx.company.changedSince(since);
  const page = ctx.variants.offsetIsPage ? offset : Math.floor(offset / limit);
  const first = ctx.variants.offsetIsPage ? offset * limit : offset;
  const hidden = new Set([...(credential.hidden ?? []), ...(ctx.dropOnPage.get(page) ?? [])]);
  return {
    status: 200,
    body: {
      success: true,
      metadata: { total_elements: people.length, current_page: page, total_pages: Math.ceil(people.length / limit) },
      offset,
      limit,
      data: people.slice(first, first + limit).map((p) => renderV1Employee(ctx.company, p, hidden)),
    },
  };
}

const attr = (label: string, value: unknown, type: string, universalId: string) => ({ label, value, type, universal_id: universalId });
const ref = (type: string, unit: Unit | null) => (unit ? { type, attributes: { id: unit.id, name: unit.name } } : null);
const date = (d: string | null) => (d ? `${d}T00:00:00+01:00` : null);

/** An employee as v1 renders one: every attribute wrapped, whitelisted ones only. */
export function renderV1Employee(company: FakePersonioCompany, p: FakePersonioPerson, hidden: ReadonlySet<string>) {
  const e = company.current(p);
  const manager = e.supervisorId === null ? undefined : company.get(e.supervisorId);
  const supervisor =
    e.supervisorId === null
      ? null
      : {
          type: 'Employee',
          attributes: {
            id: attr('ID', e.supervisorId, 'integer', 'id'),
            ...(manager
              ? {
                  first_name: attr('First name', manager.firstName, 'standard', 'first_name'),
                  last_name: attr('Last name', manager.lastName, 'standard', 'last_name'),
                  email: attr('Email', manager.email, 'standard', 'email'),
                }
              : {}),
          },
        };
  const custom = customFieldsOf(p.id);
  const all: Record<string, unknown> = {
    id: attr('ID', p.id, 'integer', 'id'),
    first_name: attr('First name', p.firstName, 'standard', 'first_name'),
    last_name: attr('Last name', p.lastName, 'standard', 'last_name'),
    preferred_name: attr('Preferred name', p.preferredName, 'standard', 'preferred_name'),
    email: attr('Email', p.email, 'standard', 'email'),
    status: attr('Status', e.status.toLowerCase(), 'standard', 'status'),
    position: attr('Position', e.position, 'standard', 'position'),
    hire_date: attr('Hire date', date(e.startDate), 'date', 'hire_date'),
    termination_date: attr('Termination date', date(e.terminationDate), 'date', 'termination_date'),
    termination_type: attr('Termination type', e.terminationType ?? '', 'standard', 'termination_type'),
    last_working_day: attr('Last day of work', date(e.terminationDate), 'date', 'last_working_day'),
    supervisor: attr('Supervisor', supervisor, 'standard', 'supervisor'),
    department: attr('Department', ref('Department', e.department), 'standard', 'department'),
    office: attr('Office', ref('Office', e.office), 'standard', 'office'),
    team: attr('Team', ref('Team', e.team), 'standard', 'team'),
    cost_centers: attr(
      'Cost center',
      e.costCenters.map((c) => ({ type: 'CostCenter', attributes: { id: c.id, name: c.name, percentage: c.percentage } })),
      'list',
      'cost_centers',
    ),
    last_modified_at: attr('Last modified', p.updatedAt, 'date', 'last_modified_at'),
    [ibanKey]: attr('IBAN', p.iban, 'standard', 'iban'),
    dynamic_30001: attr('Shoe size', '42', 'standard', 'shoe_size'),
    [badgeKey]: attr('Badge', custom.badge ?? '', 'standard', 'badge'),
    [costCodeKey]: attr('Cost code', custom.costCode, 'standard', 'cost_code'),
  };
  for (const key of hidden) delete all[key];
  return { type: 'Employee', attributes: all };
}
