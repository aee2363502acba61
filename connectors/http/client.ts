import { createBudget, unlimitedBudget, type Budget } from './budget.js';
import { HttpError, isRetriedStatus, kindForStatus } from './errors.js';
import { parseJson } from './json.js';
import { parseJsonBody, type BodyChunks } from './json-body.js';
import { backoffMs, realSleep, parseRateLimitReset, serverWaitMs, type Sleep } from './timing.js';

export interface HttpClientOptions {
  /** Everything before the request path, e.g. `https://acme.bamboohr.com/api`. */
  baseUrl: string;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /** Per-request auth headers, for tokens that are fetched and refreshed. */
  authorize?: () => Promise<Record<string, string>>;
  /** Called on a 401; return true to retry once (e.g. after refreshing a token). */
  onUnauthorized?: () => Promise<boolean>;
  /**
   * After one 401 the client refuses every further request without touching the network.
   * For systems that block IPs which keep presenting bad credentials (HiBob's firewall).
   */
  authFailureIsFinal?: boolean;
  timeoutMs?: number;
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** A server asking for a longer wait than this fails now (retryable, with `retryAfterMs`). */
  maxServerWaitMs?: number;
  requestsPerMinute?: number;
  burst?: number;
  /** A budget shared beyond this client (per credential, see budget-registry.ts); wins over the two above. */
  budget?: Budget;
  /** The HR system's own reason for a failure, e.g. from a header. */
  describeFailure?: (status: number, headers: Headers, body: string) => string | undefined;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
}

export interface HttpRequest {
  path: string;
  method?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Empty when the body went to a reader instead (`requestJsonStreamed`). */
  text: string;
  url: string;
  /** What the reader made of the body, when it had one. */
  read?: unknown;
}

export interface HttpStats {
  /** Attempts that reached `fetch`, retries included. */
  requests: number;
  retries: number;
  /** Responses that said "slow down" (429/503). */
  throttled: number;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  /** `request` then `parseJson`; invalid JSON is a non-retryable `invalid_response`. */
  requestJson(req: HttpRequest): Promise<unknown>;
  /**
   * `requestJson` for a response that carries a whole company: the body is parsed as it arrives
   * (`parseJsonBody`), never held as one text. A body that fails halfway (the network, the
   * timeout) is retried like any failed request, and parsed afresh.
   */
  requestJsonStreamed(req: HttpRequest): Promise<unknown>;
  /**
   * `request` whose 2xx body goes to `read` as it arrives instead of into `text`; the response
   * carries what `read` returned. Each attempt reads afresh, as for `requestJsonStreamed`.
   */
  requestStreamed<T>(req: HttpRequest, read: BodyReader<T>): Promise<HttpResponse & { read: T }>;
  readonly stats: Readonly<HttpStats>;
}

/**
 * Every HR API call goes through here. Requests are reads (BambooHR's report and HiBob's
 * search are POSTs but change nothing), so retrying any method is safe.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 4;
  const backoff = { baseMs: options.backoffBaseMs ?? 500, capMs: options.backoffCapMs ?? 30_000, random };
  const maxServerWaitMs = options.maxServerWaitMs ?? 120_000;
  const budget: Budget = options.budget
    ? options.budget
    : options.requestsPerMinute
    ? createBudget({ perMinute: options.requestsPerMinute, burst: options.burst ?? 1, now, sleep })
    : unlimitedBudget(now, sleep);
  const stats: HttpStats = { requests: 0, retries: 0, throttled: 0 };
  const base = options.baseUrl.replace(/\/+$/, '');
  let finalAuthFailure: HttpError | undefined;

  /** The request with its retries; a 2xx body goes to `read` when there is one, else is read as text. */
  async function send(req: HttpRequest, read?: BodyReader): Promise<HttpResponse> {
    const url = buildUrl(base, req.path, req.query);
    const method = req.method ?? 'GET';
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (finalAuthFailure) throw finalAuthFailure;
      await budget.take(req.signal);
      const headers = { ...options.headers, ...(await options.authorize?.()), ...req.headers };
      stats.requests++;
      const outcome = await attemptOnce(fetchImpl, url, method, headers, req, timeoutMs, read);
      if (outcome instanceof HttpError) {
        if (attempt >= maxRetries) throw outcome;
        stats.retries++;
        await sleep(backoffMs(attempt, backoff), req.signal);
        continue;
      }
      noteRateLimitHeaders(outcome.headers, now(), budget);
      if (outcome.status >= 200 && outcome.status < 300) return outcome;

      const error = errorFor(outcome, method, req.path, now(), options.describeFailure);
      if (outcome.status === 429 || outcome.status === 503) stats.throttled++;
      if (outcome.status === 401) {
        if (options.authFailureIsFinal) throw (finalAuthFailure = error);
        if (!refreshed && options.onUnauthorized && (await options.onUnauthorized())) {
          refreshed = true;
          attempt--; // a token refresh is not a failure of the API
          continue;
        }
        throw error;
      }
      if (!isRetriedStatus(outcome.status) || attempt >= maxRetries) throw error;
      const wait = error.retryAfterMs ?? backoffMs(attempt, backoff);
      if (wait > maxServerWaitMs) throw error;
      // Hold every request on this client, not just this one: the limit is per credential.
      if (error.retryAfterMs !== undefined) budget.pauseUntil(now() + wait);
      stats.retries++;
      await sleep(wait, req.signal);
    }
  }

  const acceptJson = (req: HttpRequest): HttpRequest => ({ ...req, headers: { Accept: 'application/json', ...req.headers } });
  return {
    request: (req) => send(req),
    async requestJson(req) {
      const res = await send(acceptJson(req));
      return parseJson(res.text, res.url);
    },
    async requestJsonStreamed(req) {
      return (await send(acceptJson(req), parseJsonBody)).read;
    },
    requestStreamed: <T>(req: HttpRequest, read: BodyReader<T>) => send(req, read) as Promise<HttpResponse & { read: T }>,
    stats,
  };
}

/** Reads a successful response's body as it arrives; an `HttpError` it throws is final, anything else a failed attempt. */
export type BodyReader<T = unknown> = (body: BodyChunks, url: string) => Promise<T>;

async function attemptOnce(
  fetchImpl: typeof fetch,
  url: string,
  method: string,
  headers: Record<string, string>,
  req: HttpRequest,
  timeoutMs: number,
  read?: BodyReader,
): Promise<HttpResponse | HttpError> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  try {
    const res = await fetchImpl(url, { method, headers, signal, ...(req.body === undefined ? {} : { body: req.body }) });
    // The body is read under the same timeout: a server can hang halfway through it.
    if (read && res.ok) {
      const body = (res.body ?? noChunks()) as unknown as BodyChunks;
      return { status: res.status, headers: res.headers, text: '', url, read: await read(body, url) };
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, url };
  } catch (cause) {
    // The body's own verdict (not JSON): the same bytes would come again.
    if (cause instanceof HttpError) throw cause;
    // Cancellation by the caller is not a failure of the HR system: never retried, never wrapped.
    if (req.signal?.aborted) throw req.signal.reason;
    if (timeout.aborted) {
      return new HttpError({ kind: 'timeout', message: `${method} ${req.path} timed out after ${timeoutMs} ms`, url, cause });
    }
    const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
    return new HttpError({ kind: 'network', message: `${method} ${req.path} failed: ${reason}`, url, cause });
  }
}

function errorFor(
  res: HttpResponse,
  method: string,
  path: string,
  nowMs: number,
  describe: HttpClientOptions['describeFailure'],
): HttpError {
  const detail = describe?.(res.status, res.headers, res.text);
  const retryAfterMs = serverWaitMs(res.headers, nowMs);
  return new HttpError({
    kind: kindForStatus(res.status),
    status: res.status,
    message: `${method} ${path} answered ${res.status}${detail ? `: ${detail}` : ''}`,
    url: res.url,
    ...(detail === undefined ? {} : { detail }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** A successful response that says the budget is spent: wait for the reset before the next call. */
function noteRateLimitHeaders(headers: Headers, nowMs: number, budget: Budget): void {
  if (headers.get('x-ratelimit-remaining')?.trim() !== '0') return;
  const resetMs = parseRateLimitReset(headers.get('x-ratelimit-reset'), nowMs);
  if (resetMs !== undefined) budget.pauseUntil(nowMs + resetMs);
}

function buildUrl(base: string, path: string, query: HttpRequest['query']): string {
  const url = new URL(base + (path.startsWith('/') ? path : `/${path}`));
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

async function* noChunks(): BodyChunks {}
