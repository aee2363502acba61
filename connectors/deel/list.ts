import type { EmployeePage, RecordError } from '../contract.js';
import type { HttpClient } from '../http/client.js';
import { HttpError, isHttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { hiddenWarning } from './errors.js';
import { mapDeelPerson } from './map.js';
import { createManagerResolver } from './managers.js';
import { peoplePageSchema, statusFields, watchedFields } from './schema.js';

export interface ListOptions {
  http: HttpClient;
  today: string;
  /** 1–200; a server that refuses more than 100 is asked again with 100. */
  pageSize: number;
  signal?: AbortSignal | undefined;
}

/** The older guide's ceiling for `limit`. */
const legacyMaxLimit = 100;

/**
 * Every person, by offset. Deel's pages are not to be trusted for the end: a page may be short
 * without being the last and `total_rows` may overstate, so the offset advances by what was
 * received and only an empty page ends the read.
 *
 * Whether leavers are listed without a filter is unclear (samples include `inactive`): when a
 * full read shows nobody inactive, a second read asks for `hiring_statuses[]=inactive`, so
 * leavers arrive as leavers (with their last day) rather than as disappearances.
 */
export async function* listPeople(opts: ListOptions): AsyncGenerator<EmployeePage> {
  const resolver = createManagerResolver();
  const seen = new Set<string>();
  const warned = new Set<string>();
  const state = { limit: opts.pageSize, yielded: false, inactive: 0 };

  for (const pass of ['all', 'inactive'] as const) {
    if (pass === 'inactive' && state.inactive > 0) break;
    let offset = 0;
    let total: number | null | undefined;
    const inPass = new Set<string>();
    for (;;) {
      const page = await readPage(opts, state, offset, pass);
      if (page.data.length === 0) break;
      // Only two counts that disagree prove a change; a page without one proves nothing.
      if (typeof total === 'number' && typeof page.total === 'number' && page.total !== total) throw changedDuringRun(`total_rows went from ${total} to ${page.total}`);
      total ??= page.total;

      const errors: RecordError[] = [];
      const employees = [];
      let [withId, fresh] = [0, 0];
      for (const raw of page.data) {
        const rawId = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
        if (typeof rawId === 'string' || typeof rawId === 'number') {
          withId++;
          if (!inPass.has(String(rawId))) fresh++;
          inPass.add(String(rawId));
        }
        const mapped = mapDeelPerson(raw, opts.today);
        if (!('employee' in mapped)) {
          errors.push(mapped);
          continue;
        }
        const id = mapped.employee.remoteId;
        if (seen.has(id)) {
          // The leavers' read repeats people already seen in a listing that had none inactive: not an error.
          if (pass === 'all') errors.push({ remoteId: id, code: 'duplicate_record', reason: 'person id appears twice in the list', dropped: true });
          continue;
        }
        seen.add(id);
        // Deel's own word, not the date rules: an offboarding person past their last day proves nothing about the listing.
        if (String(mapped.employee.raw.hiring_status ?? '').toLowerCase() === 'inactive') state.inactive++;
        const settled = resolver.add(mapped);
        if (settled) {
          employees.push(settled.employee);
          if (settled.error) errors.push(settled.error);
        }
      }
      // A server that ignores `offset` would hand us the first page forever.
      if (withId > 0 && fresh === 0) throw changedDuringRun(`the page at offset ${offset} repeats people already read`);
      const warnings = pageWarnings(page.data, warned);
      offset += page.data.length;
      state.yielded = true;
      yield { employees, errors, complete: true, ...(warnings.length ? { warnings } : {}) };
    }
  }
  const rest = resolver.finish();
  if (rest.employees.length || rest.errors.length || !state.yielded) yield { employees: rest.employees, errors: rest.errors, complete: true };
}

async function readPage(opts: ListOptions, state: { limit: number }, offset: number, pass: 'all' | 'inactive') {
  // Array parameters repeat the key, which the client's query map cannot express.
  const path = pass === 'inactive' ? '/people?hiring_statuses[]=inactive' : '/people';
  const query = { offset, limit: state.limit, sort_by: 'id', sort_order: 'asc' };
  const sig = opts.signal ? { signal: opts.signal } : {};
  let json: unknown;
  try {
    json = await opts.http.requestJson({ path, query, ...sig });
  } catch (err) {
    if (!(isHttpError(err) && err.status === 400 && state.limit > legacyMaxLimit)) throw err;
    state.limit = legacyMaxLimit;
    json = await opts.http.requestJson({ path, query: { ...query, limit: state.limit }, ...sig });
  }
  const page = parseWith(peoplePageSchema, json, 'Deel people page');
  return { data: page.data, total: page.page?.total_rows ?? null };
}

/**
 * Offset paging over a list that changed mid-read can skip someone, and a skipped person would
 * be archived as gone: the run fails, retryably, instead of passing for a snapshot.
 */
function changedDuringRun(reason: string): HttpError {
  return new HttpError({ kind: 'invalid_response', retryable: true, message: `Deel's people list changed during the run (${reason}); retry the run` });
}

function pageWarnings(raw: readonly unknown[], warned: Set<string>): string[] {
  const records = raw.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
  if (records.length === 0) return [];
  const absent = (field: string) => records.every((r) => r[field] === undefined);
  const missing = [...watchedFields.filter(absent), ...(statusFields.every(absent) ? ['hiring_status'] : [])].filter((f) => !warned.has(f));
  missing.forEach((f) => warned.add(f));
  return missing.length ? [hiddenWarning(missing)] : [];
}
