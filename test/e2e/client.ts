import { expect } from 'vitest';
import type { ServerProcess } from '../support/server-process.js';

export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

export const SCIM_JSON = 'application/scim+json';

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: any;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** Okta sends application/json, Entra application/scim+json. */
  contentType?: string;
  /** Overrides the bearer token; `null` sends no Authorization header. */
  authorization?: string | null;
  headers?: Record<string, string>;
}

/** Plain `fetch` against the server process: what a SCIM client actually puts on the wire. */
export function scimClient(server: ServerProcess, defaults: { contentType: string; userAgent: string }) {
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { accept: `${SCIM_JSON}, application/json`, 'user-agent': defaults.userAgent, ...options.headers };
    const authorization = options.authorization === undefined ? `Bearer ${server.token}` : options.authorization;
    if (authorization !== null) headers.authorization = authorization;
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? defaults.contentType;
    const res = await fetch(`${server.scimUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    return { status: res.status, headers: res.headers, body, text };
  };
}

/** Status with the body in the failure message: a bare "expected 200, got 400" hides the server's detail. */
export function expectStatus(reply: Reply, status: number): void {
  expect(reply.status, `HTTP ${reply.status}: ${reply.text.slice(0, 600)}`).toBe(status);
}

export function expectScimJson(reply: Reply): void {
  expect(reply.headers.get('content-type') ?? '').toMatch(/^application\/scim\+json\b/i);
}

/** RFC 7644 §3.12: error schema, `status` as a string, a detail, and scimType where given. */
export function expectScimError(reply: Reply, status: number, scimType?: string): void {
  expectStatus(reply, status);
  expectScimJson(reply);
  expect(reply.body.schemas).toEqual([URN.error]);
  expect(reply.body.status).toBe(String(status));
  expect(typeof reply.body.detail).toBe('string');
  expect(reply.body.detail.length).toBeGreaterThan(0);
  if (scimType) expect(reply.body.scimType).toBe(scimType);
}

/** A single-resource answer: scim+json, an ETag matching meta.version, a stable id. */
export function expectResource(reply: Reply, status: number): any {
  expectStatus(reply, status);
  expectScimJson(reply);
  expect(typeof reply.body.id).toBe('string');
  expect(reply.body.schemas).toContain(URN.user);
  const etag = reply.headers.get('etag');
  expect(etag, 'ETag header').toBeTruthy();
  expect(reply.body.meta?.version).toBe(etag);
  return reply.body;
}

export function expectEmptyList(reply: Reply): void {
  expectStatus(reply, 200);
  expectScimJson(reply);
  expect(reply.body).toMatchObject({ schemas: [URN.listResponse], totalResults: 0 });
  expect(reply.body.Resources).toEqual([]);
}

export const q = (params: Record<string, string | number>): string =>
  `?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;

export const patchBody = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });

export const unique = (prefix: string): string => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
