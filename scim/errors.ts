/**
 * The one error type domain code throws. Codes are transport-neutral; the SCIM edge maps them to
 * an HTTP status and `scimType` (RFC 7644 §3.12), the admin edge to a problem+json body.
 */
export type ErrorCode =
  | 'not_found'
  | 'conflict'
  | 'invalid_value'
  | 'invalid_syntax'
  | 'invalid_filter'
  | 'invalid_path'
  | 'no_target'
  | 'mutability'
  | 'precondition_failed'
  | 'not_modified'
  | 'unauthorized'
  | 'forbidden'
  | 'too_many'
  | 'payload_too_large'
  | 'rate_limited'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'invalid_cursor'
  | 'expired_cursor'
  | 'invalid_count'
  | 'internal';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    /** Extra fields for the response (e.g. `retryAfter` seconds for rate_limited). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export const fail = (code: ErrorCode, detail: string, extra?: Record<string, unknown>): never => {
  throw new DomainError(code, detail, extra);
};

/** Results for pure parsers, which return rather than throw. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(code: ErrorCode, detail: string): Result<T> => ({ ok: false, error: new DomainError(code, detail) });
export const unwrap = <T>(r: Result<T>): T => {
  if (!r.ok) throw r.error;
  return r.value;
};

export interface ScimErrorShape {
  status: number;
  scimType?: string;
}

/** RFC 7644 §3.12 mapping. Exhaustive so a new code cannot be forgotten here. */
export function scimErrorShape(code: ErrorCode): ScimErrorShape {
  switch (code) {
    case 'not_found':
      return { status: 404 };
    case 'conflict':
      return { status: 409, scimType: 'uniqueness' };
    case 'invalid_value':
      return { status: 400, scimType: 'invalidValue' };
    case 'invalid_syntax':
      return { status: 400, scimType: 'invalidSyntax' };
    case 'invalid_filter':
      return { status: 400, scimType: 'invalidFilter' };
    case 'invalid_path':
      return { status: 400, scimType: 'invalidPath' };
    case 'no_target':
      return { status: 400, scimType: 'noTarget' };
    case 'mutability':
      return { status: 400, scimType: 'mutability' };
    case 'precondition_failed':
      return { status: 412 };
    case 'not_modified':
      return { status: 304 };
    case 'unauthorized':
      return { status: 401 };
    case 'forbidden':
      return { status: 403 };
    case 'too_many':
      return { status: 413, scimType: 'tooMany' };
    case 'payload_too_large':
      return { status: 413 };
    case 'rate_limited':
      return { status: 429 };
    case 'method_not_allowed':
      return { status: 405 };
    case 'unsupported_media_type':
      return { status: 415 };
    case 'invalid_cursor':
      return { status: 400, scimType: 'invalidCursor' };
    case 'expired_cursor':
      return { status: 400, scimType: 'expiredCursor' };
    case 'invalid_count':
      return { status: 400, scimType: 'invalidCount' };
    case 'internal':
      return { status: 500 };
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}
