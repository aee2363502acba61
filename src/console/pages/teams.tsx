import type { Context, Hono } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { adminAs, attempt, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Notice, Page, when } from '../layout.js';
import type { ConnectionV } from '../views.js';
import { area } from './index.js';
import { providerName } from './overview.js';

interface TeamSyncV {
  connectionId: string;
  enabled: boolean;
  strategy: 'manager' | 'department';
  nameTemplate: string;
  enabledAt: string | null;
  enabledBy: string | null;
}
interface PreviewTeam {
  key: string;
  kind: 'team' | 'department' | 'unassigned';
  displayName: string;
  new: boolean;
  manager: { id: string; displayName: string } | null;
  parent: string | null;
  members: { id: string; displayName: string }[];
}
interface TeamPreview {
  counts: Record<string, number>;
  removed: { id: string; displayName: string }[];
  teams: PreviewTeam[];
  settings: { strategy: string; nameTemplate: string };
}

const MEMBERS_SHOWN = 25;

/** The preview as an org chart: each team under its parent, with its reviewer and members; Unassigned on its own. */
function OrgChart(props: { teams: PreviewTeam[] }) {
  const keys = new Set(props.teams.map((t) => t.key));
  const children = new Map<string | null, PreviewTeam[]>();
  for (const t of props.teams) {
    const parent = t.parent && keys.has(t.parent) ? t.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const Node = (p: { team: PreviewTeam; depth: number }): JSX.Element => (
    <li>
      <strong>{p.team.displayName}</strong>
      {p.team.kind === 'unassigned' ? ' (people with no team)' : ''} <span class="muted">{p.team.new ? 'new' : 'kept'}</span>
      <div class="muted">
        {p.team.manager ? `Reviewer: ${p.team.manager.displayName}. ` : ''}
        {p.team.members.length} members{p.team.members.length ? ': ' : ''}
        {p.team.members
          .slice(0, MEMBERS_SHOWN)
          .map((m) => m.displayName)
          .join(', ')}
        {p.team.members.length > MEMBERS_SHOWN ? ` and ${p.team.members.length - MEMBERS_SHOWN} more` : ''}
      </div>
      {p.depth < 20 && (children.get(p.team.key) ?? []).length ? (
        <ul>
          {(children.get(p.team.key) ?? []).map((t) => (
            <Node team={t} depth={p.depth + 1} />
          ))}
        </ul>
      ) : null}
    </li>
  );
  return (
    <div class="org">
      <ul>
        {(children.get(null) ?? []).map((t) => (
          <Node team={t} depth={0} />
        ))}
      </ul>
    </div>
  );
}

function shell(c: Context<ConsoleEnv>, body: unknown) {
  return c.html(
    <Page title="Team sync" session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/teams">
      <h1>Team sync</h1>
      {body as never}
    </Page>,
  );
}

async function overview(deps: ConsoleDeps, c: Context<ConsoleEnv>, message?: { notice?: string; error?: string }) {
  const admin = adminAs(deps, c);
  const connections = (await admin<ConnectionV[]>('get', '/tenants/:slug/connections')).filter((x) => x.status !== 'disconnected');
  const states = await Promise.all(connections.map((x) => admin<TeamSyncV>('get', '/tenants/:slug/connections/:id/team-sync', { params: { id: x.id } })));
  const base = `/console/t/${c.get('slug')}/teams`;
  return shell(
    c,
    <>
      <p>Teams built from your HR system's reporting lines: one team per manager (or per department), kept in step on every sync.</p>
      <Notice message={message?.notice} />
      <ErrorBox message={message?.error} />
      {connections.length === 0 ? <p>Connect an HR system first.</p> : null}
      {connections.map((conn, i) => {
        const state = states[i]!;
        return (
          <section class="card" aria-label={`Team sync from ${providerName(conn.provider)}`}>
            <h2>From {providerName(conn.provider)}</h2>
            {state.enabled ? (
              <>
                <p>
                  On since {when(state.enabledAt)} ({state.strategy}, names "{state.nameTemplate}").
                </p>
                <form method="post" action={`${base}/${conn.id}/disable`}>
                  <Csrf token={c.get('csrf')} />
                  <button type="submit" class="danger">
                    Stop team sync
                  </button>
                </form>
              </>
            ) : (
              <form method="post" action={`${base}/${conn.id}/preview`} class="stack">
                <Csrf token={c.get('csrf')} />
                <div class="field">
                  <label for={`strategy-${conn.id}`}>Teams are</label>
                  <select id={`strategy-${conn.id}`} name="strategy">
                    <option value="manager" selected={state.strategy === 'manager'}>
                      One per manager, with their reports
                    </option>
                    <option value="department" selected={state.strategy === 'department'}>
                      One per department
                    </option>
                  </select>
                </div>
                <div class="field">
                  <label for={`template-${conn.id}`}>Team names (use {'{manager}'}, {'{managerFirstName}'} or {'{department}'})</label>
                  <input type="text" id={`template-${conn.id}`} name="nameTemplate" value={state.nameTemplate} maxlength={200} />
                </div>
                <button type="submit">Preview teams</button>
              </form>
            )}
          </section>
        );
      })}
    </>,
  );
}

const settingsFrom = (form: Record<string, unknown>) => ({
  ...(form.strategy === 'department' || form.strategy === 'manager' ? { strategy: form.strategy } : {}),
  ...(typeof form.nameTemplate === 'string' && form.nameTemplate.trim() ? { nameTemplate: form.nameTemplate.trim() } : {}),
});

export function teamPages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.use('/teams', area('teams'));
  r.use('/teams/*', area('teams'));
  r.get('/teams', (c) => overview(deps, c));
  r.post('/teams/:id/preview', async (c) => {
    const id = c.req.param('id');
    const settings = settingsFrom(await c.req.parseBody());
    const preview = await attempt(adminAs(deps, c)<TeamPreview>('post', '/tenants/:slug/connections/:id/team-sync/preview', { params: { id }, body: settings }));
    if (!preview.ok) return overview(deps, c, { error: preview.error });
    const p = preview.value;
    return shell(
      c,
      <>
        <h2>Preview</h2>
        <p>
          {p.teams.length} teams. Nothing changes until you complete the setup.
          {p.removed.length ? ` ${p.removed.length} existing groups of this organisation are replaced: ${p.removed.map((g) => g.displayName).join(', ')}.` : ''}
        </p>
        <OrgChart teams={p.teams} />
        <form method="post" action={`/console/t/${c.get('slug')}/teams/${id}/enable`} class="inline">
          <Csrf token={c.get('csrf')} />
          <input type="hidden" name="strategy" value={p.settings.strategy} />
          <input type="hidden" name="nameTemplate" value={p.settings.nameTemplate} />
          <button type="submit">Complete setup</button>{' '}
          <a class="button secondary" href={`/console/t/${c.get('slug')}/teams`}>
            Back
          </a>
        </form>
      </>,
    );
  });
  r.post('/teams/:id/enable', async (c) => {
    const id = c.req.param('id');
    const settings = settingsFrom(await c.req.parseBody());
    const done = await attempt(adminAs(deps, c)<TeamSyncV & { preview: { teams: unknown[] } }>('post', '/tenants/:slug/connections/:id/team-sync/enable', { params: { id }, body: { ...settings, confirm: true } }));
    return overview(deps, c, done.ok ? { notice: `Team sync is on: ${done.value.preview.teams.length} teams.` } : { error: done.error });
  });
  r.post('/teams/:id/disable', async (c) => {
    const done = await attempt(adminAs(deps, c)<{ released: number }>('post', '/tenants/:slug/connections/:id/team-sync/disable', { params: { id: c.req.param('id') } }));
    return overview(deps, c, done.ok ? { notice: `Team sync is off; ${done.value.released} teams stay and can be edited like any group.` } : { error: done.error });
  });
}
