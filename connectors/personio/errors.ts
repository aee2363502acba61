import { z } from 'zod';
import { HttpError, isHttpError } from '../http/errors.js';

/** Every error body shape Personio uses: v1 envelope, v2 `errors[]`, OAuth problem+json. */
const errorBodySchema = z.looseObject({
  error: z.union([z.string(), z.looseObject({ message: z.string().nullish(), code: z.unknown() })]).nullish(),
  error_description: z.string().nullish(),
  errors: z.array(z.looseObject({ title: z.string().nullish(), detail: z.string().nullish() })).nullish(),
  title: z.string().nullish(),
  detail: z.string().nullish(),
});

/** Personio's own reason for a failure, whichever API answered. */
export function describePersonioFailure(_status: number, _headers: Headers, body: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  if (b.errors?.length) {
    const first = b.errors[0]!;
    return [first.title, first.detail].filter(Boolean).join(': ') || undefined;
  }
  if (typeof b.error === 'string') return b.error_description ? `${b.error}: ${b.error_description}` : b.error;
  if (b.error?.message) return b.error.message;
  return b.detail ?? b.title ?? undefined;
}

/**
 * A refusal from the token endpoint always means the client id or secret is wrong, whatever
 * status carries it: v1 answers 401 (missing) or 403 (invalid), v2 answers 400 `invalid_client`.
 * Re-labelled `auth` so validation and the connection status say "invalid credentials".
 */
export function asCredentialError(err: unknown, api: 'v1' | 'v2'): unknown {
  if (!isHttpError(err) || err.status === undefined) return err;
  // A 400 for any other reason (a malformed request) is our bug and keeps its own kind.
  const refusal = /invalid_client|unauthori[sz]ed_client|invalid_grant|credential/i.test(err.detail ?? '');
  const refused = err.status === 401 || err.status === 403 || (err.status === 400 && refusal);
  if (!refused) return err;
  return new HttpError({
    kind: 'auth',
    status: err.status,
    message: `Personio ${api} refused the client ID and secret (${err.status}${err.detail ? `: ${err.detail}` : ''})`,
    retryable: false,
    ...(err.detail === undefined ? {} : { detail: err.detail }),
    ...(err.url === undefined ? {} : { url: err.url }),
    cause: err,
  });
}

/**
 * Offset paging over a list that changed mid-run can skip someone; a snapshot that might miss
 * a person must not be taken as complete (they would be archived), so the run fails, retryably.
 */
export function inconsistentSnapshot(reason: string): HttpError {
  return new HttpError({ kind: 'invalid_response', retryable: true, message: `Personio employee list changed during the run (${reason}); retry the run` });
}
