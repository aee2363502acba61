/**
 * Bearer tokens for Personio (v1 `/v1/auth`, v2 `/v2/auth/token`). A token is stable for its
 * lifetime (24 h) and may be used in parallel, so one is shared by every request and renewed
 * only when it is about to expire or the API refuses it. The auth endpoint allows 60 calls a
 * minute with a minute's cool-down after that: asking for a token per request would lock us out.
 */
export interface IssuedToken {
  token: string;
  expiresInS: number;
}

export interface TokenSource {
  /** Headers for the next request, fetching a token first when there is none or it expired. */
  authorize(): Promise<Record<string, string>>;
  /**
   * The API answered 401. Renews the token unless another request already did since the
   * refused one was sent; concurrent 401s share one renewal. Throws when renewal fails.
   */
  onUnauthorized(): Promise<boolean>;
  /** Wraps fetch to learn which token a 401 refused (the client does not say). */
  observe(fetchImpl: typeof fetch): typeof fetch;
  /** Tokens issued so far (the tests count renewals with it). */
  readonly issued: number;
}

export interface TokenSourceOptions {
  fetchToken: () => Promise<IssuedToken>;
  now: () => number;
  /** Renew this long before expiry, so a long run never sends a token that dies in flight. */
  marginMs?: number;
}

export function createTokenSource({ fetchToken, now, marginMs = 5 * 60_000 }: TokenSourceOptions): TokenSource {
  let current: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const refused = new Set<string>();
  let issued = 0;

  function renew(): Promise<string> {
    // Single flight: a burst of concurrent requests triggers one auth call, not one each.
    pending ??= fetchToken()
      .then(({ token, expiresInS }) => {
        issued++;
        const lifetimeMs = expiresInS * 1000;
        // Short-lived tokens (tests, sandboxes) get a proportionate margin instead of none.
        current = { token, expiresAt: now() + lifetimeMs - Math.min(marginMs, lifetimeMs / 10) };
        refused.delete(token);
        return token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  }

  async function valid(): Promise<string> {
    if (pending) return pending;
    if (current && now() < current.expiresAt && !refused.has(current.token)) return current.token;
    return renew();
  }

  return {
    async authorize() {
      return { Authorization: `Bearer ${await valid()}` };
    },
    async onUnauthorized() {
      await valid();
      return true;
    },
    observe(fetchImpl) {
      return async (input, init) => {
        const res = await fetchImpl(input, init);
        if (res.status === 401) {
          const sent = new Headers(init?.headers).get('authorization');
          const token = sent?.replace(/^Bearer\s+/i, '');
          if (token) refused.add(token);
        }
        return res;
      };
    },
    get issued() {
      return issued;
    },
  };
}

/**
 * Personio documents no `Retry-After` on its 429s, and its limits count per second as well as
 * per minute, so an immediate retry (full jitter can pick 0 ms) is refused again. A bare 429
 * is read as "retry after `seconds`", which also pauses every other request on the client.
 */
export function withDefaultRetryAfter(fetchImpl: typeof fetch, seconds: number): typeof fetch {
  return async (input, init) => {
    const res = await fetchImpl(input, init);
    if (res.status !== 429 || res.headers.has('retry-after') || res.headers.has('x-ratelimit-reset')) return res;
    const headers = new Headers(res.headers);
    headers.set('Retry-After', String(seconds));
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}
