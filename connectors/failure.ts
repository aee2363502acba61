import type { ValidationFailureKind, ValidationResult } from './contract.js';
import { isHttpError, type HttpError } from './http/errors.js';

/**
 * What an admin sees when a connection check fails, and what a connection's `error` reason
 * says ("bad credentials, rate limited, HR API down"). Anything that is not an HttpError is
 * our bug and is rethrown rather than dressed up as an HR failure.
 */
export function validationFailure(err: unknown, system: string): Extract<ValidationResult, { ok: false }> {
  if (!isHttpError(err)) throw err;
  const kind = failureKind(err);
  return { ok: false, kind, message: messageFor(kind, err, system), retryable: err.retryable };
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

function messageFor(kind: ValidationFailureKind, err: HttpError, system: string): string {
  const because = err.detail ? ` (${system} says: ${err.detail})` : '';
  switch (kind) {
    case 'invalid_credentials':
      return err.kind === 'not_found'
        ? `${system} does not know this company: check the company domain${because}.`
        : `${system} rejected the API key${because}.`;
    case 'missing_permission':
      return `The API key is valid but may not read employee data${because}. Give its user access to all employees.`;
    case 'rate_limited':
      return `${system} is rate limiting this key; try again ${err.retryAfterMs ? `in ${Math.ceil(err.retryAfterMs / 1000)} s` : 'shortly'}.`;
    case 'unreachable':
      return `${system} could not be reached or answered unexpectedly: ${err.message}.`;
    default: {
      const never: never = kind;
      return never;
    }
  }
}
