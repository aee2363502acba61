import { z } from 'zod';
import type { ConnectionDeps } from './service.js';
import { findConnection } from './service.js';
import { connectorFor } from './connector-for.js';
import { createConnector } from '../../connectors/index.js';

/** The fields a scope rule can name whose values come from the HR system's own org units. */
export const VALUE_FIELDS = ['workLocation', 'department', 'team'] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];

export const hrValuesView = z.object({
  /** Per field, each value the HR system has with how many people carry it, most common first. */
  fields: z.record(z.string(), z.array(z.object({ value: z.string(), people: z.number() }))),
  people: z.number(),
});
export type HrValues = z.infer<typeof hrValuesView>;

const CAP = 500;

/**
 * Reads the HR system once and lists the locations, departments and teams its people have, so an
 * admin builds scope rules from real values instead of typing names. Writes nothing.
 */
export async function hrValues(deps: ConnectionDeps, tenantId: string, id: string, signal?: AbortSignal): Promise<HrValues> {
  const row = await findConnection(deps.db, tenantId, id);
  const connector = connectorFor(row, deps.secretKey, deps.connectors ?? createConnector);
  const counts = Object.fromEntries(VALUE_FIELDS.map((f) => [f, new Map<string, number>()])) as Record<ValueField, Map<string, number>>;
  let people = 0;
  for await (const page of connector.employees(signal ? { signal } : {})) {
    for (const e of page.employees) {
      people++;
      for (const field of VALUE_FIELDS) {
        const name = e[field]?.name;
        if (name) counts[field].set(name, (counts[field].get(name) ?? 0) + 1);
      }
    }
  }
  const fields = Object.fromEntries(
    VALUE_FIELDS.map((f) => [
      f,
      [...counts[f].entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, CAP)
        .map(([value, n]) => ({ value, people: n })),
    ]),
  );
  return { fields, people };
}
