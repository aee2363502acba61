import { createHash } from 'node:crypto';
import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import { createFakeAuth, type FakeAuth, type FakeKey, type PartnerApp } from './auth.js';
import type { FakePayfitCompany, FakePayfitPerson } from './company.js';
import { defaultRender, renderCollaborator, renderContract, type RenderOptions } from './render.js';
import { scenarioCompany } from './scenario.js';

export interface FakePayfitOptions {
  company?: FakePayfitCompany;
  /** Customer keys by token (default: one key with every scope). */
  keys?: Record<string, Partial<FakeKey>>;
  apps?: PartnerApp[];
  /** Clock for the per-second window; share a virtual one with the connector. */
  now?: () => number;
  /** Requests a second per client application (20, or 50 for reads by the other version of the page); false: none. */
  perSecond?: number | false;
  render?: Partial<RenderOptions>;
  /** Error bodies are undocumented (?): `{message}`, OAuth-style `{error, error_description}`, or text. */
  errorBodies?: 'message' | 'oauth' | 'text';
  /** Introspection's `scope`: a space-separated string (documented) or an array. */
  scopeFormat?: 'string' | 'array';
}

export interface FakePayfit {
  url: string;
  company: FakePayfitCompany;
  auth: FakeAuth;
  faults: FaultPlan;
  render: RenderOptions;
  /** Clock times at which API requests reached the limiter (throttled ones included), per client. */
  arrivals: number[];
  /** `maxResults` as each list request asked for it. */
  pageSizes: Array<string | null>;
  requests: RequestRecord[];
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

const listPath = /^\/companies\/([^/]+)\/(collaborators|contracts)\/?$/;
const scopeFor = { collaborators: 'collaborators:read', contracts: 'contracts:read' } as const;

/** PayFit's partner API and OAuth host on 127.0.0.1 (one origin: `/companies/…`, `/introspect`, `/token`). */
export async function startFakePayfit(options: FakePayfitOptions = {}): Promise<FakePayfit> {
  const now = options.now ?? Date.now;
  const company = options.company ?? scenarioCompany();
  const auth = createFakeAuth(company.id, { ...(options.keys ? { keys: options.keys } : {}), ...(options.apps ? { apps: options.apps } : {}) });
  const render: RenderOptions = { ...defaultRender, ...options.render };
  const faults = createFaultPlan();
  const perSecond = options.perSecond ?? 20;
  const windows = new Map<string, number[]>();
  const arrivals: number[] = [];
  const pageSizes: Array<string | null> = [];
  type ContractRow = [FakePayfitPerson, FakePayfitPerson['contracts'][number]];
  let contractsCache: { version: number; all: ContractRow[]; final: ContractRow[] } | undefined;

  function error(status: number, message: string, oauthError = 'invalid_request'): Reply {
    switch (options.errorBodies ?? 'message') {
      case 'oauth':
        return { status, body: { error: oauthError, error_description: message } };
      case 'text':
        return { status, headers: { 'Content-Type': 'text/plain' }, body: message };
      default:
        return { status, body: { message } };
    }
  }

  /** A sliding one-second window per client application; every answer says what is left. */
  function limit(clientId: string): { headers: Record<string, string>; throttled: boolean } {
    const t = now();
    arrivals.push(t);
    if (perSecond === false) return { headers: {}, throttled: false };
    const window = (windows.get(clientId) ?? []).filter((at) => at > t - 1000);
    windows.set(clientId, window);
    const throttled = window.length >= perSecond;
    if (!throttled) window.push(t);
    return {
      headers: { 'X-RateLimit-Limit-Second': String(perSecond), 'X-RateLimit-Remaining-Second': String(Math.max(0, perSecond - window.length)) },
      throttled,
    };
  }

  function params(req: FakeRequest): Record<string, string> | undefined {
    const type = String(req.headers['content-type'] ?? '');
    if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.body));
    try {
      const json = JSON.parse(req.body) as unknown;
      return typeof json === 'object' && json !== null ? Object.fromEntries(Object.entries(json).map(([k, v]) => [k, String(v)])) : undefined;
    } catch {
      return undefined;
    }
  }

  function handle(req: FakeRequest): Reply {
    const path = req.path.replace(/\/+$/, '') || '/';
    if (req.method === 'POST' && path === '/introspect') {
      const body = params(req);
      if (!body?.token) return error(400, 'token is required');
      const key = auth.lookup(`Bearer ${body.token}`);
      if (!key) return { status: 200, body: { active: false } };
      const scope = options.scopeFormat === 'array' ? [...key.scopes] : [...key.scopes].join(' ');
      return { status: 200, body: { active: true, scope, client_id: key.clientId, company_id: key.companyId, token_type: 'bearer' } };
    }
    if (req.method === 'POST' && path === '/token') {
      const result = auth.exchange(params(req) ?? {});
      if ('token' in result) return { status: 200, body: { access_token: result.token, token_type: 'bearer' } };
      return { status: result.status, body: { error: result.error, error_description: result.description } };
    }
    const match = listPath.exec(path);
    if (!match || req.method !== 'GET') return error(404, 'Not Found', 'not_found');
    const key = auth.lookup(req.headers.authorization);
    if (!key) return error(401, 'Unauthorized', 'invalid_token');
    const { headers, throttled } = limit(key.clientId);
    if (throttled) return { status: 429, headers, body: { message: 'API rate limit exceeded' } };
    const [, companyId, list] = match as unknown as [string, string, 'collaborators' | 'contracts'];
    if (decodeURIComponent(companyId) !== key.companyId) return { ...error(403, 'Forbidden: the token does not give access to this company', 'forbidden'), headers };
    if (!key.scopes.has(scopeFor[list])) return { ...error(403, `Forbidden: missing scope ${scopeFor[list]}`, 'insufficient_scope'), headers };
    const page = paging(req, list);
    if ('status' in page) return { ...page, headers };
    const contracts = list === 'contracts' ? contractList(req.query.get('includeInProgressContracts') === 'true') : [];
    const items = list === 'collaborators'
      ? company.list().slice(page.offset, page.offset + page.size).map((p) => renderCollaborator(company, p, key.scopes, render))
      : contracts.slice(page.offset, page.offset + page.size).map(([p, c]) => renderContract(company, p, c, render));
    const total = list === 'collaborators' ? company.size() : contracts.length;
    const end = page.offset + page.size;
    const next = end < total ? token(list, end) : undefined;
    const meta = next !== undefined ? { nextPageToken: next } : render.lastPage === 'null' ? { nextPageToken: null } : {};
    const body = JSON.stringify({ [list]: items, meta });
    return { status: 200, headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8', ETag: `"${createHash('sha1').update(body).digest('base64url')}"` }, body };
  }

  /** `maxResults` 1–50, 10 when absent, capped at 50; `nextPageToken` opaque and per list. */
  function paging(req: FakeRequest, list: string): { offset: number; size: number } | Reply {
    const max = req.query.get('maxResults');
    pageSizes.push(max);
    const size = max === null ? 10 : Number(max);
    if (!Number.isInteger(size) || size < 1) return error(400, 'maxResults must be an integer between 1 and 50');
    const raw = req.query.get('nextPageToken');
    let offset = 0;
    if (raw !== null && raw !== '') {
      const decoded = readToken(raw);
      if (!decoded || decoded.list !== list) return error(400, 'Invalid nextPageToken');
      offset = decoded.offset;
    }
    return { offset, size: Math.min(size, 50) };
  }

  /** Active and pending contracts and those archived in the last year, not the full history. */
  function contractList(inProgress: boolean) {
    if (!contractsCache || contractsCache.version !== company.version()) {
      const yearAgo = new Date(Date.parse(`${company.today}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
      const all: ContractRow[] = [];
      for (const p of company.list()) for (const c of p.contracts) if (c.endDate === null || c.endDate >= yearAgo) all.push([p, c]);
      contractsCache = { version: company.version(), all, final: all.filter(([, c]) => !c.inCreation) };
    }
    return inProgress ? contractsCache.all : contractsCache.final;
  }

  const server = await startFakeServer({ faults, endpointOf, handle });
  return {
    url: server.url,
    company,
    auth,
    faults,
    render,
    arrivals,
    pageSizes,
    requests: server.requests,
    counts: () => countRequests(server.requests),
    resetCounts() {
      server.requests.splice(0);
      arrivals.splice(0);
      pageSizes.splice(0);
    },
    close: server.close,
  };
}

function endpointOf(req: FakeRequest): string {
  const path = req.path.replace(/\/+$/, '');
  if (path === '/introspect' || path === '/token') return path.slice(1);
  return listPath.exec(path)?.[2] ?? 'other';
}

function token(list: string, offset: number): string {
  return Buffer.from(JSON.stringify({ l: list, o: offset })).toString('base64url');
}

function readToken(raw: string): { list: string; offset: number } | undefined {
  try {
    const json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { l?: unknown; o?: unknown };
    return typeof json.l === 'string' && Number.isInteger(json.o) && (json.o as number) >= 0 ? { list: json.l, offset: json.o as number } : undefined;
  } catch {
    return undefined;
  }
}
