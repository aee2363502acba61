import http from 'node:http';

/**
 * A keep-alive HTTP client over node:http. Global fetch (undici) would do, but on a 2-core machine
 * the load generator shares the CPU with the server and the database, and fetch spends about three
 * times the CPU per request that node:http does; the cheaper client leaves more for the server.
 */
export interface Reply {
  status: number;
  body: string;
}

export interface ScimClient {
  request(method: string, path: string, body?: unknown): Promise<Reply>;
  /** Parses a JSON reply, failing unless the status is the expected one. */
  json<T = Record<string, unknown>>(method: string, path: string, body: unknown, expect: number): Promise<T>;
  close(): void;
}

export function createClient(scimUrl: string, token: string, concurrency: number): ScimClient {
  const base = new URL(scimUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const auth = `Bearer ${token}`;

  function request(method: string, path: string, body?: unknown): Promise<Reply> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { authorization: auth, accept: 'application/scim+json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/scim+json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((ok, fail) => {
      const req = http.request(
        { host: base.hostname, port: base.port, path: `${base.pathname}${path}`, method, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', fail);
        },
      );
      // A stuck request must not hang the whole run.
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
      req.on('error', fail);
      req.end(payload);
    });
  }

  return {
    request,
    async json<T>(method: string, path: string, body: unknown, expect: number) {
      const reply = await request(method, path, body);
      if (reply.status !== expect) throw new Error(`${method} ${path}: expected ${expect}, got ${reply.status}: ${reply.body.slice(0, 300)}`);
      return (reply.body ? JSON.parse(reply.body) : {}) as T;
    },
    close: () => agent.destroy(),
  };
}

export const q = encodeURIComponent;
