import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bambooHrBaseUrl } from '../../connectors/bamboohr/connector.js';
import { createCompany } from '../fakes/bamboohr/company.js';
import { defaultKey, startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { createCliStore, runCli, type CliStore } from '../support/cli-process.js';

/** `rollcall mapping …` as an operator runs it: real processes on a store, the fake BambooHR on loopback. */
let store: CliStore;
let fake: FakeBambooHr;
let connectionId = '';

beforeAll(async () => {
  store = await createCliStore('rollcall-cli-mapping-');
  const company = createCompany([]);
  company.hire({ firstName: 'Jennifer', lastName: 'Caldwell', workEmail: 'jennifer@acme.test', jobTitle: 'VP People', division: 'Americas', hireDate: '2019-01-07' });
  company.hire({ firstName: 'Lukasz', lastName: 'Zielinski', workEmail: 'lukasz@acme.test', jobTitle: 'Engineer', division: 'Europe', supervisorEId: '1', hireDate: '2021-05-03' });
  fake = await startFakeBambooHr({ company });
}, 180_000);
afterAll(async () => {
  await fake?.close();
  await store?.close();
});

const rollcall = (args: string[]) => runCli(args, store.env);
async function json(args: string[]) {
  const run = await rollcall([...args, '--json']);
  expect(run.code, `rollcall ${args.join(' ')}\n${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout);
}

const mapping = JSON.stringify({
  attributes: [
    { attribute: 'title', source: { kind: 'expression', expression: '$uppercase(jobTitle)' } },
    { attribute: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division', source: { kind: 'raw', path: 'division' } },
  ],
});

describe('rollcall mapping', { timeout: 180_000 }, () => {
  it('shows the default of a new connection', async () => {
    await json(['tenant', 'create', 'acme']);
    const baseUrl = bambooHrBaseUrl({ companyDomain: 'acme', hostStyle: 'subdomain' }, fake.url);
    const created = await json(['connection', 'create', '--tenant', 'acme', '--provider', 'bamboohr', '--base-url', baseUrl, '--credentials', JSON.stringify({ companyDomain: 'acme', apiKey: defaultKey })]);
    connectionId = created.id;
    const shown = await json(['mapping', 'get', connectionId]);
    expect(shown).toMatchObject({ version: 0, isDefault: true });
    expect(shown.mapping.attributes[0]).toEqual({ attribute: 'name.givenName', source: { kind: 'field', field: 'firstName' } });
  });

  it('previews a mapping against the HR system, then saves it; a bad one exits 2 naming the attribute', async () => {
    const preview = await json(['mapping', 'preview', connectionId, mapping, '--sample', '2']);
    expect(preview.people.map((p: { values: Record<string, unknown> }) => p.values.title).sort()).toEqual(['ENGINEER', 'VP PEOPLE']);
    const bad = await rollcall(['mapping', 'set', connectionId, JSON.stringify({ attributes: [{ attribute: 'shoeSize', source: { kind: 'constant', value: 42 } }] })]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('shoeSize: unknown attribute');
    const saved = await rollcall(['mapping', 'set', connectionId, mapping]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toBe('saved version 1\n');
    const versions = await json(['mapping', 'versions', connectionId]);
    expect(versions).toMatchObject([{ version: 1, attributes: 2 }]);
  });
});
