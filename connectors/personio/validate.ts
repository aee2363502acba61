import type { ValidationResult } from '../contract.js';
import { failureKind } from '../failure.js';
import { isHttpError } from '../http/errors.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/**
 * Personio's wording for a failed connection check. `step` says which call failed, because
 * "may not read" means a different setting in Personio for the employee list (v1 access
 * rights), persons and employments (v2 scopes).
 */
export function personioFailure(err: unknown, step: 'token' | 'employees' | 'persons' | 'employments'): Failure {
  if (!isHttpError(err)) throw err;
  const kind = failureKind(err);
  const says = err.detail ? ` (Personio says: ${err.detail})` : '';
  switch (kind) {
    case 'invalid_credentials':
      return {
        ok: false,
        kind,
        retryable: false,
        message:
          step === 'token'
            ? `Personio rejected the client ID and secret${says}. Copy them again from Settings › Integrations › API credentials.`
            : `Personio refused the access token${says}; the credential may have been revoked.`,
      };
    case 'missing_permission':
      return { ok: false, kind, retryable: false, message: `${permissionHint(step)}${says}.` };
    case 'rate_limited':
      return {
        ok: false,
        kind,
        retryable: true,
        message: `Personio is rate limiting this credential; try again ${err.retryAfterMs ? `in ${Math.ceil(err.retryAfterMs / 1000)} s` : 'in a minute'}.`,
      };
    case 'unreachable':
      return { ok: false, kind, retryable: err.retryable, message: `Personio could not be reached or answered unexpectedly: ${err.message}.` };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

function permissionHint(step: 'token' | 'employees' | 'persons' | 'employments'): string {
  switch (step) {
    case 'token':
    case 'employees':
      return 'The credential is valid but may not read employees: give it read access to the employee list in Personio';
    case 'persons':
      return 'The credential is valid but lacks the scope to read persons (personio:persons:read)';
    case 'employments':
      return 'The credential may read persons but not employments; add the scope personio:employments:read';
    default: {
      const never: never = step;
      return never;
    }
  }
}

/** Attributes the sync cannot do without: leavers would look employed. */
export function vitalFieldsMissing(fields: readonly string[]): Failure {
  return {
    ok: false,
    kind: 'missing_permission',
    retryable: false,
    message: `The credential may not read ${fields.join(', ')}; without it leavers cannot be told from employees. Add it to the credential's readable attributes.`,
  };
}
