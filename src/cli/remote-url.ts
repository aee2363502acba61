import ipaddr from 'ipaddr.js';

export type UrlCheck = { ok: true; base: string } | { ok: false; reason: string };

/** Loopback by name (RFC 6761 §6.3) or by address; the token sent there never leaves the host. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (!ipaddr.isValid(host)) return false;
  const address = ipaddr.process(host);
  return address.range() === 'loopback';
}

/**
 * The server's address as the CLI will call it (no trailing slash, no `/admin/v1`). The admin token
 * rides on every request, so plain http is refused unless it stays on this host or `insecure`
 * says the operator accepts it; a URL carrying credentials or a query is refused outright.
 */
export function checkServerUrl(text: string, insecure: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'ROLLCALL_URL: not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `ROLLCALL_URL: ${url.protocol} is not http or https` };
  if (url.username || url.password) return { ok: false, reason: 'ROLLCALL_URL: put no credentials in the URL; the token goes in ROLLCALL_TOKEN' };
  if (url.search || url.hash) return { ok: false, reason: 'ROLLCALL_URL: the server address only, without a query or fragment' };
  if (url.protocol === 'http:' && !insecure && !isLoopback(url.hostname)) {
    return { ok: false, reason: `ROLLCALL_URL: plain http to ${url.hostname} would send the admin token unencrypted; use https, or set ROLLCALL_INSECURE=true` };
  }
  // A base given as https://host/rollcall/ or https://host/admin/v1 both mean the same server.
  const path = url.pathname.replace(/\/+$/, '').replace(/\/admin\/v1$/, '');
  return { ok: true, base: `${url.origin}${path}` };
}
