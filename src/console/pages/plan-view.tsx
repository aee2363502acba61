import type { OperationV, RunV } from '../views.js';

export const KIND_LABELS: Record<string, string> = {
  create: 'New people',
  link: 'Linked to existing users',
  update: 'Updated',
  reactivate: 'Reactivated',
  archive: 'Archived',
  release: 'Released (no longer managed)',
  unchanged: 'Unchanged',
  skipped: 'Skipped (outside the scope or no longer employed)',
  conflicts: 'Conflicts',
  applied: 'Applied',
  failed: 'Failed',
};
/** The kinds a run lists person by person, in the order the page shows them. */
export const LISTED_KINDS = ['create', 'link', 'update', 'reactivate', 'archive', 'release', 'skipped'];
const SHOWN = 200;

/** The people of one kind: the first ones, how many there are, and where the rest are listed. */
export interface PlanSection {
  kind: string;
  total: number;
  items: OperationV[];
  /** A page listing every one of them, when not all are here. */
  more?: string;
}

/** Sections from a run that carries its operations (a preview's answer); `listAt(kind)` is where a kind is listed in full. */
export function sectionsOf(run: RunV, listAt?: (kind: string) => string): PlanSection[] {
  const ops = (run.operations ?? []) as unknown as OperationV[];
  const kinds = [...new Set(ops.map((o) => String(o.kind)))];
  return kinds.map((kind) => {
    const of = ops.filter((o) => o.kind === kind);
    return { kind, total: of.length, items: of.slice(0, SHOWN), ...(listAt ? { more: listAt(kind) } : {}) };
  });
}

export function OperationLine(props: { op: OperationV }) {
  const o = props.op;
  return (
    <li>
      <strong>{String(o.email ?? o.remoteId ?? o.userId ?? '?')}</strong> — {String(o.reason ?? '')}
      {Array.isArray(o.changed) && o.changed.length ? ` (${o.changed.join(', ')})` : ''}
    </li>
  );
}

/** A run's counts, then the people in each category with the reason, record errors and conflicts. */
export function PlanView(props: { run: RunV; sections: PlanSection[] }) {
  const { run, sections } = props;
  const conflicts = (run.conflicts ?? []) as { remoteId?: string; userId?: string; reason?: string }[];
  const recordErrors = run.recordErrors as { remoteId?: string | null; code?: string; reason?: string }[];
  return (
    <div>
      <div class="scroll" tabindex={0} role="region" aria-label="Table (scrolls sideways on small screens)">
        <table>
          <caption class="muted">What this run {run.mode === 'preview' ? 'would do' : 'does'}</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">People</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(run.counts).map(([k, n]) => (
              <tr>
                <td>{KIND_LABELS[k] ?? k}</td>
                <td>{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {sections.map((section) => (
        <details open={section.kind === 'archive' || undefined}>
          <summary>
            {KIND_LABELS[section.kind] ?? section.kind}: {section.total}
          </summary>
          <ul>
            {section.items.map((o) => (
              <OperationLine op={o} />
            ))}
            {section.items.length === 0 ? <li class="muted">Not recorded for this run.</li> : null}
            {section.total > section.items.length && section.items.length > 0 ? (
              <li class="muted">
                …and {section.total - section.items.length} more{section.more ? <> (<a href={section.more}>list them all</a>)</> : null}
              </li>
            ) : null}
          </ul>
        </details>
      ))}
      {conflicts.length ? (
        <details open>
          <summary>Conflicts: {conflicts.length}</summary>
          <ul>
            {conflicts.slice(0, SHOWN).map((c) => (
              <li>
                HR person {c.remoteId ?? '?'} — {c.reason ?? ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {recordErrors.length ? (
        <details open>
          <summary>HR records with problems: {recordErrors.length}</summary>
          <ul>
            {recordErrors.slice(0, SHOWN).map((e) => (
              <li>
                {e.remoteId ? `HR person ${e.remoteId}` : 'A record without id'} — {e.reason ?? e.code ?? ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
