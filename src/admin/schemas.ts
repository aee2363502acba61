import { z } from 'zod';
import { ROLES } from '../auth/admin-jwt.js';
import { SCOPES } from '../auth/scim-tokens.js';

export const tenantView = z.object({ id: z.string(), slug: z.string(), name: z.string(), createdAt: z.string(), updatedAt: z.string() }).meta({ id: 'Tenant' });
export const tenantCreate = z.object({ slug: z.string().min(1).max(64), name: z.string().min(1).max(200).optional() }).strict();
export const tenantRename = z.object({ name: z.string().min(1).max(200) }).strict();
export const tenantDeleteQuery = z.object({ force: z.enum(['true', 'false']).optional() });

export const tokenView = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    state: z.enum(['active', 'expired', 'revoked']),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    replacedBy: z.string().nullable().optional(),
  })
  .meta({ id: 'Token' });
export const tokenCreate = z
  .object({
    name: z.string().min(1).max(100),
    scopes: z.array(z.enum(SCOPES)).min(1).optional(),
    expiresInSeconds: z.number().int().positive().max(10 * 365 * 86400).optional(),
  })
  .strict();
export const tokenCreated = z.object({ id: z.string(), prefix: z.string(), secret: z.string(), expiresAt: z.string().nullable() }).meta({ id: 'IssuedToken' });
export const tokenRotate = z.object({ overlapSeconds: z.number().int().min(0).max(30 * 86400).optional() }).strict();
export const tokenRotated = tokenCreated.extend({ previousTokenExpiresAt: z.string() }).meta({ id: 'RotatedToken' });

export const directoryQuery = z.object({
  filter: z.string().max(4096).optional(),
  startIndex: z.coerce.number().int().min(1).optional(),
  count: z.coerce.number().int().min(0).max(1000).optional(),
});
export const userSummary = z
  .object({
    id: z.string(),
    userName: z.string(),
    displayName: z.string().nullable(),
    externalId: z.string().nullable(),
    active: z.boolean(),
    /** `hr` once an HR connection manages (or managed) the user; else `scim`, the only other way in today. */
    source: z.enum(['hr', 'scim', 'admin']),
    lifecycle: z.enum(['candidate', 'invited', 'active', 'archived']),
    management: z.enum(['managed', 'released', 'manual']),
    connectionId: z.string().nullable(),
    remoteId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' });
export const groupSummary = z
  .object({
    id: z.string(),
    displayName: z.string(),
    externalId: z.string().nullable(),
    /** For a team built by team sync: its kind, reviewer, parent, and whether the connection still owns it. */
    team: z
      .object({
        kind: z.string(),
        management: z.string(),
        connectionId: z.string(),
        managerId: z.string().nullable(),
        parentId: z.string().nullable(),
      })
      .nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Group' });
/** A keyset page: `total` is counted up to 10,000 (`totalExact` false past it; null: not counted); cursors for the other pages. */
export const keysetPage = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().nullable(), totalExact: z.boolean(), next: z.string().nullable(), previous: z.string().nullable(), last: z.string().nullable() });
export const page = <T extends z.ZodType>(item: T) => z.object({ total: z.number(), startIndex: z.number(), items: z.array(item) });

export const auditQuery = z.object({
  action: z.string().max(100).optional(),
  actor: z.string().max(200).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const auditEntry = z
  .object({
    id: z.number(),
    tenantId: z.string().nullable(),
    actor: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export const auditPage = z.object({ items: z.array(auditEntry), nextBefore: z.number().optional() }).meta({ id: 'AuditPage' });
export const principalView = z.object({ subject: z.string(), role: z.enum(ROLES), tenant: z.string().optional(), issuer: z.string() }).meta({ id: 'Principal' });
export const empty = z.object({});
