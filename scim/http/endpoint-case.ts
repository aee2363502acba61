const CANONICAL = ['Users', 'Groups', 'Bulk', 'Schemas', 'ResourceTypes', 'ServiceProviderConfig', 'serviceConfiguration', '.search'];
const byLower = new Map(CANONICAL.map((name) => [name.toLowerCase(), name]));

/**
 * Endpoint names are matched case-insensitively: Microsoft's validator requests `/users`.
 * Returns the request with its first segment after `prefix` in canonical case (or the request itself).
 */
export function canonicalEndpoint(request: Request, prefix: string): Request {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(`${prefix}/`)) return request;
  const rest = url.pathname.slice(prefix.length + 1);
  const cut = rest.indexOf('/');
  const segment = cut === -1 ? rest : rest.slice(0, cut);
  const canonical = byLower.get(segment.toLowerCase());
  if (!canonical || canonical === segment) return request;
  url.pathname = `${prefix}/${canonical}${cut === -1 ? '' : rest.slice(cut)}`;
  return new Request(url, request);
}
