import { z } from 'zod';

/**
 * A Humaans API access token (Settings › API access tokens). Humaans documents no expiry: it
 * works until someone deletes it or edits its scopes.
 */
export const humaansCredentialsSchema = z.object({
  apiToken: z.string().trim().min(1, 'API access token is required'),
});
export type HumaansCredentials = z.output<typeof humaansCredentialsSchema>;
export type HumaansCredentialsInput = z.input<typeof humaansCredentialsSchema>;

export const humaansSettingsSchema = z
  .object({
    /** Bank details live in a separate resource; off saves one request per 250 accounts. */
    bankAccounts: z.boolean().default(true),
    /**
     * `$limit` per list request. Humaans does not publish its default or maximum; integrators
     * use 250 (?). A smaller page still works: the last page is found from `total`, or a short page.
     */
    pageSize: z.number().int().min(1).max(250).default(250),
  })
  .strict();
export type HumaansSettings = z.output<typeof humaansSettingsSchema>;
export type HumaansSettingsInput = z.input<typeof humaansSettingsSchema>;

export const humaansDefaultBaseUrl = 'https://app.humaans.io/api';

export const humaansScopes = {
  public: 'public:read',
  private: 'private:read',
} as const;

/**
 * A Feathers list page: `{total, limit, skip, data}`. Envelopes are loose and `total` may be
 * missing (?), in which case a short page ends the list. Rows are parsed one by one.
 */
export const listPageSchema = z.looseObject({
  total: z.number().int().min(0).nullish(),
  limit: z.number().int().min(0).nullish(),
  skip: z.number().int().min(0).nullish(),
  data: z.array(z.unknown()),
});

const id = z.union([z.string(), z.number()]).transform(String);
const optionalId = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));

/** The person fields Rollcall reads; everything else is kept in `raw`. */
export const personSchema = z.looseObject({
  id,
  employeeId: z.union([z.string(), z.number()]).nullish(),
  email: z.string().nullish(),
  personalEmail: z.string().nullish(),
  firstName: z.string().nullish(),
  middleName: z.string().nullish(),
  lastName: z.string().nullish(),
  preferredName: z.string().nullish(),
  status: z.string().nullish(),
  employmentStartDate: z.string().nullish(),
  firstWorkingDay: z.string().nullish(),
  employmentEndDate: z.string().nullish(),
  lastWorkingDay: z.string().nullish(),
  leavingReason: z.string().nullish(),
  /** `[{name}]` as documented; plain strings and `{id, name}` are read too. */
  teams: z.array(z.unknown()).nullish(),
  locationId: optionalId,
  remoteCity: z.string().nullish(),
  remoteCountryCode: z.string().nullish(),
  updatedAt: z.string().nullish(),
});
export type HumaansPerson = z.output<typeof personSchema>;

/**
 * An effective-dated job role row. One client library models `/job-roles` as a catalogue
 * `{id, companyId, name}` instead (?): such rows have no `personId` and are skipped.
 */
export const jobRoleSchema = z.looseObject({
  id: optionalId,
  personId: optionalId,
  jobTitle: z.string().nullish(),
  department: z.union([z.string(), z.looseObject({ name: z.string().nullish() })]).nullish(),
  reportingTo: optionalId,
  effectiveDate: z.string().nullish(),
  endDate: z.string().nullish(),
});
export type HumaansJobRole = z.output<typeof jobRoleSchema>;

export const locationSchema = z.looseObject({
  id,
  label: z.string().nullish(),
  city: z.string().nullish(),
  countryCode: z.string().nullish(),
});

/** Field names differ between descriptions (?): IBAN or account number, SWIFT/BIC, holder name. */
export const bankAccountSchema = z.looseObject({
  personId: optionalId,
  iban: z.string().nullish(),
  accountNumber: z.string().nullish(),
  swiftCode: z.string().nullish(),
  bic: z.string().nullish(),
  nameOnAccount: z.string().nullish(),
  updatedAt: z.string().nullish(),
});
export type HumaansBankAccount = z.output<typeof bankAccountSchema>;

/** `/token-info`: the token's scopes, as an array or a space-separated string. */
export const tokenInfoSchema = z.looseObject({
  scopes: z.union([z.array(z.string()), z.string()]).nullish(),
  scope: z.union([z.array(z.string()), z.string()]).nullish(),
});
export type HumaansTokenInfo = z.output<typeof tokenInfoSchema>;

export function scopesOf(info: HumaansTokenInfo): Set<string> | undefined {
  const raw = info.scopes ?? info.scope;
  if (raw === null || raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : raw.split(/[\s,]+/);
  return new Set(list.map((s) => s.trim()).filter(Boolean));
}
