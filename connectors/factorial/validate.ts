import type { ValidationResult } from '../contract.js';
import { validationFailure } from '../failure.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/**
 * Factorial documents no error bodies (only the status codes), so the connector keys on the
 * status alone; a short `error`/`message` from the body is passed on for the admin to read.
 */
export function describeFactorialFailure(_status: number, _headers: Headers, body: string): string | undefined {
  const text = body.trim();
  if (text === '' || text.startsWith('<')) return undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['error_description', 'message', 'error', 'detail']) {
      const value = json[key];
      if (typeof value === 'string' && value) return value.slice(0, 200);
    }
    return undefined;
  } catch {
    return text.slice(0, 200);
  }
}

/** Employee properties worth a warning when the credential sees `null` for everyone. */
export const essentialFields = ['login_email', 'first_name', 'last_name', 'manager_id', 'location_id'] as const;

export const factorialFailure = {
  from(err: unknown, mode: 'api_key' | 'oauth'): Failure {
    return validationFailure(err, 'Factorial', {
      invalidCredentials: (says) =>
        mode === 'api_key'
          ? `Factorial rejected the API key${says}. Create a new one in Settings › API keys; a deleted key stops working at once.`
          : `Factorial rejected the OAuth client or refresh token${says}. Authorise the application again and paste the new refresh token.`,
      missingPermission: (says) =>
        `The credential is valid but may not read employees${says}. ${mode === 'oauth' ? "Authorise with a user whose permission group may see every employee's profile." : 'Check that the API key belongs to this company.'}`,
      limited: 'this credential',
      later: 'in a minute',
    });
  },
  statusHidden(): Failure {
    return {
      ok: false,
      kind: 'missing_permission',
      retryable: false,
      message: "The credential sees every employee's `active` flag as empty, so leavers cannot be told from employees. Authorise with a user whose permission group may see employment status.",
    };
  },
  hiddenWarning(fields: readonly string[]): string {
    return `Factorial returned ${fields.join(', ')} empty for everyone: the authorising user's permission group may not see ${fields.length > 1 ? 'these fields' : 'this field'}.`;
  },
};

/**
 * Which essential properties were null on every record seen: Factorial's way of hiding what a
 * user may not see. Counts, not records, so a 50,000-person read keeps nothing.
 */
export function createHiddenFieldTracker() {
  const seen = new Set<string>();
  let records = 0;
  let leavers = 0;
  const present = (v: unknown) => v !== null && v !== undefined && v !== '';
  return {
    add(record: Record<string, unknown>) {
      records++;
      if (record.active === false) leavers++;
      for (const f of [...essentialFields, 'terminated_on']) if (!seen.has(f) && present(record[f])) seen.add(f);
    },
    hidden(): string[] {
      if (records < 2) return [];
      const hidden: string[] = essentialFields.filter((f) => !seen.has(f));
      // Leavers without a date: the termination date is hidden, not missing.
      if (leavers > 0 && !seen.has('terminated_on')) hidden.push('terminated_on');
      return hidden;
    },
  };
}
