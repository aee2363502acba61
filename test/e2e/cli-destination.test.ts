import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bambooHrBaseUrl } from '../../connectors/bamboohr/connector.js';
import { scenarioCompany } from '../fakes/bamboohr/scenario.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { createCliStore, runCli, type CliStore } from '../support/cli-process.js';

/**
 * The CLI goes through the same connection service as the admin API: a base URL must be the
 * provider's or on HR_ALLOWED_BASE_URLS, and moving a connection needs its credentials again.
 */
let store: CliStore;
let fake: FakeBambooHr;
let moved: FakeBambooHr;
let storeEnv: Record<string, string>;

beforeAll(async () => {
  store = await createCliStore('rollcall-cli-destination-');
  storeEnv = store.env;
  fake = await startFakeBambooHr({ company: scenarioCompany() });
  moved = await startFakeBambooHr({ company: scenarioCompany() });
}, 180_000);
afterAll(async () => {
  await fake?.close();
  await moved?.close();
  await store?.close();
});

const baseUrlOf = (f: FakeBambooHr) => bambooHrBaseUrl({ companyDomain: f.company.domain, hostStyle: 'subdomain' }, f.url);
const credentials = (f: FakeBambooHr) => JSON.stringify({ companyDomain: f.company.domain, apiKey: defaultKey });

describe('rollcall connection and where it connects', { timeout: 180_000 }, () => {
  it('refuses a base URL the operator did not allow, and a move without credentials', async () => {
    expect((await runCli(['tenant', 'create', 'acme', '--json'], storeEnv)).code).toBe(0);
    const create = ['connection', 'create', '--tenant', 'acme', '--provider', 'bamboohr', '--credentials', credentials(fake), '--base-url', baseUrlOf(fake), '--json'];

    // Without the operator's allowance (an empty setting is unset), the fake's loopback URL is refused.
    const refused = await runCli(create, storeEnv, { HR_ALLOWED_BASE_URLS: '' });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/HR_ALLOWED_BASE_URLS/);
    expect(refused.stderr).not.toContain(defaultKey);
    expect(fake.requests).toHaveLength(0);

    const created = await runCli(create, storeEnv);
    expect(created.code, created.stderr).toBe(0);
    const id = JSON.parse(created.stdout).id as string;

    const bare = await runCli(['connection', 'configure', id, '--base-url', baseUrlOf(moved), '--json'], storeEnv);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/send the credentials again/);
    expect(moved.requests).toHaveLength(0);

    const withCredentials = await runCli(['connection', 'configure', id, '--base-url', baseUrlOf(moved), '--credentials', credentials(moved), '--json'], storeEnv);
    expect(withCredentials.code, withCredentials.stderr).toBe(0);
    expect(JSON.parse(withCredentials.stdout).baseUrl).toBe(baseUrlOf(moved));
    expect(moved.requests.length).toBeGreaterThan(0);
  });
});
