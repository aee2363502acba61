import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { problemSchema } from './problem.js';
import { TAGS, type AdminRoute, type Tag } from './route.js';

const TAG_DESCRIPTIONS: Record<Tag, string> = {
  Tenants: 'The organisations this service keeps a directory for; every other resource belongs to one.',
  Tokens: 'SCIM bearer tokens an identity provider (Okta, Entra ID) pushes users and groups with.',
  Users: "A tenant's users, whatever brought them in (SCIM, an HR connection).",
  Groups: "A tenant's groups, including the teams team sync builds.",
  Connections: 'HR system connections: credentials, scope, onboarding, schedule.',
  Runs: 'Sync runs of a connection: preview, sync, history, approval of a run the safety stop held.',
  People: 'The onboarding path of people an HR connection found: candidate, invited, active.',
  'Team sync': 'Teams built from the HR system (by manager or by department) and kept in step.',
  Webhooks: 'Endpoints that receive the change feed as signed HTTP posts.',
  Events: "A tenant's change feed, read with a cursor.",
  Audit: 'Who did what through the admin API, the CLI and the console.',
  Providers: 'The HR systems a connection can be made to, from the connector registry.',
  'Setup links': 'Single-use links into the web console.',
  'Admin tokens': 'The admin JWT this API is called with: who it says the caller is, and revoking one early.',
  Schema: "A tenant's own SCIM extension attributes.",
  'Source of authority': 'Which source owns which field, how writes from the others are treated, and where sources disagree.',
  'Attribute mapping': "Where each directory attribute a connection fills takes its value from: employee fields, the HR record's own fields, constants, JSONata expressions.",
};

/** Path parameters by name: every admin path names its tenant `slug` and its resource `id`. */
const PATH_PARAMETERS: Record<string, z.ZodType> = {
  slug: z.string().meta({ description: "The tenant's slug", example: 'acme' }),
  // Any other id answers 404, like an id of another tenant.
  id: z.uuid().meta({ description: 'The resource id' }),
};

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemSchema } } });

/** What any admin operation may answer besides its own outcomes. */
const COMMON_ERRORS: Record<number, string> = {
  400: 'Invalid input: `detail` names the field (`body.slug: …`, `query.limit: …`)',
  401: 'No admin JWT, or one that is not valid (expired, wrong issuer or audience, revoked)',
  403: "The caller's role may not do this, or not on this tenant",
  404: 'No such tenant or resource (an id of another tenant is not found either)',
  429: 'Too many failed authentications from this address: wait `Retry-After` seconds',
};
const BODY_ERRORS: Record<number, string> = {
  413: 'The body is larger than BODY_LIMIT',
  415: 'The body is not JSON (send `content-type: application/json`)',
};

/** `/tenants/:slug` as OpenAPI writes it: `/tenants/{slug}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function pathParameters(path: string) {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  if (names.length === 0) return undefined;
  return z.object(Object.fromEntries(names.map((name) => [name, PATH_PARAMETERS[name] ?? z.string()])));
}

/** A body is required when an empty one (read as `{}`) would be refused. */
const bodyRequired = (schema: z.ZodType) => !schema.safeParse({}).success;

function responsesOf(r: AdminRoute) {
  const json = (description: string) => ({ description, content: { 'application/json': { schema: r.response } } });
  const status = r.status ?? 200;
  const responses: Record<string, ReturnType<typeof json> | ReturnType<typeof problem> | { description: string }> = {
    [String(status)]: status === 204 ? { description: 'Done' } : json(status === 202 ? 'Accepted: going on in the server' : 'OK'),
  };
  for (const [code, description] of Object.entries(r.responses ?? {})) responses[code] = code.startsWith('2') ? json(description) : problem(description);
  const errors = r.body ? { ...COMMON_ERRORS, ...BODY_ERRORS } : COMMON_ERRORS;
  for (const [code, description] of Object.entries(errors)) responses[code] ??= problem(description);
  return responses;
}

const ACCESS: Record<AdminRoute['access'], string> = {
  any: 'Access: any admin role (operators, tenant admins, auditors).',
  operator: 'Access: operators only.',
  'tenant-read': "Access: operators, and the tenant's admins and auditors.",
  'tenant-write': "Access: operators and the tenant's admins (not auditors).",
};

/** One table entry as @hono/zod-openapi declares an operation: the schemas the router validates with. */
export function operationOf(r: AdminRoute) {
  const params = pathParameters(r.path);
  const shownBody = r.documentedBody ?? r.body;
  return createRoute({
    operationId: r.operationId,
    tags: [r.tag],
    method: r.method,
    path: openApiPath(r.path),
    summary: r.summary,
    description: ACCESS[r.access],
    request: {
      ...(params ? { params } : {}),
      ...(r.query ? { query: r.query as z.ZodObject } : {}),
      ...(shownBody ? { body: { required: bodyRequired(r.body ?? shownBody), content: { 'application/json': { schema: shownBody } } } } : {}),
    },
    responses: responsesOf(r),
    security: [{ adminJwt: [] }],
  });
}

/** Names clients are generated with: each once, camelCase, so a rename is a visible breaking change. */
function checkOperationIds(routes: AdminRoute[]): void {
  const seen = new Set<string>();
  for (const r of routes) {
    if (!/^[a-z][a-zA-Z0-9]*$/.test(r.operationId)) throw new Error(`operationId ${r.operationId} of ${r.method} ${r.path} is not camelCase`);
    if (seen.has(r.operationId)) throw new Error(`operationId ${r.operationId} is used twice`);
    seen.add(r.operationId);
  }
}

/** OpenAPI 3.1 generated from the route table: the same zod schemas that validate requests, so it cannot drift. */
export function buildOpenApi(routes: AdminRoute[]) {
  checkOperationIds(routes);
  const api = new OpenAPIHono();
  api.openAPIRegistry.registerComponent('securitySchemes', 'adminJwt', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An admin JWT (`rollcall admin-token issue`, or one from your identity provider when ADMIN_JWKS_URL is set)',
  });
  for (const r of routes) api.openAPIRegistry.registerPath(operationOf(r));
  const document = api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Rollcall admin API',
      version: '1',
      description: 'Tenants, SCIM tokens, HR connections and their runs, people, teams, webhooks, events and the audit log. Errors are application/problem+json (RFC 9457).',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    servers: [{ url: '/admin/v1' }],
    tags: TAGS.map((name) => ({ name, description: TAG_DESCRIPTIONS[name] })),
  });
  completeOperations(document.paths);
  return document;
}

/**
 * Two things the generator leaves out. Every admin body is a JSON object: a body documented as a
 * union (connect: one branch per provider) says so at its top too, for tools that read `type`
 * before `oneOf`. And every operation lists its parameters, as an empty list when it takes none,
 * as the hand-built document did, so readers that iterate them need no special case.
 */
function completeOperations(paths: ReturnType<OpenAPIHono['getOpenAPI31Document']>['paths']): void {
  for (const item of Object.values(paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.parameters ??= [];
      const schema = (operation.requestBody as { content?: Record<string, { schema?: Record<string, unknown> }> } | undefined)?.content?.['application/json']?.schema;
      if (schema && !('type' in schema) && !('$ref' in schema)) schema.type = 'object';
    }
  }
}

const built = new WeakMap<AdminRoute[], ReturnType<typeof buildOpenApi>>();

/** The document of a route table, built on first use and kept: the table is fixed for the life of the process. */
export function openApiDocument(routes: AdminRoute[]) {
  let doc = built.get(routes);
  if (!doc) built.set(routes, (doc = buildOpenApi(routes)));
  return doc;
}
