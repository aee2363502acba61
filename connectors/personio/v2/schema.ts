import { z } from 'zod';

/** Ids are strings in v2; a number is accepted and read as its decimal string. */
export const v2IdSchema = z.union([z.string().min(1), z.number().transform(String)]);

/** `POST /v2/auth/token` (client credentials) → OAuth token response. */
export const v2TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.number().positive().nullish(),
});

const links = z
  .looseObject({
    links: z.looseObject({ next: z.looseObject({ href: z.string().min(1) }).nullish() }).nullish(),
  })
  .nullish();

/** Items are parsed one at a time (map.ts), so one odd person is a record error, not a failed run. */
export const v2ListSchema = z.object({ _data: z.array(z.unknown()), _meta: links });
export type V2List = z.infer<typeof v2ListSchema>;

export const v2CustomAttributeSchema = z.looseObject({
  id: z.string().min(1),
  label: z.string().nullish(),
  type: z.string().nullish(),
  global_id: z.string().nullish(),
  value: z.unknown(),
});

export const v2PersonSchema = z.looseObject({
  id: v2IdSchema,
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  preferred_name: z.string().nullish(),
  status: z.string().nullish(),
  custom_attributes: z.array(z.unknown()).nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type V2Person = z.infer<typeof v2PersonSchema>;

const ref = z.looseObject({ id: v2IdSchema.nullish(), name: z.string().nullish() });

export const v2EmploymentSchema = z.looseObject({
  id: v2IdSchema,
  status: z.string().nullish(),
  position: z.looseObject({ title: z.string().nullish() }).nullish(),
  supervisor: ref.nullish(),
  office: ref.nullish(),
  org_units: z.array(z.looseObject({ type: z.string().nullish(), id: v2IdSchema, name: z.string().nullish() })).nullish(),
  cost_centers: z.array(z.looseObject({ id: v2IdSchema.nullish(), name: z.string().nullish(), weight: z.number().nullish() })).nullish(),
  employment_start_date: z.string().nullish(),
  termination: z.looseObject({ termination_date: z.string().nullish(), type: z.string().nullish() }).nullish(),
  updated_at: z.string().nullish(),
});
export type V2Employment = z.infer<typeof v2EmploymentSchema>;

/** `GET /v2/org-units/{id}`: departments and teams, which employments name by id only. */
export const v2OrgUnitSchema = z.looseObject({ id: v2IdSchema, name: z.string().nullish(), type: z.string().nullish() });

export const v2EmploymentStatuses = ['ACTIVE', 'INACTIVE', 'ONBOARDING', 'LEAVE'] as const;

/** Fields whose absence from a whole page means the credential may not read them. */
export const v2PersonFields = ['email', 'first_name', 'last_name'] as const;
export const v2EmploymentFields = ['status', 'employment_start_date', 'supervisor'] as const;
