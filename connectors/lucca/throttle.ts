import { HttpError } from '../http/errors.js';

/**
 * The client secret goes only to Lucca's identity hosts (https, `*.luccasoftware.com`) or to the
 * connection's own base URL origin (a proxy, a sandbox gateway, a fake): a mistyped or hostile
 * `tokenUrl` must not receive it. Returns the refusal, raised before any network traffic.
 */
export function tokenHostRefusal(tokenUrl: URL, accountOrigin: string): HttpError | undefined {
  const lucca = tokenUrl.protocol === 'https:' && (tokenUrl.hostname === 'luccasoftware.com' || tokenUrl.hostname.endsWith('.luccasoftware.com'));
  if (lucca || tokenUrl.origin === accountOrigin) return undefined;
  return new HttpError({
    kind: 'bad_request',
    retryable: false,
    message: `settings.tokenUrl (${tokenUrl.origin}) is neither a Lucca identity host (https://….luccasoftware.com) nor the account's own address`,
  });
}

/**
 * Lucca's older limits page documents the 429 without `Retry-After`; the newer one says to
 * honour it. A bare 429 means another integration spent the account's shared minute (our own
 * budget stays under it), so it is read as "retry after `seconds`": the client then holds every
 * request until the window has moved on, instead of burning its retries within a second.
 */
export function withBareRetryAfter(fetchImpl: typeof fetch, seconds: number): typeof fetch {
  return async (input, init) => {
    const res = await fetchImpl(input, init);
    if (res.status !== 429 || res.headers.has('retry-after')) return res;
    const headers = new Headers(res.headers);
    headers.set('Retry-After', String(seconds));
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}
