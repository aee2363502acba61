import { z } from 'zod';

/**
 * An attribute mapping: for each directory attribute a connection fills in, where its value comes
 * from (README, "Attribute mapping"). Stored per connection, versioned; validated against the
 * tenant's attributes before it is saved (validate.ts), compiled once per run (compile.ts).
 */

/** A normalised employee field (connectors/contract.ts), dotted into named units: `department.name`. */
const fieldPath = z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/, 'a normalised field such as jobTitle or department.name');
/** A dotted path into the record as the HR system sent it: `customFields.badge`, `attributes.cost_code.value`. */
export const rawPathSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'a dotted path into the raw record such as customFields.badge');

export const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('field'), field: fieldPath }).strict(),
  z.object({ kind: z.literal('raw'), path: rawPathSchema }).strict(),
  z.object({ kind: z.literal('constant'), value: z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number(), z.boolean()]))]) }).strict(),
  z.object({ kind: z.literal('expression'), expression: z.string().min(1).max(2_000) }).strict(),
]);
export type Source = z.infer<typeof sourceSchema>;

export const mappingEntrySchema = z.object({ attribute: z.string().min(1).max(300), source: sourceSchema }).strict();
export type MappingEntry = z.infer<typeof mappingEntrySchema>;

/** At most this many entries: each one is evaluated for every employee of every run. */
export const MAX_MAPPING_ENTRIES = 100;

export const mappingSchema = z.object({ attributes: z.array(mappingEntrySchema).max(MAX_MAPPING_ENTRIES) }).strict();
export type Mapping = z.infer<typeof mappingSchema>;
