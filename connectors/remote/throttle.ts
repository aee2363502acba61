/**
 * Remote's throttling signals in the HTTP client's vocabulary. Every authenticated answer
 * carries `x-ratelimit-remaining` and `x-ratelimit-reset`, the reset in milliseconds (until the
 * window resets; a value that can only be an epoch in milliseconds is read as one). The client
 * reads a small reset as seconds, so the header is rewritten to whole seconds from now, and a
 * 429 without `Retry-After` gains one: waiting for the reset is what Remote asks for. The client
 * reads the reset only from a success that says nothing remains, or from a failure; any other
 * answer (nearly all of a run's 50,000 detail reads) goes on as it came, without a copy.
 */
export function withRemoteThrottleSignals(fetchImpl: typeof fetch, now: () => number): typeof fetch {
  return async (input, init) => {
    const res = await fetchImpl(input, init);
    if (res.ok && res.headers.get('x-ratelimit-remaining')?.trim() !== '0') return res;
    const raw = res.headers.get('x-ratelimit-reset')?.trim();
    if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw)) return res;
    const ms = remoteResetMs(raw, now());
    const seconds = String(Math.max(0, Math.ceil(ms / 1000)));
    const headers = new Headers(res.headers);
    headers.set('x-ratelimit-reset', seconds);
    if (res.status === 429 && !headers.has('retry-after')) headers.set('Retry-After', seconds);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

/** Milliseconds until Remote's window resets: an epoch in ms (after 2001) or a delta in ms. */
export function remoteResetMs(raw: string, nowMs: number): number {
  const n = Number(raw);
  return n >= 1e12 ? Math.max(0, n - nowMs) : Math.max(0, n);
}
