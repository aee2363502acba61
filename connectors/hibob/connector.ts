import type { Connector, EmployeePage, EmployeesOptions, RecordError, ValidationResult } from '../contract.js';
import { budgetKey, type BudgetRegistry } from '../http/budget-registry.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { realSleep } from '../http/timing.js';
import { parseWith } from '../http/json.js';
import { pagesOf, type WholeCompany } from '../pages.js';
import { resolveManagers, type Unresolved } from '../managers.js';
import { rawFieldPaths, readRawPath } from '../raw-fields.js';
import { isoToday } from '../values.js';
import { attachBankAccounts } from './bank.js';
import { mapHibobEmployee } from './map.js';
import { readField, readHuman, readListItem } from './read.js';
import {
  essentialFields,
  hibobBaseUrl,
  listFields,
  hibobCredentialsSchema,
  hibobSettingsSchema,
  hibobFieldOf,
  searchBody,
  searchResponseSchema,
  vitalFieldSets,
  type HibobCredentials,
  type HibobCredentialsInput,
  type HibobSettingsInput,
} from './schema.js';
import { describeHibobFailure, hibobFailure } from './validate.js';

export type HibobHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'authFailureIsFinal' | 'budget'>>;

export interface HibobOptions {
  credentials: HibobCredentialsInput;
  settings?: HibobSettingsInput;
  /** Everything before `/v1`; defaults from the environment setting. */
  baseUrl?: string;
  fetch?: typeof fetch;
  http?: HibobHttpTuning;
  now?: () => Date;
  /** Employees per yielded page; the search itself is one unpaged response. */
  pageSize?: number;
  /** Per-credential budgets shared with every other run, preview and check of this service user. */
  budgets?: BudgetRegistry;
}

export interface HibobConnector extends Connector<HibobCredentials> {
  readonly name: 'hibob';
  readonly stats: Readonly<HttpStats>;
  readonly bankStats: Readonly<HttpStats>;
}

/**
 * `/people/search` allows 50 calls a minute; 45 leaves room for network jitter and for
 * another client of the same service user. Five may go back to back (validate, then sync).
 */
const searchesPerMinute = 45;
const searchBurst = 5;
/** HiBob publishes no limit for per-person reads; this stays well clear of the search's. */
const bankReadsPerMinute = 120;
const bankBurst = 5;
const bankConcurrency = 4;

export function createHibob(options: HibobOptions): HibobConnector {
  const credentials = hibobCredentialsSchema.parse(options.credentials);
  const settings = hibobSettingsSchema.parse(options.settings ?? {});
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? 1000;
  const common = {
    ...options.http,
    baseUrl: options.baseUrl ?? hibobBaseUrl(settings.environment),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: { Authorization: `Basic ${Buffer.from(`${credentials.serviceUserId}:${credentials.token}`).toString('base64')}` },
    // HiBob's firewall blocks IPs that keep presenting bad credentials: never ask twice.
    authFailureIsFinal: true,
    describeFailure: describeHibobFailure,
  };
  // HiBob counts per service user: one budget per service user (and host), not per run.
  const clock = { now: options.http?.now ?? Date.now, sleep: options.http?.sleep ?? realSleep };
  const shared = (group: string, perMinute: number, burst: number) =>
    options.budgets ? { budget: options.budgets.budget(budgetKey('hibob', [common.baseUrl, credentials.serviceUserId], group), { perMinute, burst, ...clock }) } : {};
  const http = createHttpClient({
    timeoutMs: 120_000, // one response carries the whole company
    requestsPerMinute: searchesPerMinute,
    burst: searchBurst,
    ...common,
    ...shared('search', options.http?.requestsPerMinute ?? searchesPerMinute, options.http?.burst ?? searchBurst),
  });
  const bankHttp = createHttpClient({ ...common, requestsPerMinute: bankReadsPerMinute, burst: bankBurst, ...shared('bank-accounts', bankReadsPerMinute, bankBurst) });

  async function search(showInactive: boolean, signal?: AbortSignal, extraFields: readonly string[] = []) {
    // The whole company in one document: parsed as it arrives.
    const json = await http.requestJsonStreamed({
      path: '/v1/people/search',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: searchBody({ showInactive, extraFields }),
      ...(signal ? { signal } : {}),
    });
    return parseWith(searchResponseSchema, json, 'HiBob people search').employees;
  }

  /**
   * One search for active people with the full field list: it proves the token, the
   * permission group, and which fields the group lets through. HiBob has no cheaper call
   * that needs the same permissions.
   */
  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    try {
      const people = await search(false, opts.signal);
      const { hidden, vital } = hiddenFields(people);
      if (vital.length) return hibobFailure.vital(vital);
      return { ok: true, warnings: hidden.length ? [hibobFailure.hiddenWarning(hidden)] : [] };
    } catch (err) {
      return hibobFailure.from(err);
    }
  }

  async function* employees(opts: EmployeesOptions = {}): AsyncGenerator<EmployeePage> {
    // HiBob has no changed-since query: every run is a full snapshot.
    yield* pagesOf(await readCompany(opts), pageSize);
  }

  /** One search for everyone, mapped, with managers resolved over the whole company. */
  async function readCompany(opts: EmployeesOptions): Promise<WholeCompany> {
    // Custom fields (`custom.<category>.<field>`) come back only when the search names them.
    const rawPaths = rawFieldPaths(opts.rawFields);
    const people = await search(true, opts.signal, [...new Set(rawPaths.map(hibobFieldOf))]);
    if (rawPaths.length) for (const p of people) nestRequested(p, rawPaths);
    const today = isoToday(now());
    const items: Unresolved[] = [];
    const errors: RecordError[] = [];
    const seen = new Set<string>();
    for (const raw of people) {
      const mapped = mapHibobEmployee(raw, today);
      if (!('employee' in mapped)) errors.push(mapped);
      else if (seen.has(mapped.employee.remoteId)) {
        errors.push({ remoteId: mapped.employee.remoteId, code: 'duplicate_record', reason: 'employee id appears twice in the search result', dropped: true });
      } else {
        seen.add(mapped.employee.remoteId);
        items.push(mapped);
      }
    }
    // The whole company is here, so a manager named only by email can be resolved too.
    const resolved = resolveManagers(items);
    errors.push(...resolved.errors);
    const { hidden, vital } = hiddenFields(people);
    const missing = [...vital, ...hidden];
    const warnings = missing.length ? [hibobFailure.hiddenWarning(missing)] : [];
    warnings.push(...unnamedListItems(people));
    if (settings.bankAccounts) {
      const bank = await attachBankAccounts(bankHttp, resolved.employees, { concurrency: bankConcurrency, ...(opts.signal ? { signal: opts.signal } : {}) });
      warnings.push(...bank.warnings);
    }
    return { employees: resolved.employees, errors, warnings };
  }

  return { name: 'hibob', credentialsSchema: hibobCredentialsSchema, validate, employees, stats: http.stats, bankStats: bankHttp.stats };
}

/**
 * HiBob may send a field flat (`"/custom/payroll/field_1": {"value": …}`) instead of nested;
 * a mapping reads one dotted path, so each requested field is also put where that path points.
 */
function nestRequested(person: unknown, rawPaths: readonly string[]): void {
  if (typeof person !== 'object' || person === null) return;
  const record = person as Record<string, unknown>;
  for (const path of rawPaths) {
    if (readRawPath(record, path) !== undefined) continue;
    const human = path.startsWith('humanReadable.');
    const value = human ? readHuman(record, hibobFieldOf(path)) : readField(record, hibobFieldOf(path));
    if (value === undefined) continue;
    const parts = path.split('.');
    let at = record;
    for (const part of parts.slice(0, -1)) {
      const next = Object.prototype.hasOwnProperty.call(at, part) ? at[part] : undefined;
      if (typeof next !== 'object' || next === null) at = at[part] = {} as Record<string, unknown>;
      else at = next as Record<string, unknown>;
    }
    at[parts[parts.length - 1]!] = value;
  }
}

/**
 * List items HiBob gave no display name for (deleted from the list, or not visible): the
 * people keep the item's id in place of the name, and the run says which.
 */
function unnamedListItems(people: readonly unknown[]): string[] {
  const unnamed = new Map<string, Set<string>>();
  for (const p of people) {
    if (typeof p !== 'object' || p === null) continue;
    for (const field of listFields) {
      const item = readListItem(p as Record<string, unknown>, field);
      if (item.unnamed && item.id) (unnamed.get(field) ?? unnamed.set(field, new Set()).get(field)!).add(item.id);
    }
  }
  return [...unnamed].map(([field, ids]) => `HiBob gave no name for ${field} list item${ids.size > 1 ? 's' : ''} ${[...ids].slice(0, 10).join(', ')}; the people in them keep the item's id in place of its name.`);
}

/** Fields absent from every person: the service user's permission group hides them. */
function hiddenFields(people: readonly unknown[]): { hidden: string[]; vital: string[] } {
  const records = people.filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null);
  if (records.length === 0) return { hidden: [], vital: [] };
  const absent = (field: string) => records.every((r) => readField(r, field) === undefined);
  const vital = vitalFieldSets.filter((set) => set.every(absent)).flat();
  return { hidden: essentialFields.filter(absent), vital };
}
