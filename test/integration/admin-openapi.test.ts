import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectorDescriptors } from '../../connectors/registry.js';
import { componentNameOf } from '../../src/admin/provider-schemas.js';
import { TAGS } from '../../src/admin/route.js';
import { adminRoutes } from '../../src/admin/router.js';
import { scenarioCompany } from '../fakes/bamboohr/scenario.js';
import { startFakeBambooHr, type FakeBambooHr } from '../fakes/bamboohr/server.js';
import { bearerFor, routeKey } from '../support/admin-fixtures.js';
import { browserAvailable, openBrowser, SHOTS_DIR } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';
import { bambooConnectionBody, fakeNow, fastBambooHr } from '../support/sync-fixture.js';

/**
 * The admin API's OpenAPI document as a client author meets it: a valid OpenAPI 3.1 document,
 * served without credentials, naming every operation once with a tag, with the problem body on
 * every error and the providers from the connector registry; and a client generated from it
 * with openapi-typescript that type-checks and then really runs against this server.
 */
let h: Harness;
let fake: FakeBambooHr;
let doc: OpenApiDoc;
let origin: string;

type Operation = {
  operationId: string;
  tags: string[];
  parameters: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
};
type OpenApiDoc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, unknown> };
  tags: { name: string }[];
};

beforeAll(async () => {
  fake = await startFakeBambooHr({ company: scenarioCompany() });
  h = await startHarness({ sync: { connectors: fastBambooHr(fake), now: fakeNow(fake) } });
  await new Promise<void>((done) => h.server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(h.server.address() as AddressInfo).port}`;
  const res = await fetch(`${origin}/admin/v1/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as OpenApiDoc;
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

/** The fields and required fields of each shape of an object schema (one, or one per union member). */
const fieldsOf = (schema: Record<string, unknown>) =>
  ((schema.anyOf ?? schema.oneOf ?? [schema]) as { properties?: object; required?: string[] }[]).map((shape) => ({
    properties: Object.keys(shape.properties ?? {}).sort(),
    required: [...(shape.required ?? [])].sort(),
  }));

const operations = () => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    // A copy: the validator may resolve references in what it is given.
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every route of the table once, each with a unique camelCase operationId and a declared tag', () => {
    expect(operations()).toHaveLength(adminRoutes.length);
    const ids = new Set<string>();
    for (const route of adminRoutes) {
      const op = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method];
      expect(op, `${routeKey(route)} missing`).toBeDefined();
      expect(op!.operationId).toBe(route.operationId);
      expect(op!.operationId).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(ids.has(op!.operationId), `${op!.operationId} twice`).toBe(false);
      ids.add(op!.operationId);
      expect(op!.tags).toEqual([route.tag]);
    }
    expect(doc.tags.map((t) => t.name)).toEqual([...TAGS]);
    // Every tag groups something: a tag with no operation is a typo in a route.
    for (const tag of TAGS) expect(adminRoutes.some((r) => r.tag === tag), tag).toBe(true);
  });

  it('answers every error as problem+json with the shared Problem schema, and declares the admin JWT', () => {
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        expect(response.content?.['application/problem+json']?.schema, `${method} ${path} ${status}`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
      for (const status of ['400', '401', '403', '404']) expect(op.responses[status], `${method} ${path} ${status}`).toBeDefined();
    }
    expect(doc.components.schemas.Problem).toMatchObject({ type: 'object', required: expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']) });
    expect(doc.components.securitySchemes.adminJwt).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }));
  });

  it('names the shared resources as components and refers to them', () => {
    for (const name of ['Tenant', 'Token', 'User', 'Group', 'Connection', 'Run', 'RunPage', 'Person', 'Webhook', 'AuditEntry', 'Provider', 'Problem']) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    const ok = (path: string, method: string, status = '200') => doc.paths[path]![method]!.responses[status]!.content!['application/json']!.schema;
    expect(ok('/tenants/{slug}', 'get')).toEqual({ $ref: '#/components/schemas/Tenant' });
    expect(ok('/tenants/{slug}/connections', 'post', '201')).toEqual({ $ref: '#/components/schemas/Connection' });
    expect(ok('/tenants/{slug}/runs/{id}', 'get')).toEqual({ $ref: '#/components/schemas/Run' });
    expect(ok('/tenants/{slug}/webhooks', 'get')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Webhook' } });
  });

  it('shows the providers and each one’s credentials from the connector registry', () => {
    const names = connectorDescriptors.map((d) => d.name);
    expect(doc.components.schemas.ProviderName).toMatchObject({ type: 'string', enum: names });
    const connect = doc.paths['/tenants/{slug}/connections']!.post!.requestBody!.content['application/json']!.schema as {
      oneOf: { $ref: string }[];
      discriminator: { propertyName: string; mapping: Record<string, string> };
    };
    expect(connect.discriminator.propertyName).toBe('provider');
    expect(Object.keys(connect.discriminator.mapping)).toEqual(names);
    expect(connect.oneOf).toHaveLength(names.length);
    for (const d of connectorDescriptors) {
      const name = componentNameOf(d.name);
      const branch = doc.components.schemas[`New${name}Connection`] as { properties: Record<string, unknown>; required: string[] };
      expect(connect.discriminator.mapping[d.name]).toBe(`#/components/schemas/New${name}Connection`);
      expect(branch.properties.provider).toMatchObject({ enum: [d.name] });
      expect(branch.properties.credentials).toEqual({ $ref: `#/components/schemas/${name}Credentials` });
      expect(branch.required).toEqual(expect.arrayContaining(['provider', 'credentials']));
      // The component is the descriptor's own schema, the one the connector parses credentials with.
      const own = z.toJSONSchema(d.credentialsSchema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
      expect(fieldsOf(doc.components.schemas[`${name}Credentials`]!), d.name).toEqual(fieldsOf(own));
    }
    const bamboo = doc.components.schemas.BamboohrCredentials as { required: string[] };
    expect(bamboo.required).toEqual(expect.arrayContaining(['companyDomain', 'apiKey']));
  });

  it('is served without credentials, with its path parameters and bodies declared', async () => {
    const res = await fetch(`${origin}/admin/v1/openapi.json`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const getTenant = doc.paths['/tenants/{slug}']!.get!;
    expect(getTenant.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'slug', required: true })]);
    const createTenant = doc.paths['/tenants']!.post!;
    expect(createTenant.requestBody!.content['application/json']!.schema).toMatchObject({ type: 'object', required: ['slug'], additionalProperties: false });
  });
});

describe('a client generated with openapi-typescript', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rollcall-client-'));
    const ast = await openapiTS(doc as unknown as Parameters<typeof openapiTS>[0], { defaultNonNullable: false });
    writeFileSync(join(dir, 'rollcall-admin.d.ts'), astToString(ast));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    // The program imports openapi-fetch as a client author would: from node_modules.
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('type-checks a program using real operations, and refuses one that does not match the schemas', () => {
    const diagnostics = typeCheck(dir, {
      'client.ts': CLIENT_PROGRAM,
      // Without the API key BambooHR requires; with a provider the registry does not have; a word for a number.
      'missing-key.ts': CLIENT_PROGRAM.replace('apiKey: hr.apiKey', ''),
      'unknown-provider.ts': CLIENT_PROGRAM.replace("provider: 'bamboohr'", "provider: 'sage-hr'"),
      'wrong-query.ts': CLIENT_PROGRAM.replace('query: { limit: 10 }', "query: { limit: 'ten' }"),
    });
    expect(diagnostics['client.ts']).toEqual([]);
    expect(diagnostics['missing-key.ts']!.join('\n')).toMatch(/apiKey/);
    expect(diagnostics['unknown-provider.ts']!.join('\n')).toMatch(/workday/);
    expect(diagnostics['wrong-query.ts']).toEqual(["Type 'string' is not assignable to type 'number'."]);
  }, 180_000);

  it('runs against the server: creates a tenant, connects BambooHR with its credentials, previews, lists the runs', async () => {
    const js = ts.transpileModule(CLIENT_PROGRAM, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(dir, 'client.mjs'), js);
    const hr = bambooConnectionBody(fake);
    const env = {
      ...process.env,
      ROLLCALL_URL: `${origin}/admin/v1`,
      ROLLCALL_TOKEN: (await bearerFor({ role: 'operator' }, 'client-author')).replace(/^Bearer /, ''),
      HR_BASE_URL: hr.baseUrl,
      HR_COMPANY_DOMAIN: hr.credentials.companyDomain,
      HR_API_KEY: hr.credentials.apiKey,
    };
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'client.mjs')], { env, timeout: 60_000 });
    const result = JSON.parse(stdout) as { tenant: { slug: string }; connection: { provider: string; status: string }; runs: { mode: string; state: string }[]; problem: { status: number; code: string } };
    expect(result.tenant.slug).toBe('initech');
    expect(result.connection).toMatchObject({ provider: 'bamboohr' });
    expect(result.runs).toEqual([expect.objectContaining({ mode: 'preview', state: 'succeeded' })]);
    // The error branch is typed too: a second tenant with the same slug is a problem+json 409.
    expect(result.problem).toMatchObject({ status: 409, code: 'conflict' });
  }, 120_000);
});

describe('the API reference at /admin/docs', () => {
  it('answers 200 HTML without credentials that loads only same-origin files, under a strict policy', async () => {
    const res = await fetch(`${origin}/admin/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = res.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) expect(policy).toContain(directive);
    expect(policy).not.toMatch(/unsafe-|\*|https?:/);
    const html = await res.text();
    // No inline script or style for the policy to refuse, and nothing from another origin.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    const urls = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!, res.url));
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) {
      expect(url.origin).toBe(origin);
      const file = await fetch(url);
      expect(file.status, url.pathname).toBe(200);
      if (url.pathname.endsWith('.js')) expect(file.headers.get('content-type')).toMatch(/^text\/javascript/);
      if (url.pathname.endsWith('.css')) expect(file.headers.get('content-type')).toMatch(/^text\/css/);
      await file.arrayBuffer();
    }
    expect(urls.map((u) => u.pathname)).toContain('/admin/v1/openapi.json');
  });

  it('answers a file it does not have with a problem+json 404', async () => {
    const res = await fetch(`${origin}/admin/docs/0.0.0/index.html`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it.runIf(browserAvailable)('renders every tag and operation in a browser, with no policy violation and no request off this origin', async () => {
    const browser = await openBrowser('api-reference');
    try {
      const { page } = browser;
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      // Injected by the browser, not the page: the page's policy does not apply to it.
      await page.addInitScript({
        content: "window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));",
      });
      await page.goto(`${origin}/admin/docs`);
      await page.waitForSelector('#operations-Tenants-createTenant', { timeout: 60_000 });
      expect(await page.locator('.opblock-tag-section').count()).toBe(TAGS.length);
      expect(await page.locator('.opblock').count()).toBe(adminRoutes.length);
      // Open one: its body schema and error responses render from the document.
      await page.click('#operations-Connections-createConnection .opblock-summary');
      await page.waitForSelector('#operations-Connections-createConnection .responses-table');
      expect(await page.locator('#operations-Connections-createConnection').innerText()).toMatch(/problem\+json/);
      // A screenshot to look at, without the console's axe check: the page's markup is Swagger UI's, not ours.
      await page.screenshot({ path: join(SHOTS_DIR, 'api-reference', 'reference.png') });
      expect(await page.evaluate('window.violations')).toEqual([]);
      expect(errors).toEqual([]);
      for (const url of requests.filter((u) => !u.startsWith('data:'))) expect(new URL(url).origin, url).toBe(origin);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

/** What a client author writes against the generated types (openapi-fetch for the calls). */
const CLIENT_PROGRAM = `
import createClient from 'openapi-fetch';
import type { components, paths } from './rollcall-admin.js';

type Run = components['schemas']['Run'];

async function main(): Promise<void> {
  const env = process.env as Record<string, string>;
  const hr = { baseUrl: env.HR_BASE_URL, companyDomain: env.HR_COMPANY_DOMAIN, apiKey: env.HR_API_KEY };
  const client = createClient<paths>({ baseUrl: env.ROLLCALL_URL, headers: { authorization: 'Bearer ' + env.ROLLCALL_TOKEN } });

  const tenant = await client.POST('/tenants', { body: { slug: 'initech', name: 'Initech' } });
  if (!tenant.data) throw new Error('createTenant: ' + tenant.error.detail);
  const slug: string = tenant.data.slug;

  const connection = await client.POST('/tenants/{slug}/connections', {
    params: { path: { slug } },
    body: { provider: 'bamboohr', baseUrl: hr.baseUrl, credentials: { companyDomain: hr.companyDomain, apiKey: hr.apiKey }, onboarding: 'review' },
  });
  if (!connection.data) throw new Error('createConnection: ' + connection.error.detail);
  const id: string = connection.data.id;

  const preview = await client.POST('/tenants/{slug}/connections/{id}/preview', { params: { path: { slug, id } }, body: {} });
  if (!preview.data) throw new Error('previewSync: ' + preview.error.detail);

  const runs = await client.GET('/tenants/{slug}/connections/{id}/runs', { params: { path: { slug, id }, query: { limit: 10 } } });
  if (!runs.data) throw new Error('listRuns: ' + runs.error.detail);
  const items: Run[] = runs.data.items;

  const again = await client.POST('/tenants', { body: { slug } });
  const problem: components['schemas']['Problem'] | undefined = again.error;

  console.log(JSON.stringify({
    tenant: tenant.data,
    connection: { provider: connection.data.provider, status: connection.data.status },
    runs: items.map((r) => ({ mode: r.mode, state: r.state })),
    problem: problem && { status: problem.status, code: problem.code },
  }));
}

await main();
`;

/** The TypeScript compiler's diagnostics for programs in the client directory, compiled together (strict, as a client author compiles). */
function typeCheck(dir: string, files: Record<string, string>): Record<string, string[]> {
  for (const [file, source] of Object.entries(files)) writeFileSync(join(dir, file), source);
  const program = ts.createProgram(
    Object.keys(files).map((file) => join(dir, file)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      skipLibCheck: true,
    },
  );
  const global = program.getGlobalDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (global.length > 0) throw new Error(global.join('\n'));
  return Object.fromEntries(
    Object.keys(files).map((file) => {
      const source = program.getSourceFile(join(dir, file))!;
      const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      return [file, diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))];
    }),
  );
}
