import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { createRateLimiter, type RateLimiter } from '../shared/rate-limit.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import { createOAuth, type FakeOAuth, type FakeOAuthApp, type OAuthOptions } from './auth.js';
import { byId, type FakeFactorialCompany } from './company.js';
import { customFieldValues, renderCustomFieldValue } from './custom-fields.js';
import { generateCompany } from './generate.js';
import { defaultRender, idWriter, renderEmployee, renderTeam, renderVersion, toJson, type RenderOptions } from './render.js';

export interface ReadLimit {
  limit: number;
  windowMs?: number;
  /** Send `Retry-After` (seconds) on the 429; Factorial documents no header, so both are played. */
  retryAfter?: boolean;
}

export interface FakeFactorialOptions {
  company?: FakeFactorialCompany;
  apiKeys?: string[];
  oauth?: FakeOAuthApp;
  oauthOptions?: Partial<OAuthOptions>;
  /** Clock for token expiry and rate windows; share a virtual one with the connector. */
  now?: () => number;
  limit?: ReadLimit;
  render?: Partial<RenderOptions>;
  /** `end_cursor` as base64 of the last id (as documented) or the bare id. */
  cursors?: 'base64' | 'id';
  /** The OAS marks `only_active` and `only_managers` required: refuse a list without them (422). */
  requireBooleans?: boolean;
  /** `updated_at_gteq` honoured, silently ignored, or refused (422), as older versions may. */
  updatedFilter?: 'supported' | 'ignored' | 'rejected';
}

export interface FakeFactorial {
  url: string;
  company: FakeFactorialCompany;
  oauth: FakeOAuth;
  faults: FaultPlan;
  render: RenderOptions;
  setLimit(limit: ReadLimit | undefined): void;
  /** Clock times at which API requests arrived (throttled ones included). */
  arrivals: number[];
  requests: RequestRecord[];
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

export const defaultApiKey = 'factorial-api-key-0001';
export const defaultOAuthApp: FakeOAuthApp = {
  clientId: 'factorial-client',
  clientSecret: 'factorial-secret',
  redirectUri: 'http://127.0.0.1/callback',
  users: { admin: {}, manager: { hidden: ['personal_email', 'bank_number', 'swift_bic', 'terminated_on', 'manager_id'] }, guest: { access: 'none' }, clerk: { forbidden: ['contract_versions', 'teams'] } },
};
/** Every dated version Factorial has published. */
export const apiVersions = ['2024-10-01', '2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01', '2026-01-01', '2026-04-01', '2026-07-01'];

const resourcePath = /^\/api\/(\d{4}-\d{2}-\d{2})\/resources\/([a-z_]+)\/([a-z_]+)\/?$/;
const endpoints: Record<string, string> = {
  'employees/employees': 'employees',
  'contracts/contract_versions': 'contract_versions',
  'teams/teams': 'teams',
  'locations/locations': 'locations',
  'custom_fields/values': 'custom_field_values',
};

export function endpointOf(req: FakeRequest): string {
  if (req.path === '/oauth/token') return 'token';
  if (req.path === '/oauth/authorize') return 'authorize';
  const m = resourcePath.exec(req.path);
  return (m && endpoints[`${m[2]}/${m[3]}`]) ?? 'other';
}

/** Factorial's dated read API and OAuth endpoints on 127.0.0.1. */
export async function startFakeFactorial(options: FakeFactorialOptions = {}): Promise<FakeFactorial> {
  const now = options.now ?? Date.now;
  const company = options.company ?? generateCompany({ seed: 1, size: 40 });
  const apiKeys = new Set(options.apiKeys ?? [defaultApiKey]);
  const oauth = createOAuth(options.oauth ?? defaultOAuthApp, { tokenTtlS: 7200, singleToken: true, rotateRefreshTokens: false, ...options.oauthOptions }, now);
  const render: RenderOptions = { ...defaultRender, ...options.render };
  const cursors = options.cursors ?? 'base64';
  const faults = createFaultPlan();
  const arrivals: number[] = [];
  let limiter: { limiter: RateLimiter; reply: (ms: number) => Reply } | undefined;
  const setLimit = (limit: ReadLimit | undefined) => {
    limiter = limit && {
      limiter: createRateLimiter({ limit: limit.limit, windowMs: limit.windowMs ?? 60_000, now }),
      reply: (ms): Reply => ({ status: 429, headers: limit.retryAfter ? { 'Retry-After': String(Math.max(1, Math.ceil(ms / 1000))) } : ({} as Record<string, string>), body: { error: 'Too many requests' } }),
    };
  };
  setLimit(options.limit);

  const json = (status: number, body: unknown): Reply => ({ status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: toJson(body) });
  const encode = (id: string) => (cursors === 'base64' ? Buffer.from(id).toString('base64') : id);
  const decode = (cursor: string) => {
    const id = cursors === 'base64' ? Buffer.from(cursor, 'base64').toString('utf8') : cursor;
    return /^\d+$/.test(id) ? id : undefined;
  };

  /** One page of a list sorted by id: cursor (`after_id`/`before_id`) or page number paging. */
  function page<T>(items: readonly T[], idOf: (t: T) => string, query: URLSearchParams, write: (t: T) => unknown): Reply {
    const rawLimit = query.get('limit');
    const limit = rawLimit === null ? 100 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) return json(400, { error: 'limit must be a positive integer' });
    const size = Math.min(limit, 100);
    let start = 0;
    let end = items.length;
    const pageParam = query.get('page');
    if (pageParam !== null) {
      const n = Number(pageParam);
      if (!Number.isInteger(n) || n < 1) return json(400, { error: 'page must be a positive integer' });
      start = (n - 1) * size;
      end = Math.min(items.length, start + size);
    } else if (query.get('after_id') !== null || query.get('before_id') !== null) {
      const after = query.get('after_id');
      const cursorId = decode(after ?? query.get('before_id')!);
      if (cursorId === undefined) return json(400, { error: 'invalid cursor' });
      const pos = lowerBound(items, idOf, cursorId);
      if (after !== null) {
        start = pos < items.length && idOf(items[pos]!) === cursorId ? pos + 1 : pos;
        end = Math.min(items.length, start + size);
      } else {
        end = pos;
        start = Math.max(0, end - size);
      }
    } else end = Math.min(items.length, size);
    const slice = items.slice(start, end);
    const first = slice[0];
    const last = slice.at(-1);
    return json(200, {
      data: slice.map(write),
      meta: {
        has_next_page: end < items.length,
        has_previous_page: start > 0,
        start_cursor: first === undefined ? null : encode(idOf(first)),
        end_cursor: last === undefined ? null : encode(idOf(last)),
        total: items.length,
        limit: size,
      },
    });
  }

  function handle(req: FakeRequest): Reply {
    if (req.path === '/oauth/authorize' && req.method === 'GET') {
      const result = oauth.authorize(req.query);
      return 'location' in result ? { status: 302, headers: { Location: result.location } } : json(result.status, result.body);
    }
    if (req.path === '/oauth/token' && req.method === 'POST') {
      const result = oauth.token(req.body);
      return 'access_token' in result ? json(200, result) : json(result.status, result.body);
    }
    const m = resourcePath.exec(req.path);
    const endpoint = endpointOf(req);
    if (!m || req.method !== 'GET' || endpoint === 'other' || !apiVersions.includes(m[1]!)) return json(404, { error: 'Not found' });
    const version = m[1]!;

    // If both are sent, the API key wins over the OAuth token.
    const key = req.headers['x-api-key'];
    let hidden: ReadonlySet<string> = new Set();
    if (typeof key === 'string') {
      if (!apiKeys.has(key)) return json(401, { error: 'Unauthorized' });
    } else {
      const who = oauth.user(req.headers.authorization);
      if (!who) return json(401, { error: 'Unauthorized' });
      if ((who.user.access === 'none' && endpoint === 'employees') || who.user.forbidden?.includes(endpoint)) return json(403, { error: 'Forbidden' });
      hidden = new Set(who.user.hidden ?? []);
    }
    const write = idWriter(version, render.ids);
    switch (endpoint) {
      case 'employees':
        return employees(req.query, version, hidden);
      case 'contract_versions': {
        const wanted = req.query.getAll('employee_ids[]');
        const list = (wanted.length ? wanted : company.list().map((e) => e.id)).flatMap((id) => company.versionsOf(id)).sort((a, b) => byId(a.id, b.id));
        return page(list, (v) => v.id, req.query, (v) => renderVersion(v, write));
      }
      case 'teams':
        return page([...company.teams()].sort((a, b) => byId(a.id, b.id)), (t) => t.id, req.query, (t) => renderTeam(t, write));
      case 'custom_field_values':
        return page(customFieldValues(company), (v) => v.id, req.query, (v) => renderCustomFieldValue(v, write));
      case 'locations':
        return page(company.locations(), (l) => l.id, req.query, (l) => ({ id: write(l.id), company_id: write('1'), name: l.name, city: l.city, country: null, timezone: 'Europe/Madrid' }));
      default:
        return json(404, { error: 'Not found' });
    }
  }

  function employees(query: URLSearchParams, version: string, hidden: ReadonlySet<string>): Reply {
    const onlyActive = query.get('only_active');
    const onlyManagers = query.get('only_managers');
    if (options.requireBooleans && (onlyActive === null || onlyManagers === null)) {
      return json(422, { error: 'Unprocessable Entity', message: `${onlyActive === null ? 'only_active' : 'only_managers'} is missing` });
    }
    let list = company.list();
    const filters: Array<(p: (typeof list)[number]) => boolean> = [];
    const ids = new Set(query.getAll('ids[]'));
    if (ids.size) filters.push((p) => ids.has(p.id));
    const emails = new Set(query.getAll('emails[]').map((e) => e.toLowerCase()));
    if (emails.size) filters.push((p) => emails.has(p.loginEmail.toLowerCase()));
    const locations = new Set(query.getAll('location_ids[]'));
    if (locations.size) filters.push((p) => p.locationId !== null && locations.has(p.locationId));
    // Leave it out and only active people come back: the variant that punishes forgetting it.
    if (onlyActive !== 'false') filters.push((p) => renderEmployee(company, p, { version, render, hidden: new Set() }).active === true);
    if (onlyManagers === 'true') {
      const managers = new Set(company.list().map((p) => p.managerId));
      filters.push((p) => managers.has(p.id));
    }
    const since = query.get('updated_at_gteq');
    if (since !== null) {
      if (options.updatedFilter === 'rejected') return json(422, { error: 'Unprocessable Entity', message: 'updated_at_gteq is not a permitted parameter' });
      if (!/^\d{4}-\d{2}-\d{2}/.test(since)) return json(400, { error: 'updated_at_gteq must be a date' });
      // A date only: the time, if sent, is ignored.
      if (options.updatedFilter !== 'ignored') filters.push((p) => p.updatedAt.slice(0, 10) >= since.slice(0, 10));
    }
    if (filters.length) list = list.filter((p) => filters.every((f) => f(p)));
    return page(list, (p) => p.id, query, (p) => renderEmployee(company, p, { version, render, hidden }));
  }

  const server = await startFakeServer({
    faults,
    endpointOf: (req) => {
      const endpoint = endpointOf(req);
      if (endpoint !== 'token' && endpoint !== 'authorize') arrivals.push(now());
      return endpoint;
    },
    handle,
    limit: () => limiter,
  });
  return {
    url: server.url,
    company,
    oauth,
    faults,
    render,
    setLimit,
    arrivals,
    requests: server.requests,
    counts: () => countRequests(server.requests),
    resetCounts() {
      server.requests.splice(0);
      arrivals.splice(0);
    },
    close: server.close,
  };
}

/** The first index whose id is not below `id` (items sorted by id). */
function lowerBound<T>(items: readonly T[], idOf: (t: T) => string, id: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byId(idOf(items[mid]!), id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
