import type { RunV } from '../views.js';

const KIND_LABELS: Record<string, string> = {
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
const SHOWN = 200;

/** A run's counts, then the people in each category with the reason, record errors and conflicts. */
export function PlanView(props: { run: RunV }) {
  const { run } = props;
  const ops = run.operations ?? [];
  const kinds = [...new Set(ops.map((o) => String(o.kind)))];
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
      {kinds.map((kind) => {
        const of = ops.filter((o) => o.kind === kind);
        return (
          <details open={kind === 'archive' || undefined}>
            <summary>
              {KIND_LABELS[kind] ?? kind}: {of.length}
            </summary>
            <ul>
              {of.slice(0, SHOWN).map((o) => (
                <li>
                  <strong>{String(o.email ?? o.remoteId ?? o.userId ?? '?')}</strong> — {String(o.reason ?? '')}
                  {Array.isArray(o.changed) && o.changed.length ? ` (${o.changed.join(', ')})` : ''}
                </li>
              ))}
              {of.length > SHOWN ? <li class="muted">…and {of.length - SHOWN} more</li> : null}
            </ul>
          </details>
        );
      })}
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
