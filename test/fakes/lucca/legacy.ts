import { customFieldsOf } from '../shared/custom-fields.js';
import type { FakeRequest, Reply } from '../shared/server.js';
import type { FakeLuccaCompany, FakeLuccaPerson } from './company.js';

/** One legacy API key as the fake knows it: its role decides which users and fields it sees. */
export interface FakeApiKey {
  /** Field names the role hides (left out of every user). */
  hidden?: string[];
  /** The role may not see former employees, even with `formerEmployees=true`. */
  hidesFormer?: boolean;
  /** `none`: the key exists but may not consult users (403). */
  access?: 'full' | 'none';
}

/** The (?) variants of the legacy API, each playable. */
export interface LegacyVariants {
  /** `{"data":{"items"}}` (documented) or bare `{"items"}` (one rendering). */
  envelope: 'data' | 'bare';
  /** The change stamp's name in responses. */
  stamp: 'modifiedAt' | 'modifiedOn';
  /** Without `fields`: only `id,name,url` (default) or every field. */
  defaultFields: 'minimal' | 'all';
  /** Where a user's site is: only `legalEntity` (the documented sample), or also `establishment`. */
  location: 'legalEntity' | 'establishment';
  /** The 401 body, which is undocumented. */
  unauthorizedBody: 'json' | 'empty' | 'html';
  /** A field the account does not have in `fields=`: ignored, or a 400 naming it (undocumented). */
  unknownFields: 'ignore' | 'reject';
}

export const defaultLegacyVariants: LegacyVariants = { envelope: 'data', stamp: 'modifiedAt', defaultFields: 'minimal', location: 'legalEntity', unauthorizedBody: 'json', unknownFields: 'ignore' };

export interface LegacyContext {
  company: FakeLuccaCompany;
  keys: Map<string, FakeApiKey>;
  variants: LegacyVariants;
  costCenterAxisId: number;
  origin: () => string;
}

export function legacyError(status: number, message: string): Reply {
  return { status, body: { Message: message, Status: status } };
}

/** `Authorization: lucca application=<key>`; no token call, no expiry. */
export function legacyKey(req: FakeRequest, ctx: LegacyContext): FakeApiKey | Reply {
  const match = /^lucca\s+application\s*=\s*(\S+)$/i.exec(req.headers.authorization ?? '');
  const key = match ? ctx.keys.get(match[1]!) : undefined;
  if (key) return key;
  switch (ctx.variants.unauthorizedBody) {
    case 'json':
      return legacyError(401, 'Unauthorized: invalid or missing application key');
    case 'empty':
      return { status: 401, body: '' };
    case 'html':
      return { status: 401, headers: { 'Content-Type': 'text/html' }, body: '<html><body><h1>401 Unauthorized</h1></body></html>' };
  }
}

/**
 * `GET /api/v3/users?paging=offset,limit&fields=…&formerEmployees=true&modifiedAt=since,…`.
 * No total: a page shorter than `limit` is the last.
 */
export function legacyUsers(req: FakeRequest, ctx: LegacyContext, key: FakeApiKey): Reply {
  if (key.access === 'none') return legacyError(403, 'The application is not allowed to consult users');
  const paging = (req.query.get('paging') ?? '0,1000').split(',').map((s) => Number(s.trim()));
  const [offset, limit] = paging as [number, number];
  if (paging.length !== 2 || !Number.isInteger(offset) || !Number.isInteger(limit) || offset < 0 || limit < 1) return legacyError(400, 'paging must be {offset},{limit}');
  if (limit > 1000) return legacyError(400, 'paging limit cannot exceed 1000');
  const filters: Array<(p: FakeLuccaPerson) => boolean> = [];
  const today = ctx.company.today;
  const former = req.query.get('formerEmployees') === 'true';
  const end = (p: FakeLuccaPerson) => ctx.company.applicable(p).end;
  // Former employees are excluded unless asked for; a role without the right never sees them.
  if (!former || key.hidesFormer) filters.push((p) => !(end(p) !== null && end(p)! < today));
  const modified = req.query.get('modifiedAt');
  if (modified !== null) {
    const since = /^since,(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(modified);
    if (!since) return legacyError(400, 'modifiedAt: expected since,YYYY-MM-DDTHH:mm:ss');
    // Zone-less, read as UTC.
    const at = Date.parse(`${since[1]}Z`);
    filters.push((p) => Date.parse(p.modifiedAt) >= at);
  }
  const contractEnd = req.query.get('dtContractEnd');
  if (contractEnd !== null) {
    const filter = dateFilter(contractEnd);
    if (!filter) return legacyError(400, 'dtContractEnd: unsupported filter');
    filters.push((p) => filter(end(p)));
  }
  const ids = req.query.get('id');
  if (ids !== null) {
    const wanted = new Set(ids.split(',').map(Number));
    filters.push((p) => wanted.has(p.id));
  }
  const people = filters.length === 0 ? ctx.company.list() : ctx.company.list().filter((p) => filters.every((f) => f(p)));
  const fields = requestedFields(req.query.get('fields'), ctx.variants);
  if (fields !== 'all' && ctx.variants.unknownFields === 'reject') {
    const known = new Set([...baseFields, `userAxisValues_${ctx.costCenterAxisId}`, ...(ctx.variants.location === 'establishment' ? ['establishment'] : [])]);
    const unknown = [...fields].find((f) => !known.has(f));
    if (unknown) return legacyError(400, `Unknown field '${unknown}' on users`);
  }
  const hidden = new Set(key.hidden ?? []);
  const items = people.slice(offset, offset + limit).map((p) => renderUser(ctx, p, fields, hidden));
  return { status: 200, body: ctx.variants.envelope === 'data' ? { header: {}, data: { items } } : { items } };
}

/** `since,D`, `until,D`, `until,D,null`, `between,D1,D2`, `notequal,null`. */
function dateFilter(spec: string): ((value: string | null) => boolean) | undefined {
  const [op, a, b] = spec.split(',');
  const day = (s: string | undefined) => s?.slice(0, 10) ?? '';
  switch (op) {
    case 'notequal':
      return a === 'null' ? (v) => v !== null : undefined;
    case 'since':
      return (v) => v !== null && v >= day(a);
    case 'until':
      return b === 'null' ? (v) => v === null || v <= day(a) : (v) => v !== null && v <= day(a);
    case 'between':
      return (v) => v !== null && v >= day(a) && v <= day(b);
    default:
      return undefined;
  }
}

/** Top-level field names of `fields=a,b[c,d],e.f`; unknown names are ignored. */
function requestedFields(fields: string | null, variants: LegacyVariants): Set<string> | 'all' {
  if (fields === null || fields.trim() === '') return variants.defaultFields === 'all' ? 'all' : new Set(['id', 'name', 'url']);
  const names = new Set<string>();
  let depth = 0;
  let current = '';
  for (const ch of fields) {
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      names.add(current.split('.')[0]!.trim());
      current = '';
      continue;
    }
    if (depth === 0 && ch !== ']') current += ch;
  }
  names.add(current.split('.')[0]!.trim());
  return names;
}

const baseFields = ['id', 'name', 'url', 'displayName', 'firstName', 'lastName', 'mail', 'login', 'employeeNumber', 'jobTitle', 'dtContractStart', 'dtContractEnd', 'modifiedAt', 'managerId', 'manager', 'department', 'legalEntity', 'extendedData'];

const dateTime = (d: string | null) => (d ? `${d}T00:00:00` : null);
/** Legacy stamps have no zone: the UTC time, its zone dropped. */
const zoneless = (iso: string) => iso.replace(/Z$/, '');

function renderUser(ctx: LegacyContext, p: FakeLuccaPerson, fields: Set<string> | 'all', hidden: ReadonlySet<string>) {
  const c = ctx.company;
  const employment = c.applicable(p);
  const job = c.job(p);
  const manager = job.managerId === null ? undefined : c.get(job.managerId);
  const origin = ctx.origin();
  const custom = customFieldsOf(p.id);
  const all: Record<string, unknown> = {
    id: p.id,
    name: `${p.firstName} ${p.lastName}`,
    url: `${origin}/api/v3/users/${p.id}`,
    displayName: `${p.lastName} ${p.firstName}`,
    firstName: p.firstName,
    lastName: p.lastName,
    mail: p.email || null,
    login: p.email ? p.email.split('@')[0] : `user${p.id}`,
    employeeNumber: p.employeeNumber,
    jobTitle: job.jobTitle || null,
    dtContractStart: dateTime(employment.start),
    dtContractEnd: dateTime(employment.end),
    [ctx.variants.stamp]: zoneless(p.modifiedAt),
    managerId: job.managerId,
    manager: job.managerId === null ? null : { id: job.managerId, name: manager ? `${manager.firstName} ${manager.lastName}` : null, url: `${origin}/api/v3/users/${job.managerId}` },
    department: job.department ? { ...job.department, url: `${origin}/api/v3/departments/${job.department.id}` } : null,
    legalEntity: { ...employment.legalEntity, url: `${origin}/organization/structure/api/legal-entities/${employment.legalEntity.id}` },
    ...(ctx.variants.location === 'establishment' ? { establishment: { ...job.establishment } } : {}),
    [`userAxisValues_${ctx.costCenterAxisId}`]: p.costCenters.map((s) => ({ id: s.id, name: s.name, code: s.name.replace(/\W/g, '') })),
    // The account's extended (custom) fields, `e_…`; sent only when `fields` names `extendedData`.
    extendedData: { e_badge: { value: custom.badge }, e_costcode: { value: custom.costCode } },
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    // The change stamp is asked for as `modifiedAt` whatever the response calls it.
    const asked = fields === 'all' || fields.has(key) || (key === ctx.variants.stamp && fields.has('modifiedAt'));
    if (asked && !hidden.has(key)) out[key] = value;
  }
  return out;
}
