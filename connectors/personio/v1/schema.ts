import { z } from 'zod';

/** `POST /v1/auth` → `{"success":true,"data":{"token":"papi-…","expires_in":86400}}`. */
export const v1AuthResponseSchema = z.object({
  success: z.literal(true),
  data: z.looseObject({
    token: z.string().min(1),
    // Older accounts omit it; the token then lives for Personio's documented 24 h.
    expires_in: z.number().positive().nullish(),
  }),
});

/**
 * Every attribute is `{label, value, type, universal_id}`. Only `value` is needed to read it,
 * and custom (`dynamic_…`) ones are recognised by label or universal id too.
 */
export const v1AttributeSchema = z.looseObject({
  label: z.string().nullish(),
  value: z.unknown(),
  type: z.string().nullish(),
  universal_id: z.string().nullish(),
});
export type V1Attribute = z.infer<typeof v1AttributeSchema>;

/** Employees are parsed one by one (map.ts): one odd record is a record error, not a failed run. */
export const v1EmployeeSchema = z.looseObject({
  type: z.string().nullish(),
  attributes: z.record(z.string(), z.unknown()),
});

export const v1EmployeesResponseSchema = z.object({
  success: z.literal(true),
  metadata: z
    .looseObject({
      total_elements: z.number().int().nonnegative().nullish(),
      current_page: z.number().int().nonnegative().nullish(),
      total_pages: z.number().int().nonnegative().nullish(),
    })
    .nullish(),
  offset: z.number().int().nullish(),
  limit: z.number().int().nullish(),
  data: z.array(z.unknown()),
});
export type V1EmployeesResponse = z.infer<typeof v1EmployeesResponseSchema>;

/** Nested objects inside attribute values: `{type, attributes:{id, name, …}}`. */
export const v1RefSchema = z.looseObject({
  type: z.string().nullish(),
  attributes: z.looseObject({
    id: z.union([z.number(), z.string()]).nullish(),
    name: z.string().nullish(),
    percentage: z.number().nullish(),
  }),
});

/** The supervisor is a nested Employee whose `id` is itself an attribute object (or, rarely, bare). */
export const v1SupervisorSchema = z.looseObject({
  attributes: z.looseObject({
    id: z.union([z.number(), z.string(), z.looseObject({ value: z.union([z.number(), z.string()]).nullish() })]).nullish(),
  }),
});

export const v1Statuses = ['onboarding', 'active', 'leave', 'inactive'] as const;

/**
 * Attributes the sync relies on; one the credential may not read is left out of every record.
 * `status` is vital: without it leavers look employed.
 */
export const v1EssentialAttributes = ['first_name', 'last_name', 'email', 'status', 'hire_date', 'termination_date', 'supervisor'] as const;
export const v1VitalAttributes = ['status'] as const;
