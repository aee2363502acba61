import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono, type Context } from 'hono';
import { DomainError } from '../../scim/errors.js';

const require = createRequire(import.meta.url);
const distDir = dirname(require.resolve('swagger-ui-dist/package.json'));
/** Asset URLs carry the package version, so they can be cached for good and change on upgrade. */
const version = (JSON.parse(readFileSync(join(distDir, 'package.json'), 'utf8')) as { version: string }).version;

/** Where the page reads the document from: the admin API's own, on this origin. */
const SPEC_URL = '/admin/v1/openapi.json';

/**
 * The page's own policy, scoped to /admin/docs: the console's (scripts, styles, fetches only from
 * this origin; no inline script or style element; no framing), with images also from `data:`
 * for the reference's icons. The spec and "Try it out" requests go to this origin only.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Runs in the browser (served as a file: the policy allows no inline script). */
const initializer = `// Rollcall admin API reference: Swagger UI from the swagger-ui-dist package, served by this server.
window.addEventListener('DOMContentLoaded', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(SPEC_URL)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    displayOperationId: true,
    // No call to the public validator service: nothing leaves this origin.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Rollcall admin API reference</title>
    <link rel="stylesheet" href="/admin/docs/${version}/swagger-ui.css">
    <link rel="icon" type="image/png" href="/admin/docs/${version}/favicon-32x32.png">
  </head>
  <body>
    <main id="swagger-ui"><p>Loading the API reference (it needs JavaScript); the document itself is <a href="${SPEC_URL}">${SPEC_URL}</a>.</p></main>
    <script src="/admin/docs/${version}/swagger-ui-bundle.js"></script>
    <script src="/admin/docs/${version}/init.js"></script>
  </body>
</html>
`;

type Asset = { type: string; body: () => string | Uint8Array };
const fromPackage = (file: string, type: string): Asset => {
  let cached: Buffer | undefined;
  // Read on first request: most processes never serve the reference, and the bundle is 2 MB.
  return { type, body: () => (cached ??= readFileSync(join(distDir, file))) };
};
const ASSETS: Record<string, Asset> = {
  'swagger-ui.css': fromPackage('swagger-ui.css', 'text/css; charset=utf-8'),
  'swagger-ui-bundle.js': fromPackage('swagger-ui-bundle.js', 'text/javascript; charset=utf-8'),
  'favicon-32x32.png': fromPackage('favicon-32x32.png', 'image/png'),
  'init.js': { type: 'text/javascript; charset=utf-8', body: () => initializer },
};

function withPolicy(c: Context, body: string | Uint8Array, type: string, cache: string): Response {
  return c.body(body as string, 200, {
    'content-type': type,
    'cache-control': cache,
    'content-security-policy': DOCS_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
}

/**
 * The admin API reference at /admin/docs: Swagger UI from its npm package, served from this origin
 * with no CDN, so it works without internet access. No sign-in: the page and the document hold no
 * tenant data; calls made from it ("Try it out") need an admin JWT like any other.
 */
export function apiReference(): Hono {
  const router = new Hono({ strict: false });
  router.get('/', (c) => withPolicy(c, page, 'text/html; charset=utf-8', 'no-cache'));
  router.get(`/${version}/:name`, (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (!asset) throw new DomainError('not_found', `No such file ${c.req.path}`);
    return withPolicy(c, asset.body(), asset.type, 'public, max-age=31536000, immutable');
  });
  return router;
}
