import { z } from 'zod';

/**
 * A PayFit bearer token: a customer API key (created by a company admin at
 * app.payfit.com/integrations/hub/api) or a partner OAuth access token. Neither expires and
 * each opens exactly one company. The company id is optional: PayFit's introspection names it.
 */
export const payfitCredentialsSchema = z.object({
  apiKey: z.string().trim().min(1, 'API key (or partner access token) is required'),
  companyId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+$/, 'company ID is letters, digits, - and _ only')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
export type PayfitCredentials = z.output<typeof payfitCredentialsSchema>;
export type PayfitCredentialsInput = z.input<typeof payfitCredentialsSchema>;

export const payfitSettingsSchema = z.strictObject({
  /**
   * Job titles live on the contracts endpoint (`contracts:read`), not on the collaborator; off
   * saves one request per 50 contracts.
   */
  jobTitles: z.boolean().default(true),
});
export type PayfitSettings = z.output<typeof payfitSettingsSchema>;
export type PayfitSettingsInput = z.input<typeof payfitSettingsSchema>;

export const payfitDefaultBaseUrl = 'https://partner-api.payfit.com';
export const payfitOauthBaseUrl = 'https://oauth.payfit.com';

/**
 * Introspection lives on PayFit's OAuth host. A customised base URL (a proxy, a sandbox, a fake)
 * serves it at its own origin, so no second address has to be configured and allowed.
 */
export function introspectionBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '') === payfitDefaultBaseUrl ? payfitOauthBaseUrl : baseUrl;
}

/** PayFit caps `maxResults` at 50 (default 10). */
export const maxPageSize = 50;

/** A list page. Records are parsed one by one (map.ts): one odd record is a record error. */
export const collaboratorsPageSchema = z.object({
  collaborators: z.array(z.unknown()),
  meta: z.looseObject({ nextPageToken: z.string().nullish() }).nullish(),
});

export const contractsPageSchema = z.object({
  contracts: z.array(z.unknown()),
  meta: z.looseObject({ nextPageToken: z.string().nullish() }).nullish(),
});

/** A contract as embedded in a collaborator or listed by `/contracts`; statuses are undocumented. */
export const contractSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? null : String(v))),
  collaboratorId: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? null : String(v))),
  status: z.string().nullish(),
  startDate: z.string().nullish(),
  endDate: z.string().nullish(),
  jobTitle: z.string().nullish(),
  /** Some integrators name it so (?): read either. */
  jobName: z.string().nullish(),
  /** Not in PayFit's published schema: read when present, as an id+name or a bare name. */
  establishment: z.union([z.string(), z.looseObject({ id: z.union([z.string(), z.number()]).nullish(), name: z.string().nullish() })]).nullish(),
});
export type PayfitContract = z.output<typeof contractSchema>;

export const emailEntrySchema = z.looseObject({ type: z.string().nullish(), email: z.string().nullish() });

/** `active:false` for a revoked or unknown token; `scope` space-separated (an array is read too). */
export const introspectionSchema = z.looseObject({
  active: z.boolean(),
  scope: z.union([z.string(), z.array(z.string())]).nullish(),
  company_id: z.union([z.string(), z.number()]).nullish(),
  client_id: z.string().nullish(),
});
export type PayfitIntrospection = z.output<typeof introspectionSchema>;

/** Scopes (per endpoint) and what Rollcall loses without each. */
export const payfitScopes = {
  basic: 'collaborators:read',
  contracts: 'collaborators:contracts:read',
  management: 'collaborators:management:read',
  personal: 'collaborators:personal:read',
  bank: 'collaborators:bank-info:read',
  contractList: 'contracts:read',
} as const;

export function scopesOf(introspection: PayfitIntrospection): Set<string> | undefined {
  const scope = introspection.scope;
  if (scope === null || scope === undefined) return undefined;
  const list = Array.isArray(scope) ? scope : scope.split(/[\s,]+/);
  return new Set(list.map((s) => s.trim()).filter(Boolean));
}
