import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClientOptions } from '../../connectors/http/client.js';
import { HttpError } from '../../connectors/http/errors.js';
import { bodyParseChannel, parseJsonBody } from '../../connectors/http/json-body.js';
import { realSleep } from '../../connectors/http/timing.js';

const START = Date.parse('2026-03-02T12:00:00Z');

/**
 * One scripted answer: a response, a network failure, or a request that never answers. A
 * `chunks` response sends its body in those pieces, then ends, breaks off or stalls.
 */
type Step =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { status: number; chunks: Uint8Array[]; then?: 'end' | 'break' | 'stall' }
  | 'network'
  | 'hang';

function chunkedBody(step: { chunks: Uint8Array[]; then?: 'end' | 'break' | 'stall' }, signal: AbortSignal): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of step.chunks) controller.enqueue(chunk);
      if (step.then === 'break') controller.error(new TypeError('terminated', { cause: new Error('ECONNRESET') }));
      else if (step.then === 'stall') signal.addEventListener('abort', () => controller.error(signal.reason));
      else controller.close();
    },
  });
}

/**
 * A scripted fetch on a fake clock: sleeps advance the clock instantly and are recorded, so
 * backoff and Retry-After show up as exact numbers instead of wall-clock time.
 */
function harness(script: Step[], options: Partial<HttpClientOptions> = {}) {
  let clock = START;
  const sleeps: number[] = [];
  const calls: Array<{ url: string; headers: Record<string, string>; at: number }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string>, at: clock });
    const step = script.shift() ?? { status: 200, body: '{}' };
    if (step === 'network') throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
    if (step === 'hang') {
      return new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    }
    if ('chunks' in step) return new Response(chunkedBody(step, init.signal!), { status: step.status });
    return new Response(step.body ?? '', { status: step.status, headers: step.headers ?? {} });
  }) as typeof globalThis.fetch;
  const client = createHttpClient({
    baseUrl: 'https://hr.test/api/',
    fetch,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    backoffBaseMs: 100,
    backoffCapMs: 1000,
    ...options,
  });
  return { client, sleeps, calls, elapsed: () => clock - START };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    return err instanceof HttpError ? `${err.kind}${err.retryable ? ' (retryable)' : ''}` : String(err);
  }
}

describe('retries and backoff', () => {
  it.each<[string, Step[], string, number[]]>([
    ['429 without Retry-After backs off', [{ status: 429 }], 'ok', [50]],
    ['502, 504, 503 back off exponentially', [{ status: 502 }, { status: 504 }, { status: 503 }], 'ok', [50, 100, 200]],
    ['a network error is retried', ['network'], 'ok', [50]],
    ['five 503s exhaust four retries', Array(5).fill({ status: 503 }), 'rate_limited (retryable)', [50, 100, 200, 400]],
    ['500 is not retried here, but is retryable later', [{ status: 500 }], 'server (retryable)', []],
    ['400 is final', [{ status: 400 }], 'bad_request', []],
    ['401 is final', [{ status: 401 }], 'auth', []],
    ['403 is final', [{ status: 403 }], 'permission', []],
    ['404 is final', [{ status: 404 }], 'not_found', []],
    ['network errors until retries run out', Array(5).fill('network'), 'network (retryable)', [50, 100, 200, 400]],
  ])('%s', async (_name, script, expected, sleeps) => {
    const h = harness(script);
    expect(await outcome(h.client.request({ path: '/x' }))).toBe(expected);
    expect(h.sleeps).toEqual(sleeps);
    expect(h.client.stats.requests).toBe(sleeps.length + 1);
  });

  it('caps the exponential ceiling', async () => {
    const h = harness(Array(6).fill({ status: 502 }), { maxRetries: 6 });
    await h.client.request({ path: '/x' });
    expect(h.sleeps).toEqual([50, 100, 200, 400, 500, 500]);
  });
});

describe('server-directed waits', () => {
  it.each<[string, Record<string, string>, number]>([
    ['Retry-After in seconds', { 'Retry-After': '3' }, 3000],
    ['Retry-After as an HTTP date', { 'Retry-After': new Date(START + 7000).toUTCString() }, 7000],
    ['X-RateLimit-Reset as epoch seconds', { 'X-RateLimit-Reset': String(START / 1000 + 4) }, 4000],
    ['X-RateLimit-Reset as seconds from now', { 'X-RateLimit-Reset': '5' }, 5000],
    ['Retry-After wins over X-RateLimit-Reset', { 'Retry-After': '2', 'X-RateLimit-Reset': '9' }, 2000],
    ['an unreadable Retry-After falls back to backoff', { 'Retry-After': 'later' }, 50],
  ])('429 with %s', async (_name, headers, wait) => {
    const h = harness([{ status: 429, headers }]);
    await h.client.request({ path: '/x' });
    expect(h.sleeps).toEqual([wait]);
    expect(h.client.stats).toEqual({ requests: 2, retries: 1, throttled: 1 });
  });

  it('treats 503 with Retry-After as throttling', async () => {
    const h = harness([{ status: 503, headers: { 'Retry-After': '6' } }]);
    await h.client.request({ path: '/x' });
    expect(h.sleeps).toEqual([6000]);
    expect(h.client.stats.throttled).toBe(1);
  });

  it('fails fast, retryable, when asked to wait longer than maxServerWaitMs', async () => {
    const h = harness([{ status: 429, headers: { 'Retry-After': '3600' } }], { maxServerWaitMs: 60_000 });
    const err = await h.client.request({ path: '/x' }).catch((e: unknown) => e as HttpError);
    expect(err).toMatchObject({ kind: 'rate_limited', retryable: true, retryAfterMs: 3_600_000 });
    expect(h.client.stats.requests).toBe(1);
  });

  it('waits for X-RateLimit-Reset after a response that spent the budget', async () => {
    const h = harness([{ status: 200, headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '10' } }]);
    await h.client.request({ path: '/a' });
    await h.client.request({ path: '/b' });
    expect(h.calls.map((c) => c.at - START)).toEqual([0, 10_000]);
  });
});

describe('request budget', () => {
  it('spaces sequential requests so 30/min is never exceeded', async () => {
    const h = harness([], { requestsPerMinute: 30 });
    for (let i = 0; i < 4; i++) await h.client.request({ path: '/x' });
    expect(h.calls.map((c) => c.at - START)).toEqual([0, 2000, 4000, 6000]);
  });

  it('counts retries against the budget', async () => {
    const h = harness([{ status: 502 }], { requestsPerMinute: 6 });
    await h.client.request({ path: '/x' });
    expect(h.calls.map((c) => c.at - START)).toEqual([0, 10_000]);
  });
});

describe('timeouts and cancellation', () => {
  it('times out a hung request, retries, then fails as a retryable timeout', async () => {
    const h = harness(['hang', 'hang'], { timeoutMs: 20, maxRetries: 1 });
    const err = await h.client.request({ path: '/slow' }).catch((e: unknown) => e as HttpError);
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    expect(h.client.stats.requests).toBe(2);
  });

  it('recovers when the retry answers', async () => {
    const h = harness(['hang', { status: 200, body: '{"ok":true}' }], { timeoutMs: 20 });
    expect(await h.client.requestJson({ path: '/slow' })).toEqual({ ok: true });
  });

  it('stops at once when the caller aborts a request in flight, without retrying', async () => {
    const h = harness(['hang'], { timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = h.client.request({ path: '/x', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run cancelled')), 5);
    await expect(pending).rejects.toThrow('run cancelled');
    expect(h.client.stats.requests).toBe(1);
  });

  it('stops at once when the caller aborts during a backoff', async () => {
    const h = harness([{ status: 503, headers: { 'Retry-After': '30' } }], { sleep: realSleep });
    const controller = new AbortController();
    const pending = h.client.request({ path: '/x', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutdown')), 20);
    await expect(pending).rejects.toThrow('shutdown');
    expect(h.client.stats.requests).toBe(1);
  });
});

describe('responses and auth', () => {
  it('turns invalid JSON into a final invalid_response', async () => {
    const h = harness([{ status: 200, body: '<html>gateway error</html>' }]);
    expect(await outcome(h.client.requestJson({ path: '/x' }))).toBe('invalid_response');
    expect(h.client.stats.requests).toBe(1);
  });

  it('with authFailureIsFinal, one 401 stops every later request before it reaches the network', async () => {
    const h = harness([{ status: 401 }], { authFailureIsFinal: true });
    expect(await outcome(h.client.request({ path: '/a' }))).toBe('auth');
    expect(await outcome(h.client.request({ path: '/b' }))).toBe('auth');
    expect(h.calls).toHaveLength(1);
  });

  it('refreshes once on 401 when asked to, with fresh auth headers', async () => {
    let token = 'old';
    const h = harness([{ status: 401 }, { status: 200 }], {
      authorize: async () => ({ Authorization: `Bearer ${token}` }),
      onUnauthorized: async () => ((token = 'new'), true),
    });
    expect(await outcome(h.client.request({ path: '/x' }))).toBe('ok');
    expect(h.calls.map((c) => c.headers.Authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('gives up when the refresh does not help', async () => {
    const h = harness([{ status: 401 }, { status: 401 }], { onUnauthorized: async () => true });
    expect(await outcome(h.client.request({ path: '/x' }))).toBe('auth');
    expect(h.calls).toHaveLength(2);
  });

  it("carries the HR system's own reason and builds the URL under the base path", async () => {
    const h = harness([{ status: 403, headers: { 'X-Reason': 'no access to salaries' } }], {
      describeFailure: (_s, headers) => headers.get('x-reason') ?? undefined,
    });
    const err = await h.client.request({ path: '/v1/report', query: { format: 'JSON', skip: undefined } }).catch((e: unknown) => e as HttpError);
    expect(err).toMatchObject({ kind: 'permission', status: 403, detail: 'no access to salaries' });
    expect(h.calls[0]!.url).toBe('https://hr.test/api/v1/report?format=JSON');
  });
});

describe('JSON bodies parsed as they arrive', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  // Cut inside "Zoë" (ë is two bytes) and inside a key: the parser must join the pieces.
  const text = '{"employees":[{"id":"1","name":"Zoë Ødegård"},{"id":"2","name":"Lea"}]}';
  const cut = (at: number[]) => [0, ...at].map((from, i) => bytes(text).subarray(from, at[i] ?? undefined));

  it('gives what JSON.parse gives, however the body is cut into chunks', async () => {
    for (const at of [[1], [30, 31], [33], [12, 40, 60], Array.from({ length: text.length }, (_, i) => i + 1)]) {
      const h = harness([{ status: 200, chunks: cut(at) }]);
      expect(await h.client.requestJsonStreamed({ path: '/people' })).toEqual(JSON.parse(text));
    }
  });

  it.each<[string, Step[], string, number]>([
    ['a body that breaks off halfway is asked for again and parsed afresh', [{ status: 200, chunks: cut([20]).slice(0, 1), then: 'break' }, { status: 200, chunks: cut([20]) }], 'ok', 2],
    ['a body that stalls halfway times out and is asked for again', [{ status: 200, chunks: cut([20]).slice(0, 1), then: 'stall' }, { status: 200, chunks: cut([20]) }], 'ok', 2],
    ['a 503 before the body is retried as any other', [{ status: 503 }, { status: 200, chunks: cut([5]) }], 'ok', 2],
    ['a body that is not JSON is final', [{ status: 200, chunks: [bytes('<html>gateway error</html>')] }], 'invalid_response', 1],
    ['a body that ends in the middle of the value is final', [{ status: 200, chunks: cut([20]).slice(0, 1) }], 'invalid_response', 1],
    ['two values, or anything after the one, are refused', [{ status: 200, chunks: [bytes('{"a":1} {"b":2}')] }], 'invalid_response', 1],
    ['an empty body is refused', [{ status: 200, chunks: [] }], 'invalid_response', 1],
    ['a 401 is read as text and is an auth failure', [{ status: 401, body: 'no' }], 'auth', 1],
  ])('%s', async (_, script, expected, requests) => {
    const h = harness(script, { timeoutMs: 50 });
    expect(await outcome(h.client.requestJsonStreamed({ path: '/people' }))).toBe(expected);
    expect(h.client.stats.requests).toBe(requests);
  });

  const pieces = (...texts: string[]) => (async function* () { yield* texts.map(bytes); })();
  it.each<[string, string[], string]>([
    ['not JSON (the parse stops at the first bad chunk)', ['<html>', 'gateway error</html>'], '<html>'],
    ['ends in the middle of the value', ['{"employees":[{"id"', ':"1"'], '{"employees":[{"id":"1"'],
    ['two values', ['{"a":1} ', '{"b":2}'], '{"a":1} {"b":2}'],
    ['a value and then garbage', ['[1,2]', ' x'], '[1,2] x'],
    ['a literal cut short', ['nul'], 'nul'],
    ['nothing at all', [], ''],
    ['only whitespace', ['  ', '\n'], ' '],
  ])('parsed as it arrives, a body that is %s is a final invalid_response quoting its start', async (_, texts, start) => {
    const err = await parseJsonBody(pieces(...texts), 'https://hr.test/people', 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ kind: 'invalid_response', retryable: false, url: 'https://hr.test/people' });
    expect((err as HttpError).message).toBe(`response is not JSON (starts with ${JSON.stringify(start)})`);
  });

  it('reads a body below the size limit whole, and one past it as it arrives', async () => {
    const doc = { employees: [{ id: '1', name: 'Zoë' }] };
    const text = JSON.stringify(doc);
    // Read whole, a truncated body fails as JSON.parse fails; either way the same value when whole.
    expect(await parseJsonBody(pieces(text.slice(0, 10), text.slice(10)), undefined, text.length + 1)).toEqual(doc);
    expect(await parseJsonBody(pieces(text.slice(0, 10), text.slice(10)), undefined, 10)).toEqual(doc);
    await expect(parseJsonBody(pieces(text.slice(0, 10)), undefined, 100)).rejects.toThrow(/response is not JSON/);
  });

  it('reports the time it spends parsing a body as it arrives, and none for a body read whole', async () => {
    const reported: number[] = [];
    const listen = (m: unknown) => void reported.push((m as { ms: number }).ms);
    bodyParseChannel.subscribe(listen);
    try {
      const text = JSON.stringify({ employees: Array.from({ length: 200 }, (_, i) => ({ id: String(i) })) });
      await parseJsonBody(pieces(text), undefined, Infinity);
      expect(reported).toEqual([]);
      await parseJsonBody(pieces(text.slice(0, 100), text.slice(100)), undefined, 0);
      expect(reported).toHaveLength(2);
      expect(reported.every((ms) => ms >= 0)).toBe(true);
    } finally {
      bodyParseChannel.unsubscribe(listen);
    }
  });

  it('agrees with JSON.parse on any JSON value cut anywhere (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.array(fc.nat(), { maxLength: 6 }), async (value, cuts) => {
        const whole = bytes(JSON.stringify(value));
        const at = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, i) => whole.subarray(from, at[i] ?? whole.length));
        // Both ways: read whole (a small body) and parsed as it arrives (a large one).
        for (const wholeBelow of [Infinity, 0]) {
          expect(await parseJsonBody((async function* () { yield* chunks; })(), undefined, wholeBelow)).toEqual(JSON.parse(JSON.stringify(value)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
