import { customFieldRows, customValueRows } from './custom-fields.js';
import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { createRateLimiter, type RateLimiter } from '../shared/rate-limit.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import type { FakeHumaansCompany, FakeHumaansPerson } from './company.js';
import { generateCompany } from './generate.js';

export const defaultToken = 'hmns_live_0123456789abcdefABCDEF';
export const publicOnlyToken = 'hmns_public_only_token_4242';
export const allScopes = ['public:read', 'private:read', 'compensations:read', 'documents:read'];

export interface FakeHumaansOptions {
  company?: FakeHumaansCompany;
  /** API access tokens and their scopes (default: one token with every read scope, one with `public:read` only). */
  tokens?: Record<string, string[]>;
  /** Clock for the rate limiter; share a virtual one with the connector. */
  now?: () => number;
  /** Humaans publishes no limit (?): requests a minute per token before a 429; false: none. */
  perMinute?: number | false;
  /** Integrators expect `Retry-After` seconds on the 429; 'none' plays a bare 429. */
  retryAfter?: 'seconds' | 'none';
  /** `$limit` when absent and its cap; neither is published (?). */
  defaultLimit?: number;
  maxLimit?: number;
  /** Envelope with `total` (documented) or without it (?), ending on a short page. */
  total?: 'present' | 'absent';
  /** `/job-roles` as effective-dated person rows (documented) or as a catalogue `{id, companyId, name}` (?). */
  jobRoles?: 'rows' | 'catalogue';
  /** Feathers error bodies carry `errors` (object) or `issues` (array) for details (?). */
  errorDetails?: 'errors' | 'issues';
}

export interface FakeHumaans {
  url: string;
  company: FakeHumaansCompany;
  faults: FaultPlan;
  tokens: Map<string, Set<string>>;
  /** Clock times at which data requests reached the limiter (throttled ones included). */
  arrivals: number[];
  /** Every list request's query, for paging assertions. */
  queries: Array<{ endpoint: string; query: string }>;
  requests: RequestRecord[];
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

const privateFields = ['personalEmail', 'employmentEndDate', 'lastWorkingDay', 'leavingReason', 'middleName'] as const;
const routes = ['/token-info', '/me', '/people', '/job-roles', '/locations', '/bank-accounts', '/custom-fields', '/custom-values'] as const;
type Route = (typeof routes)[number];
const classNames: Record<number, [string, string]> = {
  400: ['BadRequest', 'bad-request'],
  401: ['NotAuthenticated', 'not-authenticated'],
  403: ['Forbidden', 'forbidden'],
  404: ['NotFound', 'not-found'],
  422: ['Unprocessable', 'unprocessable'],
  429: ['TooManyRequests', 'too-many-requests'],
};

/** Humaans' REST API (`/api` prefix optional) on 127.0.0.1. */
export async function startFakeHumaans(options: FakeHumaansOptions = {}): Promise<FakeHumaans> {
  const now = options.now ?? Date.now;
  const company = options.company ?? generateCompany({ seed: 1, size: 40 });
  const tokens = new Map(Object.entries(options.tokens ?? { [defaultToken]: allScopes, [publicOnlyToken]: ['public:read'] }).map(([t, s]) => [t, new Set(s)]));
  const limiters = new Map<string, RateLimiter>();
  const perMinute = options.perMinute ?? 600;
  const defaultLimit = options.defaultLimit ?? 100;
  const maxLimit = options.maxLimit ?? 250;
  const arrivals: number[] = [];
  const queries: Array<{ endpoint: string; query: string }> = [];
  let rendered: { version: number; full: Record<string, unknown>[]; publicOnly: Record<string, unknown>[] } | undefined;

  function error(status: number, message: string, details?: Record<string, string>): Reply {
    const [name, className] = classNames[status] ?? ['GeneralError', 'general-error'];
    const extra = details
      ? options.errorDetails === 'issues'
        ? { issues: Object.entries(details).map(([path, msg]) => ({ path: [path], message: msg })) }
        : { errors: details }
      : {};
    return { status, body: { name, message, code: status, className, ...extra } };
  }

  function renderPerson(p: FakeHumaansPerson, full: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = { ...p, companyId: company.id, status: company.status(p) };
    if (!full) for (const f of privateFields) delete out[f];
    return out;
  }

  function people(full: boolean): Record<string, unknown>[] {
    if (!rendered || rendered.version !== company.version()) rendered = undefined;
    rendered ??= (() => {
      const all = company.list().map((p) => renderPerson(p, true));
      // `public:read` sees neither new hires nor offboarded people, nor private fields.
      const publicOnly = company.list().filter((p) => company.status(p) === 'active').map((p) => renderPerson(p, false));
      return { version: company.version(), full: all, publicOnly };
    })();
    return full ? rendered.full : rendered.publicOnly;
  }

  function handle(req: FakeRequest): Reply {
    const route = routeOf(req.path);
    if (route === undefined) return error(404, `Page not found: ${req.path}`);
    if (req.method !== 'GET') return error(405, 'Method not allowed');
    const header = String(req.headers.authorization ?? '');
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const scopes = token ? tokens.get(token) : undefined;
    if (!scopes) return error(401, token ? 'Invalid access token' : 'No auth token');
    if (perMinute !== false) {
      arrivals.push(now());
      let limiter = limiters.get(token!);
      if (!limiter) limiters.set(token!, (limiter = createRateLimiter({ limit: perMinute, now })));
      const verdict = limiter.hit();
      if (!verdict.allowed) {
        const reply = error(429, 'Too many requests, please slow down');
        return options.retryAfter === 'none' ? reply : { ...reply, headers: { 'Retry-After': String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))) } };
      }
    } else arrivals.push(now());

    if (route === '/token-info') return { status: 200, body: { id: 'tok_1', companyId: company.id, name: 'Rollcall', scopes: [...scopes], createdAt: '2026-01-01T00:00:00.000Z' } };
    if (route === '/me') return { status: 200, body: { id: company.list()[0]?.id ?? null, companyId: company.id } };
    if (!scopes.has('public:read') && !scopes.has('private:read')) return error(403, 'You do not have the required scope: public:read');
    const full = scopes.has('private:read');
    let rows: Record<string, unknown>[];
    switch (route) {
      case '/people':
        rows = people(full);
        break;
      case '/job-roles':
        rows = options.jobRoles === 'catalogue'
          ? [...new Set(company.roles().map((r) => r.jobTitle))].map((name, i) => ({ id: `role${i + 1}`, companyId: company.id, name }))
          : (company.roles() as unknown as Record<string, unknown>[]);
        break;
      case '/locations':
        rows = company.locations().map((l) => ({ ...l, companyId: company.id, address: null }));
        break;
      case '/bank-accounts':
        if (!full) return error(403, 'You do not have the required scope: private:read');
        rows = company.bankAccounts() as unknown as Record<string, unknown>[];
        break;
      case '/custom-fields':
        rows = customFieldRows(company.id);
        break;
      case '/custom-values':
        rows = customValueRows(company.id, company.list().map((p) => p.id));
        break;
    }
    return list(req, route, rows);
  }

  /** Feathers' `$limit`/`$skip` paging and query syntax over one list. */
  function list(req: FakeRequest, route: Route, rows: Record<string, unknown>[]): Reply {
    queries.push({ endpoint: route.slice(1), query: req.query.toString() });
    const limitRaw = req.query.get('$limit');
    const skipRaw = req.query.get('$skip');
    const limit = limitRaw === null ? defaultLimit : Number(limitRaw);
    const skip = skipRaw === null ? 0 : Number(skipRaw);
    if (!Number.isInteger(limit) || limit < 0) return error(400, 'Invalid query', { $limit: 'must be a non-negative integer' });
    if (!Number.isInteger(skip) || skip < 0) return error(400, 'Invalid query', { $skip: 'must be a non-negative integer' });
    const filter = parseFilters(req.query);
    if ('error' in filter) return error(400, 'Invalid query', { [filter.field]: filter.error });
    const matching = filter.tests.length ? rows.filter((r) => filter.tests.every((t) => t(r))) : rows;
    const size = Math.min(limit, maxLimit);
    const data = matching.slice(skip, skip + size);
    const body = options.total === 'absent' ? { limit: size, skip, data } : { total: matching.length, limit: size, skip, data };
    return { status: 200, body };
  }

  const faults = createFaultPlan();
  const server = await startFakeServer({ faults, endpointOf, handle });
  return {
    url: server.url,
    company,
    faults,
    tokens,
    arrivals,
    queries,
    requests: server.requests,
    counts: () => countRequests(server.requests),
    resetCounts() {
      server.requests.splice(0);
      arrivals.splice(0);
      queries.splice(0);
    },
    close: server.close,
  };
}

function routeOf(path: string): Route | undefined {
  const p = (path.replace(/\/+$/, '') || '/').replace(/^\/api(?=\/)/, '');
  return (routes as readonly string[]).includes(p) ? (p as Route) : undefined;
}

function endpointOf(req: FakeRequest): string {
  return routeOf(req.path)?.slice(1) ?? 'other';
}

type Test = (row: Record<string, unknown>) => boolean;

/**
 * Feathers query syntax: `field=value`, `field[$in][]=a&field[$in][]=b`, `field[$nin][]`,
 * `field[$ne]`, `field[$gt|$gte|$lt|$lte]` (strings compare as written: ISO dates and
 * timestamps sort correctly). `$sort`, `$select` are accepted and ignored.
 */
function parseFilters(query: URLSearchParams): { tests: Test[] } | { field: string; error: string } {
  const tests: Test[] = [];
  const lists = new Map<string, { op: string; values: string[] }>();
  for (const [key, value] of query) {
    if (key === '$limit' || key === '$skip' || key.startsWith('$sort') || key.startsWith('$select')) continue;
    const m = /^([A-Za-z][\w.]*)(?:\[(\$[a-z]+)\](\[\d*\])?)?$/.exec(key);
    if (!m) return { field: key, error: 'unsupported query parameter' };
    const [, field, op = '$eq', array] = m as unknown as [string, string, string | undefined, string | undefined];
    const get = (r: Record<string, unknown>) => (r[field] === null || r[field] === undefined ? null : String(r[field]));
    switch (op) {
      case '$eq':
        tests.push((r) => get(r) === (value === 'null' ? null : value));
        break;
      case '$ne':
        tests.push((r) => get(r) !== (value === 'null' ? null : value));
        break;
      case '$in':
      case '$nin': {
        if (array === undefined) return { field: key, error: `${op} takes an array` };
        const k = `${field}\u0000${op}`;
        const entry = lists.get(k) ?? { op, values: [] };
        entry.values.push(value);
        if (!lists.has(k)) {
          lists.set(k, entry);
          const set = () => new Set(entry.values);
          let cached: Set<string> | undefined;
          tests.push((r) => {
            cached ??= set();
            const v = get(r);
            const hit = v !== null && cached.has(v);
            return op === '$in' ? hit : !hit;
          });
        }
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        tests.push((r) => {
          const v = get(r);
          if (v === null) return false;
          return op === '$gt' ? v > value : op === '$gte' ? v >= value : op === '$lt' ? v < value : v <= value;
        });
        break;
      default:
        return { field: key, error: `unknown operator ${op}` };
    }
  }
  return { tests };
}
