import { apiErrorSchema, oauthErrorSchema } from './schema.js';

/** Reasons Google sends with 403 (and 429) when the caller is going too fast, not forbidden. */
export const rateLimitReasons = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded']);

export function reasonsOf(body: string): string[] {
  try {
    const parsed = apiErrorSchema.safeParse(JSON.parse(body));
    return parsed.success ? (parsed.data.error.errors ?? []).map((e) => e.reason ?? '').filter(Boolean) : [];
  } catch {
    return [];
  }
}

/**
 * Google's own throttling signals in the HTTP client's vocabulary. A 403 can be a rate limit
 * (`userRateLimitExceeded`, `quotaExceeded`): it becomes a 429 so that it is retried with
 * backoff instead of reported as a missing permission. A 500 `backendError` is Google asking
 * for a retry: it becomes a 503. Google sends no `Retry-After`; the client backs off
 * exponentially, as Google's limits page asks.
 */
export function withGoogleThrottleSignals(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await fetchImpl(input, init);
    if (res.status !== 403 && res.status !== 500) return res;
    const text = await res.text();
    const reasons = reasonsOf(text);
    const status = res.status === 403 && reasons.some((r) => rateLimitReasons.has(r)) ? 429 : res.status === 500 && reasons.includes('backendError') ? 503 : res.status;
    return new Response(text, { status, statusText: res.statusText, headers: res.headers });
  };
}

/** The reason an admin sees: the OAuth error of the token endpoint or the API's first reason and message. */
export function describeGoogleFailure(_status: number, _headers: Headers, body: string): string | undefined {
  try {
    const json = JSON.parse(body) as unknown;
    const oauth = oauthErrorSchema.safeParse(json);
    if (oauth.success) return `${oauth.data.error}${oauth.data.error_description ? `: ${oauth.data.error_description}` : ''}`.slice(0, 300);
    const api = apiErrorSchema.safeParse(json);
    if (api.success) {
      const reason = api.data.error.errors?.find((e) => e.reason)?.reason;
      const message = api.data.error.message ?? api.data.error.errors?.[0]?.message;
      return [reason, message].filter(Boolean).join(': ').slice(0, 300) || undefined;
    }
  } catch {
    // Not JSON (a proxy's page): nothing of Google's to quote.
  }
  return undefined;
}
