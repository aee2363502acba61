import type { Context } from 'hono';
import { DomainError } from '../errors.js';
import { checkStrings, unstorable } from '../resource/storable.js';
import { urlParts } from './url-parts.js';

/**
 * Request bodies, read strictly, for every JSON API of the service (SCIM and admin alike).
 * The store is PostgreSQL, whose text cannot hold U+0000 and whose JSON cannot hold a lone
 * surrogate: such input must be refused here, at the edge, as the client's mistake (400), not
 * found out by the database as a 500 halfway through a transaction.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * RFC 9110 §8.4: a body in a content coding the server does not apply is 415. Rollcall applies
 * none (identity only): no identity provider compresses its requests, and inflating a body would
 * need a second size limit against decompression bombs.
 */
export function checkContentEncoding(c: Context): void {
  const coding = c.req.header('content-encoding');
  if (coding === undefined) return;
  const codings = coding.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (codings.every((s) => s === 'identity')) return;
  throw new DomainError('unsupported_media_type', `Content-Encoding ${coding.slice(0, 40)} is not supported; send the body uncompressed`, {
    acceptEncoding: 'identity',
  });
}

/** The body as text: invalid UTF-8 is 400, never silently replaced with U+FFFD. */
export async function readBodyText(c: Context): Promise<string> {
  checkContentEncoding(c);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  try {
    return utf8.decode(bytes);
  } catch {
    throw new DomainError('invalid_syntax', 'The request body is not valid UTF-8');
  }
}

/** Parses a JSON body strictly; `empty` is what an empty body means (undefined: an error). */
export async function readJsonBody(c: Context, empty?: unknown): Promise<unknown> {
  const text = await readBodyText(c);
  if (text.trim() === '') {
    if (empty !== undefined) return empty;
    throw new DomainError('invalid_syntax', 'The request body is empty');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The parser's message quotes the body, which may hold credentials: give the position only.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new DomainError('invalid_syntax', `The request body is not valid JSON${at ? ` (at position ${at})` : ''}`);
  }
  checkStrings(value);
  return value;
}

/**
 * The request target's path and query, decoded as the routes will read them: percent-escapes that
 * are not UTF-8, or that spell an unstorable character (`%00`), are a 400 before any route runs.
 */
export function checkRequestTarget(url: string): void {
  if (!url.includes('%')) return;
  const { pathname, search } = urlParts(url);
  const parts = [...pathname.split('/'), ...search.slice(1).split(/[&=]/)].map((part) => part.replace(/\+/g, ' '));
  for (const part of parts) {
    if (!part.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      throw new DomainError('invalid_syntax', 'The request URL has a percent-escape that is not valid UTF-8');
    }
    const why = unstorable(decoded);
    if (why) throw new DomainError('invalid_value', `The request URL ${why}`);
  }
}
