import type { Context, Hono } from 'hono';
import { adminAs, attempt, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Notice, Page } from '../layout.js';
import type { ConnectionV, InviteOutcomeV, PeoplePageV } from '../views.js';
import { providerName } from './overview.js';

/** "12 people", "More than 10000 people" where the list stopped counting, or what a search shows (not counted). */
export function howMany(page: { total: number | null; totalExact: boolean; items: unknown[]; next: string | null; previous: string | null }, noun: string) {
  if (page.total === null) return page.next || page.previous ? `${noun[0]!.toUpperCase()}${noun.slice(1)} on several pages` : `${page.items.length} ${noun}`;
  return page.totalExact ? `${page.total} ${noun}` : `More than ${page.total} ${noun}`;
}

/** Candidates listed at once on Add people: enough to invite a team in one go, small enough to render fast. */
export const CANDIDATES_SHOWN = 250;

interface CandidateFilter {
  connection: string;
  department: string;
  location: string;
}

const filterOf = (read: (name: string) => string | undefined): CandidateFilter => ({
  connection: (read('connection') ?? '').slice(0, 100),
  department: (read('department') ?? '').slice(0, 200).trim(),
  location: (read('location') ?? '').slice(0, 200).trim(),
});
const given = (f: CandidateFilter) => Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as Partial<CandidateFilter>;

async function addPage(deps: ConsoleDeps, c: Context<ConsoleEnv>, filter: CandidateFilter, notice?: string, error?: string) {
  const admin = adminAs(deps, c);
  const [candidates, connections] = await Promise.all([
    admin<PeoplePageV>('get', '/tenants/:slug/people', { query: { lifecycle: 'candidate', limit: String(CANDIDATES_SHOWN), ...given(filter) } }),
    admin<ConnectionV[]>('get', '/tenants/:slug/connections'),
  ]);
  const providers = new Map(connections.map((conn) => [conn.id, providerName(conn.provider)]));
  const base = `/console/t/${c.get('slug')}/people`;
  const shown = candidates.items.length;
  const matching = howMany(candidates, 'candidates');
  return c.html(
    <Page title="Add people" session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/people">
      <h1>Add people</h1>
      <p>People your HR system has that are not invited yet. Invite them, and your app sends each an invitation.</p>
      <Notice message={notice} />
      <ErrorBox message={error} />
      <form method="get" action={`${base}/add`} class="inline" role="search">
        <div class="field">
          <label for="connection">From</label>
          <select id="connection" name="connection">
            <option value="">Any HR system</option>
            {connections.map((conn) => (
              <option value={conn.id} selected={filter.connection === conn.id}>
                {providerName(conn.provider)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="department">Department</label>
          <input type="text" id="department" name="department" value={filter.department} />
        </div>
        <div class="field">
          <label for="location">Location</label>
          <input type="text" id="location" name="location" value={filter.location} />
        </div>
        <button type="submit">Filter</button>
      </form>
      {shown === 0 ? (
        <p>Nobody is waiting{Object.keys(given(filter)).length ? ' who matches' : ''}.</p>
      ) : (
        <form method="post" action={`${base}/invite`}>
          <p class="muted">
            {matching}
            {candidates.next ? `; the first ${CANDIDATES_SHOWN} are listed. "Select all" invites every one of them, not only those listed.` : '.'}
          </p>
          <Csrf token={c.get('csrf')} />
          {Object.entries(given(filter)).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <div class="scroll" tabindex={0} role="region" aria-label="Table (scrolls sideways on small screens)">
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <input type="checkbox" id="select-all" name="all" value="1" data-select-all="ids" aria-label="Select all matching candidates" />
                  </th>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {candidates.items.map((p) => (
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

const SKIP_TEXT: Record<string, string> = { not_found: 'no longer there', not_candidate: 'no longer a candidate' };

export function addPeoplePages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.get('/people/add', (c) => addPage(deps, c, filterOf((name) => c.req.query(name))));
  r.post('/people/invite', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const filter = filterOf(field);
    // "Select all" means every candidate the filter matches, not only the page shown: the server walks them.
    const all = field('all') === '1';
    const ids = (Array.isArray(form.ids) ? form.ids : form.ids ? [form.ids] : []).map(String).slice(0, CANDIDATES_SHOWN);
    if (!all && ids.length === 0) return addPage(deps, c, filter, undefined, 'Select at least one person.');
    const body = all ? { filter: given(filter) } : { ids };
    const outcome = await attempt(adminAs(deps, c)<InviteOutcomeV>('post', '/tenants/:slug/candidates/invite', { body }));
    if (!outcome.ok) return addPage(deps, c, filter, undefined, outcome.error);
    const { invited, skipped } = outcome.value;
    const why = skipped.slice(0, 3).map((s) => `${s.id}: ${SKIP_TEXT[s.reason] ?? s.reason}`);
    return addPage(deps, c, filter, `${invited} invited.`, skipped.length ? `${skipped.length} could not be invited (${why.join('; ')}${skipped.length > 3 ? '…' : ''})` : undefined);
  });
}
