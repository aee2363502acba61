import type { Connector, EmployeePage, EmployeesOptions, NormalisedEmployee, RecordError, ValidationResult } from '../contract.js';
import { createHttpClient, type HttpClientOptions, type HttpStats } from '../http/client.js';
import { HttpError, isHttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { cleanText, isoToday } from '../values.js';
import { mapPayfitCollaborator } from './map.js';
import { contractsByCollaborator, readAhead, tokenPages } from './read.js';
import {
  introspectionBaseUrl,
  introspectionSchema,
  payfitCredentialsSchema,
  payfitDefaultBaseUrl,
  payfitScopes,
  payfitSettingsSchema,
  scopesOf,
  type PayfitContract,
  type PayfitCredentials,
  type PayfitCredentialsInput,
  type PayfitIntrospection,
  type PayfitSettingsInput,
} from './schema.js';
import { withPayfitThrottleSignals } from './throttle.js';
import { describePayfitFailure, hiddenWarning, payfitFailure, scopeWarnings } from './validate.js';

export type PayfitHttpTuning = Partial<Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'headers' | 'authorize' | 'onUnauthorized'>>;

export interface PayfitOptions {
  credentials: PayfitCredentialsInput;
  settings?: PayfitSettingsInput;
  /** Everything before `/companies`; a custom one also serves `/introspect`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  http?: PayfitHttpTuning;
  now?: () => Date;
}

export interface PayfitConnector extends Connector<PayfitCredentials> {
  readonly name: 'payfit';
  readonly stats: { readonly api: Readonly<HttpStats>; readonly oauth: Readonly<HttpStats> };
}

/**
 * PayFit allows 20 requests a second per client application (one version of its page says 50
 * for reads; the lower one holds either way). 18 a second, evenly spaced, never puts 20 in any
 * second even with network jitter bunching two together.
 */
export const payfitRequestsPerMinute = 18 * 60;

export function createPayfit(options: PayfitOptions): PayfitConnector {
  const credentials = payfitCredentialsSchema.parse(options.credentials);
  const settings = payfitSettingsSchema.parse(options.settings ?? {});
  const now = options.now ?? (() => new Date());
  const baseUrl = options.baseUrl ?? payfitDefaultBaseUrl;
  const common = {
    requestsPerMinute: payfitRequestsPerMinute,
    burst: 1,
    ...options.http,
    fetch: withPayfitThrottleSignals(options.fetch ?? globalThis.fetch),
    headers: { Authorization: `Bearer ${credentials.apiKey}` },
    describeFailure: describePayfitFailure,
  };
  const api = createHttpClient({ ...common, baseUrl });
  const oauth = createHttpClient({ ...common, baseUrl: introspectionBaseUrl(baseUrl) });
  let company: Promise<string> | undefined;

  async function introspect(signal?: AbortSignal): Promise<PayfitIntrospection> {
    const json = await oauth.requestJson({
      path: '/introspect',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: credentials.apiKey }),
      ...(signal ? { signal } : {}),
    });
    return parseWith(introspectionSchema, json, 'PayFit introspection');
  }

  /** The key's company: as configured, else as introspection names it (once per connector). */
  function companyId(signal?: AbortSignal): Promise<string> {
    if (credentials.companyId) return Promise.resolve(credentials.companyId);
    company ??= introspect(signal).then((info) => {
      if (!info.active) throw new HttpError({ kind: 'auth', status: 401, message: 'PayFit introspection says the key is not active' });
      const id = cleanText(info.company_id);
      if (id === null) throw new HttpError({ kind: 'invalid_response', message: 'PayFit introspection names no company_id', retryable: false });
      return id;
    });
    company.catch(() => (company = undefined));
    return company;
  }

  const basePath = (id: string) => `/companies/${encodeURIComponent(id)}`;

  /**
   * Introspection (is the key active, which company, which scopes) and one collaborator: the
   * scopes say what is missing before anything is read, the list call proves the endpoint.
   */
  async function validate(opts: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    let info: PayfitIntrospection;
    try {
      info = await introspect(opts.signal);
    } catch (err) {
      // A proxy that only forwards the partner API has no introspection; with the company given,
      // the list call alone can still prove the key.
      if (!(credentials.companyId && isHttpError(err) && err.kind === 'not_found')) return payfitFailure.from(err, 'introspect');
      info = { active: true, company_id: credentials.companyId };
    }
    if (!info.active) return payfitFailure.inactive();
    const owner = cleanText(info.company_id);
    if (credentials.companyId && owner !== null && owner !== credentials.companyId) return payfitFailure.otherCompany(credentials.companyId, owner);
    const id = credentials.companyId ?? owner;
    if (id === null) return { ok: false, kind: 'unreachable', retryable: false, message: 'PayFit introspection named no company for this key; set the company ID.' };
    company ??= Promise.resolve(id);

    const scopes = scopesOf(info);
    const warnings: string[] = [];
    if (scopes) {
      if (!scopes.has(payfitScopes.basic)) return payfitFailure.missingScopes([payfitScopes.basic], 'collaborators cannot be listed');
      if (!scopes.has(payfitScopes.contracts) && !(settings.jobTitles && scopes.has(payfitScopes.contractList))) {
        return payfitFailure.missingScopes([payfitScopes.contracts], 'without contracts leavers cannot be told from employees');
      }
      for (const { scope, what } of scopeWarnings) {
        if (scope === payfitScopes.contractList && !settings.jobTitles) continue;
        if (!scopes.has(scope)) warnings.push(hiddenWarning(what, scope));
      }
    }
    try {
      await api.requestJson({ path: `${basePath(id)}/collaborators`, query: { maxResults: 1 }, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (err) {
      return payfitFailure.from(err, 'collaborators');
    }
    return { ok: true, warnings };
  }

  async function* employees(opts: EmployeesOptions = {}): AsyncGenerator<EmployeePage> {
    const { signal } = opts;
    const today = isoToday(now());
    const base = basePath(await companyId(signal));
    const warnings: string[] = [];
    let listed: Map<string, PayfitContract[]> | undefined;
    const contracts = settings.jobTitles
      ? contractsByCollaborator(api, base, signal).then(
          (map) => void (listed = map),
          (err: unknown) => {
            // Scopes are per endpoint: a key without contracts:read still lists collaborators.
            if (!isHttpError(err) || err.kind !== 'permission') throw err;
            warnings.push(hiddenWarning('job titles', payfitScopes.contractList));
          },
        )
      : Promise.resolve();
    const seen = new Set<string>();
    const present = { contracts: false, managerId: false, teamName: false, emails: false, bank: false };
    let records = 0;
    for await (const { records: page, last } of readAhead(tokenPages(api, `${base}/collaborators`, 'collaborators', signal), contracts)) {
      const employees: NormalisedEmployee[] = [];
      const errors: RecordError[] = [];
      for (const raw of page) {
        records++;
        notePresent(raw, present);
        const id = typeof raw === 'object' && raw !== null ? cleanText((raw as Record<string, unknown>).id) : null;
        const mapped = mapPayfitCollaborator(raw, today, listed ? (id !== null ? (listed.get(id) ?? []) : []) : undefined);
        if (!('displayName' in mapped)) errors.push(mapped);
        else if (seen.has(mapped.remoteId)) {
          errors.push({ remoteId: mapped.remoteId, code: 'duplicate_record', reason: 'collaborator id appears twice in the list', dropped: true });
        } else {
          seen.add(mapped.remoteId);
          employees.push(mapped);
        }
      }
      if (last && records > 0) warnings.push(...absentFieldWarnings(present, listed !== undefined));
      // PayFit has no changed-since filter: every run is a full snapshot.
      yield { employees, errors, complete: true, ...(last && warnings.length ? { warnings } : {}) };
    }
  }

  return { name: 'payfit', credentialsSchema: payfitCredentialsSchema, incremental: false, validate, employees, stats: { api: api.stats, oauth: oauth.stats } };
}

type Presence = { contracts: boolean; managerId: boolean; teamName: boolean; emails: boolean; bank: boolean };

/** PayFit leaves out what the key's scopes do not cover; a key present on any record is visible. */
function notePresent(raw: unknown, present: Presence): void {
  if (typeof raw !== 'object' || raw === null) return;
  const r = raw as Record<string, unknown>;
  present.contracts ||= 'contracts' in r;
  present.managerId ||= 'managerId' in r;
  present.teamName ||= 'teamName' in r;
  present.emails ||= 'emails' in r || 'personalEmail' in r || 'professionalEmail' in r;
  present.bank ||= 'iban' in r || 'bic' in r;
}

function absentFieldWarnings(present: Presence, contractsListed: boolean): string[] {
  const out: string[] = [];
  if (!present.contracts && !contractsListed) {
    out.push(`PayFit returned no contracts: leavers cannot be told from employees. Give the key the scope ${payfitScopes.contracts}.`);
  }
  if (!present.managerId && !present.teamName) out.push(hiddenWarning('managers and teams', payfitScopes.management));
  if (!present.emails) out.push(hiddenWarning('email addresses', payfitScopes.personal));
  if (!present.bank) out.push(hiddenWarning('bank details (IBAN, BIC)', payfitScopes.bank));
  return out;
}
