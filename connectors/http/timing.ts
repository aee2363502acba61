/**
 * Pure timing rules: how long a server asked us to wait, and how long to back off on our own.
 * Kept free of I/O so the tables in the unit tests can pin every header form down.
 */

/**
 * `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns ms from
 * `nowMs`, never negative; undefined when the header is absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.max(0, Math.round(Number(text) * 1000));
  // An HTTP date always names a weekday or month; without letters it is a malformed number.
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * `X-RateLimit-Reset` has no standard: some systems send epoch seconds, some seconds from
 * now, a few epoch milliseconds. Anything after 2001-09-09 read as epoch seconds (1e9) cannot
 * be a sensible "seconds from now", so the magnitude tells the forms apart.
 */
export function parseRateLimitReset(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  if (n >= 1e12) return Math.max(0, Math.round(n - nowMs));
  if (n >= 1e9) return Math.max(0, Math.round(n * 1000 - nowMs));
  return Math.round(n * 1000);
}

/** The server's own wait instruction, `Retry-After` first because it is the standard one. */
export function serverWaitMs(headers: Headers, nowMs: number): number | undefined {
  return (
    parseRetryAfter(headers.get('retry-after'), nowMs) ??
    parseRateLimitReset(headers.get('x-ratelimit-reset'), nowMs)
  );
}

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random: () => number;
}

/**
 * Exponential backoff with full jitter (uniform in [0, min(cap, base·2^attempt)]): spreads
 * a crowd of clients that all failed at once instead of having them retry in lockstep.
 * `attempt` is 0 for the first retry.
 */
export function backoffMs(attempt: number, { baseMs, capMs, random }: BackoffOptions): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** setTimeout that gives up as soon as the caller's signal aborts, with the signal's reason. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
