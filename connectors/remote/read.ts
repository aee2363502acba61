import type { z } from 'zod';
import type { HttpClient } from '../http/client.js';
import { HttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { customFieldValuesPageSchema, employmentsPageSchema, offboardingsPageSchema } from './schema.js';

type PageSchema = typeof employmentsPageSchema | typeof offboardingsPageSchema | typeof customFieldValuesPageSchema;

export interface ListRequest<S extends PageSchema> {
  http: HttpClient;
  path: string;
  query?: Record<string, string>;
  schema: S;
  key: S extends typeof employmentsPageSchema ? 'employments' : S extends typeof offboardingsPageSchema ? 'offboardings' : 'custom_field_values';
  pageSize: number;
  what: string;
  signal?: AbortSignal | undefined;
}

/**
 * Every page of a Remote list: `page` counts from 1; the last page is the one whose
 * `current_page` equals `total_pages` (an empty list says `total_pages: 0`). A page that is not
 * the one asked for would loop for ever, so it fails the run instead.
 */
export async function* listPages<S extends PageSchema>(req: ListRequest<S>): AsyncGenerator<{ items: unknown[]; totalCount: number | null }> {
  for (let page = 1; ; page++) {
    const json = await req.http.requestJson({
      path: req.path,
      query: { ...req.query, page: String(page), page_size: String(req.pageSize) },
      ...(req.signal ? { signal: req.signal } : {}),
    });
    const { data } = parseWith(req.schema as z.ZodType<{ data: Record<string, unknown> & { current_page: number; total_pages: number; total_count?: number | null } }>, json, req.what);
    const items = data[req.key] as unknown[];
    if (data.current_page !== page && !(data.total_pages === 0 && page === 1)) {
      throw new HttpError({ kind: 'invalid_response', retryable: false, message: `${req.what}: asked for page ${page}, got page ${data.current_page}` });
    }
    yield { items, totalCount: data.total_count ?? null };
    if (data.current_page >= data.total_pages) return;
    if (items.length === 0) throw new HttpError({ kind: 'invalid_response', retryable: false, message: `${req.what}: empty page ${page} of ${data.total_pages}` });
  }
}

