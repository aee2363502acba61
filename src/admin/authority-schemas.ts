import { z } from 'zod';
import { TENANT_ATTRIBUTE_TYPES } from '../../scim/schemas/tenant-user.js';
import { WRITERS } from '../directory/authority/rules.js';

/** RFC 7643 §2.1 ATTRNAME: a letter, then letters, digits, `-` and `_`. */
const attributeName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, - and _ (RFC 7643 §2.1)');

export const tenantAttributeDeclare = z
  .object({
    name: attributeName,
    type: z.enum(TENANT_ATTRIBUTE_TYPES),
    multiValued: z.boolean().default(false),
    caseExact: z.boolean().default(false),
    description: z.string().max(500).default(''),
  })
  .strict();

export const tenantAttributeView = z.object({
  name: z.string(),
  path: z.string(),
  type: z.enum(TENANT_ATTRIBUTE_TYPES),
  multiValued: z.boolean(),
  caseExact: z.boolean(),
  description: z.string(),
});
export const tenantAttributeList = z.object({ schema: z.string(), items: z.array(tenantAttributeView) });

const policy = z.enum(['ignore', 'reject']);
export const authorityView = z.object({
  rules: z.array(z.object({ path: z.string(), owner: z.string() })),
  policies: z.object(Object.fromEntries(WRITERS.map((w) => [w, policy])) as Record<(typeof WRITERS)[number], typeof policy>),
  default: z.boolean(),
});
export const authorityEdit = z
  .object({
    /** path → owner (`hr`, `scim`, `manual`, `connection:<id>`), or null to open the path to every source. */
    rules: z.record(z.string().min(1).max(300), z.string().max(100).nullable()),
    policies: z.object(Object.fromEntries(WRITERS.map((w) => [w, policy.optional()])) as Record<(typeof WRITERS)[number], z.ZodOptional<typeof policy>>).strict(),
  })
  .partial()
  .strict();

const sourceView = z.object({ kind: z.string(), id: z.string() });
export const userConflictList = z.object({
  items: z.array(
    z.object({
      path: z.string(),
      owner: z.string(),
      stored: z.unknown(),
      sources: z.array(z.object({ source: sourceView, value: z.unknown(), firstAt: z.string(), lastAt: z.string() })),
    }),
  ),
});
export const tenantConflictQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  // In UTC between years 1 and 9999: 0001-01-01T00:00:00+01:00 is year 0 in UTC, which no
  // timestamp column accepts (a 400 here, not a database error).
  before: z.iso
    .datetime({ offset: true })
    .refine((value) => {
      const year = new Date(value).getUTCFullYear();
      return year >= 1 && year <= 9999;
    }, 'must fall between the years 1 and 9999 in UTC')
    .optional(),
});
export const tenantConflictList = z.object({
  items: z.array(
    z.object({
      userId: z.string(),
      userName: z.string(),
      path: z.string(),
      owner: z.string(),
      stored: z.unknown(),
      source: sourceView,
      attempted: z.unknown(),
      firstAt: z.string(),
      lastAt: z.string(),
    }),
  ),
  nextBefore: z.string().nullable(),
});
