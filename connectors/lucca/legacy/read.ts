import type { EmployeePage, RecordError, ValidationResult } from '../../contract.js';
import type { HttpClient } from '../../http/client.js';
import { topLevelKeys } from '../../raw-fields.js';
import { parseWith } from '../../http/json.js';
import { resolveManagers, type Unresolved } from '../../managers.js';
import { luccaFailure } from '../errors.js';
import { mapLegacyUser } from './map.js';
import { legacyEssentialFields, legacyFields, legacyListSchema, legacyVitalFields, type LegacyFieldSet } from './schema.js';
import { isHttpError } from '../../http/errors.js';

export interface LegacyReadOptions {
  http: HttpClient;
  today: string;
  costCenterAxisIds: readonly number[];
  /** Users per page: the API's default and maximum is 1000. */
  limit: number;
  updatedSince?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Shared by validation and every run of one connector: learnt once, kept. */
  fieldSet: LegacyFieldSet;
  /** Raw paths a mapping reads: their first segments are asked for too (custom fields: `extendedData`). */
  rawFields?: readonly string[] | undefined;
}

const usersPath = '/api/v3/users';

/**
 * Legacy timestamps carry no zone, and the docs do not say which one the `modifiedAt` filter
 * reads. Asking from 14 hours earlier (the widest UTC offset) can only bring a few more people,
 * never miss one.
 */
const zoneMarginMs = 14 * 3600_000;

export function legacySince(updatedSince: string): string {
  return new Date(Date.parse(updatedSince) - zoneMarginMs).toISOString().slice(0, 19);
}

/**
 * Every user, former employees included (`formerEmployees=true`; the documented alternatives
 * `dtContractEnd=notequal,null` and `until,<today>,null` each miss someone). No total is given:
 * a page shorter than asked for is the last.
 */
export async function* listLegacy(opts: LegacyReadOptions): AsyncGenerator<EmployeePage> {
  const complete = opts.updatedSince === undefined;
  const seen = new Set<string>();
  const warned = new Set<string>();
  let sawFormer = false;
  for (let offset = 0; ; offset += opts.limit) {
    const items = await fetchPage(opts, offset, opts.limit);
    const mapped: Unresolved[] = [];
    const errors: RecordError[] = [];
    for (const raw of items) {
      unwrapExtendedData(raw);
      const result = mapLegacyUser(raw, { today: opts.today, costCenterAxisIds: opts.costCenterAxisIds });
      if (!('employee' in result)) errors.push(result);
      else if (seen.has(result.employee.remoteId)) {
        // Offset paging over a list that changed mid-run repeats someone: the first copy stands.
        errors.push({ remoteId: result.employee.remoteId, code: 'duplicate_record', reason: 'user appears twice in the list', dropped: true });
      } else {
        seen.add(result.employee.remoteId);
        mapped.push(result);
        if (result.employee.status === 'inactive') sawFormer = true;
      }
    }
    // Managers are named by user id, which is trusted as is; this only catches self-management.
    const resolved = resolveManagers(mapped);
    const last = items.length < opts.limit;
    const warnings = hiddenWarnings(items, warned);
    if (last && complete && seen.size >= 20 && !sawFormer) {
      warnings.push('Lucca returned no former employees: the API key\'s role may not see them ("See former employees"), so leavers would look deleted rather than terminated.');
    }
    yield { employees: resolved.employees, errors: [...errors, ...resolved.errors], complete, ...(warnings.length ? { warnings } : {}) };
    if (last) return;
  }
}

/** One user with every field: proves the key, its role's access to users, and which fields the role shows. */
export async function validateLegacy(opts: Pick<LegacyReadOptions, 'http' | 'costCenterAxisIds' | 'signal' | 'fieldSet'>): Promise<ValidationResult> {
  let items: unknown[];
  try {
    items = await fetchPage({ ...opts, limit: 1 }, 0, 1);
  } catch (err) {
    return luccaFailure.from(err, 'API key');
  }
  const records = objects(items);
  if (records.length === 0) return { ok: true, warnings: ['Lucca returned no users for this API key: its role may not see anyone.'] };
  const vital = legacyVitalFields.filter((f) => records.every((r) => !(f in r)));
  if (vital.length) return luccaFailure.vital(vital, 'API key');
  const hidden = legacyEssentialFields.filter((f) => records.every((r) => !(f in r)));
  return { ok: true, warnings: hidden.length ? [luccaFailure.hiddenWarning(hidden)] : [] };
}

async function fetchPage(opts: Omit<LegacyReadOptions, 'today'>, offset: number, limit: number): Promise<unknown[]> {
  try {
    return await fetchPageOnce(opts, offset, limit);
  } catch (err) {
    // An account without establishments may refuse the field (400): ask again without it, once.
    if (!opts.fieldSet.establishment || !isHttpError(err) || err.status !== 400 || !/establishment/i.test(err.detail ?? '')) throw err;
    opts.fieldSet.establishment = false;
    return fetchPageOnce(opts, offset, limit);
  }
}

async function fetchPageOnce(opts: Omit<LegacyReadOptions, 'today'>, offset: number, limit: number): Promise<unknown[]> {
  const json = await opts.http.requestJson({
    path: usersPath,
    query: {
      fields: withRawFields(legacyFields(opts.costCenterAxisIds, opts.fieldSet.establishment), opts.rawFields),
      formerEmployees: 'true',
      paging: `${offset},${limit}`,
      ...(opts.updatedSince ? { modifiedAt: `since,${legacySince(opts.updatedSince)}` } : {}),
    },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return parseWith(legacyListSchema, json, 'Lucca users page');
}

/**
 * Custom fields (`e_…`) come back only when `fields` names `extendedData`; other raw paths a
 * mapping reads are named by their first segment the same way.
 */
function withRawFields(fields: string, rawFields: readonly string[] | undefined): string {
  const named = new Set(fields.split(',').map((f) => f.replace(/\[.*$/, '')));
  const extra = topLevelKeys(rawFields).filter((k) => !named.has(k));
  return extra.length ? `${fields},${extra.join(',')}` : fields;
}

/**
 * `extendedData` values are shown both bare and wrapped as `{"value": …}` (?): keep the bare
 * value, so `extendedData.e_badge` is the value itself whichever the account sends.
 */
export function unwrapExtendedData(user: unknown): void {
  if (typeof user !== 'object' || user === null) return;
  const data = (user as { extendedData?: unknown }).extendedData;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return;
  const fields = data as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'value' in value) fields[key] = (value as { value: unknown }).value;
  }
}

function objects(items: readonly unknown[]): Array<Record<string, unknown>> {
  return items.filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null && !Array.isArray(i));
}

/** Fields absent from every user on a page (the key's role hides them), each named once per run. */
function hiddenWarnings(items: readonly unknown[], warned: Set<string>): string[] {
  const records = objects(items);
  if (records.length === 0) return [];
  const hidden = [...legacyVitalFields, ...legacyEssentialFields].filter((f) => !warned.has(f) && records.every((r) => !(f in r)));
  hidden.forEach((f) => warned.add(f));
  return hidden.length ? [luccaFailure.hiddenWarning(hidden)] : [];
}
