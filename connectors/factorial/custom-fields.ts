import { z } from 'zod';
import { isHttpError } from '../http/errors.js';
import { listPages, type ListRequest } from './read.js';

/**
 * Factorial keeps custom field values apart from employees, in
 * `/resources/custom_fields/values`: one row per employee (`valuable_id`) and field, the value in
 * the column of the field's type. A mapping reads one as `customFields.<identifier>` (the
 * field's `custom_field_identifier`, or its numeric `field_id`).
 */
const valueSchema = z.looseObject({
  valuable_id: z.union([z.string(), z.number()]).transform(String),
  valuable_type: z.string().nullish(),
  field_id: z.union([z.string(), z.number()]).transform(String).nullish(),
  custom_field_identifier: z.string().nullish(),
  value: z.unknown().optional(),
  long_text_value: z.unknown().optional(),
  single_choice_value: z.unknown().optional(),
  date_value: z.unknown().optional(),
  cents_value: z.unknown().optional(),
});

/** The first typed column that holds something; a checkbox's `false` is a value too. */
function valueOf(row: z.infer<typeof valueSchema>): unknown {
  for (const v of [row.value, row.long_text_value, row.single_choice_value, row.date_value, row.cents_value]) {
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/**
 * Employee id → { identifier → value } for the fields asked for, read in one pass over every
 * value (only the wanted ones are kept). A credential that may not read custom fields leaves
 * them absent with a warning; any other failure fails the run.
 */
export async function readCustomFieldValues(req: ListRequest, wanted: readonly string[], warnings: string[]): Promise<Map<string, Record<string, unknown>>> {
  const byEmployee = new Map<string, Record<string, unknown>>();
  const names = new Set(wanted);
  try {
    for await (const page of listPages(req)) {
      for (const raw of page) {
        const row = valueSchema.safeParse(raw);
        if (!row.success || (row.data.valuable_type && row.data.valuable_type !== 'Employee')) continue;
        const name = [row.data.custom_field_identifier, row.data.field_id].find((n): n is string => !!n && names.has(n));
        if (!name) continue;
        const fields = byEmployee.get(row.data.valuable_id) ?? byEmployee.set(row.data.valuable_id, {}).get(row.data.valuable_id)!;
        fields[name] = valueOf(row.data);
      }
    }
  } catch (err) {
    if (!isHttpError(err) || (err.kind !== 'permission' && err.kind !== 'not_found')) throw err;
    warnings.push(`Factorial did not let this credential read custom field values (${err.status}); mapped custom fields are left empty.`);
  }
  return byEmployee;
}
