import { randomBytes } from 'node:crypto';
import type { FakeRequest, Reply } from '../shared/server.js';
import type { FakeLuccaCompany, FakeLuccaPerson } from './company.js';

export const apiVersion = '2024-11-01';

/** A client app from /identity/admin/integration-keys. */
export interface FakeClientApp {
  secret: string;
  /** Scopes granted to the app; a token asks for a subset. */
  scopes: string[];
  /** Business establishments it may see (ids); undefined = all. Others are filtered out. */
  establishments?: number[];
}

/** The (?) variants of the v5 API, each playable. */
export interface V5Variants {
  /** Largest `limit`: 100 by the reference, 1000 by the migration guide. */
  maxLimit: 100 | 1000;
  /** `bankAccount` as `{format:"iban",iban,bic}` or `{format,bankName,accountIdentifier,bankIdentifier}`. */
  bankShape: 'iban' | 'generic';
  /** Asking for one employee outside the granted establishments: 404 (absent) or 403. */
  hiddenEmployee: 404 | 403;
}

export const defaultV5Variants: V5Variants = { maxLimit: 100, bankShape: 'iban', hiddenEmployee: 404 };

export interface V5Context {
  company: FakeLuccaCompany;
  apps: Map<string, FakeClientApp>;
  tokens: Map<string, { clientId: string; scopes: Set<string>; expiresAt: number }>;
  variants: V5Variants;
  now: () => number;
  tokenTtlS: number;
  origin: () => string;
  issued: { count: number };
}

/** RFC 7807, as every v5 error is. */
export function problem(status: number, title: string, detail?: string, errors?: Record<string, string[]>): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
    body: JSON.stringify({ type: `https://developers.lucca.fr/errors/${status}`, title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) }),
  };
}

const oauthError = (status: number, error: string, description: string): Reply => ({ status, body: { error, error_description: description } });

/** `POST /connect/token`: form-encoded client credentials only; tokens last `expires_in` seconds. */
export function v5Token(req: FakeRequest, ctx: V5Context): Reply {
  if (!(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return oauthError(400, 'invalid_request', 'the body must be form-encoded');
  const form = new URLSearchParams(req.body);
  if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported');
  const app = ctx.apps.get(form.get('client_id') ?? '');
  if (!app || app.secret !== form.get('client_secret')) return oauthError(400, 'invalid_client', 'client authentication failed');
  const asked = (form.get('scope') ?? app.scopes.join(' ')).split(/\s+/).filter(Boolean);
  const refused = asked.filter((s) => !app.scopes.includes(s));
  if (refused.length) return oauthError(400, 'invalid_scope', `scope not allowed: ${refused.join(' ')}`);
  const token = `lucca-${randomBytes(12).toString('hex')}`;
  ctx.tokens.set(token, { clientId: form.get('client_id')!, scopes: new Set(asked), expiresAt: ctx.now() + ctx.tokenTtlS * 1000 });
  ctx.issued.count++;
  return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ctx.tokenTtlS, scope: asked.join(' ') } };
}

export type V5Collection = 'employees' | 'employments' | 'job-positions' | 'personal-records';

const scopeFor: Record<V5Collection, string> = {
  employees: 'employees.readonly',
  employments: 'employments.readonly',
  'job-positions': 'employments.readonly',
  'personal-records': 'employee-personal-records.readonly',
};

/** Bearer token and `Api-Version` on every call; the scope the collection needs. */
export function v5Authorize(req: FakeRequest, ctx: V5Context, collection: V5Collection): { app: FakeClientApp } | Reply {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  const token = match ? ctx.tokens.get(match[1]!) : undefined;
  if (!token || token.expiresAt <= ctx.now()) return problem(401, 'Unauthorized', 'missing, invalid or expired access token');
  if (req.headers['api-version'] !== apiVersion) return problem(400, 'Bad Request', 'the Api-Version header is required', { 'Api-Version': [`expected ${apiVersion}`] });
  const app = ctx.apps.get(token.clientId);
  if (!app) return problem(401, 'Unauthorized', 'the client app no longer exists');
  if (!token.scopes.has(scopeFor[collection])) return problem(403, 'Forbidden', `missing scope ${scopeFor[collection]}`);
  return { app };
}

/** People the app may see: their applicable job position is in a granted establishment. */
export function visible(ctx: V5Context, app: FakeClientApp, p: FakeLuccaPerson): boolean {
  return app.establishments === undefined || app.establishments.includes(ctx.company.job(p).establishment.id);
}

const link = (origin: string, type: string, id: number | string) => ({ id: String(id), type, url: `${origin}/lucca-api/${type}s/${id}` });

export function renderEmployee(ctx: V5Context, p: FakeLuccaPerson) {
  const o = ctx.origin();
  const c = ctx.company;
  return {
    id: String(p.id),
    type: 'employee',
    url: `${o}/lucca-api/employees/${p.id}`,
    remoteId: null,
    givenName: p.firstName,
    familyName: p.lastName,
    employeeNumber: p.employeeNumber,
    status: c.status(p),
    email: p.email || null,
    applicableEmployment: link(o, 'employment', c.applicable(p).id),
    applicableJobPosition: link(o, 'job-position', c.job(p).id),
    createdAt: `${p.employments[0]!.start}T08:00:00Z`,
    lastUpdatedAt: p.modifiedAt,
    links: {},
  };
}

export function employmentsOf(ctx: V5Context, p: FakeLuccaPerson) {
  const o = ctx.origin();
  const today = ctx.company.today;
  return p.employments.map((e) => ({
    id: String(e.id),
    type: 'employment',
    url: `${o}/lucca-api/employments/${e.id}`,
    remoteId: null,
    employee: link(o, 'employee', p.id),
    legalEntity: { id: String(e.legalEntity.id), type: 'legal-entity', url: `${o}/lucca-api/legal-entities/${e.legalEntity.id}` },
    status: e.start > today ? 'upcoming' : e.end !== null && e.end < today ? 'inactive' : 'active',
    start: { date: e.start },
    end: e.end === null ? null : { date: e.end },
    lastUpdatedAt: e.updatedAt,
  }));
}

export function jobPositionsOf(ctx: V5Context, p: FakeLuccaPerson) {
  const o = ctx.origin();
  return p.jobPositions.map((j) => ({
    id: String(j.id),
    type: 'job-position',
    url: `${o}/lucca-api/job-positions/${j.id}`,
    remoteId: null,
    employment: link(o, 'employment', j.employmentId),
    employee: link(o, 'employee', p.id),
    startsOn: j.startsOn,
    endsOn: j.endsOn,
    businessEstablishment: { id: String(j.establishment.id), type: 'business-establishment', url: `${o}/lucca-api/business-establishments/${j.establishment.id}` },
    jobTitle: j.jobTitle,
    manager: j.managerId === null ? null : link(o, 'employee', j.managerId),
    department: j.department ? { id: String(j.department.id), type: 'department', url: `${o}/lucca-api/departments/${j.department.id}` } : null,
    lastUpdatedAt: j.updatedAt,
  }));
}

export function personalRecordOf(ctx: V5Context, p: FakeLuccaPerson) {
  const o = ctx.origin();
  const bank = p.bank
    ? ctx.variants.bankShape === 'iban'
      ? { format: 'iban', iban: p.bank.iban, bic: p.bank.bic }
      : { format: 'iban', bankName: 'Crédit Agricole', accountIdentifier: p.bank.iban, bankIdentifier: p.bank.bic }
    : null;
  return { id: String(p.id), type: 'employee-personal-record', url: `${o}/lucca-api/employee-personal-records/${p.id}`, employee: link(o, 'employee', p.id), email: p.personalEmail || null, bankAccount: bank };
}

/** The departments and establishments of a company, by id, for `embedded`. */
export function orgNames(people: readonly FakeLuccaPerson[]): { department: Map<string, string>; establishment: Map<string, string> } {
  const department = new Map<string, string>();
  const establishment = new Map<string, string>();
  for (const p of people) {
    for (const j of p.jobPositions) {
      if (j.department) department.set(String(j.department.id), j.department.name);
      establishment.set(String(j.establishment.id), j.establishment.name);
    }
  }
  return { department, establishment };
}

/** Departments and establishments that a page of job positions names, embedded by type then id. */
export function embedOrg(jobs: ReadonlyArray<ReturnType<typeof jobPositionsOf>[number]>, names: ReturnType<typeof orgNames>) {
  const department: Record<string, unknown> = {};
  const establishment: Record<string, unknown> = {};
  for (const j of jobs) {
    const d = j.department?.id;
    if (d && names.department.has(d)) department[d] = { id: d, type: 'department', name: names.department.get(d), remoteId: `D${d}`, isArchived: false };
    const e = j.businessEstablishment.id;
    if (names.establishment.has(e)) establishment[e] = { id: e, type: 'business-establishment', name: names.establishment.get(e) };
  }
  return { department, 'business-establishment': establishment };
}
