import { DomainError } from '../errors.js';

/**
 * What the store can hold: PostgreSQL text cannot contain U+0000 and its jsonb refuses a lone
 * surrogate, so such strings are the client's mistake (400) wherever they come in (a body, a PATCH
 * value, a filter), never a database error (500) found halfway through a transaction.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, or undefined when it can. */
export function unstorable(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains the character U+0000, which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains a lone surrogate (\\uD800-\\uDFFF without its pair), which is not a character';
  return undefined;
}

/** Every string of a parsed JSON value, keys included, must be storable; the first that is not is named in a 400. */
export function checkStrings(value: unknown, where = 'body'): void {
  if (typeof value === 'string') {
    const why = unstorable(value);
    if (why) throw new DomainError('invalid_value', `${where} ${why}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkStrings(v, `${where}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const why = unstorable(k);
      if (why) throw new DomainError('invalid_value', `A member name in ${where} ${why}`);
      checkStrings(v, `${where}.${k.slice(0, 64)}`);
    }
  }
}

