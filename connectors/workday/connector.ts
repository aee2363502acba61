import type { Connector, EmployeePage, EmployeesOptions, RecordError, ValidationResult } from '../contract.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { HttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { resolveManagers, type Unresolved } from '../managers.js';
import { pagesOf, type WholeCompany } from '../pages.js';
import { isoToday } from '../values.js';
import { getWorkersPage, listWorkers } from './get-workers.js';
import { entriesOf, mapReportEntry, missingColumns, reportSchema } from './raas.js';
import {
  workdayCredentialsSchema,
  workdaySettingsSchema,
  type WorkdayCredentials,
  type WorkdayCredentialsInput,
  type WorkdaySettings,
  type WorkdaySettingsInput,
} from './schema.js';
import { describeWorkdayFailure, withSoapFaultStatus, type GetWorkersRequest } from './soap.js';
import { workdayFailure } from './validate.js';
import { child, textAt } from './xml.js';

export type WorkdayHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'onUnauthorized'>>;

export interface WorkdayOptions {
  credentials: WorkdayCredentialsInput;
  settings?: WorkdaySettingsInput;
  /**
   * The tenant's web services host (`https://wd2-impl-services1.workday.com`), or the whole
   * Human_Resources endpoint URL (`…/ccx/service/acme/Human_Resources/v44.0`) as Workday shows it.
   */
  baseUrl?: string;
  fetch?: typeof fetch;
  http?: WorkdayHttpTuning;
  now?: () => Date;
}

export interface WorkdayConnector extends Connector<WorkdayCredentials> {
  readonly name: 'workday';
  readonly settings: WorkdaySettings;
  readonly stats: Readonly<HttpStats>;
}

/**
 * Workday publishes no request limit; tenants throttle with 429/503. Get_Workers pages are heavy
 * (hundreds of workers each), so two a second is ample: 50,000 workers in 500s are 100 requests.
 */
export const workdayRequestsPerMinute = 120;
/** A page of several hundred workers can take Workday a while to assemble. */
const workdayTimeoutMs = 120_000;
/** RaaS rows are handed on in slices, so the sync's snapshot writes stay small. */
const yieldSize = 1_000;

interface Target {
  origin: string;
  path: string;
}

/** Where requests go: the SOAP endpoint, or the report (with `format=json`). */
export function workdayTarget(baseUrl: string | undefined, settings: WorkdaySettings, username: string): Target | { problem: string } {
  const tenant = settings.tenant ?? (username.includes('@') ? username.slice(username.lastIndexOf('@') + 1) : undefined);
  if (settings.api === 'raas') {
    const report = settings.report!;
    const reportUrl = report.startsWith('/') ? undefined : new URL(report);
    const base = baseUrl ?? reportUrl?.origin;
    if (!base) return { problem: 'set the connection\'s baseUrl to the Workday host (e.g. https://wd2-impl-services1.workday.com), or give the whole report URL' };
    const path = reportUrl ? reportUrl.pathname + reportUrl.search : report;
    const url = new URL(base.replace(/\/+$/, '') + path);
    if (!url.searchParams.has('format')) url.searchParams.set('format', 'json');
    const prefix = new URL(base).pathname.replace(/\/+$/, '');
    return { origin: new URL(base).origin + prefix, path: url.pathname.slice(prefix.length) + url.search };
  }
  if (!baseUrl) return { problem: 'set the connection\'s baseUrl to the Workday host (e.g. https://wd2-impl-services1.workday.com) or the Human_Resources endpoint URL' };
  const url = new URL(baseUrl);
  // The endpoint URL as Workday's Public Web Services report shows it: used as it is.
  if (url.pathname.includes('/ccx/service/')) return { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
  if (!tenant) return { problem: 'the username must be ISU_name@tenant, or settings.tenant must name the tenant' };
  return { origin: baseUrl.replace(/\/+$/, ''), path: `/ccx/service/${tenant}/Human_Resources/${settings.version}` };
}

export function createWorkday(options: WorkdayOptions): WorkdayConnector {
  const credentials = workdayCredentialsSchema.parse(options.credentials);
  const settings = workdaySettingsSchema.parse(options.settings ?? {});
  const now = options.now ?? (() => new Date());
  const target = workdayTarget(options.baseUrl, settings, credentials.username);
  const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  const http = createHttpClient({
    requestsPerMinute: workdayRequestsPerMinute,
    burst: 2,
    timeoutMs: workdayTimeoutMs,
    ...options.http,
    baseUrl: 'origin' in target ? target.origin : 'https://workday.invalid',
    fetch: withSoapFaultStatus(options.fetch ?? globalThis.fetch),
    // SOAP carries the user in the envelope; RaaS takes HTTP Basic.
    headers: settings.api === 'raas' ? { Authorization: `Basic ${basic}` } : {},
    describeFailure: describeWorkdayFailure,
  });

  const misconfigured = () => new HttpError({ kind: 'not_found', message: `the Workday connection is incomplete: ${'problem' in target ? target.problem : ''}`, retryable: false });

  function soapRequest(extra: Partial<GetWorkersRequest> = {}): Omit<GetWorkersRequest, 'page'> {
    const today = isoToday(now());
    const asOf = new Date(Date.parse(`${today}T00:00:00Z`) + settings.lookaheadDays * 86_400_000).toISOString().slice(0, 10);
    return {
      username: credentials.username,
      password: credentials.password,
      version: settings.version,
      count: settings.pageSize,
      asOfEffectiveDate: asOf,
      asOfEntryDateTime: now().toISOString(),
      excludeContingentWorkers: !settings.contingentWorkers,
      ...extra,
    };
  }

  async function readReport(signal?: AbortSignal): Promise<unknown[]> {
    if ('problem' in target) throw misconfigured();
    // The whole report in one document: parsed as it arrives.
    const json = await http.requestJsonStreamed({ path: target.path, ...(signal ? { signal } : {}) });
    return entriesOf(parseWith(reportSchema, json, 'Workday report'));
  }

  /** One worker (SOAP) or the report (RaaS): credentials, permissions and what the user can see. */
  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    if ('problem' in target) return { ok: false, kind: 'invalid_credentials', retryable: false, message: `The Workday connection is incomplete: ${target.problem}.` };
    try {
      if (settings.api === 'raas') {
        const rows = await readReport(opts.signal);
        const warnings: string[] = [];
        if (rows.length === 0) warnings.push('The Workday report returned no rows: check its filters and that the user may see the workers.');
        const missing = missingColumns(rows, settings.columns);
        if (missing.length) warnings.push(`The Workday report has no column ${missing.join(', ')}: those fields stay empty (rename them in settings.columns if the report calls them otherwise).`);
        return { ok: true, warnings };
      }
      const page = await getWorkersPage(http, target.path, { ...soapRequest({ count: 1 }), page: 1 }, (worker) => worker, opts.signal);
      const warnings: string[] = [];
      if (page.totalResults === 0 && page.workers.length === 0) warnings.push('Workday listed no workers for this user: its security group may not cover any organisation.');
      const first = page.workers[0];
      const data = child(first, 'Worker_Data');
      if (first !== undefined && !child(data, 'Personal_Data', 'Contact_Data') && !textAt(data, 'Personal_Data', 'Name_Data', 'Legal_Name_Data', 'Name_Detail_Data', 'Last_Name')) {
        warnings.push('Workday returned no personal data (names, emails) for the first worker: give the security group Get access to Worker Data: Public Worker Reports and Person Data: Work Contact Information.');
      }
      return { ok: true, warnings };
    } catch (err) {
      return workdayFailure(err, settings.api);
    }
  }

  async function* reportPages(signal?: AbortSignal): AsyncGenerator<EmployeePage> {
    yield* pagesOf(await readWholeReport(signal), yieldSize, 'last');
  }

  /** The report read and mapped; a manager may be a later row, so managers are resolved over all of it. */
  async function readWholeReport(signal?: AbortSignal): Promise<WholeCompany> {
    const today = isoToday(now());
    const rows = await readReport(signal);
    const items: Unresolved[] = [];
    const errors: RecordError[] = [];
    const seen = new Set<string>();
    for (const raw of rows) {
      const mapped = mapReportEntry(raw, settings.columns, today);
      if (!('employee' in mapped)) errors.push(mapped);
      else if (seen.has(mapped.employee.remoteId)) errors.push({ remoteId: mapped.employee.remoteId, code: 'duplicate_record', reason: `${settings.columns.id} appears twice in the report`, dropped: true });
      else {
        seen.add(mapped.employee.remoteId);
        items.push(mapped);
      }
    }
    const resolved = resolveManagers(items);
    const missing = missingColumns(rows, settings.columns);
    const warnings = missing.length ? [`The Workday report has no column ${missing.join(', ')}: those fields are empty.`] : [];
    return { employees: resolved.employees, errors: [...errors, ...resolved.errors], warnings };
  }

  function employees(opts: EmployeesOptions = {}): AsyncIterable<EmployeePage> {
    if (settings.api === 'raas') return reportPages(opts.signal);
    if ('problem' in target) {
      const error = misconfigured();
      // Fails on the first page, like any other failure of the read.
      return (async function* (): AsyncGenerator<EmployeePage> {
        throw error;
      })();
    }
    const updated = opts.updatedSince ? { from: opts.updatedSince, through: now().toISOString() } : undefined;
    return listWorkers({ http, path: target.path, request: soapRequest({ updated }), today: isoToday(now()), signal: opts.signal });
  }

  return {
    name: 'workday',
    credentialsSchema: workdayCredentialsSchema,
    // The transaction log lists workers with changes entered in a window; RaaS reads the whole report.
    incremental: settings.api === 'soap',
    settings,
    validate,
    employees,
    stats: http.stats,
  };
}
