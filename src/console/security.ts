import type { MiddlewareHandler } from 'hono';

/**
 * Strict CSP: scripts and styles only from this origin (htmx and the console's script are served
 * here), no inline script or style attribute, no plugins, no framing, forms post only here.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const h = c.res.headers;
  const set = (name: string, value: string) => {
    try {
      h.set(name, value);
    } catch {
      c.header(name, value);
    }
  };
  set('content-security-policy', CONSOLE_CSP);
  set('x-frame-options', 'DENY');
  set('x-content-type-options', 'nosniff');
  // Link secrets travel in query strings: never in a Referer to another site.
  set('referrer-policy', 'no-referrer');
  if ((h.get('content-type') ?? '').startsWith('text/html')) set('cache-control', 'no-store');
};
