import type { Context } from 'hono';
import { descriptorFor } from '../../../connectors/registry.js';
import { adminAs, allows, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Page, safeUrl, when } from '../layout.js';
import { howMany } from './people-add.js';
import type { ConnectionV, PeoplePageV, RunV, TokenV, WebhookV } from '../views.js';

export const providerName = (provider: string) => {
  try {
    return descriptorFor(provider).displayName;
  } catch {
    return provider;
  }
};

export function StatusBadge(props: { status: string; reason?: string | null }) {
  const tone = props.status === 'connected' || props.status === 'succeeded' || props.status === 'active' || props.status === 'delivered' ? 'ok' : props.status === 'error' || props.status === 'failed' ? 'bad' : 'warn';
  return (
    <span class={`status ${tone}`}>
      {props.status.replace(/_/g, ' ')}
      {props.reason ? `: ${props.reason.replace(/_/g, ' ')}` : ''}
    </span>
  );
}

export const countsText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'no changes';

/** One screen of what needs attention: the identity provider, each HR connection, candidates, held runs, failing webhooks. */
export async function overviewPage(deps: ConsoleDeps, c: Context<ConsoleEnv>) {
  const admin = adminAs(deps, c);
  const session = c.get('session');
  const slug = c.get('slug');
  const base = `/console/t/${slug}`;
  const [tenant, connections, candidates, tokens, webhooks] = await Promise.all([
    admin<{ id: string; name: string }>('get', '/tenants/:slug'),
    admin<ConnectionV[]>('get', '/tenants/:slug/connections'),
    // One indexed row and a count that stops at 10,000: the card needs how many, not who.
    admin<PeoplePageV>('get', '/tenants/:slug/people', { query: { lifecycle: 'candidate', limit: '1' } }),
    admin<TokenV[]>('get', '/tenants/:slug/tokens'),
    admin<WebhookV[]>('get', '/tenants/:slug/webhooks'),
  ]);
  const runs = await Promise.all(
    connections.map((conn) => admin<{ items: RunV[] }>('get', '/tenants/:slug/connections/:id/runs', { params: { id: conn.id }, query: { limit: '5' } })),
  );
  const recent = deps.recentScim?.list(tenant.id) ?? [];
  const last = recent[0];
  const tokenName = (id: string | null) => tokens.find((t) => t.id === id)?.name ?? (id ? 'a token' : 'an unknown token');
  const held = runs.flatMap((r) => r.items.filter((run) => run.state === 'held'));
  const failing = webhooks.filter((w) => !w.enabled || w.failingAttempts > 0);
  const hr = allows(session.intent, 'hr');
  return c.html(
    <Page title="Overview" session={session} csrf={c.get('csrf')} slug={slug} current="">
      <h1>{tenant.name}</h1>
      <div class="cards">
        <section class="card" aria-labelledby="idp-h">
          <h2 id="idp-h">Identity provider</h2>
          {last ? (
            <dl class="facts">
              <dt>Last SCIM request</dt>
              <dd>
                {last.method} {last.path}
              </dd>
              <dt>Result</dt>
              <dd>
                <StatusBadge status={last.status < 400 ? 'succeeded' : last.status === 401 ? 'error' : 'failed'} /> {last.status}
              </dd>
              <dt>When</dt>
              <dd>{when(last.at)}</dd>
              <dt>Token</dt>
              <dd>{tokenName(last.tokenId)}</dd>
            </dl>
          ) : (
            <p>No SCIM request received yet{tokens.some((t) => t.state === 'active') ? '' : ', and no active token'}.</p>
          )}
          {allows(session.intent, 'idp') ? <a href={`${base}/idp`}>Connect an identity provider</a> : null}
        </section>
        {connections.map((conn, i) => {
          const lastRun = runs[i]!.items.find((r) => r.mode === 'apply');
          return (
            <section class="card" aria-label={`${providerName(conn.provider)} connection`}>
              <h2>{providerName(conn.provider)}</h2>
              <p>
                <StatusBadge status={conn.status} reason={conn.statusReason} />
              </p>
              <dl class="facts">
                <dt>Last run</dt>
                <dd>{lastRun ? `${lastRun.state}, ${when(lastRun.finished ?? lastRun.started)}` : 'none yet'}</dd>
                <dt>Next run</dt>
                <dd>{when(conn.nextRunAt)}</dd>
                <dt>Counts</dt>
                <dd>{lastRun ? countsText(lastRun.counts) : '—'}</dd>
              </dl>
              {hr ? <a href={`${base}/hr/${conn.id}`}>Open</a> : null}
            </section>
          );
        })}
        <section class="card" aria-labelledby="att-h">
          <h2 id="att-h">Waiting for you</h2>
          <ul>
            <li>
              {howMany(candidates, 'candidates')} waiting for an invitation
              {hr && candidates.items.length > 0 ? (
                <>
                  {' '}
                  (<a href={`${base}/people/add`}>Add people</a>)
                </>
              ) : null}
            </li>
            <li>{held.length} runs held by the safety stop</li>
            {held.map((run) => (
              <li>{hr ? <a href={`${base}/runs/${run.id}`}>Held run of {when(run.started)}</a> : `Held run of ${when(run.started)}`}</li>
            ))}
            <li>{failing.length} failing webhooks</li>
            {failing.map((w) => (
              <li>
                <code>{safeUrl(w.url)}</code>: {w.enabled ? `${w.failingAttempts} failed attempts` : `disabled (${w.disabledReason ?? 'by an admin'})`}
              </li>
            ))}
          </ul>
        </section>
      </div>
      {hr && connections.length === 0 ? (
        <p>
          <a class="button" href={`${base}/hr/new`}>
            Connect an HR system
          </a>
        </p>
      ) : null}
    </Page>,
  );
}
