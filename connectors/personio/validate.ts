import type { ValidationResult } from '../contract.js';
import { validationFailure } from '../failure.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/**
 * Personio's wording for a failed connection check. `step` says which call failed, because
 * "may not read" means a different setting in Personio for the employee list (v1 access
 * rights), persons and employments (v2 scopes).
 */
export function personioFailure(err: unknown, step: 'token' | 'employees' | 'persons' | 'employments'): Failure {
  return validationFailure(err, 'Personio', {
    invalidCredentials: (says) =>
      step === 'token'
        ? `Personio rejected the client ID and secret${says}. Copy them again from Settings › Integrations › API credentials.`
        : `Personio refused the access token${says}; the credential may have been revoked.`,
    missingPermission: (says) => `${permissionHint(step)}${says}.`,
    limited: 'this credential',
    later: 'in a minute',
  });
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
