import { z } from 'zod';

export const googleApiBaseUrl = 'https://admin.googleapis.com';
export const googleTokenUrl = 'https://oauth2.googleapis.com/token';
/** The JWT's audience is this constant even when the exchange goes through a proxy or sandbox. */
export const googleTokenAudience = googleTokenUrl;
export const directoryReadScope = 'https://www.googleapis.com/auth/admin.directory.user.readonly';

/**
 * The service account's JSON key as Google Cloud downloads it. Only the two fields the JWT
 * needs are required; the rest (project_id, private_key_id, token_uri, …) is kept but unused:
 * the token URL is the operator's to choose, never the pasted file's.
 */
const serviceAccountKeySchema = z.looseObject({
  type: z.string().optional(),
  client_email: z.string().trim().min(3).includes('@', { message: 'client_email must be the service account email' }),
  private_key: z
    .string()
    .min(1)
    .refine((k) => k.includes('-----BEGIN') && k.includes('PRIVATE KEY-----'), { message: 'private_key must be a PEM private key' }),
  private_key_id: z.string().optional(),
  client_id: z.string().optional(),
});

/** Pasted as the downloaded file's text or as its parsed object; stored as the object. */
const keyInput = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}, serviceAccountKeySchema);

export const googleCredentialsSchema = z.object({
  serviceAccountKey: keyInput,
  /** A Workspace admin (with the Users › Read privilege) the service account acts as: the JWT's `sub`. */
  adminEmail: z.string().trim().toLowerCase().min(3).includes('@', { message: 'adminEmail must be an email address' }),
});
export type GoogleCredentials = z.output<typeof googleCredentialsSchema>;
export type GoogleCredentialsInput = z.input<typeof googleCredentialsSchema>;

const fieldName = z.string().trim().min(1).max(100);

export const googleSettingsSchema = z.object({
  /** `my_customer` is the impersonated admin's own account; a customer id (C0…) also works. */
  customer: z.string().trim().min(1).default('my_customer'),
  /** Only this domain's users (a secondary domain); otherwise every domain of the customer. */
  domain: z.string().trim().min(1).optional(),
  /** A Directory search, e.g. `orgUnitPath='/Staff'`; the whole account when absent. */
  query: z.string().trim().min(1).max(500).optional(),
  /** 1–500 users a page (Google's maximum, so the fewest requests). */
  pageSize: z.number().int().min(1).max(500).default(500),
  /**
   * The Directory has no HR dates. Accounts that keep them in a custom schema name it here,
   * e.g. `{ schema: 'Employment', startField: 'startDate', terminationField: 'endDate' }`.
   */
  dates: z
    .object({ schema: fieldName, startField: fieldName.optional(), terminationField: fieldName.optional() })
    .optional(),
});
export type GoogleSettings = z.output<typeof googleSettingsSchema>;
export type GoogleSettingsInput = z.input<typeof googleSettingsSchema>;

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  token_type: z.string().optional(),
});

export const oauthErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

/** `{"error":{"code","message","errors":[{"reason",…}],"status"}}`, Google's error envelope. */
export const apiErrorSchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    errors: z.array(z.looseObject({ reason: z.string().optional(), message: z.string().optional(), domain: z.string().optional() })).optional(),
  }),
});

/** The envelope only: each user is checked on its own so one odd record cannot fail the page. */
export const usersPageSchema = z.looseObject({
  kind: z.string().optional(),
  users: z.array(z.unknown()).optional(),
  nextPageToken: z.string().optional().nullable(),
});

const typed = z.looseObject({ type: z.string().optional(), customType: z.string().optional(), value: z.unknown().optional() });

export const directoryUserSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number().int().transform(String)]),
  primaryEmail: z.string().optional(),
  name: z.looseObject({ givenName: z.string().optional(), familyName: z.string().optional(), fullName: z.string().optional(), displayName: z.string().optional() }).optional(),
  suspended: z.boolean().optional(),
  archived: z.boolean().optional(),
  suspensionReason: z.string().optional(),
  orgUnitPath: z.string().optional(),
  recoveryEmail: z.string().optional(),
  creationTime: z.string().optional(),
  emails: z.array(z.looseObject({ address: z.string().optional(), type: z.string().optional(), primary: z.boolean().optional() })).optional(),
  externalIds: z.array(typed).optional(),
  relations: z.array(typed).optional(),
  organizations: z
    .array(
      z.looseObject({
        title: z.string().optional(),
        department: z.string().optional(),
        costCenter: z.string().optional(),
        location: z.string().optional(),
        primary: z.boolean().optional(),
      }),
    )
    .optional(),
  locations: z
    .array(z.looseObject({ type: z.string().optional(), area: z.string().optional(), buildingId: z.string().optional(), floorName: z.string().optional(), floorSection: z.string().optional() }))
    .optional(),
  customSchemas: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});
export type DirectoryUser = z.output<typeof directoryUserSchema>;
