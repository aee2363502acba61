import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodedBody } from '../../src/egress/decode-body.js';

/** Bodies as they may arrive in chunks: the coding must not depend on where the chunks split. */
const cases: Array<[string, string | undefined, Buffer[], string, boolean]> = [
  ['no coding', undefined, [Buffer.from('plain')], 'plain', false],
  ['gzip in two chunks', 'gzip', split(gzipSync('zipped body')), 'zipped body', true],
  ['x-gzip', 'x-gzip', [gzipSync('old name')], 'old name', true],
  ['zlib deflate in two chunks', 'deflate', split(deflateSync('zlib body')), 'zlib body', true],
  ['raw deflate', 'deflate', [deflateRawSync('raw body')], 'raw body', true],
  ['two codings, upper case', 'Deflate, GZIP', [gzipSync(deflateSync('both'))], 'both', true],
  ['an unknown coding leaves the body', 'gzip, x-custom', [Buffer.from('as sent')], 'as sent', false],
  ['identity is not a decoding', 'identity', [Buffer.from('same')], 'same', false],
];

function split(bytes: Buffer): Buffer[] {
  const half = Math.floor(bytes.length / 2);
  return [bytes.subarray(0, half), bytes.subarray(half)];
}

describe('decodedBody', () => {
  it.each(cases)('%s', async (_name, coding, chunks, expected, decoded) => {
    const out = decodedBody(Readable.from(chunks, { objectMode: false }), coding);
    expect(out.decoded).toBe(decoded);
    expect(await text(out.body)).toBe(expected);
  });

  it('bad compressed bytes end the body with an error', async () => {
    const out = decodedBody(Readable.from([Buffer.from('not gzip at all')]), 'gzip');
    await expect(text(out.body)).rejects.toThrow();
  });
});
