import type { HttpClient } from '../../http/client.js';
import { isHttpError } from '../../http/errors.js';
import { parseWith } from '../../http/json.js';
import { cleanText } from '../../values.js';
import { mapPool } from './pool.js';
import { v2OrgUnitSchema } from './schema.js';

export interface OrgUnitNames {
  /** Looks up every id not yet known; a unit Personio will not show us is remembered as unnamed. */
  load(ids: readonly string[], concurrency: number, signal?: AbortSignal): Promise<void>;
  name(id: string): string | null;
  /** Ids that could not be named (404/403), for a run warning. */
  readonly unnamed: ReadonlySet<string>;
}

/**
 * Employments name departments and teams by id only. A company has tens of units and
 * thousands of people, so each unit is fetched once per connector and kept.
 */
export function createOrgUnitNames(http: HttpClient): OrgUnitNames {
  const names = new Map<string, string | null>();
  const unnamed = new Set<string>();
  return {
    unnamed,
    name: (id) => names.get(id) ?? null,
    async load(ids, concurrency, signal) {
      const missing = ids.filter((id) => !names.has(id));
      await mapPool(
        missing,
        concurrency,
        async (id, sig) => {
          try {
            const json = await http.requestJson({ path: `/v2/org-units/${encodeURIComponent(id)}`, signal: sig });
            const name = cleanText(parseWith(v2OrgUnitSchema, json, 'Personio org unit').name);
            names.set(id, name);
            if (name === null) unnamed.add(id);
          } catch (err) {
            // Not found or not readable: the id stands in for the name; anything else fails the run.
            if (!isHttpError(err) || (err.kind !== 'not_found' && err.kind !== 'permission')) throw err;
            names.set(id, null);
            unnamed.add(id);
          }
        },
        signal,
      );
    },
  };
}
