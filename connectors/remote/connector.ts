import type { Connector, EmployeePage, EmployeesOptions, NormalisedEmployee, RecordError, ValidationResult } from '../contract.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { isHttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { resolveManagers, type Unresolved } from '../managers.js';
import { isoToday } from '../values.js';
import { pathsUnder } from '../raw-fields.js';
import { createRemoteAuth } from './auth.js';
import { customFieldNames, readEmploymentCustomValues } from './custom-fields.js';
import { mapRemoteEmployment } from './map.js';
import { mapPool } from '../http/pool.js';
import { listPages } from './read.js';
import {
  detailEnvelopeSchema,
  employmentsPageSchema,
  offboardingSchema,
  offboardingsPageSchema,
  remoteCredentialsSchema,
  remoteDefaultBaseUrl,
  remoteSettingsSchema,
  type RemoteCredentials,
  type RemoteCredentialsInput,
  type RemoteOffboarding,
  type RemoteSettings,
  type RemoteSettingsInput,
} from './schema.js';
import { withRemoteThrottleSignals } from './throttle.js';
import { describeRemoteFailure, remoteFailure } from './validate.js';

export type RemoteHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'onUnauthorized'>>;

export interface RemoteOptions {
  credentials: RemoteCredentialsInput;
  settings?: RemoteSettingsInput;
  /** Everything before `/v1` (a trailing `/v1` is accepted); Remote's production gateway by default. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** `requestsPerMinute`/`burst` set the API budget; the token endpoint has its own. */
  http?: RemoteHttpTuning;
  now?: () => Date;
}

export interface RemoteConnector extends Connector<RemoteCredentials> {
  readonly name: 'remote';
  readonly settings: RemoteSettings;
  readonly stats: { readonly api: Readonly<HttpStats>; readonly auth: Readonly<HttpStats>; readonly tokensIssued: number };
}

/**
 * Remote allows a company 20 requests a minute, shared by all its API tokens; a partner
 * application 250 a minute per client id, token requests included. The budget keeps a little
 * under each (18; 230 plus at most 10 token requests), so the limit holds by construction.
 */
export const remoteCustomerPerMinute = 18;
export const remotePartnerPerMinute = 230;
const tokensPerMinute = 10;
/**
 * Detail reads in flight at once. Under a customer token's 18 a minute one at a time is all the
 * budget allows, so they go one by one; with more room (partners, or an operator's own budget)
 * a few in flight hide the latency.
 */
const detailConcurrencyFor = (perMinute: number) => (perMinute <= 60 ? 1 : 6);

export function createRemote(options: RemoteOptions): RemoteConnector {
  const credentials = remoteCredentialsSchema.parse(options.credentials);
  const settings = remoteSettingsSchema.parse(options.settings ?? {});
  const now = options.now ?? (() => new Date());
  const { requestsPerMinute, burst, ...tuning } = options.http ?? {};
  const clock = tuning.now ?? Date.now;
  const baseUrl = (options.baseUrl ?? remoteDefaultBaseUrl).replace(/\/+$/, '').replace(/\/v1$/, '');
  const fetchImpl = withRemoteThrottleSignals(options.fetch ?? globalThis.fetch, clock);
  // The token endpoint lives on the same gateway: the secret only goes where the API calls go.
  const tokenHttp = createHttpClient({ ...tuning, fetch: fetchImpl, baseUrl, requestsPerMinute: tokensPerMinute, burst: 2, describeFailure: describeRemoteFailure });
  const auth = createRemoteAuth(credentials, tokenHttp, clock);
  const perMinute = requestsPerMinute ?? (auth.mode === 'api_token' ? remoteCustomerPerMinute : remotePartnerPerMinute);
  const http = createHttpClient({
    timeoutMs: 60_000,
    ...tuning,
    fetch: fetchImpl,
    baseUrl,
    requestsPerMinute: perMinute,
    // A few at once keep a connection check quick; no minute ever holds more than the budget.
    burst: burst ?? (auth.mode === 'api_token' ? 3 : 10),
    authorize: auth.headers,
    onUnauthorized: auth.onUnauthorized,
    describeFailure: describeRemoteFailure,
  });

  const employmentsRequest = (signal: AbortSignal | undefined, pageSize = settings.pageSize) =>
    ({ http, path: '/v1/employments', schema: employmentsPageSchema, key: 'employments', pageSize, what: 'Remote employments page', signal }) as const;
  const offboardingsRequest = (signal: AbortSignal | undefined, pageSize = 100) =>
    ({
      http,
      path: '/v1/offboardings',
      query: (settings.includeConfidentialOffboardings ? { include_confidential: 'true' } : {}) as Record<string, string>,
      schema: offboardingsPageSchema,
      key: 'offboardings',
      pageSize,
      what: 'Remote offboardings page',
      signal,
    }) as const;

  async function detailOf(id: string, signal: AbortSignal | undefined): Promise<unknown> {
    const json = await http.requestJson({ path: `/v1/employments/${encodeURIComponent(id)}`, ...(signal ? { signal } : {}) });
    const { data } = parseWith(detailEnvelopeSchema, json, 'Remote employment');
    return data.employment ?? data;
  }

  /** One small page of employments proves the credential and its access; two more calls find what it cannot see. */
  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    const warnings: string[] = [];
    let first: unknown;
    try {
      const page = await listPages(employmentsRequest(opts.signal, 1)).next();
      first = page.done ? undefined : page.value.items[0];
    } catch (err) {
      return remoteFailure.from(err, auth.mode);
    }
    try {
      await listPages(offboardingsRequest(opts.signal, 1)).next();
    } catch (err) {
      if (!isHttpError(err) || (err.kind !== 'permission' && err.kind !== 'not_found')) return remoteFailure.from(err, auth.mode);
      warnings.push(offboardingsHidden(err.status));
    }
    const id = typeof first === 'object' && first !== null ? (first as { id?: unknown }).id : undefined;
    if (typeof id === 'string') {
      try {
        await detailOf(id, opts.signal);
      } catch (err) {
        if (!isHttpError(err) || err.kind !== 'permission') return remoteFailure.from(err, auth.mode);
        warnings.push(detailsHidden(err.status));
      }
    } else warnings.push('Remote returned no employments for this credential.');
    return { ok: true, warnings };
  }

  async function* employees(opts: EmployeesOptions = {}): AsyncGenerator<EmployeePage> {
    const { signal } = opts;
    const today = isoToday(now());
    const warnings: string[] = [];
    const offboardings = await readOffboardings(signal, warnings);
    let details = true;
    // Custom field values are one more request per person: made only when a mapping reads one.
    const customNames = customFieldNames(pathsUnder(opts.rawFields, 'customFields'));
    let customs = customNames.length > 0;
    const seen = new Set<string>();
    // Work email → ids over the whole read, for managers Remote names only by email.
    const byEmail = new Map<string, string[]>();
    const heldForManager: Unresolved[] = [];
    let held: EmployeePage | undefined;

    async function customValuesOf(id: string): Promise<Record<string, unknown> | undefined> {
      try {
        return await readEmploymentCustomValues(http, id, customNames, signal);
      } catch (err) {
        if (!isHttpError(err) || err.kind !== 'permission') throw err;
        if (customs) warnings.push(customFieldsHidden(err.status));
        customs = false;
        return undefined;
      }
    }
    for await (const { items } of listPages(employmentsRequest(signal))) {
      const fetched = await mapPool(items, detailConcurrencyFor(perMinute), async (raw) => {
        const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
        if (!details || typeof id !== 'string' || id.trim() === '') return { raw, detail: undefined };
        try {
          const detail = await detailOf(id, signal);
          return { raw, detail, custom: customs ? await customValuesOf(id) : undefined };
        } catch (err) {
          if (!isHttpError(err)) throw err;
          // Deleted between the list and the detail: Remote no longer has this employment.
          if (err.kind === 'not_found') return { raw, gone: true as const };
          if (err.kind === 'permission') {
            // Several reads may be in flight when the first refusal arrives: one warning for all.
            if (details) warnings.push(detailsHidden(err.status));
            details = false;
            return { raw, detail: undefined };
          }
          throw err;
        }
      });
      const ready: Unresolved[] = [];
      const errors: RecordError[] = [];
      for (const item of fetched) {
        if ('gone' in item) {
          errors.push({ remoteId: String((item.raw as { id: string }).id), code: 'invalid_record', reason: 'employment was deleted during the read', dropped: true });
          continue;
        }
        const id = typeof item.raw === 'object' && item.raw !== null ? String((item.raw as { id?: unknown }).id ?? '') : '';
        const mapped = mapRemoteEmployment(item.raw, item.detail, offboardings.get(id) ?? [], today);
        if (!('employee' in mapped)) {
          errors.push(mapped);
          continue;
        }
        const e = mapped.employee;
        if (customs && 'custom' in item && item.custom) e.raw.customFields = item.custom;
        if (seen.has(e.remoteId)) {
          errors.push({ remoteId: e.remoteId, code: 'duplicate_record', reason: 'employment id appears twice in the list', dropped: true });
          continue;
        }
        seen.add(e.remoteId);
        if (e.workEmail) {
          const key = e.workEmail.toLowerCase();
          byEmail.set(key, [...(byEmail.get(key) ?? []), e.remoteId]);
        }
        // A manager known only by email may come on a later page: resolved at the end.
        if (!mapped.manager.remoteId && mapped.manager.workEmail) heldForManager.push(mapped);
        else ready.push(mapped);
      }
      const resolved = resolveManagers(ready);
      if (held) yield held;
      held = { employees: resolved.employees, errors: [...errors, ...resolved.errors], complete: true };
    }

    const last = held ?? { employees: [], errors: [], complete: true };
    const late = resolveByEmail(heldForManager, byEmail);
    yield {
      ...last,
      employees: [...last.employees, ...late.employees],
      errors: [...last.errors, ...late.errors],
      ...(warnings.length ? { warnings } : {}),
    };
  }

  /** Every offboarding, grouped by employment: one paged list instead of one call per person. */
  async function readOffboardings(signal: AbortSignal | undefined, warnings: string[]): Promise<Map<string, RemoteOffboarding[]>> {
    const byEmployment = new Map<string, RemoteOffboarding[]>();
    try {
      for await (const { items } of listPages(offboardingsRequest(signal))) {
        for (const raw of items) {
          const o = offboardingSchema.safeParse(raw);
          // An offboarding we cannot read leaves that person without a termination date, nothing more.
          if (!o.success) continue;
          const list = byEmployment.get(o.data.employment_id);
          if (list) list.push(o.data);
          else byEmployment.set(o.data.employment_id, [o.data]);
        }
      }
    } catch (err) {
      if (!isHttpError(err) || (err.kind !== 'permission' && err.kind !== 'not_found')) throw err;
      warnings.push(offboardingsHidden(err.status));
      byEmployment.clear();
    }
    return byEmployment;
  }

  return {
    name: 'remote',
    credentialsSchema: remoteCredentialsSchema,
    // Remote cannot list employments changed since a time (only webhooks and the detail's updated_at).
    incremental: false,
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

/** Managers named by email (not on Remote themselves, or not linked): unique match or a record error. */
function resolveByEmail(items: readonly Unresolved[], byEmail: ReadonlyMap<string, string[]>): { employees: NormalisedEmployee[]; errors: RecordError[] } {
  const errors: RecordError[] = [];
  const employees = items.map(({ employee, manager }) => {
    const email = manager.workEmail!.toLowerCase();
    const hits = byEmail.get(email) ?? [];
    if (hits.length === 1 && hits[0] !== employee.remoteId) return { ...employee, managerRemoteId: hits[0]! };
    errors.push({
      remoteId: employee.remoteId,
      dropped: false,
      ...(hits.length > 1
        ? { code: 'ambiguous_manager' as const, reason: `${hits.length} employments have the manager's email ${email}` }
        : { code: 'unresolved_manager' as const, reason: hits.length === 1 ? 'is recorded as their own manager' : `manager with email ${email} is not on Remote` }),
    });
    return { ...employee, managerRemoteId: null };
  });
  return { employees, errors };
}

const offboardingsHidden = (status: number | undefined) =>
  `Remote did not let this credential read offboardings (${status}); termination dates are empty and leavers show only once Remote archives them.`;
const detailsHidden = (status: number | undefined) =>
  `Remote did not let this credential read employment details (${status}); managers, start dates and bank details are empty.`;
const customFieldsHidden = (status: number | undefined) =>
  `Remote did not let this credential read custom field values (${status}); mapped custom fields are left empty.`;
