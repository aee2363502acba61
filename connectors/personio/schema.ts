import { z } from 'zod';

/** What an admin pastes from Personio's "API credentials" page; the same pair serves v1 and v2. */
export const personioCredentialsSchema = z.object({
  clientId: z.string().trim().min(1, 'client ID is required'),
  clientSecret: z.string().trim().min(1, 'client secret is required'),
});
export type PersonioCredentials = z.output<typeof personioCredentialsSchema>;
export type PersonioCredentialsInput = z.input<typeof personioCredentialsSchema>;

/**
 * A custom attribute named the way an admin sees it: the `dynamic_…` key (v1), the attribute
 * id (v2) or its label ("IBAN"). Labels are matched case-insensitively.
 */
const attributeName = z.string().trim().min(1);

export const personioSettingsSchema = z.object({
  /** Most customers' credentials are v1; v2 needs credentials created for it. */
  apiVersion: z.enum(['v1', 'v2']).default('v1'),
  /** Bank details only exist as custom attributes, so the connection says which ones. */
  ibanAttribute: attributeName.optional(),
  bicAttribute: attributeName.optional(),
  accountHolderAttribute: attributeName.optional(),
  /** Sent as X-Personio-Partner-ID / X-Personio-App-ID when Personio registered us as a partner. */
  partnerId: z.string().trim().min(1).optional(),
  appId: z.string().trim().min(1).optional(),
  /** v2 only: employment requests in flight at once (each still waits for the rate budget). */
  employmentConcurrency: z.number().int().min(1).max(16).default(4),
  /** Persons (v2) or employees (v1) per page; the APIs cap these at 50 and 100. */
  pageSize: z.number().int().min(1).max(100).optional(),
});
export type PersonioSettings = z.output<typeof personioSettingsSchema>;
export type PersonioSettingsInput = z.input<typeof personioSettingsSchema>;

/** The bank-detail attributes a connection asked for, by normalised field. */
export function bankAttributeNames(settings: PersonioSettings): Array<['iban' | 'bic' | 'holder', string]> {
  const out: Array<['iban' | 'bic' | 'holder', string]> = [];
  if (settings.ibanAttribute) out.push(['iban', settings.ibanAttribute]);
  if (settings.bicAttribute) out.push(['bic', settings.bicAttribute]);
  if (settings.accountHolderAttribute) out.push(['holder', settings.accountHolderAttribute]);
  return out;
}

/** Does a custom attribute (key or id, label, universal id) match the name an admin typed? */
export function attributeMatches(name: string, attr: { key: string; label?: string | null | undefined; universalId?: string | null | undefined }): boolean {
  if (attr.key === name || attr.universalId === name) return true;
  return typeof attr.label === 'string' && attr.label.trim().toLowerCase() === name.toLowerCase();
}
