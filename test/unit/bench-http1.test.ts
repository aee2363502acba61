import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp1Pool } from '../../bench/http1.js';

/**
 * The bench's lean HTTP/1.1 client against node's own server: every way a reply can be framed,
 * bodies sent, connections the server closes, and many requests over few sockets.
 */
let server: Server;
let port: number;
const sockets = new Set<string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    sockets.add(`${req.socket.remotePort}`);
    const url = new URL(req.url!, 'http://x');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      switch (url.pathname) {
        case '/length':
          res.writeHead(200, { 'content-length': Buffer.byteLength('héllo') }).end('héllo');
          return;
        case '/chunked':
          res.writeHead(201);
          res.write('one,');
          setImmediate(() => res.end('two'));
          return;
        case '/empty':
          res.writeHead(204).end();
          return;
        case '/echo':
          res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ${req.headers['x-test']} ${body}`);
          return;
        case '/close':
          res.writeHead(200, { connection: 'close', 'content-length': 3 }).end('bye');
          return;
        case '/big':
          res.writeHead(200).end('x'.repeat(200_000));
          return;
        default:
          res.writeHead(404).end('no');
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('bench HTTP/1.1 pool', () => {
  const cases = [
    { path: '/length', status: 200, body: 'héllo' },
    { path: '/chunked', status: 201, body: 'one,two' },
    { path: '/empty', status: 204, body: '' },
    { path: '/close', status: 200, body: 'bye' },
    { path: '/big', status: 200, body: 'x'.repeat(200_000) },
    { path: '/missing', status: 404, body: 'no' },
  ];
  it.each(cases)('$path answers $status with its whole body', async ({ path, status, body }) => {
    const pool = createHttp1Pool('127.0.0.1', port, 2);
    try {
      // Twice: the second request reuses the connection (or opens one after a close).
      for (let i = 0; i < 2; i++) expect(await pool.request('GET', path, {})).toEqual({ status, body });
    } finally {
      pool.close();
    }
  });

  it('sends the method, headers and body', async () => {
    const pool = createHttp1Pool('127.0.0.1', port, 1);
    try {
      expect((await pool.request('PATCH', '/echo', { 'x-test': 'yes' }, '{"a":"é"}')).body).toBe('PATCH yes {"a":"é"}');
    } finally {
      pool.close();
    }
  });

  it('runs many requests over at most its number of connections, each getting its own reply', async () => {
    sockets.clear();
    const pool = createHttp1Pool('127.0.0.1', port, 4);
    try {
      const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.request('POST', '/echo', { 'x-test': `${i}` }, `${i}`)));
      replies.forEach((reply, i) => expect(reply.body).toBe(`POST ${i} ${i}`));
      expect(sockets.size).toBeLessThanOrEqual(4);
    } finally {
      pool.close();
    }
  });

  it('fails a request when nothing listens, and a closed pool refuses', async () => {
    const pool = createHttp1Pool('127.0.0.1', 1, 1);
    await expect(pool.request('GET', '/', {})).rejects.toThrow(/GET \//);
    pool.close();
    await expect(pool.request('GET', '/', {})).rejects.toThrow(/closed/);
  });
});
