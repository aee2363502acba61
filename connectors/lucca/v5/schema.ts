import { z } from 'zod';
import { luccaIdSchema } from '../schema.js';

/** The Api-Version every v5 call sends; a newer version may rename fields under us. */
export const luccaApiVersion = '2024-11-01';

/** `POST /connect/token` (client credentials, form-encoded). */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.number().positive().nullish(),
});

const link = z.looseObject({ href: z.string().min(1) });

/**
 * A v5 collection. `links.next` is null on the last page (links only appear with
 * `include=links`); `embedded` holds related resources by type, then id. Items are parsed one
 * by one, so one odd record is a record error, not a failed run.
 */
export const v5ListSchema = z.looseObject({
  items: z.array(z.unknown()),
  links: z.looseObject({ next: link.nullish() }).nullish(),
  embedded: z.record(z.string(), z.record(z.string(), z.unknown())).nullish(),
  totalCount: z.number().nullish(),
});
export type V5List = z.infer<typeof v5ListSchema>;

const ref = z.looseObject({ id: luccaIdSchema }).nullish();

export const v5EmployeeSchema = z.looseObject({
  id: luccaIdSchema,
  remoteId: z.string().nullish(),
  givenName: z.string().nullish(),
  familyName: z.string().nullish(),
  employeeNumber: z.union([z.string(), z.number().transform(String)]).nullish(),
  status: z.string().nullish(),
  email: z.string().nullish(),
  applicableEmployment: ref,
  applicableJobPosition: ref,
  lastUpdatedAt: z.string().nullish(),
});
export type V5Employee = z.infer<typeof v5EmployeeSchema>;

/** A date as `{date}` (the employments reference) or a bare string (`startsOn`-style renderings). */
const dateValue = z.union([z.string(), z.looseObject({ date: z.string().nullish() }).transform((d) => d.date ?? null)]).nullish();

export const v5EmploymentSchema = z.looseObject({
  id: luccaIdSchema,
  employee: ref,
  status: z.string().nullish(),
  start: dateValue,
  end: dateValue,
  startsOn: z.string().nullish(),
  endsOn: z.string().nullish(),
  lastUpdatedAt: z.string().nullish(),
});
export type V5Employment = z.infer<typeof v5EmploymentSchema>;

export const v5JobPositionSchema = z.looseObject({
  id: luccaIdSchema,
  employee: ref,
  employment: ref,
  status: z.string().nullish(),
  startsOn: z.string().nullish(),
  endsOn: z.string().nullish(),
  jobTitle: z.string().nullish(),
  manager: ref,
  department: ref,
  businessEstablishment: ref,
  lastUpdatedAt: z.string().nullish(),
});
export type V5JobPosition = z.infer<typeof v5JobPositionSchema>;

/** An embedded department or business establishment. */
export const v5NamedSchema = z.looseObject({ id: luccaIdSchema, name: z.string().nullish(), remoteId: z.string().nullish() });

/**
 * `bankAccount` is documented in two shapes: `{format:"iban", iban, bic}` and
 * `{format, bankName, accountIdentifier, bankIdentifier}`. Both are accepted.
 */
export const v5BankAccountSchema = z.looseObject({
  format: z.string().nullish(),
  iban: z.string().nullish(),
  bic: z.string().nullish(),
  bankName: z.string().nullish(),
  accountIdentifier: z.string().nullish(),
  bankIdentifier: z.string().nullish(),
  holder: z.string().nullish(),
  accountHolder: z.string().nullish(),
});

export const v5PersonalRecordSchema = z.looseObject({
  id: luccaIdSchema.nullish(),
  employee: ref,
  email: z.string().nullish(),
  bankAccount: z.unknown(),
});

/** Scopes a client app needs for Rollcall's reads; personal records only when asked for. */
export function v5Scopes(readPersonalRecords: boolean): string {
  return ['employees.readonly', 'employments.readonly', ...(readPersonalRecords ? ['employee-personal-records.readonly'] : [])].join(' ');
}
