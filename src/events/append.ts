import { deepEqual } from '../../scim/resource/json.js';
import type { Executor } from '../db/client.js';
import { changeEvents } from '../db/schema.js';

/** Who caused a change; carried on every change event. */
export type ChangeSource =
  | { kind: 'token'; id: string }
  | { kind: 'connection'; id: string }
  | { kind: 'admin'; id: string }
  | { kind: 'system'; id: string };

export interface ChangeEventInput {
  tenantId: string;
  type: string;
  resourceType: 'User' | 'Group' | 'Connection' | 'Sync';
  resourceId: string | null;
  source: ChangeSource;
  payload: Record<string, unknown>;
}

/**
 * Appends to the change feed. Callers pass their open transaction so the event commits or rolls
 * back with the change it describes: the feed never shows a change that did not happen, nor misses one.
 */
export async function appendEvents(tx: Executor, events: ChangeEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(changeEvents).values(events);
}

/**
 * Names of the top-level attributes that differ between two documents, for `changed` in event payloads.
 * Compared as values, not as text: a stored document comes back in JSONB's key order, a written one in
 * the schema's, and the same values in another order are no change.
 */
export function changedAttributes(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => k !== 'schemas' && !deepEqual(before[k], after[k])).sort();
}
