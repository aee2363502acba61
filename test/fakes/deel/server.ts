import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { createRateLimiter, type RateLimiter } from '../shared/rate-limit.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import type { FakeDeelCompany, FakeDeelPerson } from './company.js';
import { customFieldDefinitions, customFieldValues } from './custom-fields.js';
import { errorReply, rateLimitReply, type ErrorShape } from './errors.js';
import { createOAuth, type FakeOAuthApp } from './oauth.js';
import { renderPerson, type ManagerForm } from './render.js';
import { scenarioCompany } from './scenario.js';

/** An organisation or personal API token from the Developer Center. */
export interface FakeApiToken {
  scopes: readonly string[];
  /** Deel documents no expiry (?): by default none; a clock time makes it expire. */
  expiresAt?: number;
  /** Top-level fields this token may not see (a personal token of a restricted user). */
  hidden?: readonly string[];
}

/** The (?) variants of the documentation, each playable. */
export interface DeelVariants {
  /** `limit` ceiling: 200 (current reference) or 100 (older guide). */
  maxLimit: 100 | 200;
  /** Above the ceiling: 400 (validation error) or silently served at the ceiling. */
  overLimit: 'reject' | 'clamp';
  /** Added to `total_rows`: it may overstate what is returned. */
  totalRowsExtra: number;
  /** One short page that is not the last: at this offset, only `size` people. */
  shortPage?: { offset: number; size: number };
  /** Without a `hiring_statuses[]` filter, are inactive people listed? */
  leaversListed: boolean;
  errorShape: ErrorShape;
  rateLimitBody: 'rate-limit-page' | 'container';
  managerForm: ManagerForm;
  /** The current page says the limit is the organisation's (all tokens share it); an older one said per token. */
  rateLimitScope: 'organisation' | 'token';
  /** Scopes that grant `/people`: `people:read`, and in the OpenAPI file also `Users:read`. */
  peopleScopes: readonly string[];
}

export interface FakeDeelOptions {
  company?: FakeDeelCompany;
  tokens?: Record<string, FakeApiToken>;
  oauthApps?: FakeOAuthApp[];
  /** Clock for rate windows and token expiry; share a virtual one with the connector. */
  now?: () => number;
  /** Requests a second per organisation (rolling one-second window); off when undefined. */
  perSecond?: number;
  variants?: Partial<DeelVariants>;
}

export interface FakeDeel {
  /** The API base (`…/rest/v2`), as a connection names it. */
  url: string;
  origin: string;
  company: FakeDeelCompany;
  tokens: Map<string, FakeApiToken>;
  oauth: ReturnType<typeof createOAuth>;
  faults: FaultPlan;
  variants: DeelVariants;
  setRateLimit(perSecond: number | undefined): void;
  /** Clock times at which `/people` requests arrived (throttled ones included). */
  arrivals: number[];
  /** Query strings of `/people` requests, in order. */
  queries: URLSearchParams[];
  requests: RequestRecord[];
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

export const defaultToken = 'deel-org-token-3f9c';
export const defaultApp: FakeOAuthApp = { clientId: 'rollcall-app', clientSecret: 'app-secret', redirectUri: 'https://rollcall.test/oauth/deel' };
export const apiPrefix = '/rest/v2';

const sortable: Record<string, (p: FakeDeelPerson) => string | number> = {
  id: (p) => p.id,
  worker_id: (p) => p.workerId,
  full_name: (p) => `${p.firstName} ${p.lastName}`,
  start_date: (p) => p.startDate,
  hiring_status: (p) => p.hiringStatus,
};
const hiringStatuses = new Set(['active', 'inactive', 'onboarding', 'offboarding']);

/** Deel's `GET /rest/v2/people` and `POST /oauth2/tokens` on 127.0.0.1. */
export async function startFakeDeel(options: FakeDeelOptions = {}): Promise<FakeDeel> {
  const now = options.now ?? Date.now;
  const company = options.company ?? scenarioCompany();
  const tokens = new Map(Object.entries(options.tokens ?? { [defaultToken]: { scopes: ['people:read'] } }));
  const oauth = createOAuth(options.oauthApps ?? [defaultApp], now);
  const variants: DeelVariants = {
    maxLimit: 200, overLimit: 'reject', totalRowsExtra: 0, leaversListed: true, errorShape: 'container', rateLimitBody: 'rate-limit-page', managerForm: 'full',
    rateLimitScope: 'organisation', peopleScopes: ['people:read'],
    ...options.variants,
  };
  const faults = createFaultPlan();
  let perSecond: number | undefined;
  const limiters = new Map<string, RateLimiter>();
  const setRateLimit = (limit: number | undefined) => {
    perSecond = limit;
    limiters.clear();
  };
  /** The limiter a request counts against: the organisation's, or its token's in the older reading. */
  const limiterFor = (req: FakeRequest): RateLimiter | undefined => {
    if (perSecond === undefined) return undefined;
    const key = variants.rateLimitScope === 'token' ? (req.headers.authorization ?? '') : 'organisation';
    let limiter = limiters.get(key);
    if (!limiter) limiters.set(key, (limiter = createRateLimiter({ limit: perSecond, windowMs: 1000, now })));
    return limiter;
  };
  setRateLimit(options.perSecond);
  const arrivals: number[] = [];
  const queries: URLSearchParams[] = [];
  // Filtering and sorting 50,000 people per page would dominate the fake's time: one view per query and company version.
  let sorted: { key: string; version: number; people: FakeDeelPerson[] } | undefined;

  function authenticate(req: FakeRequest): { hidden: ReadonlySet<string> } | Reply {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) return errorReply(variants.errorShape, req, 401, 'Missing authorization token');
    const api = tokens.get(bearer);
    if (api) {
      if (api.expiresAt !== undefined && now() >= api.expiresAt) return errorReply(variants.errorShape, req, 401, 'Token has expired');
      if (!api.scopes.some((scope) => variants.peopleScopes.includes(scope))) return errorReply(variants.errorShape, req, 403, 'Token is missing the required scope: people:read');
      return { hidden: new Set(api.hidden ?? []) };
    }
    const access = oauth.check(bearer);
    if (access === undefined || access === 'revoked') return errorReply(variants.errorShape, req, 401, 'Invalid token');
    if (access === 'expired') return errorReply(variants.errorShape, req, 401, 'Token has expired');
    if (!access.scopes.some((scope) => variants.peopleScopes.includes(scope))) return errorReply(variants.errorShape, req, 403, 'Token is missing the required scope: people:read');
    return { hidden: new Set() };
  }

  function handle(req: FakeRequest): Reply {
    const path = req.path.replace(/\/+$/, '');
    if (path === '/oauth2/tokens') return req.method === 'POST' ? oauth.tokens(req) : errorReply(variants.errorShape, req, 405, 'Method not allowed');
    const custom = customFieldsPath(path);
    if (custom) return customFields(req, custom);
    if (path !== `${apiPrefix}/people`) return errorReply(variants.errorShape, req, 404, 'path not found');
    if (req.method !== 'GET') return errorReply(variants.errorShape, req, 405, 'Method not allowed');
    arrivals.push(now());
    queries.push(req.query);
    // The limit counts every request of the organisation, refused ones included.
    const limiter = limiterFor(req);
    if (limiter && !limiter.hit().allowed) return rateLimitReply(variants.rateLimitBody, req);
    const auth = authenticate(req);
    if ('status' in auth) return auth;
    return list(req, auth.hidden);
  }

  /** `/people/custom_fields` (definitions) and `/people/{id}/custom_fields` (one worker's values), scope people:read. */
  function customFields(req: FakeRequest, target: { personId?: string }): Reply {
    if (req.method !== 'GET') return errorReply(variants.errorShape, req, 405, 'Method not allowed');
    const limiter = limiterFor(req);
    if (limiter && !limiter.hit().allowed) return rateLimitReply(variants.rateLimitBody, req);
    const auth = authenticate(req);
    if ('status' in auth) return auth;
    if (target.personId === undefined) return { status: 200, body: { data: customFieldDefinitions() } };
    if (!company.get(target.personId)) return errorReply(variants.errorShape, req, 404, 'Worker not found', 'worker_id');
    return { status: 200, body: { data: customFieldValues(target.personId) } };
  }

  function list(req: FakeRequest, hidden: ReadonlySet<string>): Reply {
    const q = req.query;
    const offset = q.has('offset') ? Number(q.get('offset')) : 0;
    let limit = q.has('limit') ? Number(q.get('limit')) : 100;
    if (!Number.isInteger(offset) || offset < 0) return errorReply(variants.errorShape, req, 400, 'offset must be a non-negative integer', 'offset');
    if (!Number.isInteger(limit) || limit < 1) return errorReply(variants.errorShape, req, 400, `limit must be between 1 and ${variants.maxLimit}`, 'limit');
    if (limit > variants.maxLimit) {
      if (variants.overLimit === 'reject') return errorReply(variants.errorShape, req, 400, `limit must be between 1 and ${variants.maxLimit}`, 'limit');
      limit = variants.maxLimit;
    }
    const sortBy = q.get('sort_by');
    if (sortBy !== null && !(sortBy in sortable)) return errorReply(variants.errorShape, req, 400, `sort_by must be one of ${Object.keys(sortable).join(', ')}`, 'sort_by');
    const order = q.get('sort_order') ?? 'asc';
    if (order !== 'asc' && order !== 'desc') return errorReply(variants.errorShape, req, 400, 'sort_order must be asc or desc', 'sort_order');
    const statuses = [...q.getAll('hiring_statuses[]'), ...q.getAll('hiring_statuses')];
    if (statuses.some((s) => !hiringStatuses.has(s))) return errorReply(variants.errorShape, req, 400, 'hiring_statuses must be active, inactive, onboarding or offboarding', 'hiring_statuses');

    const people = view(sortBy, order, statuses);
    let size = limit;
    if (variants.shortPage && variants.shortPage.offset === offset) size = Math.min(size, variants.shortPage.size);
    const page = people.slice(offset, offset + size);
    return {
      status: 200,
      body: {
        data: page.map((p) => renderPerson(company, p, { managerForm: variants.managerForm, hidden })),
        page: { offset, total_rows: people.length + variants.totalRowsExtra, items_per_page: limit },
      },
    };
  }

  /** The people a query lists, in its order: cached until the company or the query changes. */
  function view(sortBy: string | null, order: string, statuses: readonly string[]): FakeDeelPerson[] {
    const key = `${sortBy}:${order}:${[...statuses].sort().join()}:${variants.leaversListed}`;
    if (sorted?.key !== key || sorted.version !== company.version) {
      const wanted = statuses.length ? new Set(statuses) : undefined;
      const people = company.list().filter((p) => (wanted ? wanted.has(p.hiringStatus) : variants.leaversListed || p.hiringStatus !== 'inactive'));
      if (sortBy !== null) {
        const get = sortable[sortBy]!;
        people.sort((a, b) => (get(a) < get(b) ? -1 : get(a) > get(b) ? 1 : 0));
        if (order === 'desc') people.reverse();
      }
      sorted = { key, version: company.version, people };
    }
    return sorted.people;
  }

  const server = await startFakeServer({
    faults,
    endpointOf: (req) => {
      const path = req.path.replace(/\/+$/, '');
      const custom = customFieldsPath(path);
      if (custom) return custom.personId === undefined ? 'custom_fields' : 'person.custom_fields';
      return path === `${apiPrefix}/people` ? 'people' : path === '/oauth2/tokens' ? 'oauth.tokens' : 'other';
    },
    handle,
  });
  return {
    url: `${server.url}${apiPrefix}`,
    origin: server.url,
    company,
    tokens,
    oauth,
    faults,
    variants,
    setRateLimit,
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

function customFieldsPath(path: string): { personId?: string } | undefined {
  if (path === `${apiPrefix}/people/custom_fields`) return {};
  const m = new RegExp(`^${apiPrefix}/people/([^/]+)/custom_fields$`).exec(path);
  return m ? { personId: decodeURIComponent(m[1]!) } : undefined;
}
