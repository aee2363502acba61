import { DomainError } from '../../scim/errors.js';
import type { ConnectionDeps } from '../connections/service.js';
import type { ChangeSource } from '../events/append.js';
import type { RunResult } from '../sync/run.js';
import type { RunRow } from '../sync/runs.js';
import type { AdminContext } from './route.js';

export function connectionsOf(ctx: AdminContext): ConnectionDeps {
  if (!ctx.connections) throw new DomainError('internal', 'HR connections are not served by this process');
  return ctx.connections;
}

/** The admin as named on runs they decide (and in the audit log). */
export const actorOf = (ctx: AdminContext): string => `${ctx.principal.role}:${ctx.principal.subject}`;

/** The admin as the source of directory changes (the change feed). */
export const sourceOf = (ctx: AdminContext): ChangeSource => ({ kind: 'admin', id: ctx.principal.subject });

/**
 * Starts a run that goes on after the response, and resolves with it as soon as it is recorded.
 * A refusal before that (a run already going: 409; a disconnected connection) rejects as usual, so
 * the caller answers it; a failure after that is the background's to log.
 */
export function startInBackground(
  ctx: AdminContext,
  what: Record<string, unknown>,
  start: (onStart: (run: RunRow) => void) => Promise<RunResult>,
): Promise<RunRow> {
  return new Promise((resolve, reject) => {
    let started = false;
    const work = start((run) => {
      started = true;
      resolve(run);
    });
    ctx.background.track(
      what,
      work.then(
        (result) => resolve(result.run),
        (error: unknown) => {
          if (started) throw error;
          reject(error);
        },
      ),
    );
  });
}
