import { err, ok, type Result } from '../errors.js';
import { unstorable } from '../resource/storable.js';

export const MAX_FILTER_LENGTH = 4096;
export const MAX_FILTER_DEPTH = 32;

/** A comparison value exactly as written: quoted (decoded JSON string) or bare (`O`, `true`, `2015-10-10T…`). */
export interface RawValue {
  text: string;
  quoted: boolean;
}

/**
 * The filter with every attribute path replaced by `pN` and every comparison value by `"#N"`, so the
 * grammar library only sees structure: it never has to tokenise `$ref`, URNs, unquoted values
 * (Microsoft's validator sends `userName sw O`, `meta.Created gt 2015-10-10T14:38:21.86-07:00`) or
 * JSON escapes, which it mishandles (it treats `\u00e9` literally).
 */
export interface Prepared {
  text: string;
  paths: string[];
  values: RawValue[];
}

export const COMPARE_OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const TOKEN = /\s+|"(?:[^"\\]|\\.)*"|[()[\]]|[^\s"()[\]]+|"/y;

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * RFC 7159 string escapes, read left to right so `"a\\"` is `a\`; any other backslash
 * (`"DOMAIN\user"`) is kept as a literal backslash rather than rejected.
 */
export function decodeQuoted(token: string): string {
  return token
    .slice(1, -1)
    .replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])?/g, (_, escape: string | undefined) =>
      escape === undefined ? '\\' : escape.length === 5 ? String.fromCharCode(parseInt(escape.slice(1), 16)) : ESCAPES[escape]!,
    );
}

type State = 'operand' | 'afterPath' | 'value' | 'afterOperand';

export function prepareFilter(input: string): Result<Prepared> {
  if (input.length > MAX_FILTER_LENGTH) return err('invalid_filter', `Filter is longer than ${MAX_FILTER_LENGTH} characters`);
  const raw = unstorable(input);
  if (raw) return err('invalid_filter', `The filter ${raw}`);
  const out: string[] = [];
  const paths: string[] = [];
  const values: RawValue[] = [];
  const open: string[] = [];
  let state: State = 'operand';
  let last = '';
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < input.length) {
    const at = TOKEN.lastIndex;
    const token = TOKEN.exec(input)![0];
    if (/^\s/.test(token)) continue;
    if (token === '"') return err('invalid_filter', `Unterminated string at position ${at + 1}`);
    const word = token.toLowerCase();
    switch (state) {
      case 'operand':
        if (token === '(') {
          open.push('(');
          if (open.length > MAX_FILTER_DEPTH) return err('invalid_filter', `Filter nests deeper than ${MAX_FILTER_DEPTH} levels`);
          out.push('(');
        } else if (word === 'not') {
          out.push('not');
        } else if (/^[^"()[\]]/.test(token) && !COMPARE_OPS.has(word) && !['pr', 'and', 'or'].includes(word)) {
          paths.push(token);
          out.push(`p${paths.length - 1}`);
          state = 'afterPath';
        } else {
          return err('invalid_filter', `Expected an attribute name at position ${at + 1}, found "${token}"`);
        }
        break;
      case 'afterPath':
        if (token === '[') {
          if (open.includes('[')) return err('invalid_filter', 'Value filters cannot be nested');
          open.push('[');
          out.push('[');
          state = 'operand';
        } else if (COMPARE_OPS.has(word)) {
          out.push(word);
          state = 'value';
        } else if (word === 'pr') {
          out.push('pr');
          state = 'afterOperand';
        } else {
          return err('invalid_filter', `Unknown operator "${token}" after "${last}"`);
        }
        break;
      case 'value':
        if (/^[()[\]]$/.test(token)) return err('invalid_filter', `Missing comparison value after "${last}"`);
        if (token.startsWith('"')) {
          const text = decodeQuoted(token);
          // An escape can spell what the raw text may not (`\u0000`, a lone `\ud800`).
          const why = unstorable(text);
          if (why) return err('invalid_filter', `The value at position ${at + 1} ${why}`);
          values.push({ text, quoted: true });
        } else {
          values.push({ text: token, quoted: false });
        }
        out.push(`"#${values.length - 1}"`);
        state = 'afterOperand';
        break;
      case 'afterOperand':
        if (token === ')' || token === ']') {
          const expected = token === ')' ? '(' : '[';
          if (open.pop() !== expected) return err('invalid_filter', `Unbalanced "${token}" at position ${at + 1}`);
          // `emails[type eq "work"].value` is a PATCH path, not a filter (RFC 7644 §3.4.2.2 vs §3.5.2).
          if (token === ']' && input[TOKEN.lastIndex] === '.')
            return err('invalid_filter', 'A sub-attribute after a value filter is only valid in PATCH paths');
          out.push(token);
        } else if (word === 'and' || word === 'or') {
          out.push(word);
          state = 'operand';
        } else {
          return err('invalid_filter', `Expected "and", "or" or a closing bracket at position ${at + 1}, found "${token}"`);
        }
        break;
    }
    last = token;
  }
  if (state === 'value') return err('invalid_filter', `Missing comparison value after "${last}"`);
  if (state === 'afterPath') return err('invalid_filter', `Missing operator after "${last}"`);
  if (state === 'operand') return err('invalid_filter', out.length === 0 ? 'Empty filter' : `Filter ends after "${last}"`);
  if (open.length > 0) return err('invalid_filter', `Unbalanced "${open[open.length - 1]}"`);
  return ok({ text: out.join(' '), paths, values });
}
