import { z } from 'zod';
import type { HttpClient } from '../http/client.js';
import { listPages } from './read.js';
import { customFieldValuesPageSchema } from './schema.js';

/**
 * Remote keeps custom field values per employment (`GET /v1/employments/{id}/custom-fields`), each
 * with its field's `custom_field_id` and `name`, so no read of the definitions is needed. A mapping
 * reads one as `customFields.<name or id>`: a raw path has no spaces, so names match
 * case-insensitively with each run of other characters written `_` (`customFields.cost_code` for
 * "Cost code").
 */
const slug = (name: string) => name.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '_');
const valueSchema = z.looseObject({ custom_field_id: z.string().min(1), name: z.string().nullish(), value: z.unknown().optional() });

/** Fields a mapping reads, by the first segment after `customFields.`. */
export function customFieldNames(paths: readonly string[]): string[] {
  return [...new Set(paths.map((p) => p.split('.')[0]!))];
}

/**
 * One employment's values for the fields asked for (name → value; a field with no value is null).
 * Errors are the caller's: a refusal means the credential may not read custom field values.
 */
export async function readEmploymentCustomValues(
  http: HttpClient,
  employmentId: string,
  wanted: readonly string[],
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const pages = listPages({
    http,
    path: `/v1/employments/${encodeURIComponent(employmentId)}/custom-fields`,
    schema: customFieldValuesPageSchema,
    key: 'custom_field_values',
    pageSize: 100,
    what: 'Remote custom field values',
    signal,
  });
  for await (const { items } of pages) {
    for (const raw of items) {
      const v = valueSchema.safeParse(raw);
      if (!v.success) continue;
      const key = wanted.find((w) => w === v.data.custom_field_id || (!!v.data.name && slug(w) === slug(v.data.name)));
      if (key) out[key] = v.data.value ?? null;
    }
  }
  return out;
}
