/**
 * An OAuth access token fetched when first needed and renewed shortly before it expires or when
 * the API refuses it. Renewals are single flight: concurrent requests share one, because several
 * systems keep one token per client (a second renewal would revoke the first) and rotate the
 * refresh token on every use.
 */
export interface BearerTokenSource {
  /** The Authorization header, renewing the token first when it is missing or about to expire. */
  headers(): Promise<Record<string, string>>;
  /** The API answered 401: drop the token, fetch a new one, and say that a retry can help. */
  onUnauthorized(): Promise<boolean>;
  /** Access tokens obtained so far. */
  readonly issued: number;
}

export interface FetchedToken {
  token: string;
  /** The token endpoint's `expires_in`, or the system's documented lifetime when it gives none. */
  expiresInS: number;
}

export function createBearerTokenSource(
  fetchToken: () => Promise<FetchedToken>,
  now: () => number,
  /** Renew this long before expiry at most (a tenth of the lifetime when that is shorter). */
  maxMarginMs = 5 * 60_000,
): BearerTokenSource {
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let issued = 0;

  const renew = (): Promise<string> =>
    (pending ??= fetchToken()
      .then(({ token, expiresInS }) => {
        issued++;
        const lifetimeMs = expiresInS * 1000;
        current = { token, renewAt: now() + lifetimeMs - Math.min(maxMarginMs, lifetimeMs / 10) };
        return token;
      })
      .finally(() => {
        pending = undefined;
      }));

  return {
    async headers() {
      const token = pending ? await pending : current && now() < current.renewAt ? current.token : await renew();
      return { Authorization: `Bearer ${token}` };
    },
    async onUnauthorized() {
      current = undefined;
      await renew();
      return true;
    },
    get issued() {
      return issued;
    },
  };
}
