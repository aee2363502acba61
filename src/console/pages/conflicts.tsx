import type { Context, Hono } from 'hono';
import { adminAs, allows, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Page, when } from '../layout.js';
import { ScrollTable } from '../table.js';
import type { ConnectionV, PeoplePageV, UserV } from '../views.js';
import { namer, pathLabel, valueText, type TenantConflictV, type UserConflictsV } from './authority-text.js';
import { area } from './index.js';

const PAGE_SIZE = 100;
/** The API's own `before` form (an ISO time with an offset); anything else starts from the newest. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One user's disagreeing fields, one row per source, as the tenant list has them. */
const rowsOf = (user: { id: string; userName: string }, conflicts: UserConflictsV): TenantConflictV[] =>
  conflicts.items.flatMap((f) =>
    f.sources.map((s) => ({ userId: user.id, userName: user.userName, path: f.path, owner: f.owner, stored: f.stored, source: s.source, attempted: s.value, firstAt: s.firstAt, lastAt: s.lastAt })),
  );

/** The person a filter names: by id, or by user name (SCIM's `eq`, so not case-sensitive). */
async function findPerson(admin: ReturnType<typeof adminAs>, wanted: string): Promise<UserV | undefined> {
  const filter = UUID.test(wanted) ? `id eq ${JSON.stringify(wanted.toLowerCase())}` : `userName eq ${JSON.stringify(wanted)}`;
  const found = await admin<PeoplePageV>('get', '/tenants/:slug/users', { query: { filter, count: '1' } });
  return found.items[0];
}

async function conflictsPage(deps: ConsoleDeps, c: Context<ConsoleEnv>) {
  const admin = adminAs(deps, c);
  const wanted = (c.req.query('user') ?? '').trim().slice(0, 300);
  const before = c.req.query('before') ?? '';
  const [connections, tokens] = await Promise.all([admin<ConnectionV[]>('get', '/tenants/:slug/connections'), admin<{ id: string; name: string }[]>('get', '/tenants/:slug/tokens')]);
  const names = namer(connections, tokens);
  let items: TenantConflictV[] = [];
  let nextBefore: string | null = null;
  let missing = false;
  if (wanted) {
    const person = await findPerson(admin, wanted);
    if (person) items = rowsOf(person, await admin<UserConflictsV>('get', '/tenants/:slug/users/:id/conflicts', { params: { id: person.id } }));
    else missing = true;
  } else {
    const page = await admin<{ items: TenantConflictV[]; nextBefore: string | null }>('get', '/tenants/:slug/conflicts', {
      query: { limit: String(PAGE_SIZE), ...(ISO_TIME.test(before) ? { before } : {}) },
    });
    items = page.items;
    nextBefore = page.nextBefore;
  }
  const base = `/console/t/${c.get('slug')}`;
  const peoplePages = allows(c.get('session').intent, 'hr');
  return c.html(
    <Page title="Conflicts" session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/conflicts">
      <h1>Conflicts</h1>
      <p>
        Values a source tried to write to a field another source owns. The owner’s value stays; each row is what one other source says, newest first. A row goes once the
        values agree. Who owns what: <a href={`${base}/authority`}>Source of authority</a>.
      </p>
      <form method="get" action={`${base}/conflicts`} class="inline" role="search">
        <div class="field">
          <label for="user">Person (user name or id)</label>
          <input type="search" id="user" name="user" value={wanted} />
        </div>
        <button type="submit">Filter</button>
        {wanted ? (
          <a class="button secondary" href={`${base}/conflicts`}>
            Everyone
          </a>
        ) : null}
      </form>
      {missing ? (
        <p class="error" role="alert">
          No person with user name or id “{wanted}”.
        </p>
      ) : (
        <p class="muted" role="status">
          {items.length === 0 ? 'No conflicts.' : `${items.length}${nextBefore ? '+' : ''} ${items.length === 1 ? 'conflict' : 'conflicts'}${wanted ? ` for ${items[0]!.userName}` : ''}.`}
        </p>
      )}
      <ScrollTable headers={['Person', 'Attribute', 'Owner', 'Owner’s value (stored)', 'Source', 'Source says', 'Last tried', 'First tried']}>
        {items.map((x) => (
          <tr>
            {/* A person's page is under People, which an identity-provider link does not open. */}
            <td>{peoplePages ? <a href={`${base}/people/${x.userId}`}>{x.userName}</a> : x.userName}</td>
            <td>
              <code>{pathLabel(x.path)}</code>
            </td>
            <td>{names.owner(x.owner)}</td>
            <td>{valueText(x.stored)}</td>
            <td>{names.source(x.source)}</td>
            <td>{valueText(x.attempted)}</td>
            <td>{when(x.lastAt)}</td>
            <td>{when(x.firstAt)}</td>
          </tr>
        ))}
      </ScrollTable>
      {nextBefore ? (
        <nav class="pager" aria-label="Pages">
          <a href={`${base}/conflicts`}>Newest</a>
          <a href={`${base}/conflicts?${new URLSearchParams({ before: nextBefore })}`}>Older conflicts</a>
        </nav>
      ) : null}
    </Page>,
  );
}

export function conflictPages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.use('/conflicts', area('authority'));
  r.get('/conflicts', (c) => conflictsPage(deps, c));
}
