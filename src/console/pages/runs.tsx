import type { Context, Hono } from 'hono';
import { adminAs, attempt, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Page, when } from '../layout.js';
import type { ConnectionV, OperationsPageV, RunV } from '../views.js';
import { area } from './index.js';
import { providerName, StatusBadge } from './overview.js';
import { KIND_LABELS, LISTED_KINDS, OperationLine, PlanView, type PlanSection } from './plan-view.js';

/** People shown per kind on a run's page; the rest are a link away, a page at a time. */
const FIRST = 50;
const PAGE = 200;

/** A running run's progress: the fragment the page polls, which asks for a full reload once the run ends. */
function Progress(props: { run: RunV }) {
  const p = props.run.progress;
  const parts = Object.entries(p)
    .filter(([k]) => !k.endsWith('Ms'))
    .map(([k, n]) => `${k}: ${n}`);
  return (
    <p role="status">
      <StatusBadge status={props.run.state} /> {parts.length ? parts.join(', ') : 'starting…'}
    </p>
  );
}

async function runPage(deps: ConsoleDeps, c: Context<ConsoleEnv>, error?: string) {
  const admin = adminAs(deps, c);
  const id = c.req.param('id')!;
  const run = await admin<RunV>('get', '/tenants/:slug/runs/:id', { params: { id } });
  const base = `/console/t/${c.get('slug')}`;
  // The first people of each kind the run has, one indexed page each, instead of the whole plan.
  const kinds = run.state === 'running' ? [] : LISTED_KINDS.filter((kind) => (run.counts[kind] ?? 0) > 0);
  const [conn, ...pages] = await Promise.all([
    admin<ConnectionV>('get', '/tenants/:slug/connections/:id', { params: { id: run.connectionId } }),
    ...kinds.map((kind) => admin<OperationsPageV>('get', '/tenants/:slug/runs/:id/operations', { params: { id }, query: { kind, limit: String(FIRST) } })),
  ]);
  const sections: PlanSection[] = kinds.map((kind, i) => ({ kind, total: run.counts[kind]!, items: pages[i]!.items, more: `${base}/runs/${id}/operations?kind=${kind}` }));
  const archives = run.counts.archive ?? 0;
  return c.html(
    <Page title="Run" session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/hr">
      <h1>
        {run.mode === 'preview' ? 'Preview' : 'Sync'} of {providerName(conn.provider)}
      </h1>
      <p>
        <a href={`${base}/hr/${conn.id}`}>Back to the connection</a>
      </p>
      <ErrorBox message={error} />
      <dl class="facts">
        <dt>Started</dt>
        <dd>{when(run.started)}</dd>
        <dt>Finished</dt>
        <dd>{when(run.finished)}</dd>
        <dt>Trigger</dt>
        <dd>{run.trigger}</dd>
        {run.decidedBy ? (
          <>
            <dt>Decided by</dt>
            <dd>{run.decidedBy}</dd>
          </>
        ) : null}
      </dl>
      {run.state === 'running' ? (
        <div id="progress" hx-get={`${base}/runs/${run.id}/progress`} hx-trigger="every 1s" hx-swap="innerHTML" aria-live="polite">
          <Progress run={run} />
        </div>
      ) : (
        <p>
          <StatusBadge status={run.state} />
        </p>
      )}
      {run.error ? <p class="error">{run.error}</p> : null}
      {run.state === 'held' ? (
        <section aria-labelledby="held-h" class="card">
          <h2 id="held-h">Held by the safety stop</h2>
          <p>{String(run.held?.reason ?? '')}</p>
          <p>
            Approving archives {archives} people now. Check the list of archived people below first.
          </p>
          <form method="post" action={`${base}/runs/${run.id}/approve`} class="inline">
            <Csrf token={c.get('csrf')} />
            <button type="submit">Approve and apply</button>
          </form>{' '}
          <form method="post" action={`${base}/runs/${run.id}/reject`} class="inline">
            <Csrf token={c.get('csrf')} />
            <button type="submit" class="danger">
              Reject
            </button>
          </form>
        </section>
      ) : null}
      {run.state !== 'running' ? <PlanView run={run} sections={sections} /> : null}
    </Page>,
  );
}

/** Every person of one kind in a run, a page at a time. */
async function operationsPage(deps: ConsoleDeps, c: Context<ConsoleEnv>) {
  const admin = adminAs(deps, c);
  const id = c.req.param('id')!;
  const kind = LISTED_KINDS.includes(c.req.query('kind') ?? '') ? c.req.query('kind')! : 'create';
  const cursor = (c.req.query('cursor') ?? '').slice(0, 200);
  const [run, page] = await Promise.all([
    admin<RunV>('get', '/tenants/:slug/runs/:id', { params: { id } }),
    admin<OperationsPageV>('get', '/tenants/:slug/runs/:id/operations', { params: { id }, query: { kind, limit: String(PAGE), ...(cursor ? { cursor } : {}) } }),
  ]);
  const base = `/console/t/${c.get('slug')}/runs/${id}`;
  return c.html(
    <Page title="Run" session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/hr">
      <h1>
        {KIND_LABELS[kind] ?? kind}: {run.counts[kind] ?? 0}
      </h1>
      <p>
        <a href={base}>Back to the run</a>
      </p>
      <ul>
        {page.items.map((o) => (
          <OperationLine op={o} />
        ))}
      </ul>
      {page.items.length === 0 ? <p class="muted">Not recorded for this run.</p> : null}
      <nav class="pager" aria-label="Pages">
        {cursor ? <a href={`${base}/operations?kind=${kind}`}>First page</a> : null}
        {page.next ? <a href={`${base}/operations?${new URLSearchParams({ kind, cursor: page.next })}`}>Next page</a> : null}
      </nav>
    </Page>,
  );
}

export function runPages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.use('/runs/*', area('hr'));
  r.get('/runs/:id', (c) => runPage(deps, c));
  r.get('/runs/:id/operations', (c) => operationsPage(deps, c));
  r.get('/runs/:id/progress', async (c) => {
    const run = await adminAs(deps, c)<RunV>('get', '/tenants/:slug/runs/:id', { params: { id: c.req.param('id') } });
    if (run.state !== 'running') c.header('HX-Refresh', 'true');
    return c.html(<Progress run={run} />);
  });
  r.post('/runs/:id/approve', async (c) => {
    const run = await attempt(adminAs(deps, c)<RunV>('post', '/tenants/:slug/runs/:id/approve', { params: { id: c.req.param('id') } }));
    if (!run.ok) return runPage(deps, c, run.error);
    return c.redirect(`/console/t/${c.get('slug')}/runs/${run.value.id}`, 303);
  });
  r.post('/runs/:id/reject', async (c) => {
    const run = await attempt(adminAs(deps, c)<RunV>('post', '/tenants/:slug/runs/:id/reject', { params: { id: c.req.param('id') } }));
    if (!run.ok) return runPage(deps, c, run.error);
    return c.redirect(`/console/t/${c.get('slug')}/runs/${c.req.param('id')}`, 303);
  });
}
