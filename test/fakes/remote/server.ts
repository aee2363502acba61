import { randomBytes } from 'node:crypto';
import { customFieldsOf } from '../shared/custom-fields.js';
import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import { pendingStatuses, type FakeEmployment, type FakeRemoteCompany } from './company.js';
import { generateCompany } from './generate.js';
import { defaultRender, renderDetail, renderListItem, renderOffboarding, type RenderOptions } from './render.js';

export const defaultApiToken = 'ra_test_3f9a0c1d2e4b5a6978c0d1e2f3a4b5c6';
export const defaultPartner = { id: 'rollcall-partner', secret: 'partner-secret-9b1c' };
/** Per-area partner scopes (?): what a company grants the partner application. */
export const allScopes = ['employment:read', 'offboarding:read', 'custom_field_value:read'] as const;
/** The company's custom fields (`GET /v1/custom-fields` would list them); values come from the shared fixture. */
export const fakeCustomFields = [
  { id: 'a1f0c3e2-5b7d-4c1e-9f00-00000000bad9', name: 'Badge', key: 'badge' },
  { id: 'a1f0c3e2-5b7d-4c1e-9f00-0000000c0de5', name: 'Cost code', key: 'costCode' },
] as const;

interface Grant {
  companyId: string | null;
  /** The partner client id, or null for a customer API token. */
  clientId: string | null;
  expiresAt: number;
  scopes: Set<string>;
}

export interface FakeRemoteOptions {
  company?: FakeRemoteCompany;
  /** Clock for the rate window and token expiry; share a virtual one with the connector. */
  now?: () => number;
  /** Customer tokens' requests a minute per company (20); false: no limit. */
  customerPerMinute?: number | false;
  /** Partner requests a minute per client id, token requests included (250). */
  partnerPerMinute?: number;
  /** `x-ratelimit-reset` as milliseconds until the reset (default) or as an epoch in ms. */
  resetHeader?: 'delta_ms' | 'epoch_ms';
  /** The largest `page_size` honoured (?): 100, or 20 on lists that cap at the default. */
  maxPageSize?: number;
  /** Access token lifetime, seconds (3600). */
  tokenLifetimeS?: number;
  /** The refresh grant hands out a new refresh token each time (the old one then stops working). */
  rotateRefreshTokens?: boolean;
  /** Enforce per-area scopes on partner tokens (?). */
  enforceScopes?: boolean;
  render?: Partial<RenderOptions>;
}

export interface FakeRemote {
  url: string;
  company: FakeRemoteCompany;
  faults: FaultPlan;
  render: RenderOptions;
  /** Clock times at which authenticated requests reached the limiter (throttled ones included). */
  arrivals: number[];
  /** `page_size` as each list request asked for it. */
  pageSizes: Array<string | null>;
  requests: RequestRecord[];
  /** The company authorises the partner app: the refresh token the code exchange would give. */
  authorize(scopes?: readonly string[]): string;
  /** Revokes a customer API token or refresh token. */
  revoke(token: string): void;
  /** Access tokens the token endpoint has issued. */
  readonly tokensIssued: number;
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

/**
 * Remote's gateway on 127.0.0.1: `/v1/employments`, `/v1/employments/{id}`,
 * `/v1/employments/{id}/custom-fields`, `/v1/offboardings`, `/auth/oauth2/token`.
 */
export async function startFakeRemote(options: FakeRemoteOptions = {}): Promise<FakeRemote> {
  const now = options.now ?? Date.now;
  const company = options.company ?? generateCompany({ seed: 1, size: 40 });
  const render: RenderOptions = { ...defaultRender, ...options.render };
  const faults = createFaultPlan();
  const maxPageSize = options.maxPageSize ?? 100;
  const lifetimeMs = (options.tokenLifetimeS ?? 3600) * 1000;
  const tokens = new Map<string, Grant>([[defaultApiToken, { companyId: company.id, clientId: null, expiresAt: Infinity, scopes: new Set(allScopes) }]]);
  const refreshTokens = new Map<string, { companyId: string; scopes: Set<string> }>();
  const windows = new Map<string, { start: number; count: number }>();
  const arrivals: number[] = [];
  const pageSizes: Array<string | null> = [];
  let tokensIssued = 0;
  const listCache = new Map<string, { version: number; items: FakeEmployment[] }>();

  const message = (status: number, text: string, headers: Record<string, string> = {}): Reply => ({ status, headers, body: { message: text } });

  /** A fixed one-minute window per company (customer tokens) or per client id (partners). */
  function limit(key: string, perMinute: number | false): { headers: Record<string, string>; throttled: boolean } {
    const t = now();
    arrivals.push(t);
    if (perMinute === false) return { headers: {}, throttled: false };
    let w = windows.get(key);
    if (!w || t >= w.start + 60_000) windows.set(key, (w = { start: t, count: 0 }));
    const throttled = w.count >= perMinute;
    if (!throttled) w.count++;
    const resetMs = w.start + 60_000 - t;
    return {
      headers: {
        'x-ratelimit-count': String(w.count),
        'x-ratelimit-remaining': String(Math.max(0, perMinute - w.count)),
        'x-ratelimit-reset': String(options.resetHeader === 'epoch_ms' ? w.start + 60_000 : resetMs),
      },
      throttled,
    };
  }

  function issue(companyId: string | null, scopes: Set<string>): string {
    const token = `ra_oauth_${randomBytes(18).toString('hex')}`;
    tokens.set(token, { companyId, clientId: defaultPartner.id, expiresAt: now() + lifetimeMs, scopes });
    tokensIssued++;
    return token;
  }

  function tokenEndpoint(req: FakeRequest): Reply {
    const basic = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    if (id !== defaultPartner.id || secret !== defaultPartner.secret) return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
    // Token requests count against the partner's budget.
    const { headers, throttled } = limit(`client:${id}`, options.partnerPerMinute ?? 250);
    if (throttled) return message(429, 'Too many requests', headers);
    const form = new URLSearchParams(req.body);
    const grant = form.get('grant_type');
    const body = (token: string, refresh?: string) => ({ status: 200, headers, body: { access_token: token, token_type: 'Bearer', expires_in: lifetimeMs / 1000, ...(refresh ? { refresh_token: refresh } : {}) } });
    if (grant === 'client_credentials') return body(issue(null, new Set()));
    if (grant === 'refresh_token') {
      const stored = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!stored) return { status: 400, headers, body: { error: 'invalid_grant', error_description: 'The refresh token is invalid or revoked' } };
      let rotated: string | undefined;
      if (options.rotateRefreshTokens) {
        refreshTokens.delete(form.get('refresh_token')!);
        rotated = `ra_refresh_${randomBytes(18).toString('hex')}`;
        refreshTokens.set(rotated, stored);
      }
      return body(issue(stored.companyId, stored.scopes), rotated);
    }
    return { status: 400, headers, body: { error: 'unsupported_grant_type', error_description: `grant_type ${grant ?? '(none)'} is not supported` } };
  }

  function authenticate(req: FakeRequest): Grant | Reply {
    const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]?.trim();
    const grant = bearer === undefined ? undefined : tokens.get(bearer);
    if (!grant) return message(401, 'Unauthorized');
    if (now() >= grant.expiresAt) return message(401, 'The access token expired');
    return grant;
  }

  /** `page` from 1, `page_size` default 20, capped at the maximum; bad values are a 422. */
  function paging(req: FakeRequest): { page: number; size: number } | Reply {
    const rawSize = req.query.get('page_size');
    pageSizes.push(rawSize);
    const size = rawSize === null ? 20 : Number(rawSize);
    const page = req.query.get('page') === null ? 1 : Number(req.query.get('page'));
    const errors: Record<string, string[]> = {};
    if (!Number.isInteger(size) || size < 1) errors.page_size = ['must be greater than or equal to 1'];
    if (!Number.isInteger(page) || page < 1) errors.page = ['must be greater than or equal to 1'];
    if (Object.keys(errors).length) return { status: 422, body: { errors } };
    return { page, size: Math.min(size, maxPageSize) };
  }

  function pageOf<T>(items: readonly T[], page: number, size: number) {
    return { current_page: page, total_pages: Math.ceil(items.length / size), total_count: items.length, slice: items.slice((page - 1) * size, page * size) };
  }

  /** `status` is a comma list; `incomplete` means not yet onboarded. Deleted employments never show. */
  function filtered(req: FakeRequest): FakeEmployment[] {
    const key = `${req.query.get('status') ?? ''}|${req.query.get('email') ?? ''}|${req.query.get('short_id') ?? ''}`;
    const cached = listCache.get(key);
    if (cached && cached.version === company.version()) return cached.items;
    const statuses = req.query.get('status')?.split(',').map((s) => s.trim()).filter(Boolean);
    const email = req.query.get('email')?.toLowerCase();
    const shortId = req.query.get('short_id');
    const items = company.list().filter(
      (e) =>
        e.status !== 'deleted' &&
        (!statuses || statuses.includes(e.status) || (statuses.includes('incomplete') && pendingStatuses.includes(e.status))) &&
        (!email || [e.workEmail, e.loginEmail, e.personalEmail].some((x) => x?.toLowerCase() === email)) &&
        (!shortId || e.shortId === shortId),
    );
    listCache.set(key, { version: company.version(), items });
    return items;
  }

  function handle(req: FakeRequest): Reply {
    const path = req.path.replace(/\/+$/, '') || '/';
    if (path === '/auth/oauth2/token') return req.method === 'POST' ? tokenEndpoint(req) : message(404, 'Not found');
    if (req.method !== 'GET' || !path.startsWith('/v1/')) return message(404, 'Not found');
    const grant = authenticate(req);
    if ('status' in grant) return grant;
    const { headers, throttled } = grant.clientId === null ? limit(`company:${grant.companyId}`, options.customerPerMinute ?? 20) : limit(`client:${grant.clientId}`, options.partnerPerMinute ?? 250);
    if (throttled) return message(429, 'Too many requests', headers);
    // A partner-only token (client credentials) acts for the partner, not for any company.
    if (grant.companyId === null) return message(403, 'This access token is not authorized to access company resources', headers);
    const scope = path.startsWith('/v1/offboardings') ? 'offboarding:read' : path.endsWith('/custom-fields') ? 'custom_field_value:read' : 'employment:read';
    if (grant.clientId !== null && options.enforceScopes && !grant.scopes.has(scope)) return message(403, `Missing scope ${scope}`, headers);

    if (path === '/v1/employments') {
      const p = paging(req);
      if ('status' in p) return { ...p, headers };
      const { slice, ...meta } = pageOf(filtered(req), p.page, p.size);
      return { status: 200, headers, body: { data: { ...meta, employments: slice.map(renderListItem) } } };
    }
    const detail = /^\/v1\/employments\/([^/]+)$/.exec(path);
    if (detail) {
      const e = company.get(decodeURIComponent(detail[1]!));
      if (!e || e.status === 'deleted') return message(404, 'Employment not found', headers);
      return { status: 200, headers, body: renderDetail(company, e, render) };
    }
    const customValues = /^\/v1\/employments\/([^/]+)\/custom-fields$/.exec(path);
    if (customValues) {
      const p = paging(req);
      if ('status' in p) return { ...p, headers };
      const e = company.get(decodeURIComponent(customValues[1]!));
      if (!e || e.status === 'deleted') return message(404, 'Employment not found', headers);
      const values = customFieldsOf(e.id);
      // Every field of the company, with a null value where HR left it empty.
      const all = fakeCustomFields.map((f) => ({ custom_field_id: f.id, name: f.name, type: 'text', value: values[f.key] }));
      const { slice, ...meta } = pageOf(all, p.page, p.size);
      return { status: 200, headers, body: { data: { ...meta, custom_field_values: slice } } };
    }
    if (path === '/v1/offboardings') {
      const p = paging(req);
      if ('status' in p) return { ...p, headers };
      const employmentId = req.query.get('employment_id');
      const confidential = req.query.get('include_confidential') === 'true';
      const all = (employmentId ? company.offboardingsOf(employmentId) : company.offboardings()).filter((o) => confidential || !o.confidential);
      const { slice, ...meta } = pageOf(all, p.page, p.size);
      return { status: 200, headers, body: { data: { ...meta, offboardings: slice.map(renderOffboarding) } } };
    }
    return message(404, 'Not found', headers);
  }

  const server = await startFakeServer({ faults, endpointOf, handle });
  return {
    url: server.url,
    company,
    faults,
    render,
    arrivals,
    pageSizes,
    requests: server.requests,
    authorize(scopes = allScopes) {
      const token = `ra_refresh_${randomBytes(18).toString('hex')}`;
      refreshTokens.set(token, { companyId: company.id, scopes: new Set(scopes) });
      return token;
    },
    revoke(token) {
      tokens.delete(token);
      refreshTokens.delete(token);
    },
    get tokensIssued() {
      return tokensIssued;
    },
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
  if (path === '/auth/oauth2/token') return 'token';
  if (path === '/v1/employments') return 'employments';
  if (/^\/v1\/employments\/[^/]+\/custom-fields$/.test(path)) return 'custom-fields';
  if (path.startsWith('/v1/employments/')) return 'employment';
  if (path === '/v1/offboardings') return 'offboardings';
  return 'other';
}
