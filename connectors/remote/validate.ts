import type { ValidationResult } from '../contract.js';
import { validationFailure } from '../failure.js';
import type { RemoteAuth } from './auth.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/**
 * Remote's error bodies: `{"message": "…"}` on 401/403/404/429, and on 422 either
 * `{"errors": {field: [...]}}` or `{"message": string | {code, message, field?} | [...]}`; the
 * token endpoint answers OAuth-style `{error, error_description}`. Every form is read.
 */
export function describeRemoteFailure(_status: number, _headers: Headers, body: string): string | undefined {
  const text = body.trim();
  if (text === '' || text.startsWith('<')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.slice(0, 200);
  }
  const said = messageOf(json);
  return said ? said.slice(0, 200) : undefined;
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (Array.isArray(value)) return value.map(messageOf).filter(Boolean).join('; ') || undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.error_description === 'string') return o.error_description;
  if (o.message !== undefined) {
    const m = messageOf(o.message);
    if (m) return typeof o.field === 'string' ? `${o.field}: ${m}` : m;
  }
  if (o.errors && typeof o.errors === 'object') {
    return Object.entries(o.errors as Record<string, unknown>)
      .map(([field, v]) => `${field}: ${messageOf(v) ?? 'invalid'}`)
      .join('; ') || undefined;
  }
  if (typeof o.error === 'string') return o.error;
  return undefined;
}

export const remoteFailure = {
  from(err: unknown, mode: RemoteAuth['mode']): Failure {
    return validationFailure(err, 'Remote', {
      invalidCredentials: (says) =>
        mode === 'api_token'
          ? `Remote rejected the API token${says}. A company admin or owner creates a new one in Remote under Company settings › Integrations & API; a revoked token stops working at once.`
          : `Remote rejected the partner client or the refresh token${says}. Check the client ID and secret, or have the company authorise the application again and paste the new refresh token.`,
      missingPermission: (says) =>
        mode === 'partner_oauth'
          ? `The partner token acts for the partner only and may not list this company's employments${says}. Have the company authorise the application (authorization code flow) and add the refresh token.`
          : `The credential is valid but may not list employments${says}. ${mode === 'company_oauth' ? 'Authorise the application with the employment read scope.' : 'Create the token as a company admin or owner.'}`,
      limited: 'this company',
      later: 'in a minute',
    });
  },
};
