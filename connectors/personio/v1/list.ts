import type { EmployeePage, RecordError } from '../../contract.js';
import type { HttpClient } from '../../http/client.js';
import { parseWith } from '../../http/json.js';
import { resolveManagers, type Unresolved } from '../../managers.js';
import { inconsistentSnapshot } from '../errors.js';
import { mapV1Employee, type V1MapContext } from './map.js';
import { v1EmployeesResponseSchema, v1EssentialAttributes, type V1EmployeesResponse } from './schema.js';

export interface V1ListOptions extends V1MapContext {
  http: HttpClient;
  /** ≤ 100 (Personio's cap). */
  limit: number;
  /** Only employees changed since then: the run is incremental, not a snapshot. */
  updatedSince?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * `GET /v1/company/employees?limit&offset`, one yielded page per API page. The supervisor is an
 * employee id, so pages stream out without waiting for the whole company. Offset paging over a
 * list that changes mid-run can skip or repeat people; when that may have happened the run
 * fails (retryably) instead of passing off a partial list as a snapshot.
 *
 * Personio documents `offset` as the first item's index, but some accounts read it as a page
 * number (offset=100 is page 100: an empty page, or one far down the list). The second
 * response tells: its `current_page` is the offset we sent rather than offset ÷ limit, or it
 * is empty while `total_elements` says more remain. That response is discarded and the run
 * goes on asking for pages by number, counting from the first page's own `current_page`.
 */
export async function* listV1(opts: V1ListOptions): AsyncGenerator<EmployeePage> {
  const complete = opts.updatedSince === undefined;
  const seen = new Set<string>();
  const warned = new Set<string>();
  let firstTotal: number | undefined;
  let received = 0;
  let repeated = false;
  let pagesRead = 0;
  let firstPage = 0;
  let offsetIsPage = false;
  for (;;) {
    const offset = offsetIsPage ? firstPage + pagesRead : received;
    const json = await opts.http.requestJson({
      path: '/v1/company/employees',
      query: { limit: opts.limit, offset, updated_since: opts.updatedSince },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const page = parseWith(v1EmployeesResponseSchema, json, 'Personio employee list');
    const total = page.metadata?.total_elements ?? undefined;
    if (pagesRead === 0) firstPage = page.metadata?.current_page ?? 0;
    if (!offsetIsPage && pagesRead > 0 && readsOffsetAsPage(page, offset, opts.limit, received)) {
      offsetIsPage = true;
      continue;
    }
    firstTotal ??= total;
    received += page.data.length;

    const items: Unresolved[] = [];
    const errors: RecordError[] = [];
    for (const record of page.data) {
      const mapped = mapV1Employee(record, opts);
      if (!('employee' in mapped)) errors.push(mapped);
      else if (seen.has(mapped.employee.remoteId)) {
        repeated = true;
        errors.push({ remoteId: mapped.employee.remoteId, code: 'duplicate_record', reason: 'employee id appears twice in the list', dropped: true });
      } else {
        seen.add(mapped.employee.remoteId);
        items.push(mapped);
      }
    }
    // Ids are trusted as they are; this only catches people recorded as their own supervisor.
    const resolved = resolveManagers(items);
    const warnings = hiddenAttributeWarnings(page, opts, warned);
    // The 0-based page this response should be, when `current_page` can be checked against it.
    const expectedPage = offsetIsPage ? (firstPage === 0 ? pagesRead : undefined) : Math.floor((received - page.data.length) / Math.max(1, Math.min(opts.limit, page.limit ?? opts.limit)));
    const last = isLastPage(page, received, opts.limit, expectedPage);
    pagesRead++;
    if (last) {
      if (firstTotal !== undefined && total !== undefined && total !== firstTotal) throw inconsistentSnapshot(`${firstTotal} employees at the start, ${total} at the end`);
      if (repeated) throw inconsistentSnapshot('an employee appeared on two pages');
      if (total !== undefined && received < total) throw inconsistentSnapshot(`read ${received} of ${total} employees`);
    }
    yield {
      employees: resolved.employees,
      errors: [...errors, ...resolved.errors],
      complete,
      ...(warnings.length ? { warnings } : {}),
    };
    if (last) return;
  }
}

/** Did the account read our item offset as a page number? Only asked of the second request on. */
export function readsOffsetAsPage(page: V1EmployeesResponse, offset: number, limit: number, received: number): boolean {
  const meta = page.metadata;
  const asIndex = Math.floor(offset / Math.max(1, limit));
  if (meta?.current_page != null && offset !== asIndex) return meta.current_page === offset;
  return page.data.length === 0 && meta?.total_elements != null && received < meta.total_elements;
}

/**
 * The short page is the sure sign. `current_page` is 0-based, so `total_pages - 1` is the last
 * page — but only trusted when it agrees with the page we expect, so an account that counted
 * from 1 could never end the run a page early (which would archive everyone on the missing page).
 */
function isLastPage(page: V1EmployeesResponse, received: number, requested: number, expectedPage: number | undefined): boolean {
  const limit = Math.min(requested, page.limit ?? requested);
  if (page.data.length === 0 || page.data.length < limit) return true;
  const meta = page.metadata;
  if (meta?.total_elements != null && received >= meta.total_elements) return true;
  if (meta?.current_page != null && meta.total_pages != null && expectedPage !== undefined && meta.current_page === expectedPage) {
    return meta.current_page >= meta.total_pages - 1;
  }
  return false;
}

function hiddenAttributeWarnings(page: V1EmployeesResponse, opts: V1ListOptions, warned: Set<string>): string[] {
  const fresh = missingAttributes(page.data, opts.bank).filter((m) => !warned.has(m));
  fresh.forEach((m) => warned.add(m));
  return fresh.length ? [hiddenWarning(fresh)] : [];
}

/** Attributes absent from every record: ones the credential may not read (none for an empty page). */
export function missingAttributes(records: readonly unknown[], bank: V1ListOptions['bank']): string[] {
  if (records.length === 0) return [];
  const present = new Set<string>();
  const labels = new Set<string>();
  for (const record of records) {
    const attrs = (record as { attributes?: Record<string, { label?: unknown; universal_id?: unknown } | null> }).attributes ?? {};
    for (const [key, attr] of Object.entries(attrs)) {
      present.add(key);
      if (typeof attr?.label === 'string') labels.add(attr.label.toLowerCase());
      if (typeof attr?.universal_id === 'string') present.add(attr.universal_id);
    }
  }
  const missing: string[] = v1EssentialAttributes.filter((a) => !present.has(a));
  for (const [, name] of bank) if (!present.has(name) && !labels.has(name.toLowerCase())) missing.push(name);
  return missing;
}

export function hiddenWarning(attributes: readonly string[]): string {
  return `Personio did not return ${attributes.join(', ')}: the API credential may not read ${attributes.length > 1 ? 'these attributes' : 'this attribute'} (Settings › Integrations › API credentials › readable attributes).`;
}
