import { z } from 'zod';

/**
 * A Deel bearer token: an organisation or personal API token from the Developer Center, or an
 * OAuth access token issued to an app. The API treats them alike (`Authorization: Bearer …`).
 */
export const deelCredentialsSchema = z.object({
  apiToken: z
    .string()
    .trim()
    .min(1, 'API token is required')
    // Pasted with the scheme is a common slip; the header adds it.
    .transform((t) => t.replace(/^Bearer\s+/i, '')),
});
export type DeelCredentials = z.output<typeof deelCredentialsSchema>;
export type DeelCredentialsInput = z.input<typeof deelCredentialsSchema>;

export const deelSettingsSchema = z.object({
  environment: z.enum(['production', 'sandbox']).default('production'),
  /**
   * People per page. The current reference allows 1–200, an older guide 1–100; a server that
   * refuses 200 is asked again with 100 (list.ts), one that clamps is followed by offset.
   */
  pageSize: z.number().int().min(1).max(200).default(200),
});
export type DeelSettings = z.output<typeof deelSettingsSchema>;
export type DeelSettingsInput = z.input<typeof deelSettingsSchema>;

export const deelHosts = ['api.letsdeel.com', 'api-sandbox.demo.deel.com'] as const;

export function deelBaseUrl(environment: DeelSettings['environment']): string {
  return environment === 'sandbox' ? 'https://api-sandbox.demo.deel.com/rest/v2' : 'https://api.letsdeel.com/rest/v2';
}

/**
 * Every path in the reference sits under `/rest/v2`. An admin (or operator) who types only the
 * host, or the host and `/rest`, means the same API.
 */
export function withApiPrefix(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '') url.pathname = '/rest/v2';
  else if (path.endsWith('/rest')) url.pathname = `${path}/v2`;
  return url.toString().replace(/\/+$/, '');
}

/** `page` may be absent or partial; the items are parsed one by one (map.ts). */
export const peoplePageSchema = z.object({
  data: z.array(z.unknown()),
  page: z
    .looseObject({
      offset: z.coerce.number().nullish(),
      total_rows: z.coerce.number().nullish(),
      items_per_page: z.coerce.number().nullish(),
    })
    .nullish(),
});

const id = z.union([z.string(), z.number().transform(String)]);
const ref = z.looseObject({ id: id.nullish(), name: z.string().nullish() });

export const deelEmploymentSchema = z.looseObject({
  id: id.nullish(),
  team: ref.nullish(),
  job_title: z.string().nullish(),
  hiring_status: z.string().nullish(),
  contract_status: z.string().nullish(),
  is_ended: z.boolean().nullish(),
  start_date: z.string().nullish(),
  termination_last_day: z.string().nullish(),
  work_email: z.string().nullish(),
});
export type DeelEmployment = z.infer<typeof deelEmploymentSchema>;

/** `direct_manager`: the manager's HRIS profile id, and other ways of naming them. */
export const deelManagerSchema = z.looseObject({
  id: id.nullish(),
  worker_id: id.nullish(),
  work_email: z.string().nullish(),
});

/**
 * One person from `GET /people`. Only `id` is required; every other field may be missing (a
 * token that cannot see it) or null, and nested objects are read leniently in map.ts so one
 * odd field never drops the person.
 */
export const deelPersonSchema = z.looseObject({
  id: id.pipe(z.string().trim().min(1)),
  worker_id: id.nullish(),
  external_id: id.nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  preferred_first_name: z.string().nullish(),
  preferred_last_name: z.string().nullish(),
  full_name: z.string().nullish(),
  emails: z.array(z.unknown()).nullish(),
  hiring_status: z.string().nullish(),
  new_hiring_status: z.string().nullish(),
  person_status: z.string().nullish(),
  state: z.string().nullish(),
  hiring_type: z.string().nullish(),
  job_title: z.string().nullish(),
  start_date: z.string().nullish(),
  direct_employee_termination_last_day: z.string().nullish(),
  department: z.unknown().optional(),
  direct_manager: z.unknown().optional(),
  employments: z.array(z.unknown()).nullish(),
  work_location: z.unknown().optional(),
  country: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type DeelPerson = z.infer<typeof deelPersonSchema>;

export const deelEmailSchema = z.looseObject({ type: z.string().nullish(), value: z.string().nullish(), primary: z.boolean().nullish() });

/** Fields whose absence from every person of a page means the token may not see them. */
export const watchedFields = ['emails', 'first_name', 'last_name', 'start_date', 'direct_manager', 'department', 'employments'] as const;
/** Without one of these, leavers cannot be told from employees. */
export const statusFields = ['hiring_status', 'new_hiring_status', 'person_status'] as const;
