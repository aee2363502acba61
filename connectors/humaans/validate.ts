import type { ValidationResult } from '../contract.js';
import { validationFailure } from '../failure.js';
import { isHttpError } from '../http/errors.js';
import { humaansScopes } from './schema.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/**
 * Humaans' reason for a failure: its Feathers error body `{name, message, code, className,
 * errors|issues}` (fields vary (?)), the first per-field issue when there is one, or short text.
 */
export function describeHumaansFailure(_status: number, _headers: Headers, body: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const message = typeof json.message === 'string' && json.message ? json.message : typeof json.error === 'string' ? json.error : undefined;
    const detail = firstIssue(json.errors) ?? firstIssue(json.issues);
    const said = [message, detail].filter(Boolean).join(': ');
    return said ? said.slice(0, 200) : undefined;
  } catch {
    return text.startsWith('<') ? undefined : text.slice(0, 200);
  }
}

function firstIssue(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const first = value[0] as unknown;
    if (typeof first === 'string') return first;
    if (typeof first === 'object' && first !== null) {
      const r = first as Record<string, unknown>;
      const msg = typeof r.message === 'string' ? r.message : undefined;
      const path = Array.isArray(r.path) ? r.path.join('.') : typeof r.field === 'string' ? r.field : undefined;
      return msg ? (path ? `${path}: ${msg}` : msg) : undefined;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const [key, msg] = Object.entries(value)[0] ?? [];
    return typeof msg === 'string' ? `${key}: ${msg}` : undefined;
  }
  return undefined;
}

export const humaansFailure = {
  from(err: unknown): Failure {
    if (isHttpError(err) && err.kind === 'permission') return humaansFailure.missingPrivate(err.detail ? ` (Humaans says: ${err.detail})` : '');
    return validationFailure(err, 'Humaans', {
      invalidCredentials: (says, e) =>
        e.kind === 'not_found'
          ? `Humaans answered 404 for the people list${says}: check the API base URL (https://app.humaans.io/api).`
          : `Humaans rejected the API access token${says}: it was deleted or mistyped. Create a new one under API access tokens.`,
      limited: 'this token',
      later: 'in a minute',
    });
  },
  missingPrivate(says = ''): Failure {
    return {
      ok: false,
      kind: 'missing_permission',
      retryable: false,
      message: `The token may not read people's private data${says}. Edit it in Humaans and grant "${humaansScopes.private}" (View public and private data): without it new hires and offboarded people are invisible, so leavers cannot be told apart.`,
    };
  },
};
