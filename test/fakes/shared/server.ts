import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Fault, FaultPlan } from './faults.js';
import type { RateLimiter } from './rate-limit.js';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON. */
  body?: unknown;
}

export interface RequestRecord {
  n: number;
  at: number;
  method: string;
  path: string;
  /** The query string as sent, for tests that check paging parameters. */
  query: string;
  endpoint: string;
  status: number | 'hung' | 'reset';
}

export interface FakeServerOptions {
  /** Names the endpoint a request hits, for counts and endpoint-scoped faults. */
  endpointOf(req: FakeRequest): string;
  handle(req: FakeRequest): Reply | Promise<Reply>;
  faults: FaultPlan;
  /** Checked before faults and the handler; returns the reply for a throttled request. */
  limit?: () => { limiter: RateLimiter; reply: (retryAfterMs: number) => Reply } | undefined;
  /** Added to every request: a generally slow API. */
  latencyMs?: () => number;
}

export interface FakeServer {
  /** Origin, e.g. http://127.0.0.1:41234 */
  url: string;
  requests: RequestRecord[];
  close(): Promise<void>;
}

/** A real HTTP server on loopback, port chosen by the OS, with the fault pipeline in front. */
export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const requests: RequestRecord[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (incoming, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? '/', 'http://fake');
    const req: FakeRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    const record: RequestRecord = { n: requests.length + 1, at: Date.now(), method: req.method, path: req.path, query: url.search, endpoint: options.endpointOf(req), status: 'hung' };
    requests.push(record);
    try {
      const latency = options.latencyMs?.() ?? 0;
      if (latency > 0) await delay(latency);
      const limit = options.limit?.();
      if (limit) {
        const verdict = limit.limiter.hit();
        if (!verdict.allowed) return send(res, record, limit.reply(verdict.retryAfterMs));
      }
      const fault = options.faults.take(record.endpoint);
      if (fault && (await playFault(fault, res, record))) return;
      send(res, record, await options.handle(req));
    } catch (err) {
      send(res, record, { status: 500, body: { error: String(err) } });
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Plays a fault; returns false when the request should then be served normally (a delay). */
async function playFault(fault: Fault, res: ServerResponse, record: RequestRecord): Promise<boolean> {
  switch (fault.type) {
    case 'status':
      send(res, record, { status: fault.status, headers: fault.headers ?? {}, body: fault.body ?? '' });
      return true;
    case 'delay':
      await delay(fault.ms);
      return false;
    case 'hang':
      return true;
    case 'stall_body':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"employees":[');
      return true;
    case 'invalid_json':
      send(res, record, { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"title":"rollcall","employees":[{"id":"1",' });
      return true;
    case 'reset':
      record.status = 'reset';
      res.socket?.destroy();
      return true;
    default: {
      const never: never = fault;
      return never;
    }
  }
}

function send(res: ServerResponse, record: RequestRecord, reply: Reply): void {
  record.status = reply.status;
  const isText = typeof reply.body === 'string' || reply.body === undefined;
  const body = isText ? ((reply.body as string | undefined) ?? '') : JSON.stringify(reply.body);
  const headers = { ...(isText ? {} : { 'Content-Type': 'application/json; charset=utf-8' }), ...reply.headers };
  res.writeHead(reply.status, headers);
  res.end(body);
}

/** Counts of recorded requests per endpoint and per status, for assertions. */
export function countRequests(requests: readonly RequestRecord[]) {
  const byEndpoint: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  for (const r of requests) {
    byEndpoint[r.endpoint] = (byEndpoint[r.endpoint] ?? 0) + 1;
    byStatus[String(r.status)] = (byStatus[String(r.status)] ?? 0) + 1;
  }
  return { total: requests.length, byEndpoint, byStatus };
}
