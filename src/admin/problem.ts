import { DomainError, scimErrorShape, type ErrorCode } from '../../scim/errors.js';

const TITLES: Partial<Record<ErrorCode, string>> = {
  not_found: 'Not found',
  conflict: 'Conflict',
  invalid_value: 'Invalid value',
  invalid_syntax: 'Invalid request',
  invalid_filter: 'Invalid filter',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  rate_limited: 'Too many requests',
  payload_too_large: 'Payload too large',
  mutability: 'Field is locked',
};

/** RFC 9457 problem details for the admin API, from the same error codes the SCIM edge maps. */
export function problemResponse(error: DomainError, extra: Record<string, unknown> = {}): Response {
  const status = scimErrorShape(error.code).status;
  const body = {
    type: `https://rollcall.dev/problems/${error.code.replace(/_/g, '-')}`,
    title: TITLES[error.code] ?? 'Error',
    status,
    detail: error.detail,
    code: error.code,
    ...extra,
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="rollcall-admin"';
  return new Response(JSON.stringify(body), { status, headers });
}
