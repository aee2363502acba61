import { z } from 'zod';
import type { ValidationResult } from '../contract.js';
import { validationFailure } from '../failure.js';

/**
 * Deel's error bodies: the documented container `{request:{…,code}, errors:[{message,path}]}`,
 * an older `{errors:[{message}]}`, and the rate-limit page's `{error, status, message}`.
 */
const errorBodySchema = z.looseObject({
  errors: z.array(z.looseObject({ message: z.string().nullish(), path: z.unknown().optional() })).nullish(),
  request: z.looseObject({ code: z.unknown().optional() }).nullish(),
  error: z.string().nullish(),
  message: z.string().nullish(),
});

export function describeDeelFailure(_status: number, _headers: Headers, body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const text = body.trim();
    return text === '' || text.startsWith('<') ? undefined : text.slice(0, 200);
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  const first = b.errors?.find((e) => e.message);
  if (first?.message) {
    const path = typeof first.path === 'string' && first.path ? ` (${first.path})` : '';
    return `${first.message}${path}`.slice(0, 300);
  }
  const parts = [b.error, b.message].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length ? parts.join(': ').slice(0, 300) : undefined;
}

/**
 * Deel's 429 carries no rate-limit headers at all; its limit is a rolling one-second window.
 * A bare 429 is read as "retry after one second", which also pauses every other request on
 * the client (the limit is the organisation's, shared by all its tokens), instead of a
 * jittered backoff that may pick 0 ms and be refused again.
 */
export function withBareRetryAfter(fetchImpl: typeof fetch, seconds = 1): typeof fetch {
  return async (input, init) => {
    const res = await fetchImpl(input, init);
    if (res.status !== 429 || res.headers.has('retry-after') || res.headers.has('x-ratelimit-reset')) return res;
    const headers = new Headers(res.headers);
    headers.set('Retry-After', String(seconds));
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

type Failure = Extract<ValidationResult, { ok: false }>;

/** What an admin reads when the connection check fails, in Deel's terms. */
export function deelFailure(err: unknown): Failure {
  return validationFailure(err, 'Deel', {
    invalidCredentials: (says, e) =>
      e.kind === 'not_found'
        ? `Deel has no people API at this address${says}: check the environment or base URL.`
        : `Deel rejected the token${says}. It may be mistyped, revoked, or an OAuth access token past its 30 days; create a new one in Deel's Developer Center.`,
    missingPermission: (says) => `The token is valid but may not read people${says}. Give it the people:read scope (an organisation token with People read access).`,
    limited: 'this organisation (5 requests a second, shared by all its tokens)',
  });
}

export function statusHidden(): Failure {
  return {
    ok: false,
    kind: 'missing_permission',
    retryable: false,
    message: 'The token may not see hiring_status; without it leavers cannot be told from employees. Use an organisation token with People read access.',
  };
}

export function hiddenWarning(fields: readonly string[]): string {
  return `Deel did not return ${fields.join(', ')}: the token may not see ${fields.length > 1 ? 'these fields' : 'this field'}.`;
}
