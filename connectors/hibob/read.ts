import { cleanDate } from '../values.js';

/**
 * Reads a field by its path ("root.id", "work.department") from a search result, which may
 * carry it nested (`work: {department}`), flat (`"/work/department": {value}`), or both. Root
 * fields sit at the top level when nested. Undefined means the field is absent (not allowed
 * to be seen); null means present and empty.
 */
export function readField(record: Record<string, unknown>, path: string): unknown {
  const parts = path.split('.');
  const nestedParts = parts[0] === 'root' ? parts.slice(1) : parts;
  const nested = walk(record, nestedParts);
  if (nested !== undefined) return nested;
  for (const key of [`/${parts.join('/')}`, `/${nestedParts.join('/')}`]) {
    if (key in record) {
      const flat = record[key];
      return typeof flat === 'object' && flat !== null && 'value' in flat ? (flat as { value: unknown }).value : flat;
    }
  }
  return undefined;
}

/** `humanReadable: APPEND` keeps machine values in place and puts display names under `humanReadable`. */
export function readHuman(record: Record<string, unknown>, path: string): unknown {
  const human = record.humanReadable;
  if (typeof human === 'object' && human !== null) {
    const value = readField(human as Record<string, unknown>, path);
    if (value !== undefined) return value;
  }
  return readField(record, path);
}

/**
 * A list field's item id and display name. Under `APPEND` the machine value is the item id
 * and `humanReadable` its name; a name HiBob could not give (a deleted list item) is null, and
 * the id then stands in. Under `REPLACE` (older runs, fixtures) only the name is there.
 */
export function readListItem(record: Record<string, unknown>, path: string): { id: string | null; name: string | null; unnamed: boolean } {
  const human = record.humanReadable;
  const machine = readField(record, path);
  const id = typeof machine === 'string' || typeof machine === 'number' ? String(machine).trim() || null : null;
  if (typeof human !== 'object' || human === null) return { id: null, name: id, unnamed: false };
  const named = readField(human as Record<string, unknown>, path);
  const name = typeof named === 'string' && named.trim() !== '' ? named.trim() : null;
  return { id, name: name ?? id, unnamed: name === null && id !== null };
}

function walk(value: unknown, parts: readonly string[]): unknown {
  let current = value;
  for (const part of parts) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Human-readable dates follow the calling user's display format, not ISO. ISO and
 * day-first dotted dates are read; a slashed date only when it cannot be read two ways
 * (13/04/2022), because guessing 04/05 would move a start date by a month.
 */
export function hibobDate(value: unknown): string | null {
  const iso = cleanDate(value);
  if (iso !== null || typeof value !== 'string') return iso;
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value.trim());
  if (dotted) return cleanDate(ymd(dotted[3]!, dotted[2]!, dotted[1]!));
  const slashed = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
  if (!slashed) return null;
  const [a, b, y] = [Number(slashed[1]), Number(slashed[2]), slashed[3]!];
  if (a > 12 && b <= 12) return cleanDate(ymd(y, String(b), String(a)));
  if (b > 12 && a <= 12) return cleanDate(ymd(y, String(a), String(b)));
  if (a === b) return cleanDate(ymd(y, String(a), String(b)));
  return null;
}

function ymd(y: string, m: string, d: string): string {
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}
