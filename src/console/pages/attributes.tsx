import type { Context, Hono } from 'hono';
import { TENANT_ATTRIBUTE_TYPES } from '../../../scim/schemas/tenant-user.js';
import { adminAs, attempt, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Notice, Page } from '../layout.js';
import { ScrollTable } from '../table.js';
import { canEdit } from './authority.js';
import type { TenantAttributeV } from './authority-text.js';
import { area } from './index.js';

interface Typed {
  name: string;
  type: string;
  multiValued: boolean;
  caseExact: boolean;
  description: string;
}

async function attributesPage(deps: ConsoleDeps, c: Context<ConsoleEnv>, shown: { typed?: Typed; error?: string; notice?: string } = {}) {
  const list = await adminAs(deps, c)<{ schema: string; items: TenantAttributeV[] }>('get', '/tenants/:slug/schema/attributes');
  const base = `/console/t/${c.get('slug')}/attributes`;
  const typed = shown.typed ?? { name: '', type: 'string', multiValued: false, caseExact: false, description: '' };
  const editable = canEdit(c);
  return c.html(
    <Page title="Your attributes" session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/attributes">
      <h1>Your attributes</h1>
      <p>
        Attributes of your own (cost code, badge number…) that people carry besides the standard ones, under <code>{list.schema}</code>. Your identity provider sees them in{' '}
        <code>/Schemas</code> and can write and filter them; owners are set under <a href={`/console/t/${c.get('slug')}/authority`}>Source of authority</a>.
      </p>
      <Notice message={shown.notice} />
      <ErrorBox message={shown.error} />
      <ScrollTable headers={editable ? ['Name', 'Type', 'Values', 'Description', 'Remove'] : ['Name', 'Type', 'Values', 'Description']}>
        {list.items.map((a) => (
          <tr>
            <td>
              <code>{a.name}</code>
            </td>
            <td>{a.type}</td>
            <td>
              {a.multiValued ? 'several' : 'one'}
              {a.type === 'string' ? (a.caseExact ? ', case-sensitive' : ', any case') : ''}
            </td>
            <td>{a.description || '—'}</td>
            {editable ? (
              <td>
                <form method="post" action={`${base}/${encodeURIComponent(a.name)}/remove`}>
                  <Csrf token={c.get('csrf')} />
                  <button type="submit" class="secondary" aria-label={`Remove ${a.name}`}>
                    Remove
                  </button>
                </form>
              </td>
            ) : null}
          </tr>
        ))}
      </ScrollTable>
      {list.items.length === 0 ? <p class="muted">None declared yet.</p> : null}
      {editable ? (
        <>
          <h2>Declare an attribute</h2>
          <p class="muted">An attribute that people hold values of, or that a rule names, cannot be removed.</p>
          <form method="post" action={base} class="stack">
            <Csrf token={c.get('csrf')} />
            <div class="field">
              <label for="attr-name">Name (a letter, then letters, digits, - and _)</label>
              <input type="text" id="attr-name" name="name" value={typed.name} maxlength={64} required autocomplete="off" />
            </div>
            <div class="field">
              <label for="attr-type">Type</label>
              <select id="attr-type" name="type">
                {TENANT_ATTRIBUTE_TYPES.map((t) => (
                  <option value={t} selected={typed.type === t}>
                    {t}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <input type="checkbox" id="attr-multi" name="multiValued" value="on" checked={typed.multiValued} />{' '}
              <label for="attr-multi" class="inline-label">
                A person may have several values
              </label>
            </div>
            <div>
              <input type="checkbox" id="attr-case" name="caseExact" value="on" checked={typed.caseExact} />{' '}
              <label for="attr-case" class="inline-label">
                Case-sensitive (for text)
              </label>
            </div>
            <div class="field">
              <label for="attr-description">Description</label>
              <input type="text" id="attr-description" name="description" value={typed.description} maxlength={500} />
            </div>
            <button type="submit">Declare</button>
          </form>
        </>
      ) : (
        <p class="muted">You can read these attributes; an admin of the organisation declares and removes them.</p>
      )}
    </Page>,
  );
}

export function attributePages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.use('/attributes', area('authority'));
  r.use('/attributes/*', area('authority'));
  r.get('/attributes', (c) => attributesPage(deps, c));
  r.post('/attributes', async (c) => {
    const form = await c.req.parseBody();
    const typed: Typed = {
      name: typeof form.name === 'string' ? form.name.trim() : '',
      type: typeof form.type === 'string' ? form.type : '',
      multiValued: form.multiValued === 'on',
      caseExact: form.caseExact === 'on',
      description: typeof form.description === 'string' ? form.description.trim() : '',
    };
    // The admin API validates the name (format, reserved names) and type, and says which is wrong.
    const declared = await attempt(adminAs(deps, c)<TenantAttributeV>('post', '/tenants/:slug/schema/attributes', { body: typed }));
    if (!declared.ok) return attributesPage(deps, c, { typed, error: declared.error });
    return attributesPage(deps, c, { notice: `Declared ${declared.value.name}: ${declared.value.path}` });
  });
  r.post('/attributes/:name/remove', async (c) => {
    const name = c.req.param('name');
    const removed = await attempt(adminAs(deps, c)('delete', '/tenants/:slug/schema/attributes/:name', { params: { name } }));
    return attributesPage(deps, c, removed.ok ? { notice: `Removed ${name}.` } : { error: removed.error });
  });
}
