import type { Connector, EmployeePage, EmployeesOptions, ValidationResult } from '../contract.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { isoToday } from '../values.js';
import { describeLuccaFailure } from './errors.js';
import { listLegacy, validateLegacy } from './legacy/read.js';
import {
  isV5,
  luccaBaseUrl,
  luccaCredentialsSchema,
  luccaDefaultTokenUrl,
  luccaSettingsSchema,
  type LuccaCredentials,
  type LuccaCredentialsInput,
  type LuccaSettings,
  type LuccaSettingsInput,
} from './schema.js';
import { tokenHostRefusal, withBareRetryAfter } from './throttle.js';
import { listV5, validateV5 } from './v5/read.js';
import { luccaApiVersion, v5Scopes } from './v5/schema.js';
import { createV5Tokens, type V5Tokens } from './v5/token.js';

export type LuccaHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'onUnauthorized'>>;

export interface LuccaOptions {
  credentials: LuccaCredentialsInput;
  settings?: LuccaSettingsInput;
  /** The account's host (sandbox, proxy, fake); `https://{account}.ilucca.net` otherwise. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** `requestsPerMinute`/`burst` set the account's budget; the token endpoint keeps its own. */
  http?: LuccaHttpTuning;
  now?: () => Date;
}

export interface LuccaConnector extends Connector<LuccaCredentials> {
  readonly name: 'lucca';
  readonly api: 'legacy' | 'v5';
  readonly settings: LuccaSettings;
  readonly stats: { readonly api: Readonly<HttpStats>; readonly tokensIssued: number };
}

/**
 * Lucca allows 50 requests a minute per account domain, shared by every integration on it: 45
 * leaves room for the others and for jitter, and a burst of 5 never lets more than 45 through
 * in any minute. The limit is the same for both APIs.
 */
export const luccaRequestsPerMinute = 45;
const luccaBurst = 5;
/** A 429 without `Retry-After`: wait out a share of the minute-long window (see throttle.ts). */
const bareRetryAfterS = 30;

export function createLucca(options: LuccaOptions): LuccaConnector {
  const credentials = luccaCredentialsSchema.parse(options.credentials);
  const settings = luccaSettingsSchema.parse(options.settings ?? {});
  const today = () => isoToday((options.now ?? (() => new Date()))());
  const { requestsPerMinute, burst, ...tuning } = options.http ?? {};
  const fetchImpl = options.fetch ? { fetch: options.fetch } : {};
  const v5 = isV5(credentials);
  let tokens: V5Tokens | undefined;
  if (v5) {
    const tokenUrl = new URL(settings.tokenUrl ?? luccaDefaultTokenUrl);
    const accountOrigin = new URL(options.baseUrl ?? luccaBaseUrl(credentials.account)).origin;
    // Another host than the account's, with its own limits; tokens are asked for rarely.
    const auth = createHttpClient({
      ...tuning,
      ...fetchImpl,
      baseUrl: tokenUrl.origin,
      requestsPerMinute: 20,
      burst: 2,
      describeFailure: describeLuccaFailure,
    });
    tokens = createV5Tokens({ auth, refusal: tokenHostRefusal(tokenUrl, accountOrigin), tokenPath: tokenUrl.pathname + tokenUrl.search, credentials, scope: v5Scopes(settings.readPersonalRecords), now: tuning.now ?? Date.now });
  }
  const http = createHttpClient({
    timeoutMs: 30_000,
    ...tuning,
    fetch: withBareRetryAfter(options.fetch ?? globalThis.fetch, bareRetryAfterS),
    requestsPerMinute: requestsPerMinute ?? luccaRequestsPerMinute,
    burst: burst ?? luccaBurst,
    baseUrl: options.baseUrl ?? luccaBaseUrl(credentials.account),
    headers: tokens ? { 'Api-Version': luccaApiVersion } : { Authorization: `lucca application=${'apiKey' in credentials ? credentials.apiKey : ''}` },
    ...(tokens ? { authorize: tokens.authorize, onUnauthorized: tokens.onUnauthorized } : {}),
    describeFailure: describeLuccaFailure,
  });

  const fieldSet = { establishment: true };

  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    if (v5) return validateV5({ http, limit: 1, readPersonalRecords: settings.readPersonalRecords, signal: opts.signal });
    return validateLegacy({ http, costCenterAxisIds: settings.costCenterAxisIds, signal: opts.signal, fieldSet });
  }

  function employees(opts: EmployeesOptions = {}): AsyncIterable<EmployeePage> {
    if (v5) return listV5({ http, today: today(), limit: Math.min(100, settings.pageSize ?? 100), readPersonalRecords: settings.readPersonalRecords, signal: opts.signal });
    return listLegacy({
      http,
      today: today(),
      costCenterAxisIds: settings.costCenterAxisIds,
      limit: Math.min(1000, settings.pageSize ?? 1000),
      updatedSince: opts.updatedSince,
      signal: opts.signal,
      fieldSet,
      rawFields: opts.rawFields,
    });
  }

  return {
    name: 'lucca',
    api: v5 ? 'v5' : 'legacy',
    credentialsSchema: luccaCredentialsSchema,
    // The legacy API filters on `modifiedAt`; v5 documents no changed-since filter on employees.
    incremental: !v5,
    settings,
    validate,
    employees,
    stats: {
      api: http.stats,
      get tokensIssued() {
        return tokens?.issued ?? 0;
      },
    },
  };
}
