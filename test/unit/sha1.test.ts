import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1Base64url } from '../../scim/sha1.js';

describe('sha1Base64url', () => {
  // ETags stored by clients and snapshot digests stored in the database were made with a Hash
  // object: the one-shot form must give the same text, byte for byte, UTF-8 included.
  it.each(['', 'a', '0191a2b3-…:Zoë\n0191a2b4-…:Ops', '{"remoteId":"1","displayName":"Łukasz Żółć"}', 'x'.repeat(100_000), '😀'])('%#: as a Hash object gives it', (text) => {
    expect(sha1Base64url(text)).toBe(createHash('sha1').update(text).digest('base64url'));
  });
});
