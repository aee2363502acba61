import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/**
 * A body as fetch decodes it: each content coding undone, last applied first (`gzip`, `x-gzip`,
 * `deflate` with or without its zlib header, `br`). A coding it does not know leaves the body as
 * it came. Truncated streams end where the data ends, as in fetch (sync flush).
 */
export function decodedBody(body: Readable, contentEncoding: string | undefined): { body: Readable; decoded: boolean } {
  if (!contentEncoding) return { body, decoded: false };
  const codings = contentEncoding.toLowerCase().split(',').map((c) => c.trim()).filter(Boolean).reverse();
  const decoders = codings.map(decoderFor);
  if (decoders.length === 0 || decoders.some((d) => d === undefined)) return { body, decoded: false };
  const streams = decoders as Transform[];
  // An error anywhere (the socket, an abort, bad compressed bytes) ends the last stream with it.
  pipeline([body, ...streams], () => {});
  return { body: streams[streams.length - 1]!, decoded: true };
}

const ZLIB_FLUSH = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
const BROTLI_FLUSH = { flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH };

function decoderFor(coding: string): Transform | undefined {
  if (coding === 'gzip' || coding === 'x-gzip') return createGunzip(ZLIB_FLUSH);
  if (coding === 'deflate') return new InflateEither();
  if (coding === 'br') return createBrotliDecompress(BROTLI_FLUSH);
  return undefined;
}

/** `deflate` is zlib-wrapped by the standard and raw from some servers: the first byte tells which. */
class InflateEither extends Transform {
  private inner: Transform | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.inner) {
      // A zlib header's first byte names the deflate method (8) in its low four bits.
      this.inner = (chunk[0]! & 0x0f) === 0x08 ? createInflate(ZLIB_FLUSH) : createInflateRaw(ZLIB_FLUSH);
      this.inner.on('data', (data: Buffer) => this.push(data));
      this.inner.on('error', (error) => this.destroy(error));
    }
    if (this.inner.write(chunk)) done();
    else this.inner.once('drain', () => done());
  }

  override _flush(done: TransformCallback): void {
    if (!this.inner) return done();
    this.inner.once('end', () => done());
    this.inner.end();
  }
}
