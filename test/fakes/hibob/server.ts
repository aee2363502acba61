import { createFaultPlan, type FaultPlan } from '../shared/faults.js';
import { countRequests, startFakeServer, type FakeRequest, type Reply, type RequestRecord } from '../shared/server.js';
import type { FakeHibobCompany } from './company.js';
import { renderPerson, type RenderOptions } from './render.js';
import { scenarioCompany } from './scenario.js';

export interface FakeServiceUser {
  token: string;
  /** `none`: authenticates, but is in no permission group that may read people (403). */
  access?: 'full' | 'none';
  /** Field paths its permission group hides; left out of every result silently. */
  hidden?: string[];
  /** Its permission group may view People's data › Financial › Bank accounts (default yes); else 403. */
  bankAccounts?: boolean;
}

export interface SearchLimit {
  limit: number;
  windowMs?: number;
  /** `X-RateLimit-Reset` as epoch seconds (default) or seconds from now: sources disagree. */
  reset?: 'epoch' | 'delta';
  /** Also send `Retry-After` on the 429. */
  retryAfter?: boolean;
}

export interface FakeHibobOptions {
  company?: FakeHibobCompany;
  serviceUsers?: Record<string, FakeServiceUser>;
  /** Clock for rate windows; share a virtual one with the connector. */
  now?: () => number;
  limit?: SearchLimit;
  render?: Partial<RenderOptions>;
  /** After this many failed logins every request is refused (403), like HiBob's firewall. */
  blockAfterAuthFailures?: number;
  /** List item ids (department, site) HiBob has no display name for any more (deleted from the list). */
  unnamedListItems?: Iterable<string>;
}

export interface FakeHibob {
  url: string;
  company: FakeHibobCompany;
  serviceUsers: Map<string, FakeServiceUser>;
  faults: FaultPlan;
  render: RenderOptions;
  /** List item ids with no display name; change at any time. */
  unnamedListItems: Set<string>;
  setLimit(limit: SearchLimit | undefined): void;
  /** Clock times at which searches reached the handler (throttled ones included). */
  arrivals: number[];
  /** The last search body, parsed. */
  lastSearch: Record<string, unknown> | undefined;
  readonly authFailures: number;
  readonly blocked: boolean;
  requests: RequestRecord[];
  counts(): ReturnType<typeof countRequests>;
  resetCounts(): void;
  close(): Promise<void>;
}

export const defaultServiceUser = { id: 'SERVICE-1234', token: 'hibob-token' };

/**
 * HiBob's `POST /v1/people/search` (Basic auth, one unpaged answer, rate headers) and
 * `GET /v1/people/{id}/bank-accounts` on 127.0.0.1.
 */
export async function startFakeHibob(options: FakeHibobOptions = {}): Promise<FakeHibob> {
  const now = options.now ?? Date.now;
  const company = options.company ?? scenarioCompany();
  const serviceUsers = new Map(Object.entries(options.serviceUsers ?? { [defaultServiceUser.id]: { token: defaultServiceUser.token } }));
  const render: RenderOptions = { style: 'nested', humanDates: 'iso', ...options.render };
  const unnamedListItems = new Set(options.unnamedListItems ?? []);
  const faults = createFaultPlan();
  let limit = options.limit;
  let window: number[] = [];
  const state = { authFailures: 0, blocked: false, lastSearch: undefined as Record<string, unknown> | undefined };
  const arrivals: number[] = [];

  function rateHeaders(setting: SearchLimit, t: number): Record<string, string> {
    const resetAt = (window[0] ?? t) + (setting.windowMs ?? 60_000);
    const reset = setting.reset === 'delta' ? Math.ceil((resetAt - t) / 1000) : Math.ceil(resetAt / 1000);
    return {
      'X-RateLimit-Limit': String(setting.limit),
      'X-RateLimit-Remaining': String(Math.max(0, setting.limit - window.length)),
      'X-RateLimit-Reset': String(reset),
    };
  }

  function handle(req: FakeRequest): Reply {
    if (state.blocked) return { status: 403, body: { error: 'Forbidden', message: 'Access from this IP address is blocked' } };
    const endpoint = endpointOf(req);
    if (endpoint === 'other') return { status: 404, body: { error: 'Not Found' } };
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    const [id, token] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
    const user = id === undefined ? undefined : serviceUsers.get(id);
    if (!user || user.token !== token) {
      state.authFailures++;
      if (options.blockAfterAuthFailures !== undefined && state.authFailures >= options.blockAfterAuthFailures) state.blocked = true;
      return { status: 401, body: { error: 'Unauthorized', message: 'Invalid credentials' } };
    }
    if (user.access === 'none') return { status: 403, body: { error: 'Forbidden', message: 'Service user lacks the required permissions' } };
    if (endpoint === 'bank-accounts') return bankAccounts(req, user);

    const t = now();
    arrivals.push(t);
    let headers: Record<string, string> = {};
    if (limit) {
      window = window.filter((at) => at > t - (limit!.windowMs ?? 60_000));
      if (window.length >= limit.limit) {
        headers = rateHeaders(limit, t);
        if (limit.retryAfter) headers['Retry-After'] = String(Math.max(1, Math.ceil((window[0]! + (limit.windowMs ?? 60_000) - t) / 1000)));
        return { status: 429, headers, body: { error: 'Too Many Requests', message: 'Rate limit exceeded' } };
      }
      window.push(t);
      headers = rateHeaders(limit, t);
    }
    return search(req, user, headers);
  }

  function bankAccounts(req: FakeRequest, user: FakeServiceUser): Reply {
    if (user.bankAccounts === false) return { status: 403, body: { error: 'Forbidden', message: 'Service user lacks permission to view bank accounts' } };
    const id = decodeURIComponent(/^\/v1\/people\/([^/]+)\/bank-accounts$/.exec(req.path.replace(/\/+$/, ''))![1]!);
    const person = company.get(id);
    if (!person) return { status: 404, body: { error: 'Not Found', message: `employee ${id} not found` } };
    return { status: 200, body: { values: person.bankAccounts ?? [] } };
  }

  function search(req: FakeRequest, user: FakeServiceUser, headers: Record<string, string>): Reply {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { error: 'Bad Request', message: 'Malformed JSON' } };
    }
    state.lastSearch = body;
    const fields = body.fields ?? ['root.id', 'root.firstName', 'root.surname', 'root.email'];
    if (!Array.isArray(fields) || fields.length > 400) return { status: 400, body: { message: 'fields must be a list of at most 400 field ids' } };
    const filters = Array.isArray(body.filters) ? (body.filters as Array<{ fieldPath?: string; operator?: string; values?: string[] }>) : [];
    const [filter] = filters;
    if (filters.length > 1 || (filter && (!['root.id', 'root.email'].includes(filter.fieldPath ?? '') || filter.operator !== 'equals'))) {
      return { status: 400, body: { message: 'at most one filter, on root.id or root.email with operator equals' } };
    }
    const humanReadable = body.humanReadable === 'REPLACE' || body.humanReadable === 'APPEND' ? body.humanReadable : undefined;
    const people = company
      .list()
      // Without showInactive: true, leavers are missing — the variant that punishes forgetting it.
      .filter((p) => body.showInactive === true || p.status === 'Active')
      .filter((p) => !filter || (filter.values ?? []).includes(filter.fieldPath === 'root.id' ? p.id : p.email));
    const request = { fields: fields.map(String), humanReadable, hidden: new Set(user.hidden ?? []) } as const;
    return { status: 200, headers, body: { employees: people.map((p, i) => renderPerson(company, p, i, request, render, unnamedListItems)) } };
  }

  const server = await startFakeServer({ faults, endpointOf, handle });
  return {
    url: server.url,
    company,
    serviceUsers,
    faults,
    render,
    unnamedListItems,
    setLimit(next) {
      limit = next;
      window = [];
    },
    arrivals,
    get lastSearch() {
      return state.lastSearch;
    },
    get authFailures() {
      return state.authFailures;
    },
    get blocked() {
      return state.blocked;
    },
    requests: server.requests,
    counts: () => countRequests(server.requests),
    resetCounts() {
      server.requests.splice(0);
      arrivals.splice(0);
    },
    close: server.close,
  };
}

function endpointOf(req: FakeRequest): 'search' | 'bank-accounts' | 'other' {
  const path = req.path.replace(/\/+$/, '');
  if (req.method === 'POST' && path === '/v1/people/search') return 'search';
  if (req.method === 'GET' && /^\/v1\/people\/[^/]+\/bank-accounts$/.test(path)) return 'bank-accounts';
  return 'other';
}
