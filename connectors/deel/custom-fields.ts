import { z } from 'zod';
import type { EmployeePage } from '../contract.js';
import type { HttpClient } from '../http/client.js';
import { isHttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';

/**
 * Deel keeps custom fields per worker: definitions in `GET /people/custom_fields` (`id`, `name`,
 * `type`), each worker's values in `GET /people/{id}/custom_fields` — one request per person.
 * A mapping reads one as `customFields.<name or id>`: a raw path has no spaces, so names match
 * case-insensitively with each run of other characters written `_` (`customFields.cost_code`
 * for "Cost code").
 */
const slug = (name: string) => name.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '_');
const fieldSchema = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), name: z.string().nullish() });
const definitionsSchema = z.looseObject({ data: z.array(z.unknown()) });
const valueSchema = z.looseObject({ id: z.union([z.string(), z.number()]).transform(String).optional(), name: z.string().nullish(), value: z.unknown().optional() });

/** People read at once: the client's budget paces them; this only bounds what waits in line. */
const concurrency = 4;

export interface CustomFieldReader {
  /** Sets `raw.customFields` on each employee of the page (an empty object when none is set). */
  enrich(page: EmployeePage): Promise<EmployeePage>;
}

/**
 * Reads the wanted fields of every person listed, page by page. Unmapped fields cost nothing;
 * a mapping that names none costs no request at all (the caller skips this). A token that may
 * not read custom fields leaves them absent with one warning instead of failing the run.
 */
export function createCustomFieldReader(http: HttpClient, wanted: readonly string[], signal?: AbortSignal): CustomFieldReader {
  const sig = signal ? { signal } : {};
  let keyOf: Map<string, string> | undefined;
  let refused: string | undefined;

  async function definitions(): Promise<Map<string, string>> {
    const json = await http.requestJson({ path: '/people/custom_fields', ...sig });
    const out = new Map<string, string>();
    for (const raw of parseWith(definitionsSchema, json, 'Deel custom field definitions').data) {
      const f = fieldSchema.safeParse(raw);
      if (!f.success) continue;
      const name = wanted.find((w) => w === f.data.id || (!!f.data.name && slug(w) === slug(f.data.name)));
      if (name) out.set(f.data.id, name);
    }
    return out;
  }

  async function valuesOf(personId: string, fields: Map<string, string>): Promise<Record<string, unknown>> {
    const json = await http.requestJson({ path: `/people/${encodeURIComponent(personId)}/custom_fields`, ...sig });
    const out: Record<string, unknown> = {};
    for (const raw of parseWith(definitionsSchema, json, 'Deel custom field values').data) {
      const v = valueSchema.safeParse(raw);
      if (!v.success) continue;
      // Values name their field by id; a name alone is matched as the definitions are.
      const key = (v.data.id !== undefined ? fields.get(v.data.id) : undefined) ?? (v.data.name ? [...fields.values()].find((w) => slug(w) === slug(v.data.name!)) : undefined);
      if (key !== undefined) out[key] = v.data.value ?? null;
    }
    return out;
  }

  const isRefusal = (err: unknown) => isHttpError(err) && (err.kind === 'permission' || err.kind === 'not_found');

  return {
    async enrich(page) {
      if (refused !== undefined || page.employees.length === 0) return page;
      try {
        keyOf ??= await definitions();
      } catch (err) {
        if (!isRefusal(err)) throw err;
        refused = `Deel did not let this token read custom fields (${isHttpError(err) ? err.status : ''}); mapped custom fields are left empty.`;
        return { ...page, warnings: [...(page.warnings ?? []), refused] };
      }
      const fields = keyOf;
      const employees = [...page.employees];
      let next = 0;
      let personRefused = false;
      const worker = async () => {
        while (next < employees.length && !personRefused) {
          const i = next++;
          const e = employees[i]!;
          let values: Record<string, unknown> = {};
          // No wanted field is defined: nobody has a value, so nobody is asked.
          if (fields.size > 0) {
            try {
              values = await valuesOf(e.remoteId, fields);
            } catch (err) {
              if (!isHttpError(err)) throw err;
              // A person gone since the list was read has no values; a refusal ends the reading.
              if (err.kind === 'permission') personRefused = true;
              else if (err.kind !== 'not_found') throw err;
            }
          }
          employees[i] = { ...e, raw: { ...e.raw, customFields: values } };
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, employees.length) }, worker));
      if (personRefused) {
        refused = 'Deel did not let this token read workers\' custom fields (403); mapped custom fields are left empty.';
        return { ...page, employees: page.employees, warnings: [...(page.warnings ?? []), refused] };
      }
      return { ...page, employees };
    },
  };
}
