import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApi } from '../../src/admin/openapi.js';
import { componentNameOf } from '../../src/admin/provider-schemas.js';
import { route, type AdminRoute } from '../../src/admin/route.js';

/** The document's own rules on the route table, on small tables built here. */
const entry = (operationId: string, path = `/things/${operationId}`): AdminRoute =>
  route({ operationId, tag: 'Tenants', method: 'get', path, summary: 'A thing', access: 'any', response: z.object({ id: z.string() }), handler: async () => ({ id: '1' }) });

describe('buildOpenApi', () => {
  it('builds a table of camelCase, distinct operationIds', () => {
    const doc = buildOpenApi([entry('listThings'), entry('getThing2')]);
    expect(Object.keys(doc.paths ?? {})).toEqual(['/things/listThings', '/things/getThing2']);
    expect(doc.paths?.['/things/listThings']?.get?.operationId).toBe('listThings');
  });

  it.each([
    ['a PascalCase name', 'ListThings'],
    ['a kebab-case name', 'list-things'],
    ['a snake_case name', 'list_things'],
    ['an empty name', ''],
    ['a name with a space', 'list things'],
  ])('refuses %s', (_, operationId) => {
    expect(() => buildOpenApi([entry(operationId, '/things')])).toThrow(/not camelCase/);
  });

  it('refuses an operationId used twice', () => {
    expect(() => buildOpenApi([entry('listThings', '/a'), entry('listThings', '/b')])).toThrow(/used twice/);
  });
});

describe('componentNameOf', () => {
  it.each([
    ['bamboohr', 'Bamboohr'],
    ['hibob', 'Hibob'],
    ['google-workspace', 'GoogleWorkspace'],
    ['sap_successfactors', 'SapSuccessfactors'],
  ])('%s → %s', (provider, name) => {
    expect(componentNameOf(provider)).toBe(name);
  });
});
