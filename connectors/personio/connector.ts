import type { Connector, EmployeePage, EmployeesOptions, ValidationResult } from '../contract.js';
import { budgetKey, type BudgetRegistry } from '../http/budget-registry.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { realSleep } from '../http/timing.js';
import { isoToday } from '../values.js';
import { describePersonioFailure } from './errors.js';
import { pathsUnder } from '../raw-fields.js';
import {
  bankAttributeNames,
  personioCredentialsSchema,
  personioSettingsSchema,
  type PersonioCredentials,
  type PersonioCredentialsInput,
  type PersonioSettings,
  type PersonioSettingsInput,
} from './schema.js';
import { createTokenSource, withDefaultRetryAfter } from './token.js';
import { fetchV1Token } from './v1/auth.js';
import { listV1 } from './v1/list.js';
import { validateV1 } from './v1/validate.js';
import { fetchV2Token } from './v2/auth.js';
import { listV2 } from './v2/list.js';
import { createOrgUnitNames } from './v2/org-units.js';
import { validateV2 } from './v2/validate.js';

export type PersonioHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'onUnauthorized' | 'budget'>>;

export interface PersonioOptions {
  credentials: PersonioCredentialsInput;
  settings?: PersonioSettingsInput;
  /** Everything before `/v1` or `/v2`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Applies to both clients; `requestsPerMinute`/`burst` set the data endpoints' budget only. */
  http?: PersonioHttpTuning;
  /** Today's date for the status rules. */
  now?: () => Date;
  /** Per-credential budgets shared with every other run, preview and check of this credential. */
  budgets?: BudgetRegistry;
}

export type PersonioEmployeesOptions = EmployeesOptions;

export interface PersonioConnector extends Connector<PersonioCredentials> {
  readonly name: 'personio';
  readonly settings: PersonioSettings;
  employees(opts?: PersonioEmployeesOptions): AsyncIterable<EmployeePage>;
  readonly stats: { readonly api: Readonly<HttpStats>; readonly auth: Readonly<HttpStats>; readonly tokensIssued: number };
}

export const personioDefaultBaseUrl = 'https://api.personio.de';

/**
 * Limits, with headroom for network jitter and for replicas sharing one credential's budget
 * through the database (two of them can each take the last slot of a burst at the same instant):
 * the employee list allows 300 a minute in bursts of at most 15 a second. With a burst of 8 the
 * budget lets at most 13 through in any second (8 + 1000 ms / 214 ms), a slot or two under the
 * limit, and never 280 in any minute. The auth endpoint allows 60 a minute.
 */
const dataPerMinute = 280;
const dataBurst = 8;
const authPerMinute = 60;
/** A bare 429 from the data endpoints means "a second"; from auth, Personio's minute-long cool-down. */
const bareRetryAfterS = { data: 1, auth: 60 };

export function createPersonio(options: PersonioOptions): PersonioConnector {
  const credentials = personioCredentialsSchema.parse(options.credentials);
  const settings = personioSettingsSchema.parse(options.settings ?? {});
  const today = () => isoToday((options.now ?? (() => new Date()))());
  const baseFetch = options.fetch ?? globalThis.fetch;
  const { requestsPerMinute, burst, ...tuning } = options.http ?? {};
  const common = {
    ...tuning,
    baseUrl: options.baseUrl ?? personioDefaultBaseUrl,
    headers: {
      ...(settings.partnerId ? { 'X-Personio-Partner-ID': settings.partnerId } : {}),
      ...(settings.appId ? { 'X-Personio-App-ID': settings.appId } : {}),
    },
    describeFailure: describePersonioFailure,
  };
  // Personio counts per credential: one budget per client id (and host), not per run.
  const clock = { now: tuning.now ?? Date.now, sleep: tuning.sleep ?? realSleep };
  const identity = [common.baseUrl, settings.apiVersion, credentials.clientId];
  const shared = (group: string, perMinute: number, burstSize: number) =>
    options.budgets ? { budget: options.budgets.budget(budgetKey('personio', identity, group), { perMinute, burst: burstSize, ...clock }) } : {};
  const auth = createHttpClient({ ...common, requestsPerMinute: authPerMinute, ...shared('auth', authPerMinute, 1), fetch: withDefaultRetryAfter(baseFetch, bareRetryAfterS.auth) });
  const tokens = createTokenSource({
    now: tuning.now ?? Date.now,
    fetchToken: () => (settings.apiVersion === 'v1' ? fetchV1Token(auth, credentials) : fetchV2Token(auth, credentials)),
  });
  const http = createHttpClient({
    ...common,
    requestsPerMinute: requestsPerMinute ?? dataPerMinute,
    burst: burst ?? dataBurst,
    ...shared('data', requestsPerMinute ?? dataPerMinute, burst ?? dataBurst),
    fetch: tokens.observe(withDefaultRetryAfter(baseFetch, bareRetryAfterS.data)),
    authorize: tokens.authorize,
    onUnauthorized: tokens.onUnauthorized,
  });
  const orgUnits = createOrgUnitNames(http);
  const bank = bankAttributeNames(settings);

  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    return settings.apiVersion === 'v1' ? validateV1(http, tokens, bank, opts.signal) : validateV2(http, tokens, opts.signal);
  }

  function employees(opts: PersonioEmployeesOptions = {}): AsyncIterable<EmployeePage> {
    // A custom attribute is read as `customFields.<name>`; Personio sends every readable one anyway.
    const customFields = [...new Set(pathsUnder(opts.rawFields, 'customFields').map((p) => p.split('.')[0]!))];
    const shared = { http, today: today(), bank, customFields, updatedSince: opts.updatedSince, signal: opts.signal };
    if (settings.apiVersion === 'v1') return listV1({ ...shared, limit: Math.min(100, settings.pageSize ?? 100) });
    return listV2({ ...shared, orgUnits, limit: Math.min(50, settings.pageSize ?? 50), concurrency: settings.employmentConcurrency });
  }

  return {
    name: 'personio',
    credentialsSchema: personioCredentialsSchema,
    // v1 `updated_since`, v2 `updated_at.gt`.
    incremental: true,
    settings,
    validate,
    employees,
    stats: {
      api: http.stats,
      auth: auth.stats,
      get tokensIssued() {
        return tokens.issued;
      },
    },
  };
}
