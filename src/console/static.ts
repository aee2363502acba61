import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import { consoleCss, consoleJs } from './assets.js';

const require = createRequire(import.meta.url);

/**
 * The console's scripts and styles, read once at start and served from this origin with long
 * caching (their URLs carry a version): htmx from its npm package, never a CDN, so the console
 * works with no internet access.
 */
export function staticAssets(version: string) {
  const files: Record<string, { body: string; type: string }> = {
    'htmx.min.js': { body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8'), type: 'text/javascript; charset=utf-8' },
    'console.js': { body: consoleJs, type: 'text/javascript; charset=utf-8' },
    'console.css': { body: consoleCss, type: 'text/css; charset=utf-8' },
  };
  const router = new Hono();
  router.get(`/${version}/:name`, (c) => {
    const file = files[c.req.param('name')];
    if (!file) return c.text('Not found', 404);
    return c.body(file.body, 200, { 'content-type': file.type, 'cache-control': 'public, max-age=31536000, immutable' });
  });
  return router;
}
