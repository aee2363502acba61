import { parseJson } from '../http/json.js';

/**
 * Factorial ids may exceed 2^53 (documented for the string ids of 2026-07-01). A JSON number
 * that large silently loses digits in `JSON.parse`, and a manager id off by one links the wrong
 * person, so any id written as a bare integer of 16 or more digits (`"id": …`, `"…_id": …`, and
 * the items of `"…_ids": […]`) is quoted before parsing. Smaller numbers are exact and left alone.
 */
const bigIdField = /("(?:id|[a-z_]+_id)"\s*:\s*)(-?\d{16,})(?=\s*[,}\]])/g;
const idList = /("[a-z_]+_ids"\s*:\s*\[)([^\]]*)\]/g;
const bigNumber = /(^|[\s,])(-?\d{16,})(?=\s*(?:,|$))/g;

export function quoteBigIds(text: string): string {
  if (!/\d{16}/.test(text)) return text;
  return text.replace(bigIdField, '$1"$2"').replace(idList, (_m, head: string, items: string) => `${head}${items.replace(bigNumber, '$1"$2"')}]`);
}

/** `parseJson` for Factorial bodies, ids kept exact. */
export function parseFactorialJson(text: string, url?: string): unknown {
  return parseJson(quoteBigIds(text), url);
}
