import { z } from 'zod';
import type { ValidationResult } from '../contract.js';
import { validationFailure } from '../failure.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/** RFC 7807 (v5), OAuth errors (token endpoint), and whatever the legacy API sends (ASP.NET `Message`, text). */
const errorBodySchema = z.looseObject({
  title: z.string().nullish(),
  detail: z.string().nullish(),
  errors: z.record(z.string(), z.array(z.string())).nullish(),
  error: z.string().nullish(),
  error_description: z.string().nullish(),
  Message: z.string().nullish(),
  message: z.string().nullish(),
});

/** Lucca's own reason for a failure, from any of its error bodies; never more than 200 characters. */
export function describeLuccaFailure(_status: number, _headers: Headers, body: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // An HTML error page says nothing useful; a short text body might.
    return text.startsWith('<') ? undefined : text.slice(0, 200);
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  const fieldErrors = Object.entries(b.errors ?? {}).map(([field, messages]) => `${field}: ${messages.join(' ')}`);
  const reason =
    (b.error ? [b.error, b.error_description].filter(Boolean).join(': ') : undefined) ??
    ([b.title, b.detail, ...fieldErrors].filter(Boolean).join(' — ') || undefined) ??
    b.Message ??
    b.message ??
    undefined;
  return reason?.slice(0, 200);
}

/** Validation results an admin can act on, per failure kind. */
export const luccaFailure = {
  from(err: unknown, credential: 'API key' | 'client app'): Failure {
    return validationFailure(err, 'Lucca', {
      invalidCredentials: (says, e) =>
        e.kind === 'not_found'
          ? `Lucca does not know this account: check the account address${says}.`
          : `Lucca rejected the ${credential}${says}. Check it, and the account address it belongs to.`,
      missingPermission: (says) =>
        credential === 'API key'
          ? `The API key is valid but its role may not read users${says}. Give it "Consult users" and the role rights to see former and future employees.`
          : `The client app is valid but lacks a scope Rollcall needs${says}. Grant employees.readonly and employments.readonly.`,
      limited: 'this account (50 requests a minute, shared by every integration)',
      later: 'in a minute',
    });
  },
  vital(fields: readonly string[], credential: 'API key' | 'client app'): Failure {
    return {
      ok: false,
      kind: 'missing_permission',
      retryable: false,
      message: `The ${credential} may not see ${fields.join(', ')}; without ${fields.length > 1 ? 'them' : 'it'} leavers cannot be told from employees. Extend its role or scopes.`,
    };
  },
  hiddenWarning(fields: readonly string[]): string {
    return `Lucca did not return ${fields.join(', ')}: the credential may not see ${fields.length > 1 ? 'these fields' : 'this field'}.`;
  },
};
