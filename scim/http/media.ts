import type { Context } from 'hono';
import { URN } from '../schemas/urns.js';
import { DomainError, scimErrorShape } from '../errors.js';
import { readJsonBody } from './body.js';

export const SCIM_JSON = 'application/scim+json; charset=utf-8';

/**
 * Responses built with the request id among their headers. Adding a header to a response once built
 * makes the node adapter turn its plain header object into a fetch Headers and back, a measurable
 * share of a small read's CPU; the edge checks this set and adds the id only to the others.
 */
const withRequestId = new WeakSet<Response>();
export const carriesRequestId = (res: Response): boolean => withRequestId.has(res);

/** Every SCIM response, errors included, is `application/scim+json` (RFC 7644 §3.1). */
export function scimJson(c: Context, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return scimJsonText(c, status, JSON.stringify(body), headers);
}

/** scimJson with a body already serialised (a list page built from its resources' texts). */
export function scimJsonText(c: Context, status: number, text: string, headers: Record<string, string> = {}): Response {
  const requestId = c.get('requestId') as string | undefined;
  // Assigned, not spread: every response's header object then has the same few shapes.
  const all: Record<string, string> = { 'content-type': SCIM_JSON };
  if (requestId) all['x-request-id'] = requestId;
  for (const name in headers) all[name] = headers[name]!;
  const res = new Response(text, { status, headers: all });
  if (requestId) withRequestId.add(res);
  return res;
}

/** RFC 7644 §3.12 error body: `status` is a string, `scimType` where the RFC defines one. */
export function errorResponse(error: DomainError): Response {
  const shape = scimErrorShape(error.code);
  if (shape.status === 304) return new Response(null, { status: 304 });
  const headers: Record<string, string> = { 'content-type': SCIM_JSON };
  if (typeof error.extra.retryAfter === 'number') headers['retry-after'] = String(error.extra.retryAfter);
  if (shape.status === 401) headers['www-authenticate'] = 'Bearer realm="rollcall"';
  if (shape.status === 405 && typeof error.extra.allow === 'string') headers.allow = error.extra.allow;
  if (typeof error.extra.acceptEncoding === 'string') headers['accept-encoding'] = error.extra.acceptEncoding;
  // A 413 may leave the rest of a streamed body unread: the connection cannot carry another request.
  if (shape.status === 413) headers.connection = 'close';
  return new Response(
    JSON.stringify({
      schemas: [URN.error],
      status: String(shape.status),
      ...(shape.scimType ? { scimType: shape.scimType } : {}),
      detail: error.detail,
    }),
    { status: shape.status, headers },
  );
}

/** Reads a JSON request body; another media type is 415, anything that is not JSON `invalidSyntax`, never a 500. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type');
  if (type && !/^application\/(scim\+)?json\b/i.test(type.trim())) {
    throw new DomainError('unsupported_media_type', `Unsupported content type ${type.slice(0, 80)}: send application/scim+json or application/json`);
  }
  return readJsonBody(c);
}
