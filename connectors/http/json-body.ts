import { channel } from 'node:diagnostics_channel';
import { JSONParser } from '@streamparser/json';
import { notJson, parseJson } from './json.js';

/**
 * The time each chunk of a streamed body took to parse (`{ ms }`). The parse runs while the body
 * is still arriving, so whoever times requests from their start to their last byte (the sync
 * bench's HR wait) would count it as waiting on the HR system; this is what to take back out.
 * Nothing is timed while no one listens.
 */
export const bodyParseChannel = channel('rollcall:hr-body-parse');

/** Runs one chunk's parse, timed on `bodyParseChannel` when anyone listens. */
export function timedBodyParse(parse: () => void): void {
  if (!bodyParseChannel.hasSubscribers) return parse();
  const started = performance.now();
  parse();
  bodyParseChannel.publish({ ms: performance.now() - started });
}

/** What a body looks like to a reader: its bytes as they arrive. */
export type BodyChunks = AsyncIterable<Uint8Array>;

/**
 * Bodies up to this size are read whole and given to `JSON.parse`, which is several times
 * faster than parsing as the bytes arrive; only larger ones are worth the slower parser for the
 * memory it saves. 8 MB is a HiBob search of about 7,000 people.
 */
export const PARSE_WHOLE_BELOW_BYTES = 8 * 2 ** 20;

/**
 * `parseJson` for a body read as it arrives, for responses that carry a whole company in one
 * document (HiBob's search, a Workday report). Read whole, such a body exists three times at
 * once: the bytes, the text decoded from them (two bytes a character as soon as one name has an
 * accent: a 58 MB search became 115 MB of text) and the objects parsed from that. Past
 * `wholeBelowBytes` only the objects grow; the bytes go as they are parsed. Same outcome as
 * `JSON.parse`: exactly one JSON value, or a non-retryable `invalid_response` quoting how the
 * body starts.
 */
export async function parseJsonBody(body: BodyChunks, url?: string, wholeBelowBytes = PARSE_WHOLE_BELOW_BYTES): Promise<unknown> {
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let streamed: ReturnType<typeof streamingParser> | undefined;
  for await (const chunk of body) {
    if (!streamed) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes < wholeBelowBytes) continue;
      streamed = streamingParser();
      for (const early of held) streamed.write(early);
      held = [];
    } else streamed.write(chunk);
    // Leaving the loop cancels the rest of the body: nothing more is worth reading.
    if (streamed.failed()) break;
  }
  if (!streamed) return parseJson(Buffer.concat(held).toString('utf8'), url);
  return streamed.result(url);
}

function streamingParser() {
  // `separator: ''` reads values one after another, so a second value (or trailing garbage) is
  // seen and refused rather than ignored after the first.
  const parser = new JSONParser({ paths: ['$'], separator: '' });
  const values: unknown[] = [];
  let failure: Error | undefined;
  let head = '';
  parser.onValue = ({ value }) => void values.push(value);
  parser.onError = (error) => void (failure ??= error);
  return {
    write(chunk: Uint8Array) {
      if (head.length < 40) head += Buffer.from(chunk.subarray(0, 40)).toString('utf8');
      timedBodyParse(() => parser.write(chunk));
    },
    failed: () => failure !== undefined || values.length > 1,
    result(url: string | undefined): unknown {
      if (!failure && values.length <= 1) parser.end();
      if (failure || values.length !== 1) throw notJson(head, url, failure ?? new Error(values.length === 0 ? 'empty body' : 'more than one JSON value'));
      return values[0];
    },
  };
}
