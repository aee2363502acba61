import type { Context, Hono } from 'hono';
import { URN } from '../../../scim/schemas/urns.js';
import { adminAs, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Page } from '../layout.js';
import type { ConnectionV, PersonV, UserV } from '../views.js';
import { area } from './index.js';
import { providerName } from './overview.js';

export const PAGE_SIZE = 50;
/** Candidates listed at once on Add people: enough to invite a team in one go, small enough to render fast. */
export const CANDIDATES_SHOWN = 250;
const LIFECYCLES = ['candidate', 'invited', 'active', 'archived'];
const MANAGEMENT: Record<string, string> = { managed: 'Managed by HR', released: 'Previously managed', manual: 'Manual' };

/** A SCIM string literal: quotes and backslashes escaped (RFC 7644 §3.4.2.2 uses JSON strings). */
const literal = (text: string) => JSON.stringify(text);

/** The page's filters as one SCIM filter for the admin API's user list. */
function filterOf(q: { search?: string; lifecycle?: string; management?: string }): string | undefined {
  const parts: string[] = [];
  if (q.search) parts.push(`(userName co ${literal(q.search)} or displayName co ${literal(q.search)})`);
  if (q.lifecycle && LIFECYCLES.includes(q.lifecycle)) parts.push(`${URN.hrUser}:lifecycle eq ${literal(q.lifecycle)}`);
  if (q.management && q.management in MANAGEMENT) parts.push(`${URN.hrUser}:management eq ${literal(q.management)}`);
  return parts.length ? parts.join(' and ') : undefined;
}

function sourceText(u: UserV, providers: Map<string, string>) {
  if (u.connectionId) return `Added via ${providers.get(u.connectionId) ?? 'an HR system'}`;
  return u.source === 'scim' ? 'Identity provider (SCIM)' : 'Manual';
}

async function peoplePage(deps: ConsoleDeps, c: Context<ConsoleEnv>) {
  const admin = adminAs(deps, c);
  const q = { search: (c.req.query('search') ?? '').slice(0, 200).trim(), lifecycle: c.req.query('lifecycle') ?? '', management: c.req.query('management') ?? '' };
  const pageNo = Math.max(1, Math.min(1_000_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
  const filter = filterOf(q);
  const [result, connections] = await Promise.all([
    admin<{ total: number; items: UserV[] }>('get', '/tenants/:slug/users', { query: { count: String(PAGE_SIZE), startIndex: String((pageNo - 1) * PAGE_SIZE + 1), ...(filter ? { filter } : {}) } }),
    admin<ConnectionV[]>('get', '/tenants/:slug/connections'),
  ]);
  const providers = new Map(connections.map((conn) => [conn.id, providerName(conn.provider)]));
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const base = `/console/t/${c.get('slug')}/people`;
  const link = (p: number) => `${base}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([, v]) => v)), page: String(p) })}`;
  return c.html(
    <Page title="People" session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/people">
      <h1>People</h1>
      <p>
        <a class="button" href={`${base}/add`}>
          Add people
        </a>
      </p>
      <form method="get" action={base} class="inline" role="search">
        <div class="field">
          <label for="search">Name or user name</label>
          <input type="search" id="search" name="search" value={q.search} />
        </div>
        <div class="field">
          <label for="lifecycle">Lifecycle</label>
          <select id="lifecycle" name="lifecycle">
            <option value="">Any</option>
            {LIFECYCLES.map((l) => (
              <option value={l} selected={q.lifecycle === l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="management">HR status</label>
          <select id="management" name="management">
            <option value="">Any</option>
            {Object.entries(MANAGEMENT).map(([v, text]) => (
              <option value={v} selected={q.management === v}>
                {text}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      <p class="muted">
        {result.total} people; page {pageNo} of {pages}
      </p>
      <div class="scroll" tabindex={0} role="region" aria-label="Table (scrolls sideways on small screens)">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">User name</th>
              <th scope="col">Source</th>
              <th scope="col">HR status</th>
              <th scope="col">Lifecycle</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((u) => (
              <tr>
                <td>{u.displayName ?? '—'}</td>
                <td>{u.userName}</td>
                <td>{sourceText(u, providers)}</td>
                <td>{MANAGEMENT[u.management] ?? u.management}</td>
                <td>{u.lifecycle}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Pages">
        {pageNo > 1 ? <a href={link(pageNo - 1)}>Previous page</a> : null}
        {pageNo < pages ? <a href={link(pageNo + 1)}>Next page</a> : null}
        {pages > 2 ? <a href={link(pages)}>Last page</a> : null}
      </nav>
    </Page>,
  );
}

async function addPage(deps: ConsoleDeps, c: Context<ConsoleEnv>, notice?: string, error?: string) {
  const admin = adminAs(deps, c);
  const [candidates, connections] = await Promise.all([
    admin<PersonV[]>('get', '/tenants/:slug/candidates', { query: { limit: String(CANDIDATES_SHOWN + 1) } }),
    admin<ConnectionV[]>('get', '/tenants/:slug/connections'),
  ]);
  const more = candidates.length > CANDIDATES_SHOWN;
  candidates.splice(CANDIDATES_SHOWN);
  const providers = new Map(connections.map((conn) => [conn.id, providerName(conn.provider)]));
  const base = `/console/t/${c.get('slug')}/people`;
  return c.html(
    <Page title="Add people" session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/people">
      <h1>Add people</h1>
      <p>People your HR system has that are not invited yet. Invite them, and your app sends each an invitation.</p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorBox message={error} />
      {candidates.length === 0 ? (
        <p>Nobody is waiting.</p>
      ) : (
        <form method="post" action={`${base}/invite`}>
          {more ? <p class="muted">Showing the first {CANDIDATES_SHOWN}; once they are invited, the next ones appear here.</p> : null}
          <Csrf token={c.get('csrf')} />
          <div class="scroll" tabindex={0} role="region" aria-label="Table (scrolls sideways on small screens)">
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <input type="checkbox" id="select-all" data-select-all="ids" aria-label="Select all" />
                  </th>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {candidates.map((p) => (
                  <tr>
                    <td>
                      <input type="checkbox" name="ids" value={p.id} id={`c-${p.id}`} aria-label={`Select ${p.displayName ?? p.userName}`} />
                    </td>
                    <td>
                      <label for={`c-${p.id}`} class="inline-label">
                        {p.displayName ?? '—'}
                      </label>
                    </td>
                    <td>{p.userName}</td>
                    <td>{p.connectionId ? providers.get(p.connectionId) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <button type="submit">Invite selected</button>
          </p>
        </form>
      )}
    </Page>,
  );
}

export function peoplePages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.use('/people', area('hr'));
  r.use('/people/*', area('hr'));
  r.get('/people', (c) => peoplePage(deps, c));
  r.get('/people/add', (c) => addPage(deps, c));
  r.post('/people/invite', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const ids = (Array.isArray(form.ids) ? form.ids : form.ids ? [form.ids] : []).map(String).slice(0, CANDIDATES_SHOWN);
    if (ids.length === 0) return addPage(deps, c, undefined, 'Select at least one person.');
    const admin = adminAs(deps, c);
    // One invitation per person through the admin route, each audited; one refused (no longer a candidate) does not stop the rest.
    let invited = 0;
    const refused: string[] = [];
    for (const id of ids) {
      try {
        await admin('post', '/tenants/:slug/users/:id/invite', { params: { id } });
        invited++;
      } catch (error) {
        refused.push((error as Error).message);
      }
    }
    return addPage(deps, c, `${invited} invited.`, refused.length ? `${refused.length} could not be invited: ${refused.slice(0, 3).join('; ')}` : undefined);
  });
}
