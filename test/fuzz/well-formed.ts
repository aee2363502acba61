import type { Response } from 'supertest';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * What every answer to generated input must be: never 5xx, and every 4xx a well-formed error of
 * its API (RFC 7644 §3.12 on /scim, RFC 9457 problem details on /admin). Returns what is wrong.
 */
export function defects(api: 'scim' | 'admin', res: Response, method = 'GET'): string[] {
  const found: string[] = [];
  if (res.status >= 500) found.push(`status ${res.status}`);
  if (res.status === 405 && !res.headers.allow) found.push('405 without Allow');
  // HEAD answers carry the headers of the GET, never a body (RFC 9110 §9.3.2).
  if (res.status < 400 || res.status === 304 || method === 'HEAD') return found;
  const type = String(res.headers['content-type'] ?? '');
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(res.text ?? '') as Record<string, unknown>;
  } catch {
    found.push(`error body is not JSON: ${String(res.text).slice(0, 80)}`);
    return found;
  }
  if (api === 'scim') {
    if (!/^application\/scim\+json/.test(type)) found.push(`content-type ${type}`);
    if (!Array.isArray(body.schemas) || body.schemas[0] !== ERROR) found.push('schemas is not the Error URN');
    if (body.status !== String(res.status)) found.push(`status member ${String(body.status)} ≠ ${res.status}`);
  } else {
    if (!/^application\/problem\+json/.test(type)) found.push(`content-type ${type}`);
    if (body.status !== res.status) found.push(`status member ${String(body.status)} ≠ ${res.status}`);
    if (typeof body.title !== 'string') found.push('no title');
  }
  if (typeof body.detail !== 'string' || body.detail === '') found.push('no detail');
  if (res.status === 429 && !res.headers['retry-after']) found.push('429 without Retry-After');
  return found;
}
