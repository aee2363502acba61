import { HEADERS, signatureHeader } from './signature.js';

export interface PostOutcome {
  ok: boolean;
  status: number | null;
  /** Why it failed: the HTTP status, a timeout, a refused connection. */
  error: string | null;
  durationMs: number;
}

export interface Signed {
  url: string;
  body: string;
  deliveryId: string;
  eventType: string;
  secrets: string[];
}

/**
 * One POST. Only a 2xx counts as delivered; redirects are not followed (a moved endpoint is for its
 * admin to update, and following one would send signed events somewhere nobody configured).
 */
export async function postSigned(delivery: Signed, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<PostOutcome> {
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetchImpl(delivery.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Rollcall-Webhooks/1',
        [HEADERS.timestamp]: String(timestamp),
        [HEADERS.signature]: signatureHeader(delivery.secrets, timestamp, delivery.body),
        [HEADERS.deliveryId]: delivery.deliveryId,
        [HEADERS.idempotencyKey]: delivery.deliveryId,
        [HEADERS.eventType]: delivery.eventType,
      },
      body: delivery.body,
    });
    // The answer's body is not ours to read; dropping it frees the connection for the next delivery.
    await res.body?.cancel().catch(() => {});
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs: elapsed() };
  } catch (error) {
    const name = (error as Error).name;
    const reason = name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${timeoutMs} ms` : describe(error);
    return { ok: false, status: null, error: reason, durationMs: elapsed() };
  }
}

type Cause = { code?: string; message?: string; errors?: Cause[] };

/** fetch's "fetch failed" hides the reason in `cause` (an AggregateError when several addresses were tried). */
function describe(error: unknown): string {
  const cause = (error as { cause?: Cause }).cause;
  const code = cause?.code ?? cause?.errors?.find((e) => e.code)?.code;
  return code ? `connection failed (${code})` : `request failed: ${cause?.message ?? (error as Error).message}`;
}
