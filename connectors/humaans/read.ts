import type { HttpClient } from '../http/client.js';
import { HttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { listPageSchema } from './schema.js';

export interface ListPage {
  records: unknown[];
  last: boolean;
}

/**
 * Humaans' Feathers paging: `$limit` and `$skip`, each answer `{total, limit, skip, data}`.
 * The list ends when `skip + data.length >= total`; without a `total` (?), on a page shorter
 * than the limit the server says it applied (or the one asked for). The next `$skip` moves on
 * by what was received, so a server that caps `$limit` lower than asked still reads everyone.
 */
export async function* feathersPages(
  http: HttpClient,
  path: string,
  what: string,
  opts: { pageSize: number; query?: Record<string, string>; signal?: AbortSignal },
): AsyncGenerator<ListPage> {
  let skip = 0;
  for (;;) {
    const json = await http.requestJson({
      path,
      query: { ...opts.query, $limit: opts.pageSize, $skip: skip },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const page = parseWith(listPageSchema, json, `${what} page`);
    const got = page.data.length;
    const total = page.total ?? undefined;
    if (total !== undefined && got === 0 && skip < total) {
      // Rows vanished while paging: reading on would silently drop people from a snapshot.
      throw new HttpError({ kind: 'invalid_response', message: `${what}: Humaans sent an empty page at $skip=${skip} of ${total}`, retryable: true });
    }
    const limit = page.limit && page.limit > 0 ? Math.min(page.limit, opts.pageSize) : opts.pageSize;
    const last = got === 0 || (total !== undefined ? skip + got >= total : got < limit);
    yield { records: page.data, last };
    if (last) return;
    skip += got;
  }
}
