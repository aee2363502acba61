import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { connectorDescriptors, descriptorFor } from '../../../connectors/registry.js';
import { VALUE_FIELDS, type HrValues } from '../../connections/hr-values.js';
import { adminAs, attempt, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Page, when } from '../layout.js';
import type { ConnectionV, RunV } from '../views.js';
import { area } from './index.js';
import { providerName, StatusBadge } from './overview.js';
import { PlanView, sectionsOf } from './plan-view.js';
import { ScrollTable } from '../table.js';
import { mappingPages } from './mapping.js';

const FIELD_LABELS: Record<string, string> = { workLocation: 'Locations', department: 'Departments', team: 'Teams' };
const SCHEDULES = [
  [60, 'Every hour'],
  [240, 'Every 4 hours'],
  [720, 'Twice a day'],
  [1440, 'Once a day'],
] as const;

const label = (name: string) => name.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()).replace(/\bapi\b/gi, 'API').replace(/\bid\b/gi, 'ID');
const isSecret = (name: string) => /key|secret|token|password/i.test(name);

interface JsonField {
  type?: string;
  enum?: string[];
  default?: string;
  description?: string;
}

/** The credential fields of a connector, from its own schema: nothing per provider is written here. */
function credentialFields(provider: string) {
  const schema = z.toJSONSchema(descriptorFor(provider).credentialsSchema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonField>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {}).map(([name, f]) => ({ name, ...f, required: (schema.required ?? []).includes(name) }));
}

function page(c: Context<ConsoleEnv>, title: string, body: unknown) {
  return c.html(
    <Page title={title} session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/hr">
      {body as never}
    </Page>,
  );
}

interface Proposed {
  scope: ConnectionV['scope'];
  onboarding: 'review' | 'auto';
  scheduleMinutes: number;
  safetyThresholdPercent: number;
}

/** Reads the settings form: one "is one of" rule per org-unit field with ticked values; rules on other fields are kept. */
async function readSettings(c: Context<ConsoleEnv>, current: ConnectionV): Promise<Proposed> {
  const form = await c.req.parseBody({ all: true });
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String).filter(Boolean);
  const scope = current.scope.filter((r) => !(VALUE_FIELDS as readonly string[]).includes(r.field));
  for (const field of VALUE_FIELDS) {
    const values = list(form[`scope.${field}`]);
    if (values.length) scope.push({ field, op: 'in', values });
  }
  return {
    scope,
    onboarding: form.onboarding === 'auto' ? 'auto' : 'review',
    scheduleMinutes: Number(form.scheduleMinutes) || current.scheduleMinutes,
    safetyThresholdPercent: Number(form.safetyThresholdPercent) || current.safetyThresholdPercent,
  };
}

export function hrPages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  r.use('/hr', area('hr'));
  r.use('/hr/*', area('hr'));
  mappingPages(r, deps);
  const base = (c: Context<ConsoleEnv>) => `/console/t/${c.get('slug')}/hr`;

  r.get('/hr', async (c) => {
    const connections = await adminAs(deps, c)<ConnectionV[]>('get', '/tenants/:slug/connections');
    return page(
      c,
      'HR systems',
      <>
        <h1>HR systems</h1>
        <div class="cards">
          {connections.map((conn) => (
            <section class="card" aria-label={`${providerName(conn.provider)} connection`}>
              <h2>{providerName(conn.provider)}</h2>
              <p>
                <StatusBadge status={conn.status} reason={conn.statusReason} />
              </p>
              <p class="muted">Next run: {when(conn.nextRunAt)}</p>
              <a href={`${base(c)}/${conn.id}`}>Open</a>
            </section>
          ))}
        </div>
        <p>
          <a class="button" href={`${base(c)}/new`}>
            Connect an HR system
          </a>
        </p>
      </>,
    );
  });

  r.get('/hr/new', (c) =>
    page(
      c,
      'Connect an HR system',
      <>
        <h1>Connect an HR system</h1>
        <p>Which HR system does your company use?</p>
        <ul class="cards" role="list">
          {connectorDescriptors.map((d) => (
            <li class="card">
              <h2>
                <a href={`${base(c)}/new/${d.name}`}>{d.displayName}</a>
              </h2>
              <p class="muted">{d.capabilities.incremental ? 'Reads only what changed between runs.' : 'Reads everyone on each run.'}</p>
            </li>
          ))}
        </ul>
      </>,
    ),
  );

  const credentialsForm = (c: Context<ConsoleEnv>, provider: string, error?: string, values: Record<string, string> = {}) => {
    const d = descriptorFor(provider);
    return page(
      c,
      `Connect ${d.displayName}`,
      <>
        <h1>Connect {d.displayName}</h1>
        <h2>Get your credentials</h2>
        <p>{d.credentialsHelp}</p>
        <ErrorBox message={error} />
        <form method="post" action={`${base(c)}/new/${d.name}`} class="stack">
          <Csrf token={c.get('csrf')} />
          {credentialFields(provider).map((f) => (
            <div class="field">
              <label for={`cred-${f.name}`}>{label(f.name)}</label>
              {f.enum ? (
                <select id={`cred-${f.name}`} name={`cred.${f.name}`}>
                  {f.enum.map((v) => (
                    <option value={v} selected={(values[f.name] ?? f.default) === v}>
                      {v}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  type={isSecret(f.name) ? 'password' : 'text'}
                  id={`cred-${f.name}`}
                  name={`cred.${f.name}`}
                  required={f.required}
                  autocomplete="off"
                  value={isSecret(f.name) ? '' : (values[f.name] ?? '')}
                />
              )}
            </div>
          ))}
          <details>
            <summary>Advanced</summary>
            <div class="field">
              <label for="baseUrl">API address (a sandbox or proxy; leave empty for {d.displayName} itself)</label>
              <input type="url" id="baseUrl" name="baseUrl" value={values.baseUrl ?? ''} />
            </div>
          </details>
          <button type="submit">Check and connect</button>
        </form>
      </>,
    );
  };

  r.get('/hr/new/:provider', (c) => {
    const provider = c.req.param('provider');
    if (!connectorDescriptors.some((d) => d.name === provider)) return c.notFound();
    return credentialsForm(c, provider);
  });

  r.post('/hr/new/:provider', async (c) => {
    const provider = c.req.param('provider');
    if (!connectorDescriptors.some((d) => d.name === provider)) return c.notFound();
    const form = await c.req.parseBody();
    const credentials: Record<string, string> = {};
    for (const f of credentialFields(provider)) {
      const v = form[`cred.${f.name}`];
      if (typeof v === 'string' && v !== '') credentials[f.name] = v.trim();
    }
    const baseUrl = typeof form.baseUrl === 'string' && form.baseUrl.trim() ? form.baseUrl.trim() : undefined;
    const created = await attempt(adminAs(deps, c)<ConnectionV>('post', '/tenants/:slug/connections', { body: { provider, credentials, ...(baseUrl ? { baseUrl } : {}) } }));
    // The connector's own message (wrong key, missing permission, unreachable) goes back next to the form; never the secret typed.
    if (!created.ok) return credentialsForm(c, provider, created.error, { ...Object.fromEntries(Object.entries(credentials).filter(([k]) => !isSecret(k))), ...(baseUrl ? { baseUrl } : {}) });
    return c.redirect(`${base(c)}/${created.value.id}/setup`, 303);
  });

  r.get('/hr/:id', async (c) => {
    const admin = adminAs(deps, c);
    const id = c.req.param('id');
    const conn = await admin<ConnectionV>('get', '/tenants/:slug/connections/:id', { params: { id } });
    const runs = await admin<{ items: RunV[] }>('get', '/tenants/:slug/connections/:id/runs', { params: { id }, query: { limit: '20' } });
    const runsBase = `/console/t/${c.get('slug')}/runs`;
    return page(
      c,
      providerName(conn.provider),
      <>
        <h1>{providerName(conn.provider)}</h1>
        <p>
          <StatusBadge status={conn.status} reason={conn.statusReason} />
        </p>
        <dl class="facts">
          <dt>Scope</dt>
          <dd>{conn.scope.length ? conn.scope.map((s) => `${label(s.field)} ${s.op === 'in' ? 'is one of' : 'is not'} ${s.values.join(', ')}`).join('; ') : 'Everyone'}</dd>
          <dt>New people</dt>
          <dd>{conn.onboarding === 'review' ? 'Wait for an invitation (review)' : 'Added at once (automatic)'}</dd>
          <dt>Schedule</dt>
          <dd>Every {conn.scheduleMinutes} minutes; next {when(conn.nextRunAt)}</dd>
          <dt>Safety stop</dt>
          <dd>Hold a run that would archive more than {conn.safetyThresholdPercent} % of managed people</dd>
        </dl>
        {conn.status !== 'disconnected' ? (
          <p>
            <a class="button secondary" href={`${base(c)}/${id}/setup`}>
              Change settings
            </a>{' '}
            <a class="button secondary" href={`${base(c)}/${id}/mapping`}>
              Attribute mapping
            </a>{' '}
            <form method="post" action={`${base(c)}/${id}/sync`} class="inline">
              <Csrf token={c.get('csrf')} />
              <button type="submit">Sync now</button>
            </form>
          </p>
        ) : (
          <p>
            <a href={`${base(c)}/${id}/mapping`}>Attribute mapping</a>
          </p>
        )}
        <h2>Runs</h2>
        <ScrollTable headers={['Started', 'Kind', 'State', 'Counts']}>
          {runs.items.map((run) => (
            <tr>
              <td>
                <a href={`${runsBase}/${run.id}`}>{when(run.started)}</a>
              </td>
              <td>
                {run.mode} ({run.trigger})
              </td>
              <td>
                <StatusBadge status={run.state} />
              </td>
              <td>{Object.entries(run.counts).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ') || '—'}</td>
            </tr>
          ))}
        </ScrollTable>
      </>,
    );
  });

  const settingsForm = async (c: Context<ConsoleEnv>, error?: string) => {
    const admin = adminAs(deps, c);
    const id = c.req.param('id')!;
    const conn = await admin<ConnectionV>('get', '/tenants/:slug/connections/:id', { params: { id } });
    const values = await attempt(admin<HrValues>('get', '/tenants/:slug/connections/:id/values', { params: { id } }));
    const chosen = (field: string) => conn.scope.find((s) => s.field === field && s.op === 'in')?.values ?? [];
    return page(
      c,
      `Set up ${providerName(conn.provider)}`,
      <>
        <h1>Set up {providerName(conn.provider)}</h1>
        <ErrorBox message={error ?? (values.ok ? undefined : `Could not read from ${providerName(conn.provider)}: ${values.error}`)} />
        <form method="post" action={`${base(c)}/${id}/preview`} class="stack">
          <Csrf token={c.get('csrf')} />
          <h2>Who to bring in</h2>
          <p class="muted">
            {values.ok ? `${values.value.people} people in ${providerName(conn.provider)}. ` : ''}Tick values to bring in only those people; tick nothing to bring in everyone.
          </p>
          {values.ok
            ? VALUE_FIELDS.filter((f) => (values.value.fields[f] ?? []).length > 0).map((field) => (
                <fieldset>
                  <legend>{FIELD_LABELS[field]}</legend>
                  {values.value.fields[field]!.map((v, i) => (
                    <div>
                      <input type="checkbox" id={`scope-${field}-${i}`} name={`scope.${field}`} value={v.value} checked={chosen(field).includes(v.value)} />{' '}
                      <label for={`scope-${field}-${i}`} class="inline-label">
                        {v.value} <span class="muted">({v.people})</span>
                      </label>
                    </div>
                  ))}
                </fieldset>
              ))
            : null}
          <fieldset>
            <legend>New people</legend>
            <div>
              <input type="radio" id="onb-review" name="onboarding" value="review" checked={conn.onboarding === 'review'} />{' '}
              <label for="onb-review" class="inline-label">
                Wait for me to invite them (Add people)
              </label>
            </div>
            <div>
              <input type="radio" id="onb-auto" name="onboarding" value="auto" checked={conn.onboarding === 'auto'} />{' '}
              <label for="onb-auto" class="inline-label">
                Add them automatically
              </label>
            </div>
          </fieldset>
          <div class="field">
            <label for="scheduleMinutes">How often to sync</label>
            <select id="scheduleMinutes" name="scheduleMinutes">
              {SCHEDULES.map(([m, text]) => (
                <option value={String(m)} selected={conn.scheduleMinutes === m}>
                  {text}
                </option>
              ))}
              {SCHEDULES.some(([m]) => m === conn.scheduleMinutes) ? null : (
                <option value={String(conn.scheduleMinutes)} selected>
                  Every {conn.scheduleMinutes} minutes
                </option>
              )}
            </select>
          </div>
          <div class="field">
            <label for="safetyThresholdPercent">Safety stop: hold a run that would archive more than this share of people (%)</label>
            <input type="number" id="safetyThresholdPercent" name="safetyThresholdPercent" min={1} max={100} value={String(conn.safetyThresholdPercent)} />
          </div>
          <button type="submit">Preview</button>
        </form>
      </>,
    );
  };
  r.get('/hr/:id/setup', (c) => settingsForm(c));

  r.post('/hr/:id/preview', async (c) => {
    const admin = adminAs(deps, c);
    const id = c.req.param('id');
    const conn = await admin<ConnectionV>('get', '/tenants/:slug/connections/:id', { params: { id } });
    const proposed = await readSettings(c, conn);
    const run = await attempt(
      admin<RunV>('post', '/tenants/:slug/connections/:id/preview', {
        params: { id },
        body: { scope: proposed.scope, onboarding: proposed.onboarding, safetyThresholdPercent: proposed.safetyThresholdPercent },
      }),
    );
    if (!run.ok) return settingsForm(c, run.error);
    return page(
      c,
      'Preview',
      <>
        <h1>Preview</h1>
        <p>Nothing has changed yet. This is what the first run with these settings would do.</p>
        {run.value.held ? <p class="error">The safety stop would hold this run: {String(run.value.held.reason ?? '')}</p> : null}
        <PlanView run={run.value} sections={sectionsOf(run.value, (kind) => `/console/t/${c.get('slug')}/runs/${run.value.id}/operations?kind=${kind}`)} />
        <form method="post" action={`${base(c)}/${id}/apply`} class="inline">
          <Csrf token={c.get('csrf')} />
          <input type="hidden" name="settings" value={JSON.stringify(proposed)} />
          <button type="submit">Save &amp; apply</button>{' '}
          <a class="button secondary" href={`${base(c)}/${id}/setup`}>
            Back
          </a>
        </form>
      </>,
    );
  });

  r.post('/hr/:id/apply', async (c) => {
    const admin = adminAs(deps, c);
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    let settings: unknown;
    try {
      settings = JSON.parse(String(form.settings ?? '{}'));
    } catch {
      settings = {};
    }
    // The admin API validates these as it would any PATCH; a tampered field is a 400 there.
    const saved = await attempt(admin('patch', '/tenants/:slug/connections/:id', { params: { id }, body: settings }));
    if (!saved.ok) return settingsForm(c, saved.error);
    const run = await attempt(admin<RunV>('post', '/tenants/:slug/connections/:id/sync', { params: { id } }));
    if (!run.ok) return settingsForm(c, run.error);
    return c.redirect(`/console/t/${c.get('slug')}/runs/${run.value.id}`, 303);
  });

  r.post('/hr/:id/sync', async (c) => {
    const id = c.req.param('id');
    const run = await attempt(adminAs(deps, c)<RunV>('post', '/tenants/:slug/connections/:id/sync', { params: { id } }));
    if (!run.ok) return page(c, 'Sync', <ErrorBox message={run.error} />);
    return c.redirect(`/console/t/${c.get('slug')}/runs/${run.value.id}`, 303);
  });
}
