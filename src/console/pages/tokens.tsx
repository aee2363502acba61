import type { Context, Hono } from 'hono';
import { adminAs, attempt, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Notice, Page, when } from '../layout.js';
import type { TokenV } from '../views.js';
import { OneTimeSecret } from './idp.js';
import { StatusBadge } from './overview.js';
import { area } from './index.js';
import { ScrollTable } from '../table.js';

async function render(deps: ConsoleDeps, c: Context<ConsoleEnv>, extra: { secret?: string; error?: string; notice?: string } = {}) {
  const slug = c.get('slug');
  const csrf = c.get('csrf');
  const base = `/console/t/${slug}/tokens`;
  const tokens = await adminAs(deps, c)<TokenV[]>('get', '/tenants/:slug/tokens');
  return c.html(
    <Page title="Tokens" session={c.get('session')} csrf={csrf} slug={slug} current="/tokens">
      <h1>SCIM tokens</h1>
      <ErrorBox message={extra.error} />
      <Notice message={extra.notice} />
      {extra.secret ? <OneTimeSecret id="new-token" label="The new token." secret={extra.secret} /> : null}
      <h2>New token</h2>
      <form method="post" action={base} class="inline">
        <Csrf token={csrf} />
        <div class="field">
          <label for="name">Name</label>
          <input type="text" id="name" name="name" required maxlength={100} />
        </div>
        <div class="field">
          <label for="scope">Access</label>
          <select id="scope" name="scope">
            <option value="scim:write">Read and write (identity provider)</option>
            <option value="scim:read">Read only (the app on top)</option>
          </select>
        </div>
        <button type="submit">Create token</button>
      </form>
      <h2>Tokens</h2>
      <ScrollTable headers={['Name', 'Starts with', 'Access', 'State', 'Last used', 'Expires', 'Actions']}>
        {tokens.map((t) => (
          <tr>
            <td>{t.name}</td>
            <td>
              <code>{t.prefix}…</code>
            </td>
            <td>{t.scopes.join(', ')}</td>
            <td>
              <StatusBadge status={t.state} />
            </td>
            <td>{when(t.lastUsedAt)}</td>
            <td>{when(t.expiresAt)}</td>
            <td>
              {t.state === 'active' ? (
                <>
                  <form method="post" action={`${base}/${t.id}/rotate`} class="inline">
                    <Csrf token={csrf} />
                    <button type="submit" class="secondary" aria-label={`Rotate ${t.name}`}>
                      Rotate
                    </button>
                  </form>{' '}
                  <form method="post" action={`${base}/${t.id}/revoke`} class="inline">
                    <Csrf token={csrf} />
                    <button type="submit" class="danger" aria-label={`Revoke ${t.name}`}>
                      Revoke
                    </button>
                  </form>
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </ScrollTable>
    </Page>,
  );
}

export function tokenPages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.use('/tokens', area('idp'));
  r.use('/tokens/*', area('idp'));
  r.get('/tokens', (c) => render(deps, c));
  r.post('/tokens', async (c) => {
    const form = await c.req.parseBody();
    const scopes = form.scope === 'scim:read' ? ['scim:read'] : ['scim:write'];
    const created = await attempt(adminAs(deps, c)<{ secret: string }>('post', '/tenants/:slug/tokens', { body: { name: String(form.name ?? '').trim(), scopes } }));
    return render(deps, c, created.ok ? { secret: created.value.secret } : { error: created.error });
  });
  r.post('/tokens/:id/rotate', async (c) => {
    const rotated = await attempt(adminAs(deps, c)<{ secret: string; previousTokenExpiresAt: string }>('post', '/tenants/:slug/tokens/:id/rotate', { params: { id: c.req.param('id') }, body: {} }));
    return render(deps, c, rotated.ok ? { secret: rotated.value.secret, notice: `The old token keeps working until ${when(rotated.value.previousTokenExpiresAt)}.` } : { error: rotated.error });
  });
  r.post('/tokens/:id/revoke', async (c) => {
    await adminAs(deps, c)('delete', '/tenants/:slug/tokens/:id', { params: { id: c.req.param('id') } });
    return render(deps, c, { notice: 'The token is revoked.' });
  });
}
