import * as crypto from 'node:crypto';

/**
 * SHA-1 of a text, base64url: for digests that name a state (an ETag's groups, a snapshot record),
 * never for secrets. One-shot hashing (Node 20.12 and later) costs half of a Hash object; older
 * Node makes one.
 */
export const sha1Base64url: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha1', text, 'base64url')
    : (text) => crypto.createHash('sha1').update(text).digest('base64url');
