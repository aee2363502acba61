import { z } from 'zod';

/**
 * Admins paste the company domain in every form ("acme", "acme.bamboohr.com",
 * "https://acme.bamboohr.com/home"); all of them mean the subdomain "acme".
 */
const companyDomain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/^https?:\/\//, '').replace(/[/?#].*$/, '').replace(/\.bamboohr\.com$/, ''))
  .pipe(z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'company domain: the part before .bamboohr.com'));

export const bambooHrCredentialsSchema = z.object({
  companyDomain,
  apiKey: z.string().trim().min(1, 'API key is required'),
  /** `gateway` is the older api.bamboohr.com/api/gateway.php/{company} host; same API. */
  hostStyle: z.enum(['subdomain', 'gateway']).default('subdomain'),
});
export type BambooHrCredentials = z.output<typeof bambooHrCredentialsSchema>;
export type BambooHrCredentialsInput = z.input<typeof bambooHrCredentialsSchema>;

/** The custom report's field list (docs/hr-apis.md); unknown or forbidden ones are left out by BambooHR. */
export const reportFields = [
  'id',
  'employeeNumber',
  'firstName',
  'lastName',
  'preferredName',
  'workEmail',
  'status',
  'employmentHistoryStatus',
  'hireDate',
  'terminationDate',
  'supervisorEId',
  'supervisorId',
  'supervisorEmail',
  'department',
  'division',
  'location',
  'jobTitle',
] as const;

/** Without these the sync cannot link or scope people; a key that cannot see them gets a warning. */
export const essentialFields = ['id', 'workEmail', 'firstName', 'lastName', 'status', 'terminationDate'] as const;

const idValue = z.union([z.string(), z.number()]);

/**
 * Rows are checked one by one (see map.ts) so one odd row is a record error, not a failed run;
 * the envelope only has to be an object with an employee array.
 */
export const reportResponseSchema = z.object({
  title: z.string().nullish(),
  fields: z.array(z.looseObject({ id: idValue })).nullish(),
  employees: z.array(z.unknown()),
});

/** Only the id is required; the other cells are read from the row itself (see map.ts), which
 *  avoids copying every row of a 50,000-person report. */
export const reportRowSchema = z.object({
  id: z.union([z.string().trim().min(1), z.number().int().transform(String)]),
});

const changedEntry = z.looseObject({
  id: idValue.transform(String),
  action: z.string(),
  lastChanged: z.string().nullish(),
});

/** `employees` is a map keyed by id; with no changes PHP serialises the empty map as `[]`. */
export const changedResponseSchema = z.object({
  latest: z.string().nullish(),
  employees: z.union([z.record(z.string(), changedEntry), z.array(changedEntry)]),
});

export const metaFieldsSchema = z.array(
  z.looseObject({ id: idValue, name: z.string().nullish(), alias: z.string().nullish() }),
);

/** BambooHR takes no settings; an empty object is the only valid value. */
export const bambooHrSettingsSchema = z.strictObject({});
