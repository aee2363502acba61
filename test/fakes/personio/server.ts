import { setTimeout as delay } from 'node:timers/promises';
import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { createRateLimiter, type RateLimiter } from '../shared/rate-limit.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import { createTokenStore, type FakeCredential, type TokenStore } from './auth.js';
import type { FakePersonioCompany } from './company.js';
import { scenarioCompany } from './scenario.js';
import { v1Auth, v1Employees, v1Error, type PersonioVariants, type V1Context } from './v1.js';
import { v2Employments, v2Error, v2OrgUnit, v2Persons, v2Token, type V2Context } from './v2.js';

export type Endpoint = 'v1.auth' | 'v1.employees' | 'v2.token' | 'v2.persons' | 'v2.employments' | 'v2.org-units' | 'other';
/** Limits apply per group: Personio's auth endpoints, the v1 employee list, everything v2. */
export type LimitGroup = 'auth' | 'employees' | 'v2';

export interface LimitSetting {
  limit: number;
  windowMs?: number;
  /** A second, shorter window (Personio: 15 per second on the employee list). */
  burst?: { limit: number; windowMs: number };
  /** Send `Retry-After` (seconds) with the 429; Personio documents none. */
  retryAfter?: boolean;
}

export interface FakePersonioOptions {
  company?: FakePersonioCompany;
  credentials?: Record<string, FakeCredential>;
  /** The clock for token expiry and rate windows; share a virtual one with the connector. */
  now?: () => number;
  tokenTtlS?: number;
  limits?: Partial<Record<LimitGroup, LimitSetting>>;
  /** Extra time each endpoint takes, inside the handler (so in-flight counts see it). */
  latencyMs?: Partial<Record<Endpoint, number>>;
  variants?: Partial<PersonioVariants>;
}

export interface FakePersonio {
  url: string;
  company: FakePersonioCompany;
  credentials: Map<string, FakeCredential>;
  tokens: TokenStore;
  faults: FaultPlan;
  latencyMs: Partial<Record<Endpoint, number>>;
  /** Page index (0-based) → v1 attributes that page leaves out. */
  dropOnPage: Map<number, string[]>;
  /** Account variants; change them at any time. */
  variants: PersonioVariants;
  /** Org unit ids whose lookup fails with a 500 every time (a unit Personio cannot render). */
  brokenOrgUnits: Set<string>;
  setLimit(group: LimitGroup, setting: LimitSetting | undefined): void;
  /** Clock times at which requests reached each endpoint's handler (throttled ones included). */
  arrivals: Record<Endpoint, number[]>;
  /** Employment requests in flight now, and the most ever at once. */
  inFlight: { employments: number; maxEmployments: number };
  requests: RequestRecord[];
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

export const defaultClient = { id: 'test-client', secret: 'test-secret' };

/** Personio v1 and v2 on 127.0.0.1 (port chosen by the OS), sharing one company. */
export async function startFakePersonio(options: FakePersonioOptions = {}): Promise<FakePersonio> {
  const now = options.now ?? Date.now;
  const company = options.company ?? scenarioCompany();
  const credentials = new Map(Object.entries(options.credentials ?? { [defaultClient.id]: { secret: defaultClient.secret } }));
  const tokens = createTokenStore(now, options.tokenTtlS ?? 86_400);
  const faults = createFaultPlan();
  const limiters = new Map<LimitGroup, { setting: LimitSetting; main: RateLimiter; burst?: RateLimiter }>();
  const setLimit = (group: LimitGroup, setting: LimitSetting | undefined) => {
    if (!setting) return void limiters.delete(group);
    const main = createRateLimiter({ limit: setting.limit, windowMs: setting.windowMs ?? 60_000, now });
    const burst = setting.burst && createRateLimiter({ ...setting.burst, now });
    limiters.set(group, { setting, main, ...(burst ? { burst } : {}) });
  };
  for (const [group, setting] of Object.entries(options.limits ?? {})) setLimit(group as LimitGroup, setting);
  const endpoints: Endpoint[] = ['v1.auth', 'v1.employees', 'v2.token', 'v2.persons', 'v2.employments', 'v2.org-units', 'other'];
  const arrivals = Object.fromEntries(endpoints.map((e) => [e, [] as number[]])) as Record<Endpoint, number[]>;
  const inFlight = { employments: 0, maxEmployments: 0 };
  const latencyMs = { ...options.latencyMs };
  const dropOnPage = new Map<number, string[]>();
  const brokenOrgUnits = new Set<string>();
  let origin = '';
  const variants: PersonioVariants = { offsetIsPage: false, ...options.variants };
  const v1: V1Context = { company, credentials, tokens, dropOnPage, variants };
  const v2: V2Context = { company, credentials, tokens, origin: () => origin };

  async function handle(req: FakeRequest): Promise<Reply> {
    const { endpoint, id } = route(req);
    arrivals[endpoint].push(now());
    const throttled = throttle(endpoint);
    if (throttled) return throttled;
    const isEmployments = endpoint === 'v2.employments';
    if (isEmployments) inFlight.maxEmployments = Math.max(inFlight.maxEmployments, ++inFlight.employments);
    try {
      if (latencyMs[endpoint]) await delay(latencyMs[endpoint]);
      return dispatch(req, endpoint, id);
    } finally {
      if (isEmployments) inFlight.employments--;
    }
  }

  function throttle(endpoint: Endpoint): Reply | undefined {
    const group: LimitGroup | undefined =
      endpoint === 'v1.auth' || endpoint === 'v2.token' ? 'auth' : endpoint === 'v1.employees' ? 'employees' : endpoint.startsWith('v2.') ? 'v2' : undefined;
    const limiter = group && limiters.get(group);
    if (!limiter) return undefined;
    const verdict = limiter.burst?.hit() ?? { allowed: true as const };
    const final = verdict.allowed ? limiter.main.hit() : verdict;
    if (final.allowed) return undefined;
    const reply = endpoint.startsWith('v1.') ? v1Error(429, 'Too Many Requests') : v2Error(429, 'Too Many Requests', 'rate limit exceeded');
    if (limiter.setting.retryAfter) reply.headers = { ...reply.headers, 'Retry-After': String(Math.max(1, Math.ceil(final.retryAfterMs / 1000))) };
    return reply;
  }

  function dispatch(req: FakeRequest, endpoint: Endpoint, id: string): Reply {
    if (endpoint === 'v1.auth') return v1Auth(req, v1);
    if (endpoint === 'v2.token') return v2Token(req, v2);
    if (endpoint === 'other') return { status: 404, body: { error: 'Not Found' } };
    const isV1 = endpoint === 'v1.employees';
    const who = tokens.check(req.headers.authorization);
    if (who === 'missing') return isV1 ? v1Error(401, 'Authorization header is missing') : v2Error(401, 'Unauthorized', 'missing bearer token');
    const credential = who === 'invalid' ? undefined : credentials.get(who.clientId);
    // A credential deleted after its token was issued is as dead as an expired token.
    if (!credential) return isV1 ? v1Error(401, 'The token is invalid or has expired') : v2Error(401, 'Unauthorized', 'invalid or expired token');
    switch (endpoint) {
      case 'v1.employees':
        return v1Employees(req, v1, credential);
      case 'v2.persons':
        return v2Persons(req, v2, credential);
      case 'v2.employments':
        return v2Employments(id, v2, credential);
      case 'v2.org-units':
        return credential.access === 'none' ? v2Error(403, 'Forbidden', 'no access') : v2OrgUnit(id, req.query.get('type'), brokenOrgUnits);
      default: {
        const never: never = endpoint;
        return never;
      }
    }
  }

  const server = await startFakeServer({ faults, endpointOf: (req) => route(req).endpoint, handle });
  origin = server.url;
  return {
    url: server.url,
    company,
    credentials,
    tokens,
    faults,
    latencyMs,
    dropOnPage,
    brokenOrgUnits,
    variants,
    setLimit,
    arrivals,
    inFlight,
    requests: server.requests,
    counts: () => countRequests(server.requests),
    resetCounts() {
      server.requests.splice(0);
      for (const e of endpoints) arrivals[e].splice(0);
      inFlight.maxEmployments = inFlight.employments;
    },
    close: server.close,
  };
}

function route(req: FakeRequest): { endpoint: Endpoint; id: string } {
  const path = req.path.replace(/\/+$/, '');
  if (req.method === 'POST' && path === '/v1/auth') return { endpoint: 'v1.auth', id: '' };
  if (req.method === 'GET' && path === '/v1/company/employees') return { endpoint: 'v1.employees', id: '' };
  if (req.method === 'POST' && path === '/v2/auth/token') return { endpoint: 'v2.token', id: '' };
  if (req.method === 'GET' && path === '/v2/persons') return { endpoint: 'v2.persons', id: '' };
  const employments = /^\/v2\/persons\/([^/]+)\/employments$/.exec(path);
  if (req.method === 'GET' && employments) return { endpoint: 'v2.employments', id: decodeURIComponent(employments[1]!) };
  const unit = /^\/v2\/org-units\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && unit) return { endpoint: 'v2.org-units', id: decodeURIComponent(unit[1]!) };
  return { endpoint: 'other', id: '' };
}
