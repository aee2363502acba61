import type { ValidationResult } from '../contract.js';
import { failureKind, validationFailure } from '../failure.js';
import { isHttpError } from '../http/errors.js';
import { payfitScopes } from './schema.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/** PayFit's reason for a failure: `{message}` (its 429), `{error, error_description}` (OAuth) or text. */
export function describePayfitFailure(_status: number, _headers: Headers, body: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['message', 'error_description', 'error', 'detail']) {
      const value = json[key];
      if (typeof value === 'string' && value) return value.slice(0, 200);
    }
    return undefined;
  } catch {
    return text.startsWith('<') ? undefined : text.slice(0, 200);
  }
}

export const payfitFailure = {
  from(err: unknown, step: 'introspect' | 'collaborators'): Failure {
    if (isHttpError(err) && err.kind !== 'not_found' && failureKind(err) === 'invalid_credentials') return payfitFailure.inactive(err.detail ? ` (PayFit says: ${err.detail})` : '');
    return validationFailure(err, 'PayFit', {
      invalidCredentials: (says) => `PayFit does not know this company for this key${says}: check the company ID, or leave it empty to use the key's own.`,
      missingPermission: (says) =>
        step === 'collaborators' ? `The key is valid but may not list collaborators${says}. Give it the scope ${payfitScopes.basic}.` : `PayFit refused to describe the key${says}.`,
      limited: 'this application',
      later: 'in a few seconds',
    });
  },
  inactive(says = ''): Failure {
    return {
      ok: false,
      kind: 'invalid_credentials',
      retryable: false,
      message: `PayFit rejected the key${says}: it was deleted, revoked when the integration was uninstalled, or replaced by a newer token for this company. Create a new one.`,
    };
  },
  otherCompany(expected: string, actual: string): Failure {
    return { ok: false, kind: 'invalid_credentials', retryable: false, message: `The key belongs to PayFit company ${actual}, not ${expected}: PayFit keys open one company each.` };
  },
  missingScopes(scopes: readonly string[], why: string): Failure {
    return { ok: false, kind: 'missing_permission', retryable: false, message: `The key lacks ${scopes.join(' and ')}: ${why}. Edit the key's scopes in PayFit (or create a new key).` };
  },
};

/** What each optional scope adds, for warnings at connect and during runs. */
export const scopeWarnings: ReadonlyArray<{ scope: string; what: string }> = [
  { scope: payfitScopes.management, what: 'managers and teams' },
  { scope: payfitScopes.personal, what: 'email addresses' },
  { scope: payfitScopes.bank, what: 'bank details (IBAN, BIC)' },
  { scope: payfitScopes.contractList, what: 'job titles' },
];

export function hiddenWarning(what: string, scope: string): string {
  return `PayFit did not return ${what}: the key may lack the scope ${scope}.`;
}
