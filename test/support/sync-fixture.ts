import { bambooHrBaseUrl, createBambooHr } from '../../connectors/bamboohr/connector.js';
import type { BambooHrCredentials } from '../../connectors/bamboohr/schema.js';
import type { ConnectorFactory } from '../../src/connections/connector-for.js';
import type { ConnectionDeps } from '../../src/connections/service.js';
import type { Executor } from '../../src/db/client.js';
import { defaultKey, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { testAllowedBaseUrls, testEgress } from './egress.js';
import { TEST_SECRET_KEY } from './keys.js';

/** The fake's fixed "today", as a clock for the connector and the planner alike. */
export const fakeNow = (fake: FakeBambooHr) => () => new Date(`${fake.company.today}T12:00:00Z`);

/** Real BambooHR connectors with test-sized timeouts and backoffs, on the fake's clock. */
export function fastBambooHr(fake: FakeBambooHr, http: Record<string, number> = {}): ConnectorFactory {
  return (provider, credentials, deps) => {
    if (provider !== 'bamboohr') throw new Error(`no test factory for ${provider}`);
    return createBambooHr({
      credentials: credentials as BambooHrCredentials,
      ...(deps.baseUrl ? { baseUrl: deps.baseUrl } : {}),
      // The service's fetch: requests go through the egress policy, as in production.
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      now: fakeNow(fake),
      http: { timeoutMs: 2000, backoffBaseMs: 5, backoffCapMs: 50, maxRetries: 3, ...http },
    });
  };
}

/**
 * What a test's sync runs with: the test key, a replica of its own, small batches, the given
 * connectors and clock, and the suite's allowances for loopback fakes (egress and base URLs).
 */
export function testConnectionDeps(db: Executor, connectors: ConnectorFactory, now: () => Date): ConnectionDeps {
  return { db, secretKey: TEST_SECRET_KEY, owner: 'test-replica', leaseSeconds: 60, connectors, now, batchSize: 100, egress: testEgress, allowedBaseUrls: testAllowedBaseUrls };
}

export function syncDeps(db: Executor, fake: FakeBambooHr, overrides: Partial<ConnectionDeps> = {}): ConnectionDeps {
  return { ...testConnectionDeps(db, fastBambooHr(fake), fakeNow(fake)), ...overrides };
}

/** What an admin posts to connect the fake. */
export function bambooConnectionBody(fake: FakeBambooHr, extra: Record<string, unknown> = {}) {
  return {
    provider: 'bamboohr',
    baseUrl: bambooHrBaseUrl({ companyDomain: fake.company.domain, hostStyle: 'subdomain' }, fake.url),
    credentials: { companyDomain: fake.company.domain, apiKey: defaultKey },
    ...extra,
  };
}
