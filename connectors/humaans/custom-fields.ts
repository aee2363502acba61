import { z } from 'zod';
import type { HttpClient } from '../http/client.js';
import { isHttpError } from '../http/errors.js';
import { feathersPages } from './read.js';

/**
 * Humaans keeps custom fields apart from people: definitions in `/custom-fields`
 * (`id`, `name`), values in `/custom-values` (`personId`, `customFieldId`, `value`; a list for
 * multi-select fields). A mapping reads one as `customFields.<name or id>`: a raw path has no
 * spaces, so names match case-insensitively with each run of other characters written `_`
 * (`customFields.cost_code` for "Cost code").
 */
const slug = (name: string) => name.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '_');
const fieldSchema = z.looseObject({ id: z.string().min(1), name: z.string().nullish() });
const valueSchema = z.looseObject({ personId: z.string().min(1), customFieldId: z.string().min(1), value: z.unknown().optional() });

/**
 * Person id → { name → value } for the fields asked for: one read of the definitions, then the
 * values of each wanted field (`customFieldId=`), so unmapped fields cost nothing. A token that
 * may not read them leaves them absent with a warning.
 */
export async function readCustomValues(
  http: HttpClient,
  wanted: readonly string[],
  opts: { pageSize: number; warnings: string[]; signal?: AbortSignal | undefined },
): Promise<Map<string, Record<string, unknown>>> {
  const byPerson = new Map<string, Record<string, unknown>>();
  const page = { pageSize: opts.pageSize, ...(opts.signal ? { signal: opts.signal } : {}) };
  try {
    const keyOf = new Map<string, string>();
    for await (const { records } of feathersPages(http, '/custom-fields', 'Humaans custom fields', page)) {
      for (const raw of records) {
        const f = fieldSchema.safeParse(raw);
        if (!f.success) continue;
        const name = wanted.find((w) => w === f.data.id || (!!f.data.name && slug(w) === slug(f.data.name)));
        if (name) keyOf.set(f.data.id, name);
      }
    }
    for (const [fieldId, name] of keyOf) {
      for await (const { records } of feathersPages(http, '/custom-values', 'Humaans custom values', { ...page, query: { customFieldId: fieldId } })) {
        for (const raw of records) {
          const v = valueSchema.safeParse(raw);
          if (!v.success || v.data.customFieldId !== fieldId) continue;
          const fields = byPerson.get(v.data.personId) ?? byPerson.set(v.data.personId, {}).get(v.data.personId)!;
          fields[name] = v.data.value ?? null;
        }
      }
    }
  } catch (err) {
    if (!isHttpError(err) || (err.kind !== 'permission' && err.kind !== 'not_found')) throw err;
    opts.warnings.push(`Humaans did not let this token read custom fields (${err.status}); mapped custom fields are left empty.`);
    byPerson.clear();
  }
  return byPerson;
}
