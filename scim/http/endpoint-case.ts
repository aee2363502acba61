import { urlParts } from './url-parts.js';

const CANONICAL = ['Users', 'Groups', 'Bulk', 'Schemas', 'ResourceTypes', 'ServiceProviderConfig', 'serviceConfiguration', '.search'];
const byLower = new Map(CANONICAL.map((name) => [name.toLowerCase(), name]));

/**
 * Endpoint names are matched case-insensitively: Microsoft's validator requests `/users`.
 * Returns the request with its first segment after `prefix` in canonical case (or the request itself).
 */
export function canonicalEndpoint(request: Request, prefix: string): Request {
  const { pathname } = urlParts(request.url);
  if (!pathname.startsWith(`${prefix}/`)) return request;
  const rest = pathname.slice(prefix.length + 1);
  const cut = rest.indexOf('/');
  const segment = cut === -1 ? rest : rest.slice(0, cut);
  const canonical = byLower.get(segment.toLowerCase());
  if (!canonical || canonical === segment) return request;
  // Rare (a client spelling `/users`): the full parse is fine here.
  const url = new URL(request.url);
  url.pathname = `${prefix}/${canonical}${cut === -1 ? '' : rest.slice(cut)}`;
  return new Request(url, request);
}
