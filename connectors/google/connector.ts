import type { Connector, EmployeePage, EmployeesOptions, RecordError, ValidationResult } from '../contract.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { parseWith } from '../http/json.js';
import { resolveManagers, type Unresolved } from '../managers.js';
import { pagesOf, type WholeCompany } from '../pages.js';
import { isoToday } from '../values.js';
import { createGoogleAuth } from './auth.js';
import { mapGoogleUser } from './map.js';
import {
  googleApiBaseUrl,
  googleCredentialsSchema,
  googleSettingsSchema,
  googleTokenUrl,
  usersPageSchema,
  type GoogleCredentials,
  type GoogleCredentialsInput,
  type GoogleSettingsInput,
} from './schema.js';
import { describeGoogleFailure, withGoogleThrottleSignals } from './throttle.js';
import { absentFieldWarnings, googleFailure, notePresent, type Presence } from './validate.js';

export type GoogleHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'onUnauthorized'>>;

export interface GoogleOptions {
  credentials: GoogleCredentialsInput;
  settings?: GoogleSettingsInput;
  /** Everything before `/admin/directory/v1`; a custom one also serves `/token`. */
  baseUrl?: string;
  /** The token endpoint; defaults to Google's, or `<baseUrl>/token` with a custom base URL. */
  tokenUrl?: string;
  fetch?: typeof fetch;
  http?: GoogleHttpTuning;
  now?: () => Date;
}

export interface GoogleConnector extends Connector<GoogleCredentials> {
  readonly name: 'google';
  readonly stats: { readonly api: Readonly<HttpStats>; readonly token: Readonly<HttpStats>; readonly tokensIssued: number };
}

/**
 * The Directory API allows 2,400 queries a minute per user per Cloud project; 2,000 leaves room
 * for anything else the same project does as the same admin.
 */
export const googleRequestsPerMinute = 2_000;

const usersPath = '/admin/directory/v1/users';
/** Resolved people are handed on in slices, so the sync's snapshot writes stay small. */
const yieldSize = 1_000;

export function createGoogle(options: GoogleOptions): GoogleConnector {
  const credentials = googleCredentialsSchema.parse(options.credentials);
  const settings = googleSettingsSchema.parse(options.settings ?? {});
  const now = options.now ?? (() => new Date());
  const baseUrl = options.baseUrl ?? googleApiBaseUrl;
  const token = new URL(options.tokenUrl ?? (options.baseUrl ? `${baseUrl.replace(/\/+$/, '')}/token` : googleTokenUrl));
  // Google asks for truncated exponential backoff up to a minute or so: its quotas are per
  // minute, so a shorter series of retries could give up inside the same window.
  const common = { maxRetries: 8, backoffBaseMs: 1_000, backoffCapMs: 64_000, ...options.http, fetch: withGoogleThrottleSignals(options.fetch ?? globalThis.fetch), describeFailure: describeGoogleFailure };
  // The token endpoint is not the Directory's quota: its own client, no budget.
  const tokenHttp = createHttpClient({ ...common, baseUrl: token.origin });
  const auth = createGoogleAuth(credentials, tokenHttp, token.pathname, options.http?.now ?? Date.now);
  const api = createHttpClient({
    requestsPerMinute: googleRequestsPerMinute,
    burst: 10,
    ...common,
    baseUrl,
    authorize: () => auth.headers(),
    onUnauthorized: () => auth.onUnauthorized(),
  });

  const scopeQuery = () => ({
    ...(settings.domain ? { domain: settings.domain } : { customer: settings.customer }),
    ...(settings.query ? { query: settings.query } : {}),
  });

  /** A token (the key, the delegation, the admin) and one user (the admin's read privilege). */
  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    let page: unknown;
    try {
      page = await api.requestJson({ path: usersPath, query: { ...scopeQuery(), maxResults: 1, projection: 'full' }, ...(opts.signal ? { signal: opts.signal } : {}) });
      parseWith(usersPageSchema, page, 'Google users list');
    } catch (err) {
      return googleFailure(err);
    }
    const users = (page as { users?: unknown[] }).users ?? [];
    const warnings = users.length === 0 ? ['Google listed no users for this customer, domain and query: check the settings.'] : [];
    return { ok: true, warnings };
  }

  async function* employees(opts: EmployeesOptions = {}): AsyncGenerator<EmployeePage> {
    // No changed-since filter in the Directory (only push notifications): every run is a full snapshot.
    yield* pagesOf(await readDirectory(opts), yieldSize, 'last');
  }

  /** Every page of users read and mapped; managers are emails, and a manager may be listed after their reports. */
  async function readDirectory(opts: EmployeesOptions): Promise<WholeCompany> {
    const { signal } = opts;
    const today = isoToday(now());
    const unresolved: Unresolved[] = [];
    const errors: RecordError[] = [];
    const seen = new Set<string>();
    const present: Presence = { organizations: false, relations: false, locations: false, dates: false };
    let pageToken: string | undefined;
    do {
      const json = await api.requestJson({
        path: usersPath,
        query: { ...scopeQuery(), maxResults: settings.pageSize, projection: 'full', pageToken },
        ...(signal ? { signal } : {}),
      });
      const page = parseWith(usersPageSchema, json, 'Google users list');
      // An empty page has no `users` key at all.
      for (const raw of page.users ?? []) {
        notePresent(raw, present, settings.dates);
        const mapped = mapGoogleUser(raw, today, settings.dates);
        if (!('employee' in mapped)) errors.push(mapped);
        else if (seen.has(mapped.employee.remoteId)) {
          errors.push({ remoteId: mapped.employee.remoteId, code: 'duplicate_record', reason: 'user id appears twice in the list', dropped: true });
        } else {
          seen.add(mapped.employee.remoteId);
          unresolved.push(mapped);
        }
      }
      // The last page is the one without a nextPageToken.
      pageToken = page.nextPageToken || undefined;
    } while (pageToken !== undefined);

    // Managers are emails, and a manager may be listed after their reports: resolve at the end.
    const resolved = resolveManagers(unresolved);
    const warnings = unresolved.length > 0 ? absentFieldWarnings(present, settings.dates) : [];
    return { employees: resolved.employees, errors: [...errors, ...resolved.errors], warnings };
  }

  return {
    name: 'google',
    credentialsSchema: googleCredentialsSchema,
    incremental: false,
    validate,
    employees,
    stats: {
      api: api.stats,
      token: tokenHttp.stats,
      get tokensIssued() {
        return auth.issued;
      },
    },
  };
}
