import { pathsUnder } from '../raw-fields.js';
import { readCustomValues } from './custom-fields.js';
import type { Connector, EmployeePage, EmployeesOptions, RecordError, ValidationResult } from '../contract.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { isHttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { resolveManagers, type Unresolved } from '../managers.js';
import { isoToday } from '../values.js';
import { mapHumaansPerson } from './map.js';
import { feathersPages } from './read.js';
import {
  bankAccountSchema,
  humaansCredentialsSchema,
  humaansDefaultBaseUrl,
  humaansScopes,
  humaansSettingsSchema,
  jobRoleSchema,
  listPageSchema,
  locationSchema,
  scopesOf,
  tokenInfoSchema,
  type HumaansBankAccount,
  type HumaansCredentials,
  type HumaansCredentialsInput,
  type HumaansJobRole,
  type HumaansSettingsInput,
} from './schema.js';
import { describeHumaansFailure, humaansFailure } from './validate.js';

export type HumaansHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'onUnauthorized'>>;

export interface HumaansOptions {
  credentials: HumaansCredentialsInput;
  settings?: HumaansSettingsInput;
  /** Everything before `/people`, e.g. `https://app.humaans.io/api`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  http?: HumaansHttpTuning;
  now?: () => Date;
}

export interface HumaansConnector extends Connector<HumaansCredentials> {
  readonly name: 'humaans';
  readonly stats: Readonly<HttpStats>;
}

/**
 * Humaans publishes no rate limit; it answers 429 with `Retry-After` when a token goes too fast.
 * Five requests a second, evenly spaced, is what a well-behaved integration asks of an API that
 * does not say: a 50,000-person company still reads in about two minutes, and the client honours
 * `Retry-After` (or backs off) if Humaans wants less.
 */
export const humaansRequestsPerMinute = 300;

const paths = { tokenInfo: '/token-info', people: '/people', jobRoles: '/job-roles', locations: '/locations', bankAccounts: '/bank-accounts' } as const;

export function createHumaans(options: HumaansOptions): HumaansConnector {
  const credentials = humaansCredentialsSchema.parse(options.credentials);
  const settings = humaansSettingsSchema.parse(options.settings ?? {});
  const now = options.now ?? (() => new Date());
  const http = createHttpClient({
    requestsPerMinute: humaansRequestsPerMinute,
    burst: 1,
    ...options.http,
    baseUrl: (options.baseUrl ?? humaansDefaultBaseUrl).replace(/\/+$/, ''),
    fetch: options.fetch ?? globalThis.fetch,
    headers: { Authorization: `Bearer ${credentials.apiToken}`, Accept: 'application/json' },
    describeFailure: describeHumaansFailure,
  });
  const pageSize = settings.pageSize;

  /**
   * `/token-info` says which scopes the token has, so a token without `private:read` is refused
   * before a run silently misses new hires and leavers; one person proves the list itself.
   */
  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    const signal = opts.signal ? { signal: opts.signal } : {};
    try {
      const info = parseWith(tokenInfoSchema, await http.requestJson({ path: paths.tokenInfo, ...signal }), 'Humaans token info');
      const scopes = scopesOf(info);
      if (scopes && !scopes.has(humaansScopes.private)) return humaansFailure.missingPrivate(` (the token has ${[...scopes].join(', ') || 'no scopes'})`);
    } catch (err) {
      // A proxy may forward only the data endpoints; the list call below still proves the token.
      if (!isHttpError(err) || err.kind !== 'not_found') return humaansFailure.from(err);
    }
    let sample: unknown;
    try {
      sample = await http.requestJson({ path: paths.people, query: { $limit: 1 }, ...signal });
    } catch (err) {
      return humaansFailure.from(err);
    }
    const page = listPageSchema.safeParse(sample);
    if (!page.success) return { ok: false, kind: 'unreachable', retryable: false, message: 'Humaans answered the people list with something that is not a Humaans list ({total, limit, skip, data}): check the API base URL.' };
    const warnings: string[] = [];
    const first = page.data.data[0];
    if (first === undefined) warnings.push('Humaans returned no people for this token.');
    else if (typeof first === 'object' && first !== null && !('personalEmail' in first) && !('employmentEndDate' in first)) {
      // Scopes unknown (no /token-info) but the sample shows the public view only.
      warnings.push(`Humaans returned no private fields (personal email, employment end date): the token may lack "${humaansScopes.private}", which hides new hires and leavers.`);
    }
    return { ok: true, warnings };
  }

  /** Reads a side list (job roles, locations, bank accounts); a refusal is a warning, not a failed run. */
  async function sideList(path: string, what: string, warnings: string[], signal?: AbortSignal): Promise<unknown[] | undefined> {
    const rows: unknown[] = [];
    try {
      for await (const { records } of feathersPages(http, path, `Humaans ${what}`, { pageSize, ...(signal ? { signal } : {}) })) rows.push(...records);
      return rows;
    } catch (err) {
      if (!isHttpError(err) || (err.kind !== 'permission' && err.kind !== 'not_found')) throw err;
      warnings.push(`Humaans did not let this token read ${what} (${err.status}${err.detail ? `: ${err.detail}` : ''}); they are left empty. Grant the token "${humaansScopes.private}".`);
      return undefined;
    }
  }

  async function* employees(opts: EmployeesOptions = {}): AsyncGenerator<EmployeePage> {
    const { signal } = opts;
    const today = isoToday(now());
    const warnings: string[] = [];

    const roleRows = await sideList(paths.jobRoles, 'job roles', warnings, signal);
    const roles = roleRows ? rolesByPerson(roleRows, warnings) : undefined;
    const locationRows = await sideList(paths.locations, 'locations', warnings, signal);
    const labels = new Map<string, string>();
    for (const raw of locationRows ?? []) {
      const l = locationSchema.safeParse(raw);
      const label = l.success ? (l.data.label ?? [l.data.city, l.data.countryCode].filter(Boolean).join(', ')).trim() : '';
      if (l.success && label) labels.set(l.data.id, label);
    }
    const banks = new Map<string, HumaansBankAccount>();
    if (settings.bankAccounts) {
      for (const raw of (await sideList(paths.bankAccounts, 'bank accounts', warnings, signal)) ?? []) {
        const b = bankAccountSchema.safeParse(raw);
        if (!b.success || b.data.personId === null) continue;
        // Several accounts: the most recently updated one is the one payroll uses.
        const prior = banks.get(b.data.personId);
        if (!prior || (b.data.updatedAt ?? '') >= (prior.updatedAt ?? '')) banks.set(b.data.personId, b.data);
      }
    }

    // Custom fields live in their own lists: read only when a mapping reads one.
    const customNames = [...new Set(pathsUnder(opts.rawFields, 'customFields').map((p) => p.split('.')[0]!))];
    const customValues = customNames.length ? await readCustomValues(http, customNames, { pageSize, warnings, signal }) : undefined;

    const ctx = {
      today,
      roles: (id: string) => (roles ? (roles.get(id) ?? []) : undefined),
      locationLabel: (id: string) => labels.get(id) ?? null,
      bankAccount: (id: string) => banks.get(id),
    };
    const seen = new Set<string>();
    let privateSeen = false;
    let records = 0;
    // One page is held back so the run's warnings (known only at the end) ride on the last one.
    let held: EmployeePage | undefined;
    for await (const { records: page } of feathersPages(http, paths.people, 'Humaans people', { pageSize, ...(signal ? { signal } : {}) })) {
      const items: Unresolved[] = [];
      const errors: RecordError[] = [];
      for (const raw of page) {
        records++;
        if (typeof raw === 'object' && raw !== null && ('personalEmail' in raw || 'employmentEndDate' in raw)) privateSeen = true;
        const mapped = mapHumaansPerson(raw, ctx);
        if (!('employee' in mapped)) errors.push(mapped);
        else if (seen.has(mapped.employee.remoteId)) {
          errors.push({ remoteId: mapped.employee.remoteId, code: 'duplicate_record', reason: 'person id appears twice in the list', dropped: true });
        } else {
          seen.add(mapped.employee.remoteId);
          if (customValues) mapped.employee.raw.customFields = customValues.get(mapped.employee.remoteId) ?? {};
          items.push(mapped);
        }
      }
      // Managers are person ids: nothing to look up across pages, only self-references to drop.
      const resolved = resolveManagers(items);
      if (held) yield held;
      held = { employees: resolved.employees, errors: [...errors, ...resolved.errors], complete: true };
    }
    if (records > 0 && !privateSeen) {
      warnings.push(`Humaans returned no private fields (personal email, employment end date): the token may have only "${humaansScopes.public}", which hides new hires and offboarded people. Grant "${humaansScopes.private}".`);
    }
    // A new job role (manager, title) is its own record and a date coming into force changes
    // nothing: the person's `updatedAt` cannot be trusted to list them, so every run is a full snapshot.
    yield { ...(held ?? { employees: [], errors: [], complete: true }), ...(warnings.length ? { warnings } : {}) };
  }

  return { name: 'humaans', credentialsSchema: humaansCredentialsSchema, incremental: false, validate, employees, stats: http.stats };
}

/** Job role rows by person. Catalogue-shaped rows (`{id, companyId, name}`, no `personId`) carry no assignment. */
function rolesByPerson(rows: readonly unknown[], warnings: string[]): Map<string, HumaansJobRole[]> {
  const byPerson = new Map<string, HumaansJobRole[]>();
  let catalogue = 0;
  for (const raw of rows) {
    const parsed = jobRoleSchema.safeParse(raw);
    if (!parsed.success) continue;
    const { personId, jobTitle, department, reportingTo, effectiveDate, endDate } = parsed.data;
    if (personId === null) {
      catalogue++;
      continue;
    }
    // Keep only what mapping reads: a big company's job history stays small in memory.
    const slim = { id: parsed.data.id, personId, jobTitle, department, reportingTo, effectiveDate, endDate } as HumaansJobRole;
    const list = byPerson.get(personId);
    if (list) list.push(slim);
    else byPerson.set(personId, [slim]);
  }
  if (catalogue > 0 && byPerson.size === 0) {
    warnings.push('Humaans listed job roles as a catalogue (no person on each row): job titles, departments and managers are left empty.');
  }
  return byPerson;
}
