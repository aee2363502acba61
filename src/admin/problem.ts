import { z } from 'zod';
import { DomainError, scimErrorShape, type ErrorCode } from '../../scim/errors.js';

/** The body of every admin API error, as the OpenAPI document declares it. */
export const problemSchema = z
  .object({
    /** A URI naming the kind of problem, one per code. */
    type: z.string(),
    title: z.string(),
    /** The HTTP status, repeated. */
    status: z.number().int(),
    /** What went wrong, for a person; for invalid input it starts with the field (`body.slug: …`). */
    detail: z.string(),
    /** The machine-readable error code (`invalid_value`, `not_found`, `conflict`, `forbidden`…). */
    code: z.string(),
  })
  // Some problems carry more: `reason` (why credentials were refused), `allow` (on a 405).
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });
export type Problem = z.infer<typeof problemSchema>;

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
  method_not_allowed: 'Method not allowed',
  unsupported_media_type: 'Unsupported media type',
};

/** Extras that are HTTP headers rather than body members. */
const HEADER_EXTRAS: Record<string, string> = { allow: 'allow', acceptEncoding: 'accept-encoding', retryAfter: 'retry-after' };

/** RFC 9457 problem details for the admin API, from the same error codes the SCIM edge maps. */
export function problemResponse(error: DomainError, extra: Record<string, unknown> = {}): Response {
  const status = scimErrorShape(error.code).status;
  const body: Problem = {
    type: `https://rollcall.dev/problems/${error.code.replace(/_/g, '-')}`,
    title: TITLES[error.code] ?? 'Error',
    status,
    detail: error.detail,
    code: error.code,
    ...extra,
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="rollcall-admin"';
  for (const [key, header] of Object.entries(HEADER_EXTRAS)) {
    const value = error.extra[key] ?? extra[key];
    if (typeof value === 'string' || typeof value === 'number') headers[header] = String(value);
  }
  // A 413 may leave the rest of a streamed body unread: the connection cannot carry another request.
  if (status === 413) headers.connection = 'close';
  return new Response(JSON.stringify(body), { status, headers });
}
