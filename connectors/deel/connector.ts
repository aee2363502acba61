import type { Connector, EmployeePage, EmployeesOptions, ValidationResult } from '../contract.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { parseWith } from '../http/json.js';
import { isoToday } from '../values.js';
import { deelFailure, describeDeelFailure, hiddenWarning, statusHidden, withBareRetryAfter } from './errors.js';
import { pathsUnder } from '../raw-fields.js';
import { createCustomFieldReader } from './custom-fields.js';
import { listPeople } from './list.js';
import {
  deelBaseUrl,
  deelCredentialsSchema,
  deelSettingsSchema,
  peoplePageSchema,
  statusFields,
  withApiPrefix,
  type DeelCredentials,
  type DeelCredentialsInput,
  type DeelSettings,
  type DeelSettingsInput,
} from './schema.js';

export type DeelHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'onUnauthorized'>>;

export interface DeelOptions {
  credentials: DeelCredentialsInput;
  settings?: DeelSettingsInput;
  /** Everything before `/people` (`…/rest/v2`); a bare host gets `/rest/v2`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  http?: DeelHttpTuning;
  now?: () => Date;
}

export interface DeelConnector extends Connector<DeelCredentials> {
  readonly name: 'deel';
  readonly settings: DeelSettings;
  readonly stats: Readonly<HttpStats>;
}

/**
 * Deel allows 5 requests a second per organisation, in a rolling one-second window shared by
 * every token of the organisation. Evenly spaced at 4 a second (one every 250 ms), no
 * one-second window ever holds more than 4 of ours, leaving room for jitter and for the
 * organisation's other integrations.
 */
export const deelRequestsPerMinute = 240;

export function createDeel(options: DeelOptions): DeelConnector {
  const credentials = deelCredentialsSchema.parse(options.credentials);
  const settings = deelSettingsSchema.parse(options.settings ?? {});
  const now = options.now ?? (() => new Date());
  const http = createHttpClient({
    requestsPerMinute: deelRequestsPerMinute,
    burst: 1,
    ...options.http,
    baseUrl: withApiPrefix(options.baseUrl ?? deelBaseUrl(settings.environment)),
    fetch: withBareRetryAfter(options.fetch ?? globalThis.fetch),
    // No refresh: API tokens do not expire, and an OAuth refresh token is single-use, so a
    // rotated one that could not be stored would revoke the grant on the next run.
    headers: { Authorization: `Bearer ${credentials.apiToken}` },
    describeFailure: describeDeelFailure,
  });

  /** One person: proves the token, the people:read scope, and which fields it may see. */
  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    let first: unknown;
    try {
      const json = await http.requestJson({ path: '/people', query: { offset: 0, limit: 1 }, ...(opts.signal ? { signal: opts.signal } : {}) });
      first = parseWith(peoplePageSchema, json, 'Deel people page').data[0];
    } catch (err) {
      return deelFailure(err);
    }
    if (typeof first !== 'object' || first === null) return { ok: true, warnings: first === undefined ? ['Deel listed no people for this token.'] : [] };
    const record = first as Record<string, unknown>;
    if (statusFields.every((f) => record[f] === undefined)) return statusHidden();
    const hidden = (['emails', 'first_name', 'last_name', 'start_date'] as const).filter((f) => record[f] === undefined);
    return { ok: true, warnings: hidden.length ? [hiddenWarning(hidden)] : [] };
  }

  function employees(opts: EmployeesOptions = {}): AsyncIterable<EmployeePage> {
    // Deel has no changed-since filter on /people: every run is a full snapshot (`updatedSince` is ignored).
    const pages = listPeople({ http, today: isoToday(now()), pageSize: settings.pageSize, signal: opts.signal });
    // Custom values cost one request per person: read only when a mapping names one.
    const customNames = [...new Set(pathsUnder(opts.rawFields, 'customFields').map((p) => p.split('.')[0]!))];
    return customNames.length ? withCustomFields(pages, createCustomFieldReader(http, customNames, opts.signal)) : pages;
  }

  return { name: 'deel', credentialsSchema: deelCredentialsSchema, incremental: false, settings, validate, employees, stats: http.stats };
}

async function* withCustomFields(pages: AsyncIterable<EmployeePage>, reader: ReturnType<typeof createCustomFieldReader>): AsyncGenerator<EmployeePage> {
  for await (const page of pages) yield await reader.enrich(page);
}
