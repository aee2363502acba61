import type { HttpClient } from '../http/client.js';
import { HttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { parseFactorialJson } from './ids.js';
import { pageSchema } from './schema.js';

export interface ListRequest {
  http: HttpClient;
  /** e.g. `/api/2026-07-01/resources/employees/employees`, optionally with a query of repeated keys. */
  path: string;
  query?: Record<string, string>;
  paging: 'cursor' | 'page';
  limit: number;
  what: string;
  signal?: AbortSignal | undefined;
}

/** One GET, parsed with ids kept exact (ids.ts). */
export async function getJson(http: HttpClient, path: string, query: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
  const res = await http.request({ path, query, headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
  return parseFactorialJson(res.text, res.url);
}

/**
 * Every page of a list. Cursor paging sends the previous page's `meta.end_cursor` as
 * `after_id` (the last item's id when a version sends no cursor); page paging counts `page`
 * from 1. The last page says `has_next_page: false`; without `meta`, a short page is the last.
 * A cursor or page that does not move would loop for ever, so it fails the run instead.
 */
export async function* listPages(req: ListRequest): AsyncGenerator<unknown[]> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    const position: Record<string, string> = req.paging === 'page' ? { page: String(page) } : cursor === undefined ? {} : { after_id: cursor };
    const json = await getJson(req.http, req.path, { ...req.query, limit: String(req.limit), ...position }, req.signal);
    const { data, meta } = parseWith(pageSchema, json, req.what);
    yield data;
    const more = meta?.has_next_page ?? data.length >= req.limit;
    if (!more) return;
    if (data.length === 0) throw stuck(req.what, `an empty page ${page} says more follow`);
    if (req.paging === 'cursor') {
      const next = meta?.end_cursor ?? lastId(data);
      if (!next) throw stuck(req.what, 'a page says more follow but gives no cursor');
      if (seen.has(next)) throw stuck(req.what, `cursor ${next} came back twice`);
      seen.add(next);
      cursor = next;
    }
  }
}

/** Every item of a small list (teams, locations). */
export async function listAll(req: ListRequest): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const data of listPages(req)) items.push(...data);
  return items;
}

/** `key[]=a&key[]=b`, as Factorial's array filters are written. */
export function withArrayQuery(path: string, key: string, values: readonly string[]): string {
  const params = new URLSearchParams();
  for (const v of values) params.append(`${key}[]`, v);
  return `${path}?${params.toString()}`;
}

function lastId(data: readonly unknown[]): string | undefined {
  const last = data[data.length - 1] as { id?: unknown } | undefined;
  return typeof last?.id === 'string' || typeof last?.id === 'number' ? String(last.id) : undefined;
}

function stuck(what: string, reason: string): HttpError {
  return new HttpError({ kind: 'invalid_response', retryable: false, message: `${what}: paging does not advance (${reason})` });
}
