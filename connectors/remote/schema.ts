import { z } from 'zod';

const secret = (what: string) => z.string().trim().min(1, `${what} is required`);

/**
 * Either a customer API token (a company admin creates it: `ra_live_…`, or `ra_test_…` in the
 * sandbox; never expires, sees the whole company) or a partner application's client id and
 * secret. A partner's client-credentials token acts for the partner only and cannot list a
 * company's employments, so the partner also gives the refresh token from the company's
 * authorization-code grant; it is exchanged for one-hour company-scoped tokens. One flat
 * object rather than a union, so a missing field is named in the error an admin reads.
 */
export const remoteCredentialsSchema = z
  .object({
    apiToken: secret('API token').optional(),
    clientId: secret('client ID').optional(),
    clientSecret: secret('client secret').optional(),
    refreshToken: secret('refresh token').optional(),
  })
  .superRefine((c, ctx) => {
    if (c.apiToken) return;
    if (!c.clientId && !c.clientSecret) {
      ctx.addIssue({ code: 'custom', path: ['apiToken'], message: 'an API token, or a partner client ID and secret (with the company refresh token), is required' });
      return;
    }
    for (const key of ['clientId', 'clientSecret'] as const) {
      if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required for OAuth (or give an API token instead)` });
    }
  });
export type RemoteCredentials = z.output<typeof remoteCredentialsSchema>;
export type RemoteCredentialsInput = z.input<typeof remoteCredentialsSchema>;

export const remoteSettingsSchema = z.object({
  /** Employments per list request; Remote documents 100 as the maximum on its lists (?). */
  pageSize: z.number().int().min(1).max(100).default(100),
  /** Read confidential offboardings too, so their termination dates are not lost. */
  includeConfidentialOffboardings: z.boolean().default(true),
});
export type RemoteSettings = z.output<typeof remoteSettingsSchema>;
export type RemoteSettingsInput = z.input<typeof remoteSettingsSchema>;

export const remoteDefaultBaseUrl = 'https://gateway.remote.com';

const text = z.string().nullish();

const paging = {
  current_page: z.coerce.number().int().nonnegative(),
  total_pages: z.coerce.number().int().nonnegative(),
  total_count: z.coerce.number().int().nonnegative().nullish(),
};

/** `{"data":{"current_page","total_pages","total_count","employments":[…]}}`; items are checked one by one. */
export const employmentsPageSchema = z.object({ data: z.looseObject({ ...paging, employments: z.array(z.unknown()) }) });
export const offboardingsPageSchema = z.object({ data: z.looseObject({ ...paging, offboardings: z.array(z.unknown()) }) });
/** `GET /v1/employments/{id}/custom-fields`: one employment's values, each with its field's id and name. */
export const customFieldValuesPageSchema = z.object({ data: z.looseObject({ ...paging, custom_field_values: z.array(z.unknown()) }) });

const countrySchema = z.union([z.looseObject({ code: text, alpha_2_code: text, name: text }), z.string()]).nullish();
const departmentSchema = z.union([z.string(), z.looseObject({ id: z.union([z.string(), z.number()]).nullish(), name: text })]).nullish();

/** The list item: minimal. Everything but the id is optional and nullable. */
export const employmentSchema = z.looseObject({
  id: z.string().trim().min(1),
  short_id: text,
  external_id: z.union([z.string(), z.number().transform(String)]).nullish(),
  full_name: text,
  job_title: text,
  status: text,
  employment_lifecycle_stage: text,
  country: countrySchema,
  department: departmentSchema,
  department_id: z.union([z.string(), z.number().transform(String)]).nullish(),
  login_email: text,
  personal_email: text,
  work_email: text,
});
export type RemoteEmployment = z.infer<typeof employmentSchema>;

/** `GET /v1/employments/{id}`: the list item plus dates, manager, bank and personal details. */
export const employmentDetailSchema = employmentSchema.extend({
  provisional_start_date: text,
  seniority_date: text,
  manager_employment_id: text,
  manager_email: text,
  bank_account_details: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).nullish(),
  basic_information: z.record(z.string(), z.unknown()).nullish(),
  updated_at: text,
});
export type RemoteEmploymentDetail = z.infer<typeof employmentDetailSchema>;

/** The detail comes as `{"data":{"employment":{…}}}`; a bare `{"data":{…}}` is read too. */
export const detailEnvelopeSchema = z.object({ data: z.looseObject({ employment: z.unknown().optional() }) });

export const offboardingSchema = z.looseObject({
  id: z.union([z.string(), z.number().transform(String)]).nullish(),
  employment_id: z.string().min(1),
  termination_date: text,
  status: text,
  type: text,
});
export type RemoteOffboarding = z.infer<typeof offboardingSchema>;

/** `POST /auth/oauth2/token`. */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.coerce.number().positive().nullish(),
  refresh_token: z.string().min(1).nullish(),
});
