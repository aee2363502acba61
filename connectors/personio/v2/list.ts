import type { EmployeePage, RecordError } from '../../contract.js';
import type { HttpClient } from '../../http/client.js';
import { HttpError, isHttpError } from '../../http/errors.js';
import { parseWith } from '../../http/json.js';
import { resolveManagers, type Unresolved } from '../../managers.js';
import { attributeMatches } from '../schema.js';
import { currentEmployment, mapV2Person, orgUnitIds, parsePerson } from './map.js';
import type { OrgUnitNames } from './org-units.js';
import { mapPool } from '../../http/pool.js';
import { v2EmploymentFields, v2ListSchema, v2PersonFields, type V2Employment, type V2Person } from './schema.js';

export interface V2ListOptions {
  http: HttpClient;
  orgUnits: OrgUnitNames;
  today: string;
  bank: ReadonlyArray<['iban' | 'bic' | 'holder', string]>;
  /** Custom attributes a mapping reads (`raw.customFields.<id>`). */
  customFields?: readonly string[] | undefined;
  /** 1–50 persons per page. */
  limit: number;
  /** Employment requests in flight at once; each still waits for the client's rate budget. */
  concurrency: number;
  /** `updated_at.gt`: only persons changed since then, so absence proves nothing. */
  updatedSince?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * `GET /v2/persons` following `_meta.links.next` until it is absent; for each page, every
 * person's employments (`GET /v2/persons/{id}/employments`), with bounded concurrency.
 * Cursor paging does not shift under concurrent edits the way v1 offsets do.
 */
export async function* listV2(opts: V2ListOptions): AsyncGenerator<EmployeePage> {
  const complete = opts.updatedSince === undefined;
  const seen = new Set<string>();
  const warned = new Set<string>();
  let query: Record<string, string> | undefined = { limit: String(opts.limit), ...(complete ? {} : { 'updated_at.gt': opts.updatedSince! }) };
  while (query) {
    const json = await opts.http.requestJson({ path: '/v2/persons', query, ...(opts.signal ? { signal: opts.signal } : {}) });
    const page = parseWith(v2ListSchema, json, 'Personio persons page');
    const errors: RecordError[] = [];
    const persons: V2Person[] = [];
    for (const raw of page._data) {
      const person = parsePerson(raw);
      if (!('id' in person)) errors.push(person);
      else if (seen.has(person.id)) errors.push({ remoteId: person.id, code: 'duplicate_record', reason: 'person id appears twice in the list', dropped: true });
      else {
        seen.add(person.id);
        persons.push(person);
      }
    }

    const employments = await mapPool(persons, opts.concurrency, (p, signal) => fetchEmployments(opts.http, p.id, signal), opts.signal);
    const current = employments.map((list) => (list === 'gone' ? null : currentEmployment(list)));
    await opts.orgUnits.load(orgUnitIds(current), opts.concurrency, opts.signal);

    const items: Unresolved[] = [];
    persons.forEach((person, i) => {
      // Deleted between the list and its employments: gone from Personio, so not in the snapshot.
      if (employments[i] === 'gone') errors.push({ remoteId: person.id, code: 'invalid_record', reason: 'person was deleted during the run', dropped: true });
      else items.push(mapV2Person(person, current[i] ?? null, { ...opts, orgUnitName: (unit) => opts.orgUnits.name(unit) }));
    });
    const resolved = resolveManagers(items);
    const warnings = pageWarnings(page._data, current, opts, warned);
    yield { employees: resolved.employees, errors: [...errors, ...resolved.errors], complete, ...(warnings.length ? { warnings } : {}) };
    query = nextQuery(page._meta?.links?.next?.href, query);
  }
}

async function fetchEmployments(http: HttpClient, personId: string, signal: AbortSignal): Promise<unknown[] | 'gone'> {
  try {
    const json = await http.requestJson({ path: `/v2/persons/${encodeURIComponent(personId)}/employments`, signal });
    return parseWith(v2ListSchema, json, 'Personio employments')._data;
  } catch (err) {
    if (isHttpError(err) && err.kind === 'not_found') return 'gone';
    throw err;
  }
}

/**
 * The next page's query from `_meta.links.next.href`. Only its query string is used: the
 * href names Personio's public host, which is not ours behind a proxy or in a sandbox.
 */
export function nextQuery(href: string | null | undefined, current: Record<string, string>): Record<string, string> | undefined {
  if (!href) return undefined;
  const next = Object.fromEntries(new URL(href, 'http://personio.invalid').searchParams);
  if (JSON.stringify(next) === JSON.stringify(current)) {
    throw new HttpError({ kind: 'invalid_response', retryable: false, message: `Personio returned the same page link twice (${href})` });
  }
  return next;
}

function pageWarnings(raw: readonly unknown[], employments: ReadonlyArray<V2Employment | null>, opts: V2ListOptions, warned: Set<string>): string[] {
  const missing: string[] = [];
  if (raw.length > 0) missing.push(...v2PersonFields.filter((f) => !raw.some((p) => typeof p === 'object' && p !== null && f in p)));
  for (const [, name] of opts.bank) if (raw.length > 0 && !raw.some((p) => hasCustomAttribute(p, name))) missing.push(name);
  const withEmployment = employments.filter((e): e is V2Employment => e !== null);
  if (withEmployment.length > 0) missing.push(...v2EmploymentFields.filter((f) => !withEmployment.some((e) => f in e)).map((f) => `employment.${f}`));
  const fresh = missing.filter((m) => !warned.has(m));
  fresh.forEach((m) => warned.add(m));
  const out = fresh.length ? [`Personio did not return ${fresh.join(', ')}: the credential may not read ${fresh.length > 1 ? 'these fields' : 'this field'}.`] : [];
  const unnamed = [...opts.orgUnits.unnamed].filter(([key]) => !warned.has(`unit:${key}`));
  unnamed.forEach(([key]) => warned.add(`unit:${key}`));
  if (unnamed.length) {
    const units = unnamed.map(([key]) => key.replace(':', ' '));
    out.push(`Personio could not name ${units.join(', ')} (${unnamed[0]![1]}); the people in them keep the unit's id in place of its name.`);
  }
  return out;
}

function hasCustomAttribute(person: unknown, name: string): boolean {
  const attrs = (person as { custom_attributes?: unknown } | null)?.custom_attributes;
  if (!Array.isArray(attrs)) return false;
  return attrs.some((a: { id?: unknown; label?: unknown; global_id?: unknown } | null) =>
    typeof a?.id === 'string' && attributeMatches(name, { key: a.id, label: typeof a.label === 'string' ? a.label : null, universalId: typeof a.global_id === 'string' ? a.global_id : null }),
  );
}
