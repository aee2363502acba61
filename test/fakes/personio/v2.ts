import type { FakeRequest, Reply } from '../shared/server.js';
import type { FakeCredential, TokenStore } from './auth.js';
import type { FakeEmployment, FakePersonioCompany, FakePersonioPerson, Unit } from './company.js';
import { units } from './generate.js';
import { badgeKey, costCodeKey, ibanKey } from './v1.js';
import { customFieldsOf } from '../shared/custom-fields.js';

export interface V2Context {
  company: FakePersonioCompany;
  credentials: Map<string, FakeCredential>;
  tokens: TokenStore;
  /** Origin for absolute `_meta.links` hrefs, as Personio writes them. */
  origin: () => string;
}

export function v2Error(status: number, title: string, detail: string): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
    body: JSON.stringify({ errors: [{ title, detail, type: `https://developer.personio.de/errors/${status}` }] }),
  };
}

function oauthError(error: string, description: string): Reply {
  return { status: 400, headers: { 'Content-Type': 'application/problem+json' }, body: JSON.stringify({ error, error_description: description, status: 400, title: 'Bad Request' }) };
}

/** `POST /v2/auth/token`: form-encoded client credentials only; a bad pair is 400 invalid_client. */
export function v2Token(req: FakeRequest, ctx: V2Context): Reply {
  if (!(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return oauthError('invalid_request', 'the body must be form-encoded');
  const form = new URLSearchParams(req.body);
  if (form.get('grant_type') !== 'client_credentials') return oauthError('unsupported_grant_type', 'only client_credentials is supported');
  const credential = ctx.credentials.get(form.get('client_id') ?? '');
  if (!credential || credential.secret !== form.get('client_secret')) return oauthError('invalid_client', 'client authentication failed');
  const { token, expiresIn } = ctx.tokens.issue(form.get('client_id')!);
  return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: 'personio:persons:read personio:employments:read' } };
}

/** `GET /v2/persons?limit&cursor[&updated_at.gt]`: ordered by id; the cursor is the last id served. */
export function v2Persons(req: FakeRequest, ctx: V2Context, credential: FakeCredential): Reply {
  if (!allows(credential, 'persons')) return v2Error(403, 'Forbidden', 'missing scope personio:persons:read');
  const limit = Number(req.query.get('limit') ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) return v2Error(400, 'Bad Request', 'limit must be between 1 and 50');
  let after = 0;
  const cursor = req.query.get('cursor');
  if (cursor !== null) {
    try {
      after = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after: number }).after;
    } catch {
      return v2Error(400, 'Bad Request', 'invalid cursor');
    }
  }
  const since = req.query.get('updated_at.gt');
  const pool = since === null ? ctx.company.list() : ctx.company.changedSince(since);
  const sorted = pool.filter((p) => p.id > after).sort((a, b) => a.id - b.id);
  const page = sorted.slice(0, limit);
  const hidden = new Set(credential.hidden ?? []);
  const next = new URLSearchParams({ cursor: Buffer.from(JSON.stringify({ after: page.at(-1)?.id ?? after })).toString('base64url'), limit: String(limit) });
  if (since !== null) next.set('updated_at.gt', since);
  return {
    status: 200,
    body: {
      _data: page.map((p) => renderPerson(ctx.company, p, hidden)),
      _meta: { links: sorted.length > limit ? { next: { href: `${ctx.origin()}/v2/persons?${next}` } } : {} },
    },
  };
}

/** `GET /v2/persons/{id}/employments`: most recent first; 404 for a person that does not exist. */
export function v2Employments(personId: string, ctx: V2Context, credential: FakeCredential): Reply {
  if (!allows(credential, 'employments')) return v2Error(403, 'Forbidden', 'missing scope personio:employments:read');
  const person = ctx.company.get(Number(personId));
  if (!person) return v2Error(404, 'Not Found', `person ${personId} does not exist`);
  const hidden = new Set((credential.hidden ?? []).filter((h) => h.startsWith('employment.')).map((h) => h.slice('employment.'.length)));
  return { status: 200, body: { _data: person.employments.map((e) => renderEmployment(person, e, hidden)), _meta: { links: {} } } };
}

/**
 * `GET /v2/org-units/{id}?type=department|team`: Personio's reference marks `type` as required
 * (400 without it) and looks the id up among units of that type only.
 */
export function v2OrgUnit(id: string, type: string | null, broken: ReadonlySet<string> = new Set()): Reply {
  const kind = type?.toLowerCase();
  if (kind !== 'department' && kind !== 'team') return v2Error(400, 'Bad Request', 'query parameter type is required: department or team');
  if (broken.has(id)) return v2Error(500, 'Internal Server Error', 'something went wrong');
  const unit = (kind === 'department' ? units.departments : units.teams).find((u) => String(u.id) === id);
  if (!unit) return v2Error(404, 'Not Found', `${kind} ${id} does not exist`);
  return { status: 200, body: { id: String(unit.id), name: unit.name, type: kind } };
}

function allows(credential: FakeCredential, scope: 'persons' | 'employments'): boolean {
  return credential.access !== 'none' && (credential.scopes ?? ['persons', 'employments']).includes(scope);
}

function renderPerson(company: FakePersonioCompany, p: FakePersonioPerson, hidden: ReadonlySet<string>) {
  const custom = customFieldsOf(p.id);
  const all: Record<string, unknown> = {
    id: String(p.id),
    email: p.email,
    first_name: p.firstName,
    last_name: p.lastName,
    preferred_name: p.preferredName,
    status: company.current(p).status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
    custom_attributes: [
      { id: ibanKey, label: 'IBAN', type: 'string', value: p.iban },
      { id: badgeKey, label: 'Badge', type: 'string', value: custom.badge },
      { id: costCodeKey, label: 'Cost code', type: 'string', value: custom.costCode },
    ].filter((a) => !hidden.has(a.id)),
    employments: p.employments.map((e) => ({ id: e.id })),
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
  for (const key of hidden) delete all[key];
  return all;
}

const idOnly = (u: Unit | null) => (u ? { id: String(u.id) } : null);

function renderEmployment(p: FakePersonioPerson, e: FakeEmployment, hidden: ReadonlySet<string>) {
  const all: Record<string, unknown> = {
    id: e.id,
    person: { id: String(p.id) },
    status: e.status,
    position: { title: e.position },
    supervisor: e.supervisorId === null ? null : { id: String(e.supervisorId) },
    // v2 names offices and org units by id only.
    office: idOnly(e.office),
    org_units: [
      ...(e.department ? [{ type: 'department', id: String(e.department.id) }] : []),
      ...(e.team ? [{ type: 'team', id: String(e.team.id) }] : []),
    ],
    cost_centers: e.costCenters.map((c) => ({ id: String(c.id), weight: c.percentage })),
    employment_start_date: e.startDate,
    termination: { termination_date: e.terminationDate, type: e.terminationType },
    updated_at: e.updatedAt,
  };
  for (const key of hidden) delete all[key];
  return all;
}
