import type { Context, Hono } from 'hono';
import { adminAs, attempt, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Notice, Page } from '../layout.js';
import { ScrollTable } from '../table.js';
import type { ConnectionV } from '../views.js';
import { namer, ownerChoices, pathLabel, POLICY_LABELS, WRITER_LABELS, WRITERS, type AuthorityV, type TenantAttributeV, type Writer } from './authority-text.js';
import { area } from './index.js';

/** What the form shows: the saved rules, or what was just submitted when the service refused it. */
interface Draft {
  rules: { path: string; owner: string }[];
  newPath: string;
  newOwner: string;
  policies: Record<Writer, 'ignore' | 'reject'>;
}

/** Paths the "add a rule" field suggests: common User attributes and the tenant's own. */
const SUGGESTED = ['userName', 'displayName', 'nickName', 'title', 'name.givenName', 'name.familyName', 'emails', 'phoneNumbers', 'addresses', 'active', 'preferredLanguage', 'locale', 'timezone'];
const ENTERPRISE = ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager.value'];

export const canEdit = (c: Context<ConsoleEnv>) => c.get('session').role !== 'auditor';

async function authorityPage(deps: ConsoleDeps, c: Context<ConsoleEnv>, shown?: { draft?: Draft; error?: string; notice?: string }) {
  const admin = adminAs(deps, c);
  const [saved, connections, attributes] = await Promise.all([
    admin<AuthorityV>('get', '/tenants/:slug/authority'),
    admin<ConnectionV[]>('get', '/tenants/:slug/connections'),
    admin<{ items: TenantAttributeV[] }>('get', '/tenants/:slug/schema/attributes'),
  ]);
  const names = namer(connections);
  const draft: Draft = shown?.draft ?? { rules: saved.rules, newPath: '', newOwner: 'hr', policies: saved.policies };
  const base = `/console/t/${c.get('slug')}/authority`;
  const editable = canEdit(c);
  const OwnerSelect = (p: { id: string; name: string; value: string; open: boolean; label: string }) => (
    <select id={p.id} name={p.name} aria-label={p.label}>
      {p.open ? (
        <option value="" selected={p.value === ''}>
          Open: every source writes it
        </option>
      ) : null}
      {ownerChoices(connections, [p.value]).map((o) => (
        <option value={o} selected={p.value === o}>
          {names.owner(o)}
        </option>
      ))}
    </select>
  );
  return c.html(
    <Page title="Source of authority" session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/authority">
      <h1>Source of authority</h1>
      <p>
        For each attribute of a person, the one source whose writes change it. A field with no rule is open: every source writes it, the last write wins. An HR owner holds a
        field only while its connection manages the person. What other sources try to write is listed under <a href={`/console/t/${c.get('slug')}/conflicts`}>Conflicts</a>.
      </p>
      <Notice message={shown?.notice} />
      <ErrorBox message={shown?.error} />
      {saved.default ? <p class="muted">These are the defaults: HR owns what it fills in, everything else is open.</p> : null}
      {editable ? (
        <form method="post" action={base} class="stack">
          <Csrf token={c.get('csrf')} />
          <h2>Owners</h2>
          <ScrollTable headers={['Attribute', 'Owner']}>
            {draft.rules.map((rule, i) => (
              <tr>
                <td>
                  <code id={`rule-${i}-label`}>{pathLabel(rule.path)}</code>
                  <input type="hidden" name={`rule.${i}.path`} value={rule.path} />
                </td>
                <td>
                  <OwnerSelect id={`rule-${i}`} name={`rule.${i}.owner`} value={rule.owner} open label={`Owner of ${pathLabel(rule.path)}`} />
                </td>
              </tr>
            ))}
          </ScrollTable>
          <fieldset>
            <legend>Add a rule</legend>
            <div class="field">
              <label for="new-path">Attribute (e.g. title, name.givenName, or one of your attributes)</label>
              <input type="text" id="new-path" name="new.path" value={draft.newPath} maxlength={300} list="known-paths" autocomplete="off" />
              <datalist id="known-paths">
                {[...SUGGESTED, ...ENTERPRISE.map((a) => `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:${a}`), ...attributes.items.map((a) => a.path)].map((p) => (
                  <option value={p}>{pathLabel(p)}</option>
                ))}
              </datalist>
            </div>
            <div class="field">
              <label for="new-owner">Owner</label>
              <OwnerSelect id="new-owner" name="new.owner" value={draft.newOwner} open={false} label="Owner" />
            </div>
          </fieldset>
          <h2>When a source writes a field it does not own</h2>
          {WRITERS.map((w) => (
            <div class="field">
              <label for={`policy-${w}`}>{WRITER_LABELS[w]}</label>
              <select id={`policy-${w}`} name={`policy.${w}`}>
                {(['ignore', 'reject'] as const).map((p) => (
                  <option value={p} selected={draft.policies[w] === p}>
                    {POLICY_LABELS[p]}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <button type="submit">Save</button>
        </form>
      ) : (
        <>
          <h2>Owners</h2>
          <ScrollTable headers={['Attribute', 'Owner']}>
            {saved.rules.map((rule) => (
              <tr>
                <td>
                  <code>{pathLabel(rule.path)}</code>
                </td>
                <td>{names.owner(rule.owner)}</td>
              </tr>
            ))}
          </ScrollTable>
          <h2>When a source writes a field it does not own</h2>
          <dl class="facts">
            {WRITERS.map((w) => (
              <>
                <dt>{WRITER_LABELS[w]}</dt>
                <dd>{POLICY_LABELS[saved.policies[w]]}</dd>
              </>
            ))}
          </dl>
          <p class="muted">You can read these settings; an admin of the organisation changes them.</p>
        </>
      )}
      {editable && !saved.default ? (
        <form method="post" action={`${base}/reset`}>
          <Csrf token={c.get('csrf')} />
          <h2>Defaults</h2>
          <p>Back to HR owning what it fills in, the rest open, and the default policies.</p>
          <button type="submit" class="danger">
            Reset to the defaults
          </button>
        </form>
      ) : null}
    </Page>,
  );
}

/** Reads the form back into an edit for the admin API (which validates the merged set whole) and the draft to show again. */
function readForm(form: Record<string, unknown>): { draft: Draft; edit: { rules: Record<string, string | null>; policies: Partial<Record<Writer, string>> } } {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const rules: Draft['rules'] = [];
  for (let i = 0; i < 1000 && typeof form[`rule.${i}.path`] === 'string'; i++) rules.push({ path: text(form[`rule.${i}.path`]), owner: text(form[`rule.${i}.owner`]) });
  const draft: Draft = {
    rules,
    newPath: text(form['new.path']),
    newOwner: text(form['new.owner']) || 'hr',
    policies: Object.fromEntries(WRITERS.map((w) => [w, form[`policy.${w}`] === 'reject' ? 'reject' : 'ignore'])) as Draft['policies'],
  };
  const edit: Record<string, string | null> = {};
  for (const r of rules) if (r.path) edit[r.path] = r.owner || null;
  if (draft.newPath) edit[draft.newPath] = draft.newOwner;
  // Policies go as sent: a value that is neither ignore nor reject is the API's 400 to give.
  const policies = Object.fromEntries(WRITERS.filter((w) => typeof form[`policy.${w}`] === 'string').map((w) => [w, String(form[`policy.${w}`])]));
  return { draft, edit: { rules: edit, policies } };
}

export function authorityPages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.use('/authority', area('authority'));
  r.use('/authority/*', area('authority'));
  r.get('/authority', (c) => authorityPage(deps, c));
  r.post('/authority', async (c) => {
    const { draft, edit } = readForm(await c.req.parseBody());
    const saved = await attempt(adminAs(deps, c)('patch', '/tenants/:slug/authority', { body: edit }));
    if (!saved.ok) return authorityPage(deps, c, { draft, error: saved.error });
    return authorityPage(deps, c, { notice: 'Saved. Every server follows the new rules within 5 seconds.' });
  });
  r.post('/authority/reset', async (c) => {
    await adminAs(deps, c)('delete', '/tenants/:slug/authority');
    return authorityPage(deps, c, { notice: 'Back to the defaults.' });
  });
}
