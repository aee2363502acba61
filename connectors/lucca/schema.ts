import { z } from 'zod';

/**
 * The Lucca account as admins paste it: "acme", "acme.ilucca.net", "https://acme.ilucca.ch/…",
 * or a sandbox host (`acme-test.sandbox.eu.luccasoftware.com`). A bare name means the usual
 * `.ilucca.net` host; anything with a dot is taken as the host itself (Swiss, test, demo, sandbox).
 */
const account = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/^https?:\/\//, '').replace(/[/?#].*$/, '').replace(/\.$/, ''))
  .pipe(z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/, 'account: your Lucca address, e.g. acme or acme.ilucca.net'));

/** Legacy API (v3/v4): an API key created under Settings › API keys; its role decides what it sees. */
export const luccaLegacyCredentialsSchema = z.object({
  account,
  apiKey: z.string().trim().min(1, 'API key is required'),
});

/** Lucca API (v5): a client app from /identity/admin/integration-keys (client credentials). */
export const luccaV5CredentialsSchema = z.object({
  account,
  clientId: z.string().trim().min(1, 'client ID is required'),
  clientSecret: z.string().trim().min(1, 'client secret is required'),
});

/** Which API a connection uses follows from the credentials pasted: an API key or a client app. */
export const luccaCredentialsSchema = z.union([luccaV5CredentialsSchema, luccaLegacyCredentialsSchema]);
export type LuccaCredentials = z.output<typeof luccaCredentialsSchema>;
export type LuccaCredentialsInput = z.input<typeof luccaCredentialsSchema>;
export type LuccaLegacyCredentials = z.output<typeof luccaLegacyCredentialsSchema>;
export type LuccaV5Credentials = z.output<typeof luccaV5CredentialsSchema>;

export const isV5 = (c: LuccaCredentials): c is LuccaV5Credentials => 'clientId' in c;

export const luccaDefaultTokenUrl = 'https://accounts.world.luccasoftware.com/connect/token';

export const luccaSettingsSchema = z.object({
  /** v5 only: the token endpoint (another region, a proxy). */
  tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** v5 only: also read personal records (personal email, bank details); needs employee-personal-records.readonly. */
  readPersonalRecords: z.boolean().default(false),
  /** Legacy only: analytical axes whose `userAxisValues_{id}` sections are the person's cost centres. */
  costCenterAxisIds: z.array(z.number().int().positive()).max(10).default([]),
  /** Items per page; the APIs cap these at 1000 (legacy) and 100 (v5). */
  pageSize: z.number().int().min(1).max(1000).optional(),
});
export type LuccaSettings = z.output<typeof luccaSettingsSchema>;
export type LuccaSettingsInput = z.input<typeof luccaSettingsSchema>;

/** `https://{host}`: the account's own host serves both APIs. */
export function luccaBaseUrl(accountHost: string): string {
  return `https://${accountHost.includes('.') ? accountHost : `${accountHost}.ilucca.net`}`;
}

/** Ids are integers in the legacy API and strings of the same number in v5: both become the string. */
export const luccaIdSchema = z.union([z.string().trim().min(1), z.number().int().transform(String)]);

/** `{id, name}` references (department, legal entity, establishment). */
export const refSchema = z.looseObject({ id: luccaIdSchema.nullish(), name: z.string().nullish() });
