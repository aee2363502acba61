import { createHttp1Pool } from './http1.js';

/** The SCIM side of the load generator: requests with the bench's token, over the lean HTTP/1.1 pool (http1.ts). */
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
  const pool = createHttp1Pool(base.hostname, Number(base.port), concurrency);
  const read = { authorization: `Bearer ${token}`, accept: 'application/scim+json' };
  const write = { ...read, 'content-type': 'application/scim+json' };

  function request(method: string, path: string, body?: unknown): Promise<Reply> {
    if (body === undefined) return pool.request(method, `${base.pathname}${path}`, read);
    return pool.request(method, `${base.pathname}${path}`, write, JSON.stringify(body));
  }

  return {
    request,
    async json<T>(method: string, path: string, body: unknown, expect: number) {
      const reply = await request(method, path, body);
      if (reply.status !== expect) throw new Error(`${method} ${path}: expected ${expect}, got ${reply.status}: ${reply.body.slice(0, 300)}`);
      return (reply.body ? JSON.parse(reply.body) : {}) as T;
    },
    close: () => pool.close(),
  };
}

export const q = encodeURIComponent;
