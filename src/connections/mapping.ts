import { createConnector, type NormalisedEmployee } from '../../connectors/index.js';
import type { Mapping } from '../mapping/mapping.js';
import { checkedMapping, currentMapping, mappingVersions, saveMapping, type StoredMapping } from '../mapping/store.js';
import { withDisplayNameFallback } from '../sync/mapped.js';
import { connectorFor } from './connector-for.js';
import { findConnection, type ConnectionDeps } from './service.js';
import type { Executor } from '../db/client.js';

/** People a preview shows by default, and at most. */
export const PREVIEW_SAMPLE = 10;
export const PREVIEW_MAX = 50;

export interface MappingPreviewPerson {
  remoteId: string;
  displayName: string;
  workEmail: string | null;
  /** What the mapping would write, by attribute path (`null`: the attribute is left empty). */
  values: Record<string, unknown>;
  /** Attributes the mapping could not fill for this person, and why. */
  errors: { attribute: string; message: string }[];
}

export async function getMapping(db: Executor, tenantId: string, connectionId: string): Promise<StoredMapping> {
  return currentMapping(db, await findConnection(db, tenantId, connectionId));
}

export async function listMappingVersions(db: Executor, tenantId: string, connectionId: string): Promise<StoredMapping[]> {
  const row = await findConnection(db, tenantId, connectionId);
  return mappingVersions(db, row.id);
}

/**
 * Saves a mapping (validated; 400 naming the attribute). A new version is recorded only when it
 * differs from the one in force; the next run then reads everyone (src/sync/incremental.ts).
 */
export async function putMapping(db: Executor, tenantId: string, connectionId: string, mapping: Mapping, savedBy: string | null) {
  const row = await findConnection(db, tenantId, connectionId);
  return saveMapping(db, { tenantId, connection: row, mapping, savedBy });
}

/**
 * What a mapping would produce for the first `sample` people the HR system lists, read now through
 * the connector (with the raw fields the mapping names). Writes nothing, saves nothing.
 */
export async function previewMapping(
  deps: ConnectionDeps,
  tenantId: string,
  connectionId: string,
  input: { mapping?: Mapping | undefined; sample?: number | undefined },
  signal?: AbortSignal,
): Promise<{ version: number | null; people: MappingPreviewPerson[] }> {
  const row = await findConnection(deps.db, tenantId, connectionId);
  const mapping = input.mapping ?? (await currentMapping(deps.db, row)).mapping;
  const { compiled } = await checkedMapping(deps.db, tenantId, mapping);
  const want = Math.min(Math.max(input.sample ?? PREVIEW_SAMPLE, 1), PREVIEW_MAX);
  const connector = connectorFor(row, deps.secretKey, deps.connectors ?? createConnector);
  const sample: NormalisedEmployee[] = [];
  const options = { ...(signal ? { signal } : {}), ...(compiled.rawFields.length > 0 ? { rawFields: compiled.rawFields } : {}) };
  // Leaving the loop early ends the connector's iteration: no more pages are asked for.
  for await (const page of connector.employees(options)) {
    sample.push(...page.employees.slice(0, want - sample.length));
    if (sample.length >= want) break;
  }
  const people: MappingPreviewPerson[] = [];
  for (const e of sample) {
    const result = await compiled.evaluate(e);
    people.push({ remoteId: e.remoteId, displayName: e.displayName, workEmail: e.workEmail, values: withDisplayNameFallback(result.values, e), errors: result.errors });
  }
  return { version: input.mapping ? null : (await currentMapping(deps.db, row)).version, people };
}
