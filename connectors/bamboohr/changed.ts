import type { HttpClient } from '../http/client.js';
import { parseWith } from '../http/json.js';
import { changedResponseSchema } from './schema.js';

export type ChangeAction = 'inserted' | 'updated' | 'deleted';

export interface ChangedEmployees {
  /** BambooHR's own timestamp to pass as `since` next time (avoids clock skew between us and them). */
  latest: string | null;
  changes: Array<{ remoteId: string; action: ChangeAction; lastChanged: string | null }>;
}

/**
 * `GET /v1/employees/changed?since=…`: cheap "did anything change?" before reading a full
 * report. It lists ids only, so it complements the snapshot rather than replacing it.
 */
export async function changedSince(http: HttpClient, since: string, signal?: AbortSignal): Promise<ChangedEmployees> {
  const json = await http.requestJson({ path: '/v1/employees/changed', query: { since }, ...(signal ? { signal } : {}) });
  const body = parseWith(changedResponseSchema, json, 'BambooHR changed employees');
  const entries = Array.isArray(body.employees) ? body.employees : Object.values(body.employees);
  return {
    latest: body.latest ?? null,
    changes: entries.map((e) => ({ remoteId: e.id, action: actionOf(e.action), lastChanged: e.lastChanged ?? null })),
  };
}

function actionOf(action: string): ChangeAction {
  const a = action.toLowerCase();
  if (a === 'inserted' || a === 'deleted') return a;
  return 'updated';
}
