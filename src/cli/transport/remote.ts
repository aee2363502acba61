import { Agent, fetch, type Response } from 'undici';
import { DomainError } from '../../../scim/errors.js';
import { isUuid } from '../../db/ids.js';
import { CliError, EXIT, ProblemError, type Problem } from '../errors.js';
import { cliVersion } from '../version.js';
import { OWNER_NAMES, type AdminClient, type AdminInput, type Method, type Owned } from './client.js';

/** A preview or a team-sync enable of a large tenant answers only when done; a hung server still ends. */
const ANSWER_TIMEOUT_MS = 30 * 60_000;

/** `/tenants/:slug/runs/:id` with its params filled in, each encoded as one path segment. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
}

async function problemOf(response: Response, base: string): Promise<Problem> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (body && typeof body === 'object' && typeof body.detail === 'string') {
      return { ...body, code: typeof body.code === 'string' ? body.code : 'http_error', title: typeof body.title === 'string' ? body.title : response.statusText, detail: body.detail, status: response.status };
    }
  } catch {
    // Not the admin API's problem body: a proxy's page or a server that is not Rollcall.
  }
  return { code: 'http_error', title: response.statusText || 'HTTP error', status: response.status, detail: `${base} answered ${response.status} ${response.statusText} (is ROLLCALL_URL a Rollcall server?)` };
}

/**
 * The admin API over HTTP, as a server's operator or tenant admin (whoever ROLLCALL_TOKEN names).
 * The token is sent on every request and appears in no message. `close` ends the keep-alive sockets
 * so the command exits as soon as it is done.
 */
export function createRemoteClient(base: string, token: string): AdminClient & { close(): Promise<void> } {
  const agent = new Agent({ headersTimeout: ANSWER_TIMEOUT_MS, bodyTimeout: ANSWER_TIMEOUT_MS });
  let me: Promise<{ role: string; tenant?: string }> | undefined;

  async function send(method: Method, path: string, input: AdminInput = {}): Promise<Response> {
    const url = new URL(`${base}/admin/v1${fillPath(path, input.params)}`);
    for (const [name, value] of Object.entries(input.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const withBody = method === 'post' || method === 'patch';
    try {
      return await fetch(url, {
        method: method.toUpperCase(),
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json, application/problem+json',
          'user-agent': `rollcall-cli/${cliVersion()}`,
          ...(withBody ? { 'content-type': 'application/json' } : {}),
        },
        ...(withBody ? { body: JSON.stringify(input.body ?? {}) } : {}),
        // A redirect could carry the token elsewhere: say where it points instead of following it.
        redirect: 'manual',
        dispatcher: agent,
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError('unreachable', 'Server unreachable', `Cannot reach ${base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, EXIT.other);
    }
  }

  async function call(method: Method, path: string, input: AdminInput = {}): Promise<unknown> {
    const response = await send(method, path, input);
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new CliError('redirected', 'Redirected', `${base} redirects to ${response.headers.get('location') ?? 'elsewhere'}; set ROLLCALL_URL to the server's own address`, EXIT.other);
    }
    if (!response.ok) throw new ProblemError(await problemOf(response, base));
    if (response.status === 204) return undefined;
    return response.json();
  }

  /** Whether the tenant holds the id: a 404 says no, anything else is an answer or an error. */
  async function holds(kind: Owned, slug: string, id: string): Promise<boolean> {
    const probe: Record<Owned, () => Promise<unknown>> = {
      connection: () => call('get', '/tenants/:slug/connections/:id', { params: { slug, id } }),
      run: () => call('get', '/tenants/:slug/runs/:id', { params: { slug, id } }),
      webhook: () => call('get', '/tenants/:slug/webhooks/:id', { params: { slug, id } }),
      user: async () => {
        const page = (await call('get', '/tenants/:slug/users', { params: { slug }, query: { filter: `id eq "${id}"`, count: '1' } })) as { total: number };
        if (page.total === 0) throw new ProblemError({ code: 'not_found', title: 'Not found', detail: '', status: 404 });
        return page;
      },
    };
    try {
      await probe[kind]();
      return true;
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status === 404) return false;
      throw error;
    }
  }

  return {
    mode: 'remote',
    call,
    async tenantOf(kind, id, given) {
      if (given) return given;
      // The same error the store's lookup throws in local mode, so the output and exit code match.
      const missing = () => new DomainError('not_found', `${OWNER_NAMES[kind]} ${id} not found`);
      if (!isUuid(id)) throw missing();
      // A tenant's admin or auditor has one tenant; an operator's is found by asking each tenant in turn.
      me ??= call('get', '/me') as Promise<{ role: string; tenant?: string }>;
      const { tenant } = await me;
      if (tenant) return tenant;
      const tenants = (await call('get', '/tenants')) as { slug: string }[];
      for (const { slug } of tenants) if (await holds(kind, slug, id)) return slug;
      throw missing();
    },
    close: () => agent.close(),
  };
}
