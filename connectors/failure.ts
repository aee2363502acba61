import type { ValidationFailureKind, ValidationResult } from './contract.js';
import { isHttpError, type HttpError } from './http/errors.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/**
 * A system's own words for the failures an admin can act on. `says` is what the system gave as a
 * reason, ready to append (` (Deel says: …)`), or empty.
 */
export interface FailureWording {
  invalidCredentials?(says: string, err: HttpError): string;
  missingPermission?(says: string, err: HttpError): string;
  /** Whose requests the system limits, e.g. "this organisation (5 requests a second, shared by all its tokens)". */
  limited?: string;
  /** When to try again when the system did not say: "shortly", "in a minute". */
  later?: string;
}

/**
 * What an admin sees when a connection check fails, and what a connection's `error` reason
 * says ("bad credentials, rate limited, HR API down"), in the system's wording where it gives
 * one. Anything that is not an HttpError is our bug and is rethrown rather than dressed up as an
 * HR failure.
 */
export function validationFailure(err: unknown, system: string, wording: FailureWording = {}): Failure {
  if (!isHttpError(err)) throw err;
  const kind = failureKind(err);
  const says = err.detail ? ` (${system} says: ${err.detail})` : '';
  switch (kind) {
    case 'invalid_credentials':
      return { ok: false, kind, retryable: false, message: wording.invalidCredentials?.(says, err) ?? defaultInvalid(system, says, err) };
    case 'missing_permission':
      return {
        ok: false,
        kind,
        retryable: false,
        message: wording.missingPermission?.(says, err) ?? `The API key is valid but may not read employee data${says}. Give its user access to all employees.`,
      };
    case 'rate_limited': {
      const when = err.retryAfterMs ? `in ${Math.ceil(err.retryAfterMs / 1000)} s` : (wording.later ?? 'shortly');
      return { ok: false, kind, retryable: true, message: `${system} is rate limiting ${wording.limited ?? 'this key'}; try again ${when}.` };
    }
    case 'unreachable':
      return { ok: false, kind, retryable: err.retryable, message: `${system} could not be reached or answered unexpectedly: ${err.message}.` };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

function defaultInvalid(system: string, says: string, err: HttpError): string {
  return err.kind === 'not_found' ? `${system} does not know this company: check the company domain${says}.` : `${system} rejected the API key${says}.`;
}

export function failureKind(err: HttpError): ValidationFailureKind {
  switch (err.kind) {
    case 'auth':
    case 'not_found': // a wrong company/subdomain is a credentials mistake
      return 'invalid_credentials';
    case 'permission':
      return 'missing_permission';
    case 'rate_limited':
      return 'rate_limited';
    case 'bad_request':
    case 'server':
    case 'timeout':
    case 'network':
    case 'invalid_response':
      return 'unreachable';
    default: {
      const never: never = err.kind;
      return never;
    }
  }
}
