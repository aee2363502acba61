import type { Context, Hono } from 'hono';
import { adminAs, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Page } from '../layout.js';
import type { ConnectionV, PeoplePageV, UserV } from '../views.js';
import { area } from './index.js';
import { providerName } from './overview.js';
import { addPeoplePages, howMany } from './people-add.js';
import { ScrollTable } from '../table.js';
import { personPages } from './person.js';

export const PAGE_SIZE = 50;
const LIFECYCLES = ['candidate', 'invited', 'active', 'archived'];
const MANAGEMENT: Record<string, string> = { managed: 'Managed by HR', released: 'Previously managed', manual: 'Manual' };
const SOURCES: Record<string, string> = { hr: 'An HR system', scim: 'Identity provider (SCIM)' };

function sourceText(u: UserV, providers: Map<string, string>) {
  if (u.connectionId) return `Added via ${providers.get(u.connectionId) ?? 'an HR system'}`;
  return u.source === 'scim' ? 'Identity provider (SCIM)' : 'Manual';
}

async function peoplePage(deps: ConsoleDeps, c: Context<ConsoleEnv>) {
  const admin = adminAs(deps, c);
  const pick = (name: string, allowed: readonly string[]) => {
    const value = c.req.query(name) ?? '';
    return allowed.includes(value) ? value : '';
  };
  const q = {
    search: (c.req.query('search') ?? '').slice(0, 200).trim(),
    lifecycle: pick('lifecycle', LIFECYCLES),
    management: pick('management', Object.keys(MANAGEMENT)),
    source: pick('source', Object.keys(SOURCES)),
  };
  const filters = Object.fromEntries(Object.entries(q).filter(([, v]) => v));
  const cursor = (c.req.query('cursor') ?? '').slice(0, 200);
  const [result, connections] = await Promise.all([
    admin<PeoplePageV>('get', '/tenants/:slug/people', { query: { limit: String(PAGE_SIZE), ...filters, ...(cursor ? { cursor } : {}) } }),
    admin<ConnectionV[]>('get', '/tenants/:slug/connections'),
  ]);
  const providers = new Map(connections.map((conn) => [conn.id, providerName(conn.provider)]));
  const base = `/console/t/${c.get('slug')}/people`;
  const link = (to?: string) => `${base}?${new URLSearchParams({ ...filters, ...(to ? { cursor: to } : {}) })}`;
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
        <div class="field">
          <label for="source">Source</label>
          <select id="source" name="source">
            <option value="">Any</option>
            {Object.entries(SOURCES).map(([v, text]) => (
              <option value={v} selected={q.source === v}>
                {text}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Filter</button>
      </form>
      <p class="muted">
        {howMany(result, 'people')}
        {result.previous || result.next ? `; ${PAGE_SIZE} a page, in the order they were added` : ''}
      </p>
      <ScrollTable headers={['Name', 'User name', 'Source', 'HR status', 'Lifecycle']}>
        {result.items.map((u) => (
          <tr>
            <td>
              <a href={`${base}/${u.id}`}>{u.displayName ?? u.userName}</a>
            </td>
            <td>{u.userName}</td>
            <td>{sourceText(u, providers)}</td>
            <td>{MANAGEMENT[u.management] ?? u.management}</td>
            <td>{u.lifecycle}</td>
          </tr>
        ))}
      </ScrollTable>
      <nav class="pager" aria-label="Pages">
        {result.previous ? <a href={link()}>First page</a> : null}
        {result.previous ? <a href={link(result.previous)}>Previous page</a> : null}
        {result.next ? <a href={link(result.next)}>Next page</a> : null}
        {result.last ? <a href={link(result.last)}>Last page</a> : null}
      </nav>
    </Page>,
  );
}

export function peoplePages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.use('/people', area('hr'));
  r.use('/people/*', area('hr'));
  r.get('/people', (c) => peoplePage(deps, c));
  addPeoplePages(r, deps);
  personPages(r, deps);
}
