import type { ValidationResult } from '../contract.js';
import { validationFailure } from '../failure.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/** HiBob's reason for a failure: JSON `{error|message}` or a short text body. */
export function describeHibobFailure(_status: number, _headers: Headers, body: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['message', 'error', 'detail']) if (typeof json[key] === 'string' && json[key]) return json[key] as string;
    return undefined;
  } catch {
    return text.startsWith('<') ? undefined : text.slice(0, 200);
  }
}

export const hibobFailure = {
  from(err: unknown): Failure {
    return validationFailure(err, 'HiBob', {
      invalidCredentials: (says) => `HiBob rejected the service user ID and token${says}. Check both; HiBob blocks addresses that keep sending wrong ones, so we will not retry.`,
      missingPermission: (says) => `The service user is valid but its permission group may not read people${says}. Add it to a group with People's data access.`,
      limited: 'this service user',
      later: 'in a minute',
    });
  },
  vital(fields: readonly string[]): Failure {
    return {
      ok: false,
      kind: 'missing_permission',
      retryable: false,
      message: `The service user may not see ${fields.join(', ')}; without them leavers cannot be told from employees. Grant its permission group the Lifecycle fields.`,
    };
  },
  hiddenWarning(fields: readonly string[]): string {
    return `HiBob did not return ${fields.join(', ')}: the service user's permission group may not see ${fields.length > 1 ? 'these fields' : 'this field'}.`;
  },
};
