import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { createEgress, isEgressRefusal } from '../../src/egress/index.js';
import { plainRequestOf } from '../../src/egress/request-fetch.js';

/**
 * The egress fetch answers plain requests through undici's `request` API. Every case here is sent
 * twice, through it and through undici's own fetch, and what the server received and what the
 * caller got back must be the same.
 */
let server: Server;
let base: string;

function route(req: IncomingMessage, res: ServerResponse, body: string): void {
  const path = new URL(req.url!, 'http://x').pathname;
  // Header order is not part of HTTP's meaning: the echo sorts them.
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'connection').sort());
  const seen = JSON.stringify({ method: req.method, url: req.url, headers, body });
  switch (path) {
    case '/gzip':
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(seen));
      return;
    case '/deflate-error':
      res.writeHead(422, { 'content-type': 'application/json', 'content-encoding': 'deflate' }).end(deflateSync('{"error":"unprocessable"}'));
      return;
    case '/br':
      res.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync('brotli text'));
      return;
    case '/raw-deflate':
      res.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateRawSync('raw deflate, no zlib header'));
      return;
    case '/two-codings':
      res.writeHead(200, { 'content-encoding': 'deflate, gzip' }).end(gzipSync(deflateSync('deflated, then gzipped')));
      return;
    case '/unknown-coding':
      res.writeHead(200, { 'content-encoding': 'x-custom' }).end('left as it came');
      return;
    case '/no-content':
      res.writeHead(204, { 'x-kept': 'yes' }).end();
      return;
    case '/redirect':
      res.writeHead(302, { location: 'http://10.0.0.1/inside' }).end('moved');
      return;
    case '/cookies':
      res.writeHead(200, [['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-rate', '5']]).end('two cookies');
      return;
    case '/slow-body':
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part ');
      setTimeout(() => res.end('too late'), 2_000).unref();
      return;
    default:
      res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining': '7' }).end(seen);
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

const egress = createEgress({ allowed: ['127.0.0.1'] });
const reference = new Agent();
const referenceFetch = (url: string, init: RequestInit = {}) =>
  undiciFetch(url, { redirect: 'manual', ...(init as object), dispatcher: reference } as Parameters<typeof undiciFetch>[1]) as unknown as Promise<Response>;

/**
 * What a caller can observe of an answer, but the `date` header and the two headers that describe
 * the bytes on the wire: fetch keeps a decompressed body's `content-encoding` and
 * `content-length`, the request path drops them (they no longer describe the body read).
 */
const WIRE_ONLY = new Set(['date', 'keep-alive', 'content-encoding', 'content-length']);
async function observed(res: Response) {
  const headers = [...res.headers].filter(([name]) => !WIRE_ONLY.has(name));
  return { status: res.status, ok: res.ok, url: res.url, headers, body: await res.text() };
}

const cases: Array<[string, string, RequestInit?]> = [
  ['GET with headers and a query', '/echo?page=2&size=100', { headers: { Authorization: 'Bearer t', Accept: 'application/json' } }],
  ['GET with a Headers object and a lower-case method', '/echo', { method: 'get', headers: new Headers({ 'X-Api-Key': 'k' }) }],
  ['POST of a string, default content type', '/echo', { method: 'POST', body: '{"a":1}' }],
  ['POST of a string with its own content type', '/echo', { method: 'post', body: '<soap/>', headers: { 'content-type': 'text/xml; charset=utf-8' } }],
  ['POST of a form', '/echo', { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'a b' }) }],
  ['POST of bytes', '/echo', { method: 'POST', body: new TextEncoder().encode('bytes') }],
  ['PATCH keeps its spelling', '/echo', { method: 'PATCH', body: '{}' }],
  ['a gzip body', '/gzip'],
  ['a deflate error body', '/deflate-error'],
  ['a brotli body', '/br'],
  ['a raw deflate body', '/raw-deflate'],
  ['two codings', '/two-codings'],
  ['a coding neither knows', '/unknown-coding'],
  ['204 has no body', '/no-content'],
  ['HEAD has no body', '/echo', { method: 'HEAD' }],
  ['a redirect is answered, not followed', '/redirect'],
  ['repeated response headers', '/cookies'],
];

describe('egress fetch over the request API', () => {
  it.each(cases)('%s: the same as fetch', async (_name, path, init) => {
    expect(plainRequestOf(`${base}${path}`, init ?? {})).toBeDefined();
    const mine = await observed(await egress.fetch(`${base}${path}`, init));
    const theirs = await observed(await referenceFetch(`${base}${path}`, init));
    expect(mine).toEqual(theirs);
  });

  it('decodes gzip, deflate (zlib or raw), brotli and two codings, and keeps an unknown one', async () => {
    expect(JSON.parse(await (await egress.fetch(`${base}/gzip`)).text())).toMatchObject({ method: 'GET', url: '/gzip' });
    expect(await (await egress.fetch(`${base}/deflate-error`)).text()).toBe('{"error":"unprocessable"}');
    expect(await (await egress.fetch(`${base}/br`)).text()).toBe('brotli text');
    expect(await (await egress.fetch(`${base}/raw-deflate`)).text()).toBe('raw deflate, no zlib header');
    expect(await (await egress.fetch(`${base}/two-codings`)).text()).toBe('deflated, then gzipped');
    expect((await egress.fetch(`${base}/unknown-coding`)).headers.get('content-encoding')).toBe('x-custom');
  });

  it('streams a body as it arrives, and a timeout stops it halfway', async () => {
    const res = await egress.fetch(`${base}/slow-body`, { signal: AbortSignal.timeout(300) });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first part ');
    await expect(reader.read()).rejects.toBeDefined();
  });

  it('rejects with the signal reason when aborted, as fetch does', async () => {
    const stop = new AbortController();
    stop.abort(new Error('run cancelled'));
    await expect(egress.fetch(`${base}/echo`, { signal: stop.signal })).rejects.toThrow('run cancelled');
    const late = new AbortController();
    const pending = egress.fetch(`${base}/slow-body`, { signal: late.signal }).then((r) => r.text());
    setTimeout(() => late.abort(new Error('later')), 50);
    await expect(pending).rejects.toBeDefined();
  });

  it('a refused connection is TypeError "fetch failed" with the cause', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    const error = await egress.fetch(`http://127.0.0.1:${port}/`).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it.each([
    ['a URL that does not parse', 'http://exa mple.test:99999/', {}],
    ['a header value with a line break', '/echo', { headers: { 'x-bad': 'a\r\nx-injected: 1' } }],
    ['credentials in the URL', 'http://user:secret@127.0.0.1/', {}],
  ] as Array<[string, string, RequestInit]>)('%s rejects the promise with a TypeError, as fetch does', async (_name, target, init) => {
    const url = target.startsWith('/') ? `${base}${target}` : target;
    const mine = egress.fetch(url, init);
    await expect(mine).rejects.toBeInstanceOf(TypeError);
    await expect(referenceFetch(url, init)).rejects.toBeInstanceOf(TypeError);
  });

  it('still refuses what the policy refuses, on either path', async () => {
    for (const init of [{}, { redirect: 'follow' as const }]) {
      const error = await egress.fetch('http://10.0.0.1/', init).then(() => undefined, (e: unknown) => e);
      expect(isEgressRefusal(error)).toBe(true);
    }
  });

  it.each([
    ['a Request object', new Request('http://127.0.0.1/'), {}],
    ['a redirect to follow', 'http://127.0.0.1/', { redirect: 'follow' }],
    ['a streamed body', 'http://127.0.0.1/', { method: 'POST', body: new ReadableStream(), duplex: 'half' }],
    ['a GET with a body (fetch refuses it)', 'http://127.0.0.1/', { body: 'x' }],
    ['a data: URL', 'data:text/plain,hi', {}],
  ] as Array<[string, string | Request, RequestInit]>)('%s goes to fetch itself', (_name, input, init) => {
    expect(plainRequestOf(input, init)).toBeUndefined();
  });
});
