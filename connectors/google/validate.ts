import type { ValidationResult } from '../contract.js';
import { failureKind } from '../failure.js';
import { isHttpError } from '../http/errors.js';
import { directoryReadScope, type GoogleSettings } from './schema.js';

/**
 * A failed check in words an admin can act on. Any error that is not an HttpError is our bug
 * and is rethrown. The key never appears in a message: only Google's error code and text.
 */
export function googleFailure(err: unknown): Extract<ValidationResult, { ok: false }> {
  if (!isHttpError(err)) throw err;
  const kind = failureKind(err);
  const says = err.detail ? ` (Google says: ${err.detail})` : '';
  const fromToken = err.message.startsWith('Google refused');
  let message: string;
  switch (kind) {
    case 'invalid_credentials':
      message = err.kind === 'not_found'
        ? `Google does not know this customer or domain: check the customer ID and domain settings${says}.`
        : fromToken
          ? `Google refused the service account key or the admin to impersonate: check that the key is current and that the admin email is a user of this Workspace${says}.`
          : `Google rejected the credentials${says}.`;
      break;
    case 'missing_permission':
      message = fromToken
        ? `Domain-wide delegation is missing: in the Admin console (Security › API controls › Domain-wide delegation) grant the service account's client ID the scope ${directoryReadScope}; a new grant can take up to 24 hours to apply${says}.`
        : `The impersonated user may not read the directory: make them an admin with the Users › Read privilege${says}.`;
      break;
    case 'rate_limited':
      message = `Google is rate limiting this project or account; try again ${err.retryAfterMs ? `in ${Math.ceil(err.retryAfterMs / 1000)} s` : 'shortly'}${says}.`;
      break;
    case 'unreachable':
      message = `Google could not be reached or answered unexpectedly: ${err.message}.`;
      break;
    default: {
      const never: never = kind;
      return never;
    }
  }
  return { ok: false, kind, message, retryable: err.retryable };
}

export interface Presence {
  organizations: boolean;
  relations: boolean;
  locations: boolean;
  dates: boolean;
}

/** Google omits empty fields; a key seen on any user means the field is in use. */
export function notePresent(raw: unknown, present: Presence, dates: GoogleSettings['dates']): void {
  if (typeof raw !== 'object' || raw === null) return;
  const r = raw as Record<string, unknown>;
  present.organizations ||= 'organizations' in r;
  present.relations ||= 'relations' in r;
  present.locations ||= 'locations' in r || (Array.isArray(r.organizations) && r.organizations.some((o) => typeof o === 'object' && o !== null && 'location' in o));
  if (dates && !present.dates) {
    const custom = (r.customSchemas as Record<string, unknown> | undefined)?.[dates.schema];
    present.dates = typeof custom === 'object' && custom !== null;
  }
}

export function absentFieldWarnings(present: Presence, dates: GoogleSettings['dates']): string[] {
  const out: string[] = [];
  if (!present.organizations) out.push('Google returned no organizations on any user: job titles, departments and cost centres are empty.');
  if (!present.relations) out.push('Google returned no manager relations on any user: managers are empty.');
  if (!present.locations) out.push('Google returned no desk locations or organization locations: work locations are empty.');
  if (dates && !present.dates) {
    out.push(`No user has the custom schema "${dates.schema}" (or the admin may not read it): start and termination dates are empty.`);
  }
  return out;
}
