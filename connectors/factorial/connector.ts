import type { Connector, EmployeePage, EmployeesOptions, NamedRef, RecordError, ValidationResult } from '../contract.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { isHttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { resolveManagers, type Unresolved } from '../managers.js';
import { isoToday } from '../values.js';
import { createFactorialAuth } from './auth.js';
import { currentVersion, mapFactorialEmployee } from './map.js';
import { getJson, listAll, listPages, withArrayQuery } from './read.js';
import { readCustomFieldValues } from './custom-fields.js';
import { pathsUnder } from '../raw-fields.js';
import {
  contractVersionSchema,
  factorialCredentialsSchema,
  factorialDefaultBaseUrl,
  factorialSettingsSchema,
  locationSchema,
  pageSchema,
  teamSchema,
  type ContractVersion,
  type FactorialCredentials,
  type FactorialCredentialsInput,
  type FactorialSettings,
  type FactorialSettingsInput,
} from './schema.js';
import { createHiddenFieldTracker, describeFactorialFailure, factorialFailure } from './validate.js';

export type FactorialHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'onUnauthorized'>>;

export interface FactorialOptions {
  credentials: FactorialCredentialsInput;
  settings?: FactorialSettingsInput;
  /** Everything before `/api`; Factorial's public host by default. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** `requestsPerMinute`/`burst` set the API budget; the token endpoint has its own. */
  http?: FactorialHttpTuning;
  now?: () => Date;
}

export interface FactorialConnector extends Connector<FactorialCredentials> {
  readonly name: 'factorial';
  readonly settings: FactorialSettings;
  readonly stats: { readonly api: Readonly<HttpStats>; readonly auth: Readonly<HttpStats>; readonly tokensIssued: number };
}

/**
 * Factorial publishes limits only for writes (200 POST a minute on dated endpoints) and none
 * for reads, so reads keep under 300 a minute (290, in bursts of 10, leaves room for jitter
 * and for the budget's own rounding at the window's edge): a full read of 50,000 people
 * (about 1,000 requests) takes under four minutes, and a 429 says how long to wait.
 */
export const factorialReadsPerMinute = 290;
const readBurst = 10;
/** Token refreshes: one per two hours is the normal case; this only stops a refusal loop. */
const tokensPerMinute = 10;

export function createFactorial(options: FactorialOptions): FactorialConnector {
  const credentials = factorialCredentialsSchema.parse(options.credentials);
  const settings = factorialSettingsSchema.parse(options.settings ?? {});
  const now = options.now ?? (() => new Date());
  const { requestsPerMinute, burst, ...tuning } = options.http ?? {};
  const baseUrl = (options.baseUrl ?? factorialDefaultBaseUrl).replace(/\/+$/, '');
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  // The token endpoint moves with the base URL (a sandbox, a proxy, a fake), never elsewhere: the
  // client secret and refresh token only go where the operator already lets the API key go.
  const tokenHttp = createHttpClient({ ...tuning, ...fetchOption, baseUrl, requestsPerMinute: tokensPerMinute, burst: 2, describeFailure: describeFactorialFailure });
  const auth = createFactorialAuth(credentials, tokenHttp, '/oauth/token', tuning.now ?? Date.now);
  const http = createHttpClient({
    timeoutMs: 60_000,
    ...tuning,
    ...fetchOption,
    baseUrl,
    requestsPerMinute: requestsPerMinute ?? factorialReadsPerMinute,
    burst: burst ?? readBurst,
    authorize: auth.headers,
    onUnauthorized: auth.onUnauthorized,
    describeFailure: describeFactorialFailure,
  });
  const api = `/api/${settings.apiVersion}/resources`;
  const paths = {
    employees: `${api}/employees/employees`,
    contractVersions: `${api}/contracts/contract_versions`,
    teams: `${api}/teams/teams`,
    locations: `${api}/locations/locations`,
    customFieldValues: `${api}/custom_fields/values`,
  };
  // Both booleans are marked required in the OAS: `only_active=false` is what brings leavers.
  const everyone = { only_active: 'false', only_managers: 'false' };
  const list = (path: string, what: string, signal: AbortSignal | undefined, query: Record<string, string> = {}) =>
    ({ http, path, query, paging: settings.paging, limit: settings.pageSize, what, signal }) as const;

  /** One page of employees: proves the credential, its access, and what it may see. */
  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    let records: Array<Record<string, unknown>>;
    try {
      const json = await getJson(http, paths.employees, { ...everyone, limit: String(settings.pageSize) }, opts.signal);
      records = parseWith(pageSchema, json, 'Factorial employees page').data.filter(isRecord);
    } catch (err) {
      return factorialFailure.from(err, auth.mode);
    }
    if (records.length > 0 && records.every((r) => r.active === null || r.active === undefined)) return factorialFailure.statusHidden();
    const tracker = createHiddenFieldTracker();
    records.forEach(tracker.add);
    const hidden = tracker.hidden();
    const warnings = hidden.length ? [factorialFailure.hiddenWarning(hidden)] : [];
    if (records.length === 0) warnings.push('Factorial returned no employees for this credential.');
    return { ok: true, warnings };
  }

  async function* employees(opts: EmployeesOptions = {}): AsyncGenerator<EmployeePage> {
    const { signal } = opts;
    const today = isoToday(now());
    const warnings: string[] = [];
    const locations = await lookup(list(paths.locations, 'Factorial locations', signal), locationSchema, warnings, 'locations');
    const teamOf = teamIndex(await lookup(list(paths.teams, 'Factorial teams', signal), teamSchema, warnings, 'teams'));
    // Custom field values live in their own list: read only when a mapping reads one.
    const customNames = [...new Set(pathsUnder(opts.rawFields, 'customFields').map((p) => p.split('.')[0]!))];
    const customFields = customNames.length ? await readCustomFieldValues(list(paths.customFieldValues, 'Factorial custom field values page', signal), customNames, warnings) : undefined;

    let incremental = opts.updatedSince !== undefined;
    // `updated_at_gteq` takes a date and ignores the time: the whole day is re-read, never less.
    const since: Record<string, string> = incremental ? { updated_at_gteq: opts.updatedSince!.slice(0, 10) } : {};
    let pages = listPages(list(paths.employees, 'Factorial employees page', signal, { ...everyone, ...since }));
    let next: IteratorResult<unknown[]>;
    try {
      next = await pages.next();
    } catch (err) {
      // Older API versions may refuse the filter: read everyone instead, as a full snapshot.
      if (!incremental || !isHttpError(err) || err.kind !== 'bad_request') throw err;
      incremental = false;
      warnings.push(`Factorial API ${settings.apiVersion} refused updated_at_gteq (${err.status}); this run read every employee.`);
      pages = listPages(list(paths.employees, 'Factorial employees page', signal, everyone));
      next = await pages.next();
    }

    const complete = !incremental;
    contractsForbidden = undefined;
    const tracker = createHiddenFieldTracker();
    const seen = new Set<string>();
    const ctx = { today, team: (id: string) => teamOf.get(id) ?? null, locationName: (id: string) => locations.get(id)?.name?.trim() || null };
    // One page is held back so the run's warnings (known only at the end) ride on the last one.
    let held: EmployeePage | undefined;
    for (; !next.done; next = await pages.next()) {
      const records = next.value;
      records.filter(isRecord).forEach(tracker.add);
      const versions = await contractVersions(records, signal);
      const items: Unresolved[] = [];
      const errors: RecordError[] = [];
      for (const raw of records) {
        const mapped = mapFactorialEmployee(raw, { ...ctx, contract: (id) => currentVersion(versions.get(id) ?? [], today) });
        if (!('employee' in mapped)) errors.push(mapped);
        else if (seen.has(mapped.employee.remoteId)) {
          errors.push({ remoteId: mapped.employee.remoteId, code: 'duplicate_record', reason: 'employee id appears twice in the list', dropped: true });
        } else {
          seen.add(mapped.employee.remoteId);
          if (customFields) mapped.employee.raw.customFields = customFields.get(mapped.employee.remoteId) ?? {};
          items.push(mapped);
        }
      }
      // Managers are ids: nothing to look up across pages, only self-references to drop.
      const resolved = resolveManagers(items);
      if (held) yield held;
      held = { employees: resolved.employees, errors: [...errors, ...resolved.errors], complete };
    }
    // A handful of changed people proves nothing about what the credential may see.
    const hidden = complete ? tracker.hidden() : [];
    if (hidden.length) warnings.push(factorialFailure.hiddenWarning(hidden));
    if (contractsForbidden) warnings.push(contractsForbidden);
    yield { ...(held ?? { employees: [], errors: [], complete }), ...(warnings.length ? { warnings } : {}) };
  }

  let contractsForbidden: string | undefined;

  /** The contract versions of one page's people (`employee_ids[]`), grouped by employee. */
  async function contractVersions(records: readonly unknown[], signal: AbortSignal | undefined): Promise<Map<string, ContractVersion[]>> {
    const ids = [...new Set(records.filter(isRecord).map((r) => r.id).filter((id): id is string | number => typeof id === 'string' || typeof id === 'number').map(String))];
    const byEmployee = new Map<string, ContractVersion[]>();
    if (ids.length === 0) return byEmployee;
    if (contractsForbidden) return byEmployee;
    const path = withArrayQuery(paths.contractVersions, 'employee_ids', ids);
    try {
      for await (const data of listPages(list(path, 'Factorial contract versions page', signal))) {
        for (const raw of data) {
          const v = contractVersionSchema.safeParse(raw);
          // A version we cannot read leaves that person without a title or start date, nothing more.
          if (!v.success) continue;
          const list = byEmployee.get(v.data.employee_id);
          if (list) list.push(v.data);
          else byEmployee.set(v.data.employee_id, [v.data]);
        }
      }
    } catch (err) {
      // An OAuth user whose group may not see contracts: start dates fall back to the seniority date.
      if (!isHttpError(err) || (err.kind !== 'permission' && err.kind !== 'not_found')) throw err;
      contractsForbidden = `Factorial did not let this credential read contract versions (${err.status}); job titles are left empty and start dates come from the seniority date.`;
      byEmployee.clear();
    }
    return byEmployee;
  }

  return {
    name: 'factorial',
    credentialsSchema: factorialCredentialsSchema,
    // `updated_at_gteq` on the employee list (dated versions; older ones fall back to a full read).
    incremental: true,
    settings,
    validate,
    employees,
    stats: {
      api: http.stats,
      auth: tokenHttp.stats,
      get tokensIssued() {
        return auth.issued;
      },
    },
  };
}

/**
 * Teams or locations by id. One the credential may not read (403/404) leaves the field empty
 * with a warning; any other failure fails the run.
 */
async function lookup<T extends { id: string; name?: string | null | undefined }>(
  req: Parameters<typeof listAll>[0],
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  warnings: string[],
  what: string,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  try {
    for (const raw of await listAll(req)) {
      const parsed = schema.safeParse(raw);
      if (parsed.success) out.set(parsed.data.id, parsed.data);
    }
  } catch (err) {
    if (!isHttpError(err) || (err.kind !== 'permission' && err.kind !== 'not_found')) throw err;
    warnings.push(`Factorial did not let this credential read ${what} (${err.status}); ${what === 'teams' ? 'teams are left empty' : 'locations are named by their ids'}.`);
  }
  return out;
}

/**
 * Employee id → team. Factorial lists terminated members in teams too, which is right for a
 * leaver's record; someone in several teams gets the one with the lowest id, so the choice is
 * stable from run to run.
 */
function teamIndex(teams: Map<string, { id: string; name?: string | null | undefined; employee_ids?: string[] | null | undefined }>): Map<string, NamedRef> {
  const index = new Map<string, NamedRef>();
  const ordered = [...teams.values()].sort((a, b) => (a.id.length - b.id.length) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const team of ordered) {
    const name = team.name?.trim();
    if (!name) continue;
    for (const member of team.employee_ids ?? []) if (!index.has(member)) index.set(member, { remoteId: team.id, name });
  }
  return index;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
