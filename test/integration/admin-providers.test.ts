import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorDescriptors } from '../../connectors/registry.js';
import { bearerFor } from '../support/admin-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';

/** The provider catalogue comes from the connector registry alone: a new descriptor shows up here with no other change. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('GET /admin/v1/providers', () => {
  it('lists every registered connector with its schemas, to any signed-in role', async () => {
    const res = await h.http.get('/admin/v1/providers').set('authorization', await bearerFor({ role: 'auditor', tenant: 'acme' }, 'ada'));
    expect(res.status).toBe(200);
    expect(res.body.map((p: { name: string }) => p.name)).toEqual(connectorDescriptors.map((d) => d.name));
    for (const provider of res.body) {
      expect(provider.displayName).toMatch(/\S/);
      expect(provider.hosts.length).toBeGreaterThan(0);
      // One object, or one of several (Lucca: a legacy key or v5 client credentials), each with fields.
      const shapes = provider.credentialsSchema.anyOf ?? provider.credentialsSchema.oneOf ?? [provider.credentialsSchema];
      for (const shape of shapes) {
        expect(shape.type).toBe('object');
        expect(Object.keys(shape.properties ?? {}).length).toBeGreaterThan(0);
      }
      expect(provider.settingsSchema.type).toBe('object');
      expect(typeof provider.capabilities.incremental).toBe('boolean');
    }
  });

  it('describes what each system asks for, e.g. BambooHR’s company domain and API key', async () => {
    const res = await h.http.get('/admin/v1/providers').set('authorization', await bearerFor({ role: 'operator' }, 'olga'));
    const bamboo = res.body.find((p: { name: string }) => p.name === 'bamboohr');
    expect(bamboo.credentialsSchema.required).toEqual(expect.arrayContaining(['companyDomain', 'apiKey']));
    expect(bamboo.hosts).toContain('*.bamboohr.com');
  });

  it('is in the OpenAPI document', async () => {
    const res = await h.http.get('/admin/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.paths['/providers'].get).toBeDefined();
  });
});
