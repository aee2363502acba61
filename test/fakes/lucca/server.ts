import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import type { FakeLuccaCompany, FakeLuccaPerson } from './company.js';
import { costCenterAxisId, generateCompany } from './generate.js';
import { defaultLegacyVariants, legacyKey, legacyUsers, type FakeApiKey, type LegacyVariants } from './legacy.js';
import {
  defaultV5Variants,
  embedOrg,
  orgNames,
  employmentsOf,
  jobPositionsOf,
  personalRecordOf,
  problem,
  renderEmployee,
  v5Authorize,
  v5Token,
  visible,
  type FakeClientApp,
  type V5Collection,
  type V5Context,
  type V5Variants,
} from './v5.js';

export interface AccountLimit {
  /** Requests a minute per account domain, every integration and both APIs together (Lucca: 50). */
  perMinute: number;
  /** Send `Retry-After` on the 429 (the newer limits page) or not (the older one). */
  retryAfter: boolean;
}

export interface FakeLuccaOptions {
  company?: FakeLuccaCompany;
  keys?: Record<string, FakeApiKey>;
  apps?: Record<string, FakeClientApp>;
  /** Clock for tokens and rate windows; share a virtual one with the connector. */
  now?: () => number;
  legacy?: Partial<LegacyVariants>;
  v5?: Partial<V5Variants>;
  limit?: AccountLimit;
  tokenTtlS?: number;
}

export interface FakeLucca {
  url: string;
  company: FakeLuccaCompany;
  keys: Map<string, FakeApiKey>;
  apps: Map<string, FakeClientApp>;
  faults: FaultPlan;
  legacy: LegacyVariants;
  v5: V5Variants;
  setLimit(limit: AccountLimit | undefined): void;
  /** Every issued token stops working (Lucca's 30-minute expiry, or a rotated secret). */
  expireTokens(): void;
  readonly tokensIssued: number;
  /** Clock times at which account requests (not token calls) arrived, throttled ones included. */
  arrivals: number[];
  requests: RequestRecord[];
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

export const defaultApiKey = 'lucca-api-key-0123456789';
export const defaultApp = { id: 'rollcall-client', secret: 'lucca-client-secret' };
export const allScopes = ['employees.readonly', 'employments.readonly', 'employee-personal-records.readonly'];

type Endpoint = 'token' | 'users' | V5Collection | 'employee' | 'other';

/**
 * Both Lucca APIs on 127.0.0.1, from the vendor's documentation: the legacy `/api/v3/users`
 * (API key, offset paging, short last page) and the v5 `/lucca-api/*` collections (client
 * credentials from `/connect/token`, cursor paging ending on `links.next: null`), sharing one
 * account-wide rate limit answered with 429.
 */
export async function startFakeLucca(options: FakeLuccaOptions = {}): Promise<FakeLucca> {
  const now = options.now ?? Date.now;
  const company = options.company ?? generateCompany({ seed: 1, size: 50, now });
  const keys = new Map(Object.entries(options.keys ?? { [defaultApiKey]: {} }));
  const apps = new Map(Object.entries(options.apps ?? { [defaultApp.id]: { secret: defaultApp.secret, scopes: allScopes } }));
  const faults = createFaultPlan();
  const legacy: LegacyVariants = { ...defaultLegacyVariants, ...options.legacy };
  const v5: V5Variants = { ...defaultV5Variants, ...options.v5 };
  let limit = options.limit;
  let window: number[] = [];
  const arrivals: number[] = [];
  let origin = '';
  const v5ctx: V5Context = { company, apps, tokens: new Map(), variants: v5, now, tokenTtlS: options.tokenTtlS ?? 1800, origin: () => origin, issued: { count: 0 } };
  const legacyCtx = { company, keys, variants: legacy, costCenterAxisId, origin: () => origin };

  function throttled(): Reply | undefined {
    const t = now();
    arrivals.push(t);
    if (!limit) return undefined;
    window = window.filter((at) => at > t - 60_000);
    if (window.length < limit.perMinute) {
      window.push(t);
      return undefined;
    }
    const waitS = Math.max(1, Math.ceil((window[0]! + 60_000 - t) / 1000));
    const reply = problem(429, 'Too Many Requests', `rate limit of ${limit.perMinute} requests per minute exceeded for this account`);
    if (limit.retryAfter) reply.headers = { ...reply.headers, 'Retry-After': String(waitS) };
    return reply;
  }

  function handle(req: FakeRequest): Reply {
    const { endpoint, id } = route(req);
    if (endpoint === 'token') return v5Token(req, v5ctx);
    if (endpoint === 'other') return problem(404, 'Not Found');
    const slow = throttled();
    if (slow) return slow;
    if (endpoint === 'users') {
      const key = legacyKey(req, legacyCtx);
      return 'status' in key ? key : legacyUsers(req, legacyCtx, key);
    }
    const auth = v5Authorize(req, v5ctx, endpoint === 'employee' ? 'employees' : endpoint);
    if ('status' in auth) return auth;
    if (endpoint === 'employee') {
      const p = company.get(Number(id));
      if (!p) return problem(404, 'Not Found', `employee ${id} does not exist`);
      if (!visible(v5ctx, auth.app, p)) return v5.hiddenEmployee === 404 ? problem(404, 'Not Found', `employee ${id} does not exist`) : problem(403, 'Forbidden', 'outside your business establishments');
      return { status: 200, body: renderEmployee(v5ctx, p) };
    }
    return collection(req, endpoint, auth.app);
  }

  // A page of a 50,000-person collection must not rebuild the collection: cached per query shape and company version.
  const cache = new Map<string, { version: number; items: unknown[]; names: ReturnType<typeof orgNames> }>();

  function collection(req: FakeRequest, endpoint: V5Collection, app: FakeClientApp): Reply {
    const limitParam = req.query.get('limit');
    const size = limitParam === null ? 25 : Number(limitParam);
    if (!Number.isInteger(size) || size < 1 || size > v5.maxLimit) return problem(400, 'Bad Request', undefined, { limit: [`must be between 1 and ${v5.maxLimit}`] });
    let offset = 0;
    const page = req.query.get('page');
    if (page !== null) {
      offset = /^![A-Za-z0-9_-]+$/.test(page) ? Number(Buffer.from(page.slice(1), 'base64url').toString('utf8')) : Number.NaN;
      if (!Number.isInteger(offset) || offset < 0) return problem(400, 'Bad Request', undefined, { page: ['invalid page token'] });
    }
    const statuses = endpoint === 'employees' ? (req.query.get('status') ?? 'active,upcoming').split(',') : [];
    const include = new Set((req.query.get('include') ?? '').split(',').filter(Boolean));
    const key = `${endpoint}|${[...apps.entries()].find(([, a]) => a === app)?.[0]}|${statuses.join(',')}`;
    let entry = cache.get(key);
    if (!entry || entry.version !== company.version) {
      const people = company.list().filter((p) => visible(v5ctx, app, p) && (endpoint !== 'employees' || statuses.includes(company.status(p))));
      entry = { version: company.version, items: itemsOf(endpoint, people), names: orgNames(people) };
      cache.set(key, entry);
    }
    const items = entry.items.slice(offset, offset + size);
    const more = offset + size < entry.items.length;
    const query = new URLSearchParams(req.query);
    query.set('page', `!${Buffer.from(String(offset + size)).toString('base64url')}`);
    const body: Record<string, unknown> = { type: endpoint, url: `${origin}${req.path}?limit=${size}`, items };
    if (include.has('totalCount')) body.totalCount = entry.items.length;
    if (include.has('links')) body.links = { prev: null, next: more ? { href: `${origin}${req.path}?${query}` } : null };
    if (include.has('embedded') && endpoint === 'job-positions') body.embedded = embedOrg(items as ReturnType<typeof jobPositionsOf>, entry.names);
    return { status: 200, body };
  }

  function itemsOf(endpoint: V5Collection, people: FakeLuccaPerson[]): unknown[] {
    switch (endpoint) {
      case 'employees':
        // Sorted by id, ascending: the documented default.
        return [...people].sort((a, b) => a.id - b.id).map((p) => renderEmployee(v5ctx, p));
      case 'employments':
        return people.flatMap((p) => employmentsOf(v5ctx, p)).sort((a, b) => Number(a.id) - Number(b.id));
      case 'job-positions':
        return people.flatMap((p) => jobPositionsOf(v5ctx, p)).sort((a, b) => Number(a.id) - Number(b.id));
      case 'personal-records':
        return people.map((p) => personalRecordOf(v5ctx, p));
    }
  }

  const server = await startFakeServer({ faults, endpointOf: (req) => route(req).endpoint, handle });
  origin = server.url;
  return {
    url: server.url,
    company,
    keys,
    apps,
    faults,
    legacy,
    v5,
    setLimit(next) {
      limit = next;
      window = [];
    },
    expireTokens: () => v5ctx.tokens.clear(),
    get tokensIssued() {
      return v5ctx.issued.count;
    },
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

function route(req: FakeRequest): { endpoint: Endpoint; id: string } {
  const path = req.path.replace(/\/+$/, '');
  if (req.method === 'POST' && path === '/connect/token') return { endpoint: 'token', id: '' };
  if (req.method !== 'GET') return { endpoint: 'other', id: '' };
  if (path === '/api/v3/users') return { endpoint: 'users', id: '' };
  if (path === '/lucca-api/employees') return { endpoint: 'employees', id: '' };
  if (path === '/lucca-api/employments') return { endpoint: 'employments', id: '' };
  if (path === '/lucca-api/job-positions') return { endpoint: 'job-positions', id: '' };
  if (path === '/lucca-api/employee-personal-records') return { endpoint: 'personal-records', id: '' };
  const one = /^\/lucca-api\/employees\/([^/]+)$/.exec(path);
  if (one) return { endpoint: 'employee', id: decodeURIComponent(one[1]!) };
  return { endpoint: 'other', id: '' };
}
