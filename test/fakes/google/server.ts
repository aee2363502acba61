import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { createRateLimiter, type RateLimiter } from '../shared/rate-limit.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import { createFakeAuth, directoryReadScope, type FakeGoogleAuth, type FakeServiceAccount } from './auth.js';
import type { FakeGoogleCompany, FakeGoogleUser } from './company.js';
import { generateCompany } from './generate.js';
import { defaultRender, renderUser, type RenderOptions } from './render.js';

export interface FakeGoogleOptions {
  company?: FakeGoogleCompany;
  now?: () => number;
  tokenLifetimeS?: number;
  /** Queries a minute per user per Cloud project (403 `userRateLimitExceeded`); false: none. */
  perUserPerMinute?: number | false;
  /** Queries a minute for the whole Workspace account (429 `rateLimitExceeded`); false: none. */
  perAccountPerMinute?: number | false;
  /** The status of a `backendError` answer, 500 or 503 (?), for `fake.backendErrors(n)`. */
  backendErrorStatus?: 500 | 503;
  render?: Partial<RenderOptions>;
}

export interface FakeGoogle {
  url: string;
  company: FakeGoogleCompany;
  auth: FakeGoogleAuth;
  /** The default service account, delegated the read scope. */
  serviceAccount: FakeServiceAccount;
  /** An admin with the Users › Read privilege to impersonate. */
  admin: string;
  faults: FaultPlan;
  render: RenderOptions;
  /** Clock times at which list requests arrived (throttled ones included). */
  arrivals: number[];
  /** `maxResults` of each list request. */
  pageSizes: Array<string | null>;
  /** The next `n` list requests fail with Google's `backendError`. */
  backendErrors(n: number): void;
  requests: RequestRecord[];
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

const usersPath = '/admin/directory/v1/users';

/** Google's error envelope. */
export function googleError(code: number, message: string, reason: string, status?: string): Reply {
  return { status: code, body: { error: { code, message, errors: [{ message, domain: code === 429 || reason.endsWith('Exceeded') ? 'usageLimits' : 'global', reason }], ...(status ? { status } : {}) } } };
}

/** The Admin SDK Directory API's users.list and Google's token endpoint on 127.0.0.1 (one origin). */
export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const now = options.now ?? Date.now;
  const company = options.company ?? generateCompany({ seed: 7, size: 40 });
  const auth = createFakeAuth({ now, ...(options.tokenLifetimeS ? { tokenLifetimeS: options.tokenLifetimeS } : {}) });
  const serviceAccount = auth.addServiceAccount('rollcall-sync');
  const admin = company.list().find((u) => u.isAdmin)?.primaryEmail ?? company.list()[0]?.primaryEmail ?? `admin@${company.domain}`;
  const render: RenderOptions = { ...defaultRender, ...options.render };
  const faults = createFaultPlan();
  const pageSizes: Array<string | null> = [];
  const arrivals: number[] = [];
  const perUser = options.perUserPerMinute ?? 2_400;
  const perAccount = options.perAccountPerMinute ?? false;
  const userLimiters = new Map<string, RateLimiter>();
  const accountLimiter = perAccount === false ? undefined : createRateLimiter({ limit: perAccount, now });
  let backendErrors = 0;
  let sorted: { version: number; users: FakeGoogleUser[] } | undefined;

  const isUser = (email: string) => company.byEmail(email) !== undefined;

  async function handle(req: FakeRequest): Promise<Reply> {
    const path = req.path.replace(/\/+$/, '');
    if (path === '/token') {
      if (req.method !== 'POST') return { status: 405, body: { error: 'invalid_request', error_description: 'POST only' } };
      const result = await auth.exchange(Object.fromEntries(new URLSearchParams(req.body)), isUser);
      if ('token' in result) return { status: 200, body: { access_token: result.token, expires_in: result.expiresIn, token_type: 'Bearer' } };
      return { status: result.status, body: { error: result.error, error_description: result.description } };
    }
    if (path !== usersPath || req.method !== 'GET') return googleError(404, 'Not Found', 'notFound');
    arrivals.push(now());
    const token = auth.lookup(req.headers.authorization);
    if (!token) {
      return googleError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'authError', 'UNAUTHENTICATED');
    }
    const key = `${token.clientEmail} ${token.sub}`;
    let limiter = userLimiters.get(key);
    if (!limiter && perUser !== false) userLimiters.set(key, (limiter = createRateLimiter({ limit: perUser, now })));
    if (limiter && !limiter.hit().allowed) return googleError(403, 'Quota exceeded for quota metric \'Queries\' and limit \'Queries per minute per user\'', 'userRateLimitExceeded');
    if (accountLimiter && !accountLimiter.hit().allowed) return googleError(429, 'Rate Limit Exceeded', 'rateLimitExceeded', 'RESOURCE_EXHAUSTED');
    if (backendErrors > 0) {
      backendErrors--;
      return googleError(options.backendErrorStatus ?? 500, 'Backend Error', 'backendError');
    }
    const caller = company.byEmail(token.sub);
    if (!caller?.isAdmin || !token.scopes.has(directoryReadScope)) return googleError(403, 'Not Authorized to access this resource/api', 'forbidden', 'PERMISSION_DENIED');
    return list(req);
  }

  function list(req: FakeRequest): Reply {
    const q = req.query;
    const customer = q.get('customer');
    const domain = q.get('domain');
    if (!customer && !domain) return googleError(400, 'Bad Request', 'badRequest', 'INVALID_ARGUMENT');
    if (customer && customer !== 'my_customer' && customer !== company.customerId) return googleError(404, 'Resource Not Found: customer', 'notFound', 'NOT_FOUND');
    if (!customer && domain !== company.domain) return googleError(403, 'Not Authorized to access this resource/api', 'forbidden', 'PERMISSION_DENIED');
    const max = q.get('maxResults');
    pageSizes.push(max);
    const size = max === null ? 100 : Number(max);
    if (!Number.isInteger(size) || size < 1 || size > 500) return googleError(400, 'Invalid Input: maxResults', 'invalid', 'INVALID_ARGUMENT');
    const projection = q.get('projection') ?? 'basic';
    const mask = new Set((q.get('customFieldMask') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    if (!['basic', 'custom', 'full'].includes(projection)) return googleError(400, 'Invalid Input: projection', 'invalid', 'INVALID_ARGUMENT');
    const filter = parseQuery(q.get('query'));
    if (filter === 'invalid') return googleError(400, 'Invalid Input: query', 'invalid', 'INVALID_ARGUMENT');
    let offset = 0;
    const pageToken = q.get('pageToken');
    if (pageToken) {
      const decoded = readToken(pageToken);
      if (decoded === undefined) return googleError(400, 'Invalid Input: pageToken', 'invalid', 'INVALID_ARGUMENT');
      offset = decoded;
    }
    let users = q.get('showDeleted') === 'true' ? company.deleted() : ordered(q.get('orderBy'), q.get('sortOrder'));
    if (filter) users = users.filter(filter);
    const page = users.slice(offset, offset + size).map((u) => renderUser(company, u, render, projection, mask));
    const end = offset + size;
    // Empty pages have no `users` key; the last page has no `nextPageToken`.
    return {
      status: 200,
      body: {
        kind: 'admin#directory#users',
        etag: `"users-${company.version()}-${offset}"`,
        ...(page.length ? { users: page } : {}),
        ...(end < users.length ? { nextPageToken: writeToken(end) } : {}),
      },
    };
  }

  function ordered(orderBy: string | null, sortOrder: string | null): FakeGoogleUser[] {
    if (orderBy !== 'email') return company.list();
    if (!sorted || sorted.version !== company.version() || sorted.users.length !== company.list().length) {
      sorted = { version: company.version(), users: [...company.list()].sort((a, b) => a.primaryEmail.localeCompare(b.primaryEmail)) };
    }
    return sortOrder === 'DESCENDING' ? [...sorted.users].reverse() : sorted.users;
  }

  const server = await startFakeServer({ faults, endpointOf, handle });
  return {
    url: server.url,
    company,
    auth,
    serviceAccount,
    admin,
    faults,
    render,
    pageSizes,
    arrivals,
    backendErrors(n) {
      backendErrors = n;
    },
    requests: server.requests,
    counts: () => countRequests(server.requests),
    resetCounts() {
      server.requests.splice(0);
      pageSizes.splice(0);
      arrivals.splice(0);
    },
    close: server.close,
  };
}

/** The few search clauses the fake knows: `orgUnitPath='/X'` and `isSuspended=true|false`, space-separated (AND). */
function parseQuery(query: string | null): ((u: FakeGoogleUser) => boolean) | undefined | 'invalid' {
  if (!query) return undefined;
  const tests: Array<(u: FakeGoogleUser) => boolean> = [];
  for (const clause of query.match(/\w+=(?:'[^']*'|\S+)/g) ?? []) {
    const [field, rawValue] = [clause.slice(0, clause.indexOf('=')), clause.slice(clause.indexOf('=') + 1)];
    const value = rawValue.replace(/^'|'$/g, '');
    if (field === 'orgUnitPath') tests.push((u) => u.orgUnitPath === value || u.orgUnitPath.startsWith(`${value}/`));
    else if (field === 'isSuspended') tests.push((u) => u.suspended === (value === 'true'));
    else return 'invalid';
  }
  if (tests.length === 0) return 'invalid';
  return (u) => tests.every((t) => t(u));
}

function endpointOf(req: FakeRequest): string {
  const path = req.path.replace(/\/+$/, '');
  if (path === '/token') return 'token';
  return path === usersPath ? 'users' : 'other';
}

/** Opaque to clients, like Google's; this one carries an offset. */
function writeToken(offset: number): string {
  return Buffer.from(`users:${offset}`).toString('base64url');
}

function readToken(raw: string): number | undefined {
  const match = /^users:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
