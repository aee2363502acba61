import type { Context, Hono } from 'hono';
import { locksFor } from '../../directory/authority/locks.js';
import type { Owner } from '../../directory/authority/rules.js';
import { adminAs, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Page, when } from '../layout.js';
import { notFoundPage } from '../problem.js';
import { ScrollTable } from '../table.js';
import type { ConnectionV, PeoplePageV } from '../views.js';
import { namer, pathLabel, valueText, type AuthorityV, type UserConflictsV } from './authority-text.js';
import { allows } from '../context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MANAGEMENT: Record<string, string> = { managed: 'Managed by HR', released: 'Previously managed', manual: 'Manual' };

/** One person: where they come from, which fields the tenant's rules lock for them and to whom, and what sources disagree on. */
async function personPage(deps: ConsoleDeps, c: Context<ConsoleEnv>) {
  const id = c.req.param('id') ?? '';
  if (!UUID.test(id)) return notFoundPage(c);
  const admin = adminAs(deps, c);
  const found = await admin<PeoplePageV>('get', '/tenants/:slug/users', { query: { filter: `id eq ${JSON.stringify(id.toLowerCase())}`, count: '1' } });
  const person = found.items[0];
  if (!person) return notFoundPage(c);
  const [conflicts, authority, connections, tokens] = await Promise.all([
    admin<UserConflictsV>('get', '/tenants/:slug/users/:id/conflicts', { params: { id: person.id } }),
    admin<AuthorityV>('get', '/tenants/:slug/authority'),
    admin<ConnectionV[]>('get', '/tenants/:slug/connections'),
    admin<{ id: string; name: string }[]>('get', '/tenants/:slug/tokens'),
  ]);
  const names = namer(connections, tokens);
  const managing = person.management === 'managed' ? (person.connectionId ?? undefined) : undefined;
  const locks = locksFor(
    authority.rules.map((r) => ({ path: r.path, owner: r.owner as Owner })),
    managing,
  );
  const locked = locks.filter((l) => l.lockedTo !== null);
  const open = locks.filter((l) => l.lockedTo === null);
  const base = `/console/t/${c.get('slug')}`;
  const showAuthority = allows(c.get('session').intent, 'authority');
  const title = person.displayName ?? person.userName;
  return c.html(
    <Page title={title} session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/people">
      <h1>{title}</h1>
      <dl class="facts">
        <dt>User name</dt>
        <dd>{person.userName}</dd>
        <dt>HR status</dt>
        <dd>
          {MANAGEMENT[person.management] ?? person.management}
          {person.connectionId ? ` (${names.owner(`connection:${person.connectionId}`)})` : ''}
        </dd>
        <dt>Lifecycle</dt>
        <dd>{person.lifecycle}</dd>
        <dt>Active</dt>
        <dd>{person.active ? 'yes' : 'no'}</dd>
      </dl>

      <h2>Locked fields</h2>
      <p class="muted">
        Only the owner’s writes change these fields for {person.userName}; other sources’ values are kept out{showAuthority ? ' and listed below' : ''}.
        {showAuthority ? (
          <>
            {' '}
            Rules: <a href={`${base}/authority`}>Source of authority</a>.
          </>
        ) : null}
      </p>
      {locked.length ? (
        <ScrollTable headers={['Attribute', 'Locked to']}>
          {locked.map((l) => (
            <tr>
              <td>
                <code>{pathLabel(l.path)}</code>
              </td>
              <td>{names.owner(l.lockedTo!)}</td>
            </tr>
          ))}
        </ScrollTable>
      ) : (
        <p>No field is locked for this person: every source writes every field.</p>
      )}
      {open.length ? (
        <p class="muted">
          Open for this person, as no connection that owns them manages {person.userName}: {open.map((l) => pathLabel(l.path)).join(', ')}.
        </p>
      ) : null}

      <h2>Conflicts</h2>
      {conflicts.items.length === 0 ? (
        <p>No source disagrees with what is stored.</p>
      ) : (
        <ScrollTable headers={['Attribute', 'Owner', 'Owner’s value (stored)', 'Source', 'Source says', 'Last tried', 'First tried']}>
          {conflicts.items.flatMap((f) =>
            f.sources.map((s) => (
              <tr>
                <td>
                  <code>{pathLabel(f.path)}</code>
                </td>
                <td>{names.owner(f.owner)}</td>
                <td>{valueText(f.stored)}</td>
                <td>{names.source(s.source)}</td>
                <td>{valueText(s.value)}</td>
                <td>{when(s.lastAt)}</td>
                <td>{when(s.firstAt)}</td>
              </tr>
            )),
          )}
        </ScrollTable>
      )}
      <p>
        <a href={`${base}/people`}>Back to people</a>
      </p>
    </Page>,
  );
}

export function personPages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.get('/people/:id{[0-9a-fA-F-]{36}}', (c) => personPage(deps, c));
}
