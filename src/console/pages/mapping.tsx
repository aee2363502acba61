import type { Context, Hono } from 'hono';
import { adminAs, attempt, type ConsoleDeps, type ConsoleEnv } from '../context.js';
import { Csrf, ErrorBox, Notice, Page, when } from '../layout.js';
import { ScrollTable } from '../table.js';
import type { ConnectionV } from '../views.js';
import { canEdit } from './authority.js';
import { pathLabel, valueText } from './authority-text.js';
import { providerName } from './overview.js';

type Kind = 'field' | 'raw' | 'constant' | 'expression';
type SourceV = { kind: 'field'; field: string } | { kind: 'raw'; path: string } | { kind: 'constant'; value: unknown } | { kind: 'expression'; expression: string };
interface EntryV {
  attribute: string;
  source: SourceV;
}
interface MappingV {
  attributes: EntryV[];
}
interface StoredMappingV {
  version: number;
  mapping: MappingV;
  isDefault: boolean;
  savedAt: string | null;
  savedBy: string | null;
}
interface PreviewV {
  people: { remoteId: string; displayName: string; workEmail: string | null; values: Record<string, unknown>; errors: { attribute: string; message: string }[] }[];
}

const KINDS: Record<Kind, string> = {
  field: 'Employee field',
  raw: 'Field of the HR record',
  constant: 'Constant',
  expression: 'Expression (JSONata)',
};
/** Blank rows under the mapping's own, for attributes to add. */
const BLANK_ROWS = 3;

/** A row of the form: the source as one text (a field name, a raw path, a constant, an expression). */
interface Row {
  attribute: string;
  kind: Kind;
  text: string;
}

const rowOf = (e: EntryV): Row => {
  switch (e.source.kind) {
    case 'field':
      return { attribute: e.attribute, kind: 'field', text: e.source.field };
    case 'raw':
      return { attribute: e.attribute, kind: 'raw', text: e.source.path };
    case 'constant':
      return { attribute: e.attribute, kind: 'constant', text: typeof e.source.value === 'string' ? e.source.value : JSON.stringify(e.source.value) };
    default:
      return { attribute: e.attribute, kind: 'expression', text: e.source.expression };
  }
};

/** A constant is sent as typed; the service coerces it to the attribute's type or names the mismatch. */
const entryOf = (r: Row): EntryV => {
  switch (r.kind) {
    case 'field':
      return { attribute: r.attribute, source: { kind: 'field', field: r.text } };
    case 'raw':
      return { attribute: r.attribute, source: { kind: 'raw', path: r.text } };
    case 'constant':
      return { attribute: r.attribute, source: { kind: 'constant', value: r.text } };
    default:
      return { attribute: r.attribute, source: { kind: 'expression', expression: r.text } };
  }
};

const sourceText = (r: Row) => (r.kind === 'constant' ? `“${r.text}”` : r.text);

/** The preview's columns in the form's order, as the service spells them (canonical paths); any other after. */
function previewColumns(rows: Row[], preview: PreviewV): string[] {
  const keys = [...new Set(preview.people.flatMap((p) => Object.keys(p.values)))];
  const ordered = rows.map((r) => keys.find((k) => k.toLowerCase() === r.attribute.toLowerCase())).filter((k): k is string => k !== undefined);
  return [...new Set([...ordered, ...keys])];
}

/** The API names a malformed entry by its place (`body.mapping.attributes.3.source.field: …`); the form names it by its attribute. */
const rowNamed = (error: string, rows: Row[]) =>
  error.replace(/^body\.mapping\.attributes\.(\d+)\.(?:source\.)?([\w.]*)/, (all, i: string, rest: string) => (rows[Number(i)] ? `${rows[Number(i)]!.attribute} (${rest})` : all));

function readRows(form: Record<string, unknown>): Row[] {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const rows: Row[] = [];
  for (let i = 0; i < 1000 && typeof form[`m.${i}.attribute`] === 'string'; i++) {
    const kind = text(form[`m.${i}.kind`]);
    const row: Row = { attribute: text(form[`m.${i}.attribute`]), kind: (kind in KINDS ? kind : 'field') as Kind, text: typeof form[`m.${i}.text`] === 'string' ? (form[`m.${i}.text`] as string) : '' };
    // A row whose attribute is cleared is a row removed.
    if (row.attribute) rows.push(row);
  }
  return rows;
}

export function mappingPages(r: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const base = (c: Context<ConsoleEnv>) => `/console/t/${c.get('slug')}/hr/${c.req.param('id')}/mapping`;

  const mappingPage = async (c: Context<ConsoleEnv>, shown: { rows?: Row[]; error?: string; notice?: string; preview?: PreviewV } = {}) => {
    const admin = adminAs(deps, c);
    const id = c.req.param('id')!;
    const [conn, current, versions] = await Promise.all([
      admin<ConnectionV>('get', '/tenants/:slug/connections/:id', { params: { id } }),
      admin<StoredMappingV & { default: MappingV }>('get', '/tenants/:slug/connections/:id/mapping', { params: { id } }),
      admin<{ items: StoredMappingV[] }>('get', '/tenants/:slug/connections/:id/mapping/versions', { params: { id } }),
    ]);
    const wanted = Number(c.req.query('version'));
    const viewing = Number.isInteger(wanted) && wanted !== current.version ? versions.items.find((v) => v.version === wanted) : undefined;
    const shownMapping = viewing ?? current;
    // "Start from the default" fills the form with the connector's default, saved only after a preview like any edit.
    const rows = shown.rows ?? (c.req.query('start') === 'default' ? current.default : current.mapping).attributes.map(rowOf);
    const editable = canEdit(c) && conn.status !== 'disconnected';
    const name = providerName(conn.provider);
    const attributes = shown.preview ? previewColumns(rows, shown.preview) : [];
    return c.html(
      <Page title={`Mapping · ${name}`} session={c.get('session')} csrf={c.get('csrf')} slug={c.get('slug')} current="/hr">
        <h1>Attribute mapping: {name}</h1>
        <p>
          Where each attribute of a person comes from in {name}: an employee field, a field of the record as {name} sends it, a constant, or an expression. A changed
          mapping makes the next run read everyone. <a href={`/console/t/${c.get('slug')}/hr/${id}`}>Back to the connection</a>
        </p>
        <Notice message={shown.notice} />
        <ErrorBox message={shown.error} />

        {shown.preview ? (
          <section aria-labelledby="preview-title">
            <h2 id="preview-title">Preview</h2>
            <p>Nothing is saved yet. The values this mapping gives {shown.preview.people.length} people of {name}:</p>
            <ScrollTable headers={['Person', ...attributes.map(pathLabel), 'Problems']}>
              {shown.preview.people.map((p) => (
                <tr>
                  <td>
                    {p.displayName}
                    <br />
                    <span class="muted">{p.workEmail ?? p.remoteId}</span>
                  </td>
                  {attributes.map((a) => (
                    <td>{valueText(p.values[a])}</td>
                  ))}
                  <td>{p.errors.map((x) => `${pathLabel(x.attribute)}: ${x.message}`).join('; ') || '—'}</td>
                </tr>
              ))}
            </ScrollTable>
            <form method="post" action={`${base(c)}/save`} class="inline">
              <Csrf token={c.get('csrf')} />
              <input type="hidden" name="mapping" value={JSON.stringify({ attributes: rows.map(entryOf) })} />
              <button type="submit">Save this mapping</button>
            </form>
          </section>
        ) : null}

        {editable ? (
          <form method="post" action={`${base(c)}/preview`} class="stack wide">
            <Csrf token={c.get('csrf')} />
            <h2>{shown.preview ? 'Change it further' : current.isDefault ? `The default mapping for ${name}` : `Version ${current.version}`}</h2>
            <p class="muted">
              Clear an attribute to remove its row. Preview shows the values for a sample of people before anything is saved.{' '}
              {current.isDefault ? null : <a href={`${base(c)}?start=default`}>Start from the default mapping</a>}
            </p>
            <ScrollTable headers={['Attribute', 'Comes from', 'Field, path, constant or expression']}>
              {[...rows, ...Array.from({ length: BLANK_ROWS }, (): Row => ({ attribute: '', kind: 'field', text: '' }))].map((row, i) => (
                <tr>
                  <td>
                    <input type="text" name={`m.${i}.attribute`} value={row.attribute} maxlength={300} aria-label={row.attribute ? `Attribute ${i + 1}` : `New attribute ${i + 1}`} autocomplete="off" />
                  </td>
                  <td>
                    <select name={`m.${i}.kind`} aria-label={`Source kind ${i + 1}`}>
                      {Object.entries(KINDS).map(([k, label]) => (
                        <option value={k} selected={row.kind === k}>
                          {label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input type="text" name={`m.${i}.text`} value={row.text} maxlength={2000} aria-label={`Source ${i + 1}`} autocomplete="off" />
                  </td>
                </tr>
              ))}
            </ScrollTable>
            <button type="submit">Preview</button>
          </form>
        ) : (
          <>
            <h2>{current.isDefault ? `The default mapping for ${name}` : `Version ${current.version}`}</h2>
            <MappingTable rows={current.mapping.attributes.map(rowOf)} />
          </>
        )}

        <h2>Versions</h2>
        {versions.items.length === 0 ? (
          <p class="muted">None saved: the connection uses {name}'s default mapping.</p>
        ) : (
          <ScrollTable headers={['Version', 'Saved', 'By']}>
            {versions.items.map((v) => (
              <tr>
                <td>
                  <a href={`${base(c)}?version=${v.version}`} aria-current={v.version === shownMapping.version ? 'true' : undefined}>
                    Version {v.version}
                    {v.version === current.version ? ' (in force)' : ''}
                  </a>
                </td>
                <td>{when(v.savedAt)}</td>
                <td>{v.savedBy ?? '—'}</td>
              </tr>
            ))}
          </ScrollTable>
        )}
        {viewing ? (
          <section aria-labelledby="version-title">
            <h3 id="version-title">Version {viewing.version}</h3>
            <MappingTable rows={viewing.mapping.attributes.map(rowOf)} />
          </section>
        ) : null}
      </Page>,
    );
  };

  r.get('/hr/:id/mapping', (c) => mappingPage(c));
  r.post('/hr/:id/mapping/preview', async (c) => {
    const rows = readRows(await c.req.parseBody());
    const preview = await attempt(adminAs(deps, c)<PreviewV>('post', '/tenants/:slug/connections/:id/mapping/preview', { params: { id: c.req.param('id') }, body: { mapping: { attributes: rows.map(entryOf) } } }));
    if (!preview.ok) return mappingPage(c, { rows, error: rowNamed(preview.error, rows) });
    return mappingPage(c, { rows, preview: preview.value });
  });
  r.post('/hr/:id/mapping/save', async (c) => {
    const form = await c.req.parseBody();
    let mapping: MappingV = { attributes: [] };
    try {
      mapping = JSON.parse(String(form.mapping ?? '')) as MappingV;
    } catch {
      // Left empty: the admin API names what is missing.
    }
    const saved = await attempt(adminAs(deps, c)<StoredMappingV & { changed: boolean }>('put', '/tenants/:slug/connections/:id/mapping', { params: { id: c.req.param('id') }, body: mapping }));
    const rows = Array.isArray(mapping.attributes) ? mapping.attributes.map(rowOf) : undefined;
    if (!saved.ok) return mappingPage(c, { ...(rows ? { rows } : {}), error: saved.error });
    return mappingPage(c, {
      notice: saved.value.changed ? `Saved as version ${saved.value.version}. The next run reads everyone.` : `No change: version ${saved.value.version} stays in force.`,
    });
  });
}

function MappingTable(props: { rows: Row[] }) {
  return (
    <ScrollTable headers={['Attribute', 'Comes from', 'Field, path, constant or expression']}>
      {props.rows.map((row) => (
        <tr>
          <td>
            <code>{pathLabel(row.attribute)}</code>
          </td>
          <td>{KINDS[row.kind]}</td>
          <td>
            <code>{sourceText(row)}</code>
          </td>
        </tr>
      ))}
    </ScrollTable>
  );
}
