import { z } from 'zod';
import { luccaIdSchema, refSchema } from '../schema.js';

/**
 * `GET /api/v3/users` answers `{"data":{"items":[…]}}`; one rendering of the docs shows bare
 * `{"items":[…]}`. Items are parsed one by one (map.ts): one odd user is a record error.
 */
export const legacyListSchema = z.union([
  z.object({ data: z.object({ items: z.array(z.unknown()) }) }).transform((b) => b.data.items),
  z.object({ items: z.array(z.unknown()) }).transform((b) => b.items),
]);

export const legacyUserSchema = z.looseObject({
  id: luccaIdSchema,
  name: z.string().nullish(),
  displayName: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  mail: z.string().nullish(),
  employeeNumber: z.union([z.string(), z.number().transform(String)]).nullish(),
  jobTitle: z.string().nullish(),
  dtContractStart: z.string().nullish(),
  dtContractEnd: z.string().nullish(),
  // The docs name the change stamp `modifiedAt`; one rendering of the response calls it `modifiedOn`.
  modifiedAt: z.string().nullish(),
  modifiedOn: z.string().nullish(),
  managerId: luccaIdSchema.nullish(),
  manager: refSchema.nullish(),
  department: refSchema.nullish(),
  legalEntity: refSchema.nullish(),
  establishment: refSchema.nullish(),
});
export type LegacyUser = z.infer<typeof legacyUserSchema>;

/** An analytical-axis section as `userAxisValues_{axisId}` carries it: one section or several. */
export const axisSectionSchema = z.looseObject({
  id: luccaIdSchema.nullish(),
  name: z.string().nullish(),
  code: z.string().nullish(),
  percentage: z.number().nullish(),
});

/**
 * The fields a connector asks for. `establishment` is not in the documented sample (only
 * `legalEntity` is), so an account that refuses it is asked again without it.
 */
export interface LegacyFieldSet {
  establishment: boolean;
}

/**
 * Every field is named: without `fields` the legacy API answers only `id,name,url` (and the docs
 * disagree on whether that default holds), so a forgotten field would look like a hidden one.
 */
export function legacyFields(axisIds: readonly number[], withEstablishment = true): string {
  return [
    'id',
    'name',
    'displayName',
    'firstName',
    'lastName',
    'mail',
    'employeeNumber',
    'jobTitle',
    'dtContractStart',
    'dtContractEnd',
    'modifiedAt',
    'managerId',
    'manager[id,name]',
    'department[id,name]',
    'legalEntity[id,name]',
    ...(withEstablishment ? ['establishment[id,name]'] : []),
    ...axisIds.map((id) => `userAxisValues_${id}`),
  ].join(',');
}

/** Fields worth a warning when the key's role hides them, and the ones without which leavers look employed. */
export const legacyEssentialFields = ['mail', 'firstName', 'lastName', 'dtContractStart', 'managerId', 'department'] as const;
export const legacyVitalFields = ['dtContractEnd'] as const;
