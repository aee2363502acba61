import type { Context, Hono } from 'hono';
import { EVENT_TYPES } from '../../events/catalogue.js';
import { adminAs, attempt, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Notice, Page, safeUrl, when } from '../layout.js';
import type { WebhookV } from '../views.js';
import { OneTimeSecret } from './idp.js';
import { area } from './index.js';
import { StatusBadge } from './overview.js';
import { ScrollTable } from '../table.js';

interface DeliveryV {
  id: string;
  eventType: string;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
interface AuditV {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  createdAt: string;
}
interface FeedV {
  id: string;
  cursor: string;
  type: string;
  occurredAt: string;
  resourceType: string;
  resourceId: string | null;
  source: Record<string, unknown>;
}

function shell(c: Context<ConsoleEnv>, title: string, current: string, body: unknown) {
  return c.html(
    <Page title={title} session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current={current}>
      <h1>{title}</h1>
      {body as never}
    </Page>,
  );
}

async function webhooksPage(deps: ConsoleDeps, c: Context<ConsoleEnv>, extra: { secret?: string; error?: string; notice?: string } = {}) {
  const hooks = await adminAs(deps, c)<WebhookV[]>('get', '/tenants/:slug/webhooks');
  const base = `/console/t/${c.get('slug')}/webhooks`;
  const csrf = c.get('csrf');
  return shell(
    c,
    'Webhooks',
    '/webhooks',
    <>
      <ErrorBox message={extra.error} />
      <Notice message={extra.notice} />
      {extra.secret ? <OneTimeSecret id="webhook-secret" label="The endpoint's signing secret." secret={extra.secret} /> : null}
      <h2>Add an endpoint</h2>
      <form method="post" action={base} class="stack">
        <Csrf token={csrf} />
        <div class="field">
          <label for="url">URL</label>
          <input type="url" id="url" name="url" required />
        </div>
        <div class="field">
          <label for="events">Events (comma-separated; empty for all: {EVENT_TYPES.slice(0, 3).join(', ')}…)</label>
          <input type="text" id="events" name="events" />
        </div>
        <div class="field">
          <label for="description">Description</label>
          <input type="text" id="description" name="description" maxlength={500} />
        </div>
        <button type="submit">Add endpoint</button>
      </form>
      <h2>Endpoints</h2>
      {hooks.length === 0 ? <p>None yet.</p> : null}
      {hooks.map((h) => (
        <section class="card" aria-label={`Endpoint ${safeUrl(h.url)}`}>
          <h3>
            <a href={`${base}/${h.id}`}>{safeUrl(h.url)}</a>
          </h3>
          <p>
            <StatusBadge status={!h.enabled ? 'error' : h.failingAttempts > 0 ? 'failing' : 'active'} reason={h.enabled ? null : (h.disabledReason ?? 'disabled')} />{' '}
            {h.failingAttempts > 0 ? `${h.failingAttempts} failed attempts since ${when(h.failingSince)}` : ''}
          </p>
          <p class="muted">{h.events.length ? h.events.join(', ') : 'All events'}</p>
          <form method="post" action={`${base}/${h.id}/test`} class="inline">
            <Csrf token={csrf} />
            <button type="submit" class="secondary" aria-label={`Send test to ${safeUrl(h.url)}`}>
              Send test
            </button>
          </form>{' '}
          <form method="post" action={`${base}/${h.id}/replay`} class="inline">
            <Csrf token={csrf} />
            <button type="submit" class="secondary" aria-label={`Replay to ${safeUrl(h.url)}`}>
              Replay
            </button>
          </form>{' '}
          <form method="post" action={`${base}/${h.id}/delete`} class="inline">
            <Csrf token={csrf} />
            <button type="submit" class="danger" aria-label={`Remove ${safeUrl(h.url)}`}>
              Remove
            </button>
          </form>
        </section>
      ))}
    </>,
  );
}

export function adminPages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  for (const p of ['/webhooks', '/webhooks/*', '/audit', '/feed']) r.use(p, area('admin'));
  r.get('/webhooks', (c) => webhooksPage(deps, c));
  r.post('/webhooks', async (c) => {
    const form = await c.req.parseBody();
    const events = String(form.events ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const body = { url: String(form.url ?? '').trim(), ...(events.length ? { events } : {}), ...(form.description ? { description: String(form.description) } : {}) };
    const created = await attempt(adminAs(deps, c)<{ secret: string }>('post', '/tenants/:slug/webhooks', { body }));
    return webhooksPage(deps, c, created.ok ? { secret: created.value.secret } : { error: created.error });
  });
  r.post('/webhooks/:id/test', async (c) => {
    const sent = await attempt(adminAs(deps, c)<{ ok: boolean; status: number | null; error: string | null }>('post', '/tenants/:slug/webhooks/:id/test', { params: { id: c.req.param('id') } }));
    if (!sent.ok) return webhooksPage(deps, c, { error: sent.error });
    return webhooksPage(deps, c, sent.value.ok ? { notice: `The receiver answered ${sent.value.status}.` } : { error: `The test failed: ${sent.value.error ?? `status ${sent.value.status}`}` });
  });
  r.post('/webhooks/:id/replay', async (c) => {
    const done = await attempt(adminAs(deps, c)<Record<string, unknown>>('post', '/tenants/:slug/webhooks/:id/replay', { params: { id: c.req.param('id') }, body: {} }));
    return webhooksPage(deps, c, done.ok ? { notice: 'Retained events are being delivered again.' } : { error: done.error });
  });
  r.post('/webhooks/:id/delete', async (c) => {
    await adminAs(deps, c)('delete', '/tenants/:slug/webhooks/:id', { params: { id: c.req.param('id') } });
    return webhooksPage(deps, c, { notice: 'The endpoint is removed.' });
  });
  r.get('/webhooks/:id', async (c) => {
    const admin = adminAs(deps, c);
    const id = c.req.param('id');
    const hook = await admin<WebhookV>('get', '/tenants/:slug/webhooks/:id', { params: { id } });
    const log = await admin<{ items: DeliveryV[] }>('get', '/tenants/:slug/webhooks/:id/deliveries', { params: { id }, query: { limit: '100' } });
    return shell(
      c,
      'Deliveries',
      '/webhooks',
      <>
        <p>
          <code>{safeUrl(hook.url)}</code>
        </p>
        <ScrollTable headers={['Time', 'Event', 'State', 'Attempts', 'Last answer']}>
          {log.items.map((d) => (
            <tr>
              <td>{when(d.createdAt)}</td>
              <td>{d.eventType}</td>
              <td>
                <StatusBadge status={d.state} />
              </td>
              <td>{d.attempts}</td>
              <td>{d.lastStatus ?? d.lastError ?? '—'}</td>
            </tr>
          ))}
        </ScrollTable>
      </>,
    );
  });

  r.get('/audit', async (c) => {
    const before = c.req.query('before');
    const action = (c.req.query('action') ?? '').slice(0, 100);
    const page = await adminAs(deps, c)<{ items: AuditV[]; nextBefore?: number }>('get', '/tenants/:slug/audit', {
      query: { limit: '100', ...(before && /^\d+$/.test(before) ? { before } : {}), ...(action ? { action } : {}) },
    });
    const base = `/console/t/${c.get('slug')}/audit`;
    return shell(
      c,
      'Audit log',
      '/audit',
      <>
        <form method="get" action={base} class="inline" role="search">
          <div class="field">
            <label for="action">Action</label>
            <input type="search" id="action" name="action" value={action} placeholder="e.g. token.create" />
          </div>
          <button type="submit">Filter</button>
        </form>
        <ScrollTable headers={['Time', 'Who', 'Action', 'Target', 'Detail']}>
          {page.items.map((e) => (
            <tr>
              <td>{when(e.createdAt)}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>
                <code>{e.target ?? '—'}</code>
              </td>
              <td>
                <code>{JSON.stringify(e.detail).slice(0, 300)}</code>
              </td>
            </tr>
          ))}
        </ScrollTable>
        {page.nextBefore ? (
          <nav class="pager" aria-label="Pages">
            <a href={`${base}?${new URLSearchParams({ before: String(page.nextBefore), ...(action ? { action } : {}) })}`}>Older entries</a>
          </nav>
        ) : null}
      </>,
    );
  });

  r.get('/feed', async (c) => {
    const after = c.req.query('after');
    const page = await adminAs(deps, c)<{ items: FeedV[]; next: string }>('get', '/tenants/:slug/events', { query: { limit: '100', ...(after ? { after } : {}) } });
    return shell(
      c,
      'Change feed',
      '/feed',
      <>
        <p class="muted">Every change to people and teams, oldest first; the app on top reads the same feed with a SCIM token.</p>
        <ScrollTable headers={['Time', 'Event', 'Resource', 'By']}>
          {page.items.map((e) => (
            <tr>
              <td>{when(e.occurredAt)}</td>
              <td>{e.type}</td>
              <td>
                {e.resourceType} <code>{e.resourceId ?? ''}</code>
              </td>
              <td>{String(e.source.kind ?? '')}</td>
            </tr>
          ))}
        </ScrollTable>
        {page.items.length === 100 ? (
          <nav class="pager" aria-label="Pages">
            <a href={`/console/t/${c.get('slug')}/feed?${new URLSearchParams({ after: page.next })}`}>Newer events</a>
          </nav>
        ) : null}
      </>,
    );
  });
}
