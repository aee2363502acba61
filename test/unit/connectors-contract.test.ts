import { describe, expect, it } from 'vitest';
import type { EmployeeStatus } from '../../connectors/contract.js';
import { providerNames } from '../../connectors/registry.js';
import { failureKind, validationFailure } from '../../connectors/failure.js';
import { HttpError, httpErrorKinds, kindForStatus } from '../../connectors/http/errors.js';
import { parseJson } from '../../connectors/http/json.js';
import { createConnector, credentialsSchemaFor, isProviderAvailable, settingsSchemaFor, UnsupportedProviderError } from '../../connectors/registry.js';
import { applyDateRules, statusFromLabel } from '../../connectors/status.js';
import { cleanDate, cleanText, isoToday } from '../../connectors/values.js';

describe('date rules', () => {
  const today = '2026-03-02';
  it.each<[EmployeeStatus, string | null, string | null, EmployeeStatus]>([
    ['active', null, null, 'active'],
    ['active', '2026-03-03', null, 'pending'],
    ['leave', '2026-03-03', null, 'leave'],
    ['active', null, '2026-03-01', 'inactive'],
    ['leave', null, '2026-03-01', 'inactive'],
    ['pending', null, '2026-03-01', 'inactive'],
    ['active', null, '2026-03-02', 'active'],
    ['inactive', '2026-04-01', null, 'inactive'],
    // Notice served: the label already says terminated, the date says employed until then.
    ['inactive', null, '2026-03-22', 'active'],
    ['inactive', null, '2026-03-02', 'active'],
    ['inactive', null, '2026-03-01', 'inactive'],
    ['inactive', '2026-03-10', '2026-03-22', 'pending'],
    ['leave', null, '2026-03-22', 'leave'],
  ])('%s with start %s and termination %s → %s', (base, startDate, terminationDate, expected) => {
    expect(applyDateRules(base, { startDate, terminationDate }, today)).toBe(expected);
  });

  it.each([
    ['Terminated', 'inactive'],
    ['Former employee', 'inactive'],
    ['Leave of Absence', 'leave'],
    ['Maternity', 'leave'],
    ['Pre-hire', 'pending'],
    ['Full-Time', undefined],
    ['Intern', undefined],
    [null, undefined],
  ])('label %s → %s', (label, expected) => {
    expect(statusFromLabel(label)).toBe(expected);
  });

  it('uses the UTC date for today', () => {
    expect(isoToday(new Date('2026-03-02T23:30:00-05:00'))).toBe('2026-03-03');
  });
});

describe('value cleaning', () => {
  it.each([
    ['', null],
    ['  ', null],
    [null, null],
    [undefined, null],
    [{}, null],
    [42, '42'],
    ['  Zoë ', 'Zoë'],
    ['Zoe\u0308', 'Zoë'],
  ])('cleanText(%j) → %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it.each([
    ['2024-02-29', '2024-02-29'],
    ['2023-02-29', null],
    ['0000-00-00', null],
    ['2021-03-01 00:00:00', '2021-03-01'],
    ['03/01/2021', null],
  ])('cleanDate(%s) → %s', (input, expected) => {
    expect(cleanDate(input)).toBe(expected);
  });
});

describe('errors', () => {
  it.each([
    [401, 'auth'],
    [403, 'permission'],
    [404, 'not_found'],
    [406, 'bad_request'],
    [408, 'timeout'],
    [429, 'rate_limited'],
    [503, 'rate_limited'],
    [500, 'server'],
    [502, 'server'],
  ])('status %i is %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });

  it.each(httpErrorKinds.map((kind) => [kind]))('every error kind maps to a validation failure kind (%s)', (kind) => {
    expect(['invalid_credentials', 'missing_permission', 'unreachable', 'rate_limited']).toContain(failureKind(new HttpError({ kind, message: 'x' })));
  });

  it('rethrows what is not an HR failure', () => {
    expect(() => validationFailure(new TypeError('bug'), 'BambooHR')).toThrow('bug');
  });

  it('reports invalid JSON as final', () => {
    expect(() => parseJson('{"a":')).toThrow(expect.objectContaining({ kind: 'invalid_response', retryable: false }));
  });
});

const sampleCredentials: Record<string, unknown> = {
  bamboohr: { companyDomain: 'acme', apiKey: 'k' },
  personio: { clientId: 'id', clientSecret: 'secret' },
  hibob: { serviceUserId: 'SERVICE-1', token: 't' },
  factorial: { apiKey: 'k' },
  payfit: { apiKey: 'k' },
  google: { serviceAccountKey: { client_email: 'sync@p.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n' }, adminEmail: 'admin@acme.test' },
  deel: { apiToken: 't' },
  lucca: { account: 'acme', apiKey: 'k' },
  humaans: { apiToken: 't' },
  remote: { apiToken: 'ra_test_k' },
  workday: { username: 'ISU_Rollcall@acme', password: 'p' },
};

describe('provider registry', () => {
  it.each(providerNames.map((p) => [p]))('%s either builds or says it is unavailable', (provider) => {
    if (isProviderAvailable(provider)) {
      expect(createConnector(provider, sampleCredentials[provider]).name).toBe(provider);
      expect(credentialsSchemaFor(provider).safeParse({}).success).toBe(false);
    } else {
      expect(() => createConnector(provider, {})).toThrow(UnsupportedProviderError);
    }
  });

  it('passes provider settings through and rejects bad ones', () => {
    expect(createConnector('personio', sampleCredentials.personio, { settings: { apiVersion: 'v2', ibanAttribute: 'IBAN' } })).toMatchObject({
      settings: { apiVersion: 'v2', ibanAttribute: 'IBAN' },
    });
    expect(() => createConnector('personio', sampleCredentials.personio, { settings: { apiVersion: 'v3' } })).toThrow();
    expect(settingsSchemaFor('hibob').safeParse({ environment: 'staging' }).success).toBe(false);
    expect(settingsSchemaFor('bamboohr').safeParse({ x: 1 }).success).toBe(false);
  });

  it('rejects malformed stored credentials', () => {
    expect(() => createConnector('bamboohr', { apiKey: 'k' })).toThrow();
  });
});
