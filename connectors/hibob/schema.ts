import { z } from 'zod';

/** A HiBob service user (Settings › Integrations › Service users): its id and token. */
export const hibobCredentialsSchema = z.object({
  serviceUserId: z.string().trim().min(1, 'service user ID is required'),
  token: z.string().trim().min(1, 'service user token is required'),
});
export type HibobCredentials = z.output<typeof hibobCredentialsSchema>;
export type HibobCredentialsInput = z.input<typeof hibobCredentialsSchema>;

export const hibobSettingsSchema = z.object({
  environment: z.enum(['production', 'sandbox']).default('production'),
  /**
   * Read each employed person's bank account (one request per person, on its own budget);
   * needs View access to People's data › Financial › Bank accounts. Off by default.
   */
  bankAccounts: z.boolean().default(false),
});
export type HibobSettings = z.output<typeof hibobSettingsSchema>;
export type HibobSettingsInput = z.input<typeof hibobSettingsSchema>;

export function hibobBaseUrl(environment: HibobSettings['environment']): string {
  return environment === 'sandbox' ? 'https://api.sandbox.hibob.com' : 'https://api.hibob.com';
}

/** The fields one search asks for. A field the service user may not see is silently left out. */
export const searchFields = [
  'root.id',
  'root.email',
  'root.firstName',
  'root.surname',
  'root.displayName',
  'home.privateEmail',
  'work.title',
  'work.department',
  'work.site',
  'work.siteId',
  'work.startDate',
  'work.manager',
  'work.reportsTo',
  'work.employeeIdInCompany',
  'internal.status',
  'internal.lifecycleStatus',
  'internal.terminationDate',
] as const;

/** Fields worth a warning when hidden, and the ones without which leavers look employed. */
export const essentialFields = ['root.email', 'root.firstName', 'root.surname', 'work.startDate', 'work.reportsTo', 'internal.terminationDate'] as const;
export const vitalFieldSets = [['internal.status', 'internal.lifecycleStatus']] as const;

/**
 * The search body. `showInactive` defaults to false (active people only), which would make
 * every leaver look deleted. `APPEND` keeps machine values in place (ISO dates, list-item
 * ids) and adds display names under `humanReadable`: `REPLACE` would give dates in the
 * calling user's display format, which cannot be read when it is day-first (04/05/2026).
 */
export function searchBody(opts: { showInactive: boolean; extraFields?: readonly string[] }): string {
  const fields = opts.extraFields?.length ? [...new Set<string>([...searchFields, ...opts.extraFields])] : searchFields;
  return JSON.stringify({ fields, showInactive: opts.showInactive, humanReadable: 'APPEND' });
}

/**
 * The HiBob field id for a dotted path into a person as Rollcall keeps it: HiBob nests every
 * field under its category except `root` ones, so `custom.payroll.field_1718` is asked for as
 * itself and `displayName` as `root.displayName`. `humanReadable.…` reads the display-name
 * copy of the same field.
 */
export function hibobFieldOf(rawPath: string): string {
  const path = rawPath.startsWith('humanReadable.') ? rawPath.slice('humanReadable.'.length) : rawPath;
  return path.includes('.') ? path : `root.${path}`;
}

/** List fields whose display name comes from `humanReadable`; the machine value is the list item's id. */
export const listFields = ['work.department', 'work.site'] as const;

/** People are parsed one by one (map.ts): one odd record is a record error, not a failed run. */
export const searchResponseSchema = z.object({ employees: z.array(z.unknown()) });

export const reportsToSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  email: z.string().nullish(),
});
