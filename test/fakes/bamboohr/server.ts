import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { createRateLimiter, type RateLimiter } from '../shared/rate-limit.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import type { FakeBambooCompany } from './company.js';
import { scenarioCompany } from './scenario.js';
import { knownFields, metaFields, renderReport, type RenderOptions } from './report.js';

export interface FakeKey {
  /** `none`: the key authenticates but its user may not read employees → 403. */
  access?: 'full' | 'none';
  /** Fields this key's user may not see; left out of reports silently. */
  hiddenFields?: string[];
}

export interface RateLimitSetting {
  limit: number;
  windowMs?: number;
  /** 429 (from Sept 2026) or 503 (BambooHR's older throttling). */
  status?: 429 | 503;
  /** Send `Retry-After` (seconds) with the throttled answer. */
  retryAfter?: boolean;
}

export interface FakeBambooHrOptions {
  company?: FakeBambooCompany;
  keys?: Record<string, FakeKey>;
  rateLimit?: RateLimitSetting;
  render?: Partial<RenderOptions>;
  latencyMs?: number;
  /**
   * More accounts on the same server, as BambooHR hosts every company on one API: each under its
   * own domain (the gateway URL style, or a Host header naming its subdomain). Keys are not tied
   * to an account here.
   */
  moreCompanies?: FakeBambooCompany[];
}

export interface FakeBambooHr {
  url: string;
  /** The connector's base URL (before `/v1`) for each host style. */
  baseUrl(style: 'subdomain' | 'gateway'): string;
  company: FakeBambooCompany;
  keys: Map<string, FakeKey>;
  faults: FaultPlan;
  setRateLimit(setting: RateLimitSetting | undefined): void;
  render: RenderOptions;
  latencyMs: number;
  requests: RequestRecord[];
  /** Per endpoint (`report`, `changed`, `meta`, `other`) and per status. */
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

export const defaultKey = 'test-key';

/** A BambooHR lookalike on 127.0.0.1: both URL styles, Basic auth, report, changed, meta/fields. */
export async function startFakeBambooHr(options: FakeBambooHrOptions = {}): Promise<FakeBambooHr> {
  const company = options.company ?? scenarioCompany();
  const keys = new Map(Object.entries(options.keys ?? { [defaultKey]: {} }));
  const render: RenderOptions = { emptyAs: '', emptyDate: '', ...options.render };
  let limiter: { setting: RateLimitSetting; limiter: RateLimiter } | undefined;
  const setRateLimit = (setting: RateLimitSetting | undefined) => {
    limiter = setting && { setting, limiter: createRateLimiter({ limit: setting.limit, windowMs: setting.windowMs ?? 60_000 }) };
  };
  setRateLimit(options.rateLimit);
  const faults = createFaultPlan();
  const fake = { latencyMs: options.latencyMs ?? 0 };
  const byDomain = new Map([company, ...(options.moreCompanies ?? [])].map((c) => [c.domain, c]));
  // A loopback request names no subdomain: it reaches the first account.
  const companyOf = (domain: string | undefined) => (domain === undefined ? company : byDomain.get(domain));

  const server = await startFakeServer({
    faults,
    endpointOf: (req) => route(req, companyOf)?.endpoint ?? 'other',
    latencyMs: () => fake.latencyMs,
    limit: () =>
      limiter && {
        limiter: limiter.limiter,
        reply: (retryAfterMs): Reply => ({
          status: limiter!.setting.status ?? 429,
          headers: limiter!.setting.retryAfter ? { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) } : ({} as Record<string, string>),
          body: 'Rate limit exceeded',
        }),
      },
    handle: (req) => handle(req, companyOf, keys, render),
  });

  return Object.assign(fake, {
    url: server.url,
    baseUrl: (style: 'subdomain' | 'gateway') =>
      style === 'gateway' ? `${server.url}/api/gateway.php/${company.domain}` : `${server.url}/api`,
    company,
    keys,
    faults,
    setRateLimit,
    render,
    requests: server.requests,
    counts: () => countRequests(server.requests),
    resetCounts: () => void server.requests.splice(0),
    close: server.close,
  });
}

type CompanyOf = (domain: string | undefined) => FakeBambooCompany | undefined;

function route(req: FakeRequest, companyOf: CompanyOf): { endpoint: string; rest: string; company: FakeBambooCompany } | undefined {
  const gateway = /^\/api\/gateway\.php\/([^/]+)\/v1\/(.+?)\/?$/.exec(req.path);
  const subdomain = /^\/api\/v1\/(.+?)\/?$/.exec(req.path);
  let rest: string | undefined;
  let company: FakeBambooCompany | undefined;
  if (gateway) {
    company = companyOf(decodeURIComponent(gateway[1]!));
    if (company) rest = gateway[2];
  }
  // On loopback there is no subdomain to check unless the Host header carries one.
  const host = /^([^.]+)\.bamboohr\.com/.exec(req.headers.host ?? '');
  if (subdomain) {
    company = companyOf(host?.[1]);
    if (company) rest = subdomain[1];
  }
  if (rest === undefined || !company) return undefined;
  const endpoint = rest === 'reports/custom' ? 'report' : rest === 'employees/changed' ? 'changed' : rest === 'meta/fields' ? 'meta' : 'other';
  return { endpoint, rest, company };
}

function error(status: number, message: string): Reply {
  return { status, headers: { 'X-BambooHR-Error-Message': message }, body: '' };
}

function handle(req: FakeRequest, companyOf: CompanyOf, keys: Map<string, FakeKey>, render: RenderOptions): Reply {
  const target = route(req, companyOf);
  if (!target) return { status: 404, body: 'Not Found' };
  const { company } = target;
  const auth = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (!auth) return error(401, 'No API key provided');
  const apiKey = Buffer.from(auth[1]!, 'base64').toString('utf8').split(':')[0] ?? '';
  const key = keys.get(apiKey);
  if (!key) return error(401, 'Invalid API key');
  if (key.access === 'none') return error(403, 'You do not have access to this resource');
  const visible = (field: string) => !key.hiddenFields?.includes(field);
  const wantsJson = (req.headers.accept ?? '').includes('application/json');

  switch (`${req.method} ${target.endpoint}`) {
    case 'POST report': {
      // BambooHR parses any other content type (even with a charset) as XML and fails.
      if (req.headers['content-type'] !== 'application/json') return error(400, 'Malformed XML in request body');
      let body: { fields?: unknown };
      try {
        body = JSON.parse(req.body) as { fields?: unknown };
      } catch {
        return error(400, 'Invalid JSON in request body');
      }
      if (!Array.isArray(body.fields)) return error(400, 'Report must list fields');
      if (req.query.get('format')?.toUpperCase() !== 'JSON') return xml();
      // Without onlyCurrent=false, leavers are missing: the variant that punishes forgetting it.
      const people = company.list().filter((p) => req.query.get('onlyCurrent') === 'false' || p.status === 'Active');
      return { status: 200, body: renderReport(company, people, body.fields.map(String), visible, render) };
    }
    case 'GET changed': {
      const since = req.query.get('since') ?? '';
      if (Number.isNaN(Date.parse(since))) return error(400, 'The since parameter must be an ISO 8601 timestamp');
      if (!wantsJson) return xml();
      const changes = company.changesSince(since);
      // An empty PHP map serialises as [], a non-empty one as an object keyed by id.
      const employees = changes.length === 0 ? [] : Object.fromEntries(changes.map((c) => [c.id, c]));
      return { status: 200, body: { latest: new Date().toISOString(), employees } };
    }
    case 'GET meta':
      return wantsJson ? { status: 200, body: metaFields(visible) } : xml();
    default:
      return { status: 404, body: 'Not Found' };
  }
}

/** What BambooHR answers when JSON was not asked for properly. */
function xml(): Reply {
  return { status: 200, headers: { 'Content-Type': 'text/xml' }, body: '<?xml version="1.0"?><response/>' };
}

export { knownFields };
