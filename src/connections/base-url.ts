import { hostAllowedBy } from '../../connectors/index.js';

/**
 * Where a connection may send its credentials. A tenant admin may point a connection at its
 * provider's own public hosts (each descriptor declares them, e.g. `*.bamboohr.com`) over https;
 * anything else (a sandbox, a proxy, a fake server) must be on the operator's allow-list,
 * HR_ALLOWED_BASE_URLS. Otherwise a tenant admin could have a stored HR key sent to any host.
 */
export interface BaseUrlRule {
  protocol: string;
  hostname: string;
  /** undefined: any port (`:*` in the setting). */
  port: string | undefined;
  /** Always ends in `/`; `/` alone matches every path. */
  pathPrefix: string;
}

const withSlash = (path: string) => (path.endsWith('/') ? path : `${path}/`);

/** Parses HR_ALLOWED_BASE_URLS entries (`https://hr-proxy.corp.example/personio`, `http://127.0.0.1:*`); throws naming a bad one. */
export function parseBaseUrlAllowance(entries: readonly string[]): BaseUrlRule[] {
  return entries.map((raw) => {
    const anyPort = /^[a-z]+:\/\/(\[[^\]]+\]|[^/:]+):\*(\/|$)/i.test(raw);
    const text = anyPort ? raw.replace(/:\*(?=\/|$)/, '') : raw;
    if (!URL.canParse(text)) throw new Error(`"${raw}" is not a URL (an origin or prefix such as https://hr-proxy.example/personio)`);
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${raw}" is not an http or https URL`);
    if (url.username || url.password || url.search || url.hash) throw new Error(`"${raw}" must be an origin or a path prefix, without credentials, query or fragment`);
    return { protocol: url.protocol, hostname: url.hostname, port: anyPort ? undefined : url.port, pathPrefix: withSlash(url.pathname) };
  });
}

/** Why `baseUrl` may not be used by a connection of a provider with these hosts, or undefined. */
export function baseUrlRefusal(baseUrl: string, providerHosts: readonly string[], allowance: readonly BaseUrlRule[]): string | undefined {
  if (!URL.canParse(baseUrl)) return 'it is not a URL';
  const url = new URL(baseUrl);
  if (url.username || url.password) return 'it must not contain credentials (user:password@)';
  if (url.search || url.hash) return 'it must not contain a query or fragment';
  const path = withSlash(url.pathname);
  const operatorAllowed = allowance.some(
    (rule) => rule.protocol === url.protocol && rule.hostname === url.hostname && (rule.port === undefined || rule.port === url.port) && path.startsWith(rule.pathPrefix),
  );
  if (operatorAllowed) return undefined;
  if (hostAllowedBy(providerHosts, url.hostname)) {
    // Credentials travel in headers: never in clear text, and only to the provider's standard port.
    return url.protocol === 'https:' && url.port === '' ? undefined : "the provider's own hosts are reached over https on the standard port";
  }
  return `its host ${url.hostname} is not one of the provider's (${providerHosts.join(', ')}); other base URLs must be allowed by the operator (HR_ALLOWED_BASE_URLS)`;
}
