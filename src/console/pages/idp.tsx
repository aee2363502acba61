import type { Context, Hono } from 'hono';
import type { RecentScimRequest } from '../../audit/recent-scim-requests.js';
import { adminAs, attempt, originOf, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Page, when } from '../layout.js';
import type { TokenV } from '../views.js';
import { area } from './index.js';

/** The last SCIM requests (method, path, status, time, token): the fragment the page polls. */
export function RecentRequests(props: { items: RecentScimRequest[]; tokens: TokenV[] }) {
  if (props.items.length === 0) return <p>No SCIM request received yet. Once your identity provider sends one, it shows here.</p>;
  const name = (id: string | null) => props.tokens.find((t) => t.id === id)?.name ?? '—';
  return (
    <div class="scroll" tabindex={0} role="region" aria-label="Table (scrolls sideways on small screens)">
      <table>
        <caption class="muted">Newest first; bodies are never shown.</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Method</th>
            <th scope="col">Path</th>
            <th scope="col">Status</th>
            <th scope="col">Token</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((r) => (
            <tr>
              <td>{when(r.at)}</td>
              <td>{r.method}</td>
              <td>
                <code>{r.path}</code>
              </td>
              <td>{r.status === 401 ? '401 (token refused)' : String(r.status)}</td>
              <td>{name(r.tokenId)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A secret shown once, with a copy button (the console's script; selecting the text works without it). */
export function OneTimeSecret(props: { id: string; label: string; secret: string }) {
  return (
    <div class="notice" role="status">
      <p>
        <strong>{props.label}</strong> It is shown only now: copy it into your identity provider before leaving this page.
      </p>
      <code class="secret" id={props.id}>
        {props.secret}
      </code>
      <p>
        <button type="button" class="secondary" data-copy={`#${props.id}`}>
          Copy
        </button>
      </p>
    </div>
  );
}

async function render(deps: ConsoleDeps, c: Context<ConsoleEnv>, extra: { secret?: string; error?: string } = {}) {
  const admin = adminAs(deps, c);
  const slug = c.get('slug');
  const tenant = await admin<{ id: string }>('get', '/tenants/:slug');
  const tokens = await admin<TokenV[]>('get', '/tenants/:slug/tokens');
  const scimBase = `${originOf(deps, c)}/scim/v2`;
  const base = `/console/t/${slug}`;
  return c.html(
    <Page title="Connect an identity provider" session={c.get('session')} csrf={c.get('csrf')} slug={slug} current="/idp">
      <h1>Connect an identity provider</h1>
      <p>Okta and Microsoft Entra ID send your people to Rollcall with SCIM. They need two things: the base URL and a token.</p>
      <h2>1. The SCIM base URL</h2>
      <code class="secret" id="scim-base">
        {scimBase}
      </code>
      <p>
        <button type="button" class="secondary" data-copy="#scim-base">
          Copy
        </button>
      </p>
      <h2>2. A token</h2>
      <ErrorBox message={extra.error} />
      {extra.secret ? <OneTimeSecret id="new-token" label="Your new token." secret={extra.secret} /> : null}
      <form method="post" action={`${base}/idp/token`} class="inline">
        <Csrf token={c.get('csrf')} />
        <div class="field">
          <label for="token-name">Token name</label>
          <input type="text" id="token-name" name="name" value="Identity provider" required maxlength={100} />
        </div>
        <button type="submit">Create token</button>
      </form>
      <p class="muted">
        {tokens.filter((t) => t.state === 'active').length} active tokens. <a href={`${base}/tokens`}>Manage tokens</a>
      </p>
      <h2>3. In your identity provider</h2>
      <details open>
        <summary>Okta</summary>
        <ol class="steps">
          <li>Applications › Browse App Catalog › "SCIM 2.0 Test App (OAuth Bearer Token)", or your app's own integration › Add.</li>
          <li>Provisioning › Configure API Integration › Enable API integration.</li>
          <li>Base URL: the URL above. API Token: the token above. Test API Credentials, then Save.</li>
          <li>To App: enable Create Users, Update User Attributes and Deactivate Users; assign people or groups; push groups if you use them.</li>
        </ol>
      </details>
      <details>
        <summary>Microsoft Entra ID</summary>
        <ol class="steps">
          <li>Enterprise applications › New application › Create your own application (non-gallery).</li>
          <li>Provisioning › Get started › Provisioning Mode: Automatic.</li>
          <li>Tenant URL: the URL above. Secret Token: the token above. Test Connection, then Save.</li>
          <li>Users and groups: assign who to provision; then Start provisioning. Entra sends its first cycle within about 40 minutes.</li>
        </ol>
      </details>
      <h2>4. Requests received</h2>
      <div id="recent" hx-get={`${base}/idp/requests`} hx-trigger="every 2s" hx-swap="innerHTML" aria-live="polite">
        <RecentRequests items={deps.recentScim?.list(tenant.id) ?? []} tokens={tokens} />
      </div>
    </Page>,
  );
}

export function idpPages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.use('/idp', area('idp'));
  r.use('/idp/*', area('idp'));
  r.get('/idp', (c) => render(deps, c));
  r.get('/idp/requests', async (c) => {
    const admin = adminAs(deps, c);
    const tenant = await admin<{ id: string }>('get', '/tenants/:slug');
    const tokens = await admin<TokenV[]>('get', '/tenants/:slug/tokens');
    return c.html(<RecentRequests items={deps.recentScim?.list(tenant.id) ?? []} tokens={tokens} />);
  });
  r.post('/idp/token', async (c) => {
    const form = await c.req.parseBody();
    const name = String(form.name ?? '').trim() || 'Identity provider';
    const created = await attempt(adminAs(deps, c)<{ secret: string }>('post', '/tenants/:slug/tokens', { body: { name } }));
    return render(deps, c, created.ok ? { secret: created.value.secret } : { error: created.error });
  });
}
