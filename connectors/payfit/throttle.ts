/**
 * PayFit's own throttling signals, translated into the HTTP client's vocabulary. PayFit limits
 * requests per second per client application and says so in `X-RateLimit-Remaining-Second`; its
 * 429 (`{"message":"API rate limit exceeded"}`) carries no `Retry-After`. So:
 * - a response with `X-RateLimit-Remaining-Second: 0` gains `X-RateLimit-Remaining: 0` and
 *   `X-RateLimit-Reset: 1`, which holds every request on the client for the second;
 * - a bare 429 gains `Retry-After: 1` (an immediate jittered retry would land in the same second).
 */
export function withPayfitThrottleSignals(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await fetchImpl(input, init);
    const spent = res.headers.get('x-ratelimit-remaining-second')?.trim() === '0';
    const bare429 = res.status === 429 && !res.headers.has('retry-after');
    if (!bare429 && (!spent || res.headers.has('x-ratelimit-remaining'))) return res;
    const headers = new Headers(res.headers);
    if (bare429) headers.set('Retry-After', '1');
    if (spent && !headers.has('x-ratelimit-remaining')) {
      headers.set('X-RateLimit-Remaining', '0');
      headers.set('X-RateLimit-Reset', '1');
    }
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}
