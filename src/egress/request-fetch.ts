import type { Dispatcher } from 'undici';
import { decodedBody } from './decode-body.js';

/**
 * `fetch` over undici's `request` API, for the requests that need nothing else fetch does. An HR
 * sync may send one request per person (Remote, PayFit, Lucca, Personio v2: 50,000 for a large
 * company), and fetch spends about four times the CPU of `request` on each (WHATWG request and
 * response objects, header guards, a web stream per body). This keeps what callers see: a real
 * `Response` (its body streams as it arrives), the same default headers, bodies decompressed as
 * fetch decompresses them (without the `content-encoding` and `content-length` of the bytes on the
 * wire, which fetch would keep), `TypeError: fetch failed` with the cause on a network failure,
 * and the signal's reason on an abort. Anything else (a `Request` object, a redirect to follow, a body
 * that is a stream or `FormData`, a URL with credentials in it) returns `undefined`, and the caller
 * uses fetch itself, which sends it or refuses it as it always has.
 */
export function plainRequestOf(input: string | URL | Request, init: RequestInit): PlainRequest | undefined {
  if (typeof input !== 'string' && !(input instanceof URL)) return undefined;
  if (init.redirect !== undefined && init.redirect !== 'manual') return undefined;
  const body = plainBody(init.body);
  if (body === false) return undefined;
  const url = new URL(input);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of new Headers(init.headers)) headers[name] = value;
  for (const [name, value] of DEFAULT_HEADERS) headers[name] ??= value;
  if (body && headers['content-type'] === undefined && body.type) headers['content-type'] = body.type;
  const method = init.method ? normaliseMethod(init.method) : 'GET';
  // fetch refuses these; let it say so.
  if (body && (method === 'GET' || method === 'HEAD')) return undefined;
  return { url, method, headers, body: body ? body.bytes : undefined, signal: init.signal ?? undefined };
}

export interface PlainRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  signal: AbortSignal | undefined;
}

/** Sends a plain request through `dispatcher` and answers as fetch would. */
export async function requestAsResponse(dispatcher: Dispatcher, req: PlainRequest): Promise<Response> {
  const { url, method, signal } = req;
  if (signal?.aborted) throw signal.reason;
  let answer: Dispatcher.ResponseData;
  try {
    answer = await dispatcher.request({ origin: url.origin, path: url.pathname + url.search, method: method as Dispatcher.HttpMethod, headers: req.headers, body: req.body, signal });
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    throw new TypeError('fetch failed', { cause });
  }
  const status = answer.statusCode;
  const noBody = method === 'HEAD' || status === 204 || status === 205 || status === 304;
  const encoding = answer.headers['content-encoding'];
  const body = noBody ? undefined : decodedBody(answer.body, Array.isArray(encoding) ? encoding.join(', ') : encoding);
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    // A decoded body's length and coding no longer describe it.
    if (body?.decoded && (name === 'content-encoding' || name === 'content-length')) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  let response: Response;
  try {
    if (noBody) answer.body.resume();
    response = new Response(body ? (body.body as unknown as ReadableStream<Uint8Array>) : null, { status, headers });
  } catch (cause) {
    // A status a Response cannot carry (outside 200-599): the answer is not HTTP as fetch knows it.
    (body?.body ?? answer.body).destroy();
    throw new TypeError('fetch failed', { cause });
  }
  // fetch's responses say where they came from; some callers read it.
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}

/** What fetch adds to every request that does not set them itself. */
const DEFAULT_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['accept', '*/*'],
  ['accept-language', '*'],
  ['sec-fetch-mode', 'cors'],
  ['user-agent', 'undici'],
  ['accept-encoding', 'gzip, deflate'],
];

const NORMALISED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
/** fetch upper-cases these methods and sends any other as spelled. */
function normaliseMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALISED_METHODS.has(upper) ? upper : method;
}

/** A body as bytes and its default content type; `false` when only fetch knows how to send it. */
function plainBody(body: RequestInit['body']): { bytes: string | Uint8Array; type?: string } | undefined | false {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return { bytes: body, type: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) return { bytes: body.toString(), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  if (body instanceof Uint8Array) return { bytes: body };
  return false;
}
