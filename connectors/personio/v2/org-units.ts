import type { HttpClient } from '../../http/client.js';
import { parseWith } from '../../http/json.js';
import { cleanText } from '../../values.js';
import { mapPool } from '../../http/pool.js';
import { v2OrgUnitSchema } from './schema.js';

/** An org unit as employments name it: Personio keeps departments and teams apart, ids included. */
export interface OrgUnitRef {
  type: 'department' | 'team';
  id: string;
}

export interface OrgUnitNames {
  /** Looks up every unit not yet known; one that cannot be read is remembered as unnamed. */
  load(units: readonly OrgUnitRef[], concurrency: number, signal?: AbortSignal): Promise<void>;
  name(unit: OrgUnitRef): string | null;
  /** Units that could not be named, with why, for a run warning. */
  readonly unnamed: ReadonlyMap<string, string>;
}

const keyOf = (unit: OrgUnitRef) => `${unit.type}:${unit.id}`;

/**
 * Employments name departments and teams by id only. A company has tens of units and
 * thousands of people, so each unit is fetched once per connector and kept.
 *
 * `GET /v2/org-units/{id}?type=…`: Personio's reference marks `type` as required (a lookup
 * without it is a 400). A unit that cannot be looked up, for whatever reason, costs its name
 * only: its id stands in and the run says so, because a department label is never worth
 * failing a whole sync over (the people are still right).
 */
export function createOrgUnitNames(http: HttpClient): OrgUnitNames {
  const names = new Map<string, string | null>();
  const unnamed = new Map<string, string>();
  return {
    unnamed,
    name: (unit) => names.get(keyOf(unit)) ?? null,
    async load(units, concurrency, signal) {
      const missing = [...new Map(units.map((u) => [keyOf(u), u])).values()].filter((u) => !names.has(keyOf(u)));
      await mapPool(
        missing,
        concurrency,
        async (unit, sig) => {
          const key = keyOf(unit);
          try {
            const json = await http.requestJson({ path: `/v2/org-units/${encodeURIComponent(unit.id)}`, query: { type: unit.type }, signal: sig });
            const name = cleanText(parseWith(v2OrgUnitSchema, json, 'Personio org unit').name);
            names.set(key, name);
            if (name === null) unnamed.set(key, 'no name');
          } catch (err) {
            // The run's own cancellation is not a lookup failure.
            if (sig.aborted || signal?.aborted) throw err;
            names.set(key, null);
            unnamed.set(key, (err as Error)?.message ?? String(err));
          }
        },
        signal,
      );
    },
  };
}
