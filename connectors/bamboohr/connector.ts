import type { Connector, EmployeePage, EmployeesOptions, NormalisedEmployee, RecordError, ValidationResult } from '../contract.js';
import { validationFailure } from '../failure.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { parseWith } from '../http/json.js';
import { pagesOf, type WholeCompany } from '../pages.js';
import { resolveManagers, type Unresolved } from '../managers.js';
import { topLevelKeys } from '../raw-fields.js';
import { isoToday } from '../values.js';
import { changedSince, type ChangedEmployees } from './changed.js';
import { mapReportRow } from './map.js';
import {
  bambooHrCredentialsSchema,
  essentialFields,
  metaFieldsSchema,
  reportFields,
  reportResponseSchema,
  type BambooHrCredentials,
  type BambooHrCredentialsInput,
} from './schema.js';

export type BambooHrHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize'>>;

export interface BambooHrOptions {
  credentials: BambooHrCredentialsInput;
  /** Everything before `/v1`; defaults from the company domain and host style. */
  baseUrl?: string;
  fetch?: typeof fetch;
  http?: BambooHrHttpTuning;
  /** Today's date for the status rules (future hire → pending, past termination → inactive). */
  now?: () => Date;
  /** Employees per yielded page; the report itself is one unpaged response. */
  pageSize?: number;
}

export interface BambooHrConnector extends Connector<BambooHrCredentials> {
  readonly name: 'bamboohr';
  /** Which employees were inserted, updated or deleted since `since` (ISO timestamp). */
  changedSince(since: string, opts?: { signal?: AbortSignal }): Promise<ChangedEmployees>;
  readonly stats: Readonly<HttpStats>;
}

export function bambooHrBaseUrl(credentials: Pick<BambooHrCredentials, 'companyDomain' | 'hostStyle'>, origin?: string): string {
  const company = encodeURIComponent(credentials.companyDomain);
  if (credentials.hostStyle === 'gateway') return `${origin ?? 'https://api.bamboohr.com'}/api/gateway.php/${company}`;
  return `${origin ?? `https://${company}.bamboohr.com`}/api`;
}

export function createBambooHr(options: BambooHrOptions): BambooHrConnector {
  const credentials = bambooHrCredentialsSchema.parse(options.credentials);
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? 1000;
  const http = createHttpClient({
    timeoutMs: 120_000, // a report of tens of thousands of people takes a while to build
    ...options.http,
    baseUrl: options.baseUrl ?? bambooHrBaseUrl(credentials),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // The API key is the user name; BambooHR ignores the password.
    headers: { Authorization: `Basic ${Buffer.from(`${credentials.apiKey}:x`).toString('base64')}` },
    describeFailure: (_status, headers) => headers.get('x-bamboohr-error-message') ?? undefined,
  });

  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    try {
      const json = await http.requestJson({ path: '/v1/meta/fields', ...opts });
      const fields = parseWith(metaFieldsSchema, json, 'BambooHR field list');
      const aliases = new Set(fields.map((f) => f.alias).filter(Boolean));
      // Older accounts list fields without aliases; then there is nothing to compare against.
      const hidden = aliases.size === 0 ? [] : essentialFields.filter((f) => f !== 'id' && !aliases.has(f));
      return { ok: true, warnings: hidden.length ? [hiddenFieldsWarning(hidden)] : [] };
    } catch (err) {
      return validationFailure(err, 'BambooHR');
    }
  }

  async function* employees(opts: EmployeesOptions = {}): AsyncGenerator<EmployeePage> {
    const json = await http.requestJson({
      path: '/v1/reports/custom',
      method: 'POST',
      query: { format: 'JSON', onlyCurrent: 'false' },
      // Exactly this: anything else (even with a charset) is read as XML and answered 400.
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'rollcall', fields: reportFieldsWith(opts.rawFields) }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    // Only the normalised result outlives this line: the response and its parsed copy (tens of
    // megabytes at 50,000 people) can be collected while the pages are consumed.
    yield* pagesOf(normaliseReport(json, isoToday(now())), pageSize);
  }

  return {
    name: 'bamboohr',
    credentialsSchema: bambooHrCredentialsSchema,
    validate,
    employees,
    changedSince: (since, opts = {}) => changedSince(http, since, opts.signal),
    stats: http.stats,
  };
}

/**
 * The report returns only the fields it names, so custom fields a mapping reads are named too:
 * a raw path's first segment is the field's alias (`customBadge`) or numeric id (`4021`), and
 * the row carries the value under that same key.
 */
export function reportFieldsWith(rawFields: readonly string[] | undefined): string[] {
  return [...new Set<string>([...reportFields, ...topLevelKeys(rawFields)])];
}

/** One unpaged response holds the whole snapshot, so managers are resolved before anything is yielded. */
function normaliseReport(json: unknown, today: string): WholeCompany {
  const report = parseWith(reportResponseSchema, json, 'BambooHR custom report');
  const items: Unresolved[] = [];
  const errors: RecordError[] = [];
  const seen = new Set<string>();
  for (const row of report.employees) {
    const mapped = mapReportRow(row, today);
    if (!('employee' in mapped)) errors.push(mapped);
    else if (seen.has(mapped.employee.remoteId)) {
      errors.push({ remoteId: mapped.employee.remoteId, code: 'duplicate_record', reason: 'employee id appears twice in the report', dropped: true });
    } else {
      seen.add(mapped.employee.remoteId);
      items.push(mapped);
    }
  }
  const resolved = resolveManagers(items);
  return { employees: resolved.employees, errors: [...errors, ...resolved.errors], warnings: missingFieldWarnings(report.fields) };
}

/** The report lists the fields it returned; a field this key may not see is silently absent. */
function missingFieldWarnings(fields: ReadonlyArray<{ id: string | number }> | null | undefined): string[] {
  if (!fields || fields.length === 0) return [];
  const returned = new Set(fields.map((f) => String(f.id)));
  const hidden = essentialFields.filter((f) => !returned.has(f));
  return hidden.length ? [hiddenFieldsWarning(hidden)] : [];
}

function hiddenFieldsWarning(fields: readonly string[]): string {
  return `BambooHR did not return ${fields.join(', ')}: the API key's user may not see ${fields.length > 1 ? 'these fields' : 'this field'}.`;
}
