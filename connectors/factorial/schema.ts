import { z } from 'zod';

const secret = (what: string) => z.string().trim().min(1, `${what} is required`);

/**
 * Either an API key (Settings › API keys: full company access, never expires) or an OAuth
 * application's client id and secret with a refresh token from one authorization-code grant
 * (sees only what the authorising user's permission group may see). One flat object rather
 * than a union, so a missing field is named in the error an admin reads.
 */
export const factorialCredentialsSchema = z
  .object({
    apiKey: secret('API key').optional(),
    clientId: secret('client ID').optional(),
    clientSecret: secret('client secret').optional(),
    refreshToken: secret('refresh token').optional(),
  })
  .superRefine((c, ctx) => {
    if (c.apiKey) return;
    const missing = (['clientId', 'clientSecret', 'refreshToken'] as const).filter((k) => !c[k]);
    if (missing.length === 3) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'an API key, or an OAuth client ID, client secret and refresh token, is required' });
    else for (const key of missing) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required for OAuth (or give an API key instead)` });
  });
export type FactorialCredentials = z.output<typeof factorialCredentialsSchema>;
export type FactorialCredentialsInput = z.input<typeof factorialCredentialsSchema>;

export const factorialSettingsSchema = z.object({
  /** The dated API version in every path; ids are strings from 2026-07-01, integers before. */
  apiVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a dated API version such as 2026-07-01')
    .default('2026-07-01'),
  /** Cursor paging (`after_id`) is Factorial's default; page numbers are the documented alternative. */
  paging: z.enum(['cursor', 'page']).default('cursor'),
  /** Records per request; Factorial's default and maximum is 100. */
  pageSize: z.number().int().min(1).max(100).default(100),
});
export type FactorialSettings = z.output<typeof factorialSettingsSchema>;
export type FactorialSettingsInput = z.input<typeof factorialSettingsSchema>;

export const factorialDefaultBaseUrl = 'https://api.factorialhr.com';

/** Integers before 2026-07-01, strings from then on (and possibly beyond 2^53, see ids.ts). */
export const idSchema = z.union([z.string().trim().min(1), z.number().int().transform(String)]);
const nullableId = z.union([idSchema, z.null()]).optional();
const text = z.string().nullish();

/** `{data, meta}` around every list; items are parsed one at a time so one odd record is a record error. */
export const pageSchema = z.object({
  data: z.array(z.unknown()),
  meta: z
    .looseObject({
      has_next_page: z.boolean().nullish(),
      end_cursor: z.union([z.string(), z.number().transform(String)]).nullish(),
      total: z.number().nullish(),
      limit: z.number().nullish(),
    })
    .nullish(),
});
export type FactorialPage = z.infer<typeof pageSchema>;

/**
 * One employee. Every property but the id is optional and nullable: an OAuth user's permission
 * group hides properties by sending `null`, not by leaving them out or failing the request.
 */
export const employeeSchema = z.looseObject({
  id: idSchema,
  first_name: text,
  last_name: text,
  full_name: text,
  preferred_name: text,
  login_email: text,
  email: text,
  communications_email: text,
  personal_email: text,
  company_identifier: z.union([z.string(), z.number().transform(String)]).nullish(),
  active: z.boolean().nullish(),
  is_terminating: z.boolean().nullish(),
  terminated_on: text,
  manager_id: nullableId,
  location_id: nullableId,
  legal_entity_id: nullableId,
  bank_number: text,
  swift_bic: text,
  bank_number_format: text,
  seniority_calculation_date: text,
  updated_at: text,
});
export type FactorialEmployee = z.infer<typeof employeeSchema>;

/** `/resources/contracts/contract_versions`: one contract per person, a version per change. */
export const contractVersionSchema = z.looseObject({
  id: idSchema,
  employee_id: idSchema,
  effective_on: text,
  starts_on: text,
  ends_on: text,
  job_title: text,
});
export type ContractVersion = z.infer<typeof contractVersionSchema>;

export const teamSchema = z.looseObject({
  id: idSchema,
  name: z.string().nullish(),
  employee_ids: z.array(idSchema).nullish(),
});

export const locationSchema = z.looseObject({ id: idSchema, name: z.string().nullish() });

/** `POST /oauth/token` (Doorkeeper-style). */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.number().positive().nullish(),
  refresh_token: z.string().min(1).nullish(),
});
